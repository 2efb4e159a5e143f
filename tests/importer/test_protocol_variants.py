"""Protocols as other years and committees print them: written for the format.

Each variant changes one thing of a protocol in the information system's layout
(`protocol_texts.protocol`): the wording of the decision and of earlier results,
other committees, closed sessions, several papers under one TOP, a decision
broken over lines or by a page, the chair's ways of announcing it.
"""

import pytest

from council.models import Consultation
from importer.reading import read_protocol
from importer.reading.outcomes import map_result, read_item_votes, read_votes
from importer.reading.pages import without_furniture

from .protocol_texts import protocol

Result = Consultation.Result


def decided(sentence, chair="OB Dr. Schuster stellt fest:\n\n"):
    return read_protocol(protocol(decision=chair + sentence))


def counts(votes):
    return (votes.yes, votes.no, votes.abstain, votes.note)


def warned(draft, fragment):
    return any(fragment in problem.message for problem in draft.warnings)


@pytest.mark.parametrize(
    ("sentence", "result", "votes"),
    [
        (
            "Der Gemeinderat beschließt einstimmig wie beantragt.",
            Result.APPROVED,
            (None, None, None, "einstimmig"),
        ),
        (
            "Der Gemeinderat beschließt bei 3 Enthaltungen einstimmig wie beantragt.",
            Result.APPROVED,
            (None, None, 3, "einstimmig"),
        ),
        (
            "Der Gemeinderat beschließt mehrheitlich bei 5 Gegenstimmen wie beantragt.",
            Result.APPROVED,
            (None, 5, None, "mehrheitlich"),
        ),
        (
            "Der Ausschuss für Umwelt und Technik stimmt der Vorlage mehrheitlich "
            "bei 5 Gegenstimmen und 2 Enthaltungen zu.",
            Result.APPROVED,
            (None, 5, 2, "mehrheitlich"),
        ),
        (
            "Der Gemeinderat beschließt mit 35 Ja-Stimmen, 20 Nein-Stimmen und "
            "5 Enthaltungen wie beantragt.",
            Result.APPROVED,
            (35, 20, 5, None),
        ),
        (
            "Der Gemeinderat beschließt mit 30:20:5 Stimmen wie beantragt.",
            Result.APPROVED,
            (30, 20, 5, None),
        ),
        (
            "Der Gemeinderat stimmt der Vorlage bei 1 Gegenstimme und 1 Enthaltung zu.",
            Result.APPROVED,
            (None, 1, 1, None),
        ),
        (
            "Der Gemeinderat beschließt einstimmig ohne Gegenstimmen und ohne "
            "Enthaltungen wie beantragt.",
            Result.APPROVED,
            (None, 0, 0, "einstimmig"),
        ),
        (
            "Der Gemeinderat vertagt die Behandlung der Vorlage auf die Sitzung am "
            "12.04.2007.",
            Result.POSTPONED,
            (None, None, None, None),
        ),
        ("Die Vorlage wird vertagt.", Result.POSTPONED, (None, None, None, None)),
        ("Die Vorlage wird zurückgestellt.", Result.POSTPONED, (None,) * 4),
        ("Der Tagesordnungspunkt wird abgesetzt.", Result.POSTPONED, (None,) * 4),
        ("Vertagung", Result.POSTPONED, (None,) * 4),
        (
            "Der Verwaltungsausschuss nimmt von der Vorlage Kenntnis.",
            Result.NOTED,
            (None,) * 4,
        ),
        (
            "Der Sozial- und Gesundheitsausschuss hat von der Vorlage Kenntnis "
            "genommen.",
            Result.NOTED,
            (None,) * 4,
        ),
        (
            "Die Vorlage wird zur weiteren Beratung an den Ausschuss für Wirtschaft "
            "und Wohnen verwiesen.",
            Result.REFERRED,
            (None,) * 4,
        ),
        (
            "Der Gemeinderat verweist die Vorlage an den Verwaltungsausschuss.",
            Result.REFERRED,
            (None,) * 4,
        ),
        (
            "Die Vorlage wird an den Ausschuss für Umwelt und Technik zurückverwiesen.",
            Result.REFERRED,
            (None,) * 4,
        ),
        (
            "Die Vorlage wurde von der Verwaltung zurückgezogen.",
            Result.WITHDRAWN,
            (None,) * 4,
        ),
        (
            "Der Gemeinderat lehnt den Antrag mehrheitlich ab.",
            Result.REJECTED,
            (None, None, None, "mehrheitlich"),
        ),
        (
            "Der Gemeinderat stimmt dem Beschlussantrag mit der geänderten Ziffer 3 "
            "einmütig zu.",
            Result.APPROVED_AMENDED,
            (None, None, None, "einmütig"),
        ),
        (
            "Der Bezirksbeirat Mitte stimmt der Vorlage einstimmig zu.",
            Result.APPROVED,
            (None, None, None, "einstimmig"),
        ),
    ],
)
def test_decision_wordings_give_their_result_and_votes(sentence, result, votes):
    draft = decided(sentence)

    assert draft.decision.sentence == " ".join(sentence.split())
    assert draft.result == result
    votes_read = draft.decision.votes
    assert (
        votes_read.yes,
        votes_read.no,
        votes_read.abstain,
        votes_read.note or None,
    ) == votes


@pytest.mark.parametrize(
    ("printed", "result"),
    [
        ("Einmütige Zustimmung", Result.APPROVED),
        ("Zustimmung mit 3 Gegenstimmen", Result.APPROVED),
        ("einstimmige Kenntnisnahme", Result.NOTED),
        ("Die Vorlage wurde ohne Aussprache zur Kenntnis genommen.", Result.NOTED),
        ("Die Vorlage wurde abgesetzt.", Result.POSTPONED),
        ("Absetzung von der Tagesordnung", Result.POSTPONED),
        ("Vertagt", Result.POSTPONED),
        ("Zustimmung zur Vertagung", Result.POSTPONED),
        ("Zustimmung zur Verweisung in den Gemeinderat", Result.REFERRED),
        ("Verweisung in den Ausschuss für Umwelt und Technik", Result.REFERRED),
        ("Die Vorlage wurde zurückgenommen.", Result.WITHDRAWN),
        ("mehrheitliche Ablehnung", Result.REJECTED),
        ("Ablehnung der Ziffer 3, im Übrigen Zustimmung", Result.APPROVED_AMENDED),
        ("Zustimmung zu Ziffer 1, Vertagung von Ziffer 2", Result.APPROVED_AMENDED),
        ("einmütige Empfehlung an den Gemeinderat", Result.APPROVED),
        ("Empfehlung, die Vorlage abzulehnen", Result.REJECTED),
        ("Kenntnisnahme und Zustimmung", Result.APPROVED),
        ("Einvernehmen", None),
    ],
)
def test_earlier_result_wordings_map_to_a_result_or_to_none(printed, result):
    assert map_result(printed) == result


def test_counts_cut_short_before_the_next_count_are_read():
    votes = read_votes(
        "mehrheitliche Zustimmung mit 8 Ja-, 5 Nein-Stimmen und 2 Enthaltungen"
    )

    assert counts(votes) == (8, 5, 2, "mehrheitlich")


def test_a_decision_broken_over_lines_is_one_sentence():
    draft = decided(
        "Der Gemeinderat beschließt\nmehrheitlich bei 12 Gegenstimmen und\n"
        "3 Enthaltungen wie beantragt."
    )

    assert draft.decision.sentence == (
        "Der Gemeinderat beschließt mehrheitlich bei 12 Gegenstimmen und "
        "3 Enthaltungen wie beantragt."
    )
    assert counts(draft.decision.votes) == (None, 12, 3, "mehrheitlich")


@pytest.mark.parametrize(
    "furniture",
    [
        "Seite 2 von 3",
        "Seite 2",
        "- 2 -",
        "– 2 –",
        "Protokoll: Gemeinderat der Landeshauptstadt Stuttgart Niederschrift Nr. 56",
        "Niederschrift Nr. 56\nTOP: 8",
        "Protokoll: Gemeinderat der Landeshauptstadt StuttgartNiederschrift Nr.\n"
        "TOP:\n56\n8",
    ],
)
def test_a_page_break_inside_the_decision_is_read_through(furniture):
    draft = decided(
        f"Der Gemeinderat beschließt bei 3 Enthaltungen\n\n{furniture}\n\n"
        "mehrheitlich wie beantragt."
    )

    assert draft.decision.sentence == (
        "Der Gemeinderat beschließt bei 3 Enthaltungen mehrheitlich wie beantragt."
    )
    assert draft.result == Result.APPROVED
    assert counts(draft.decision.votes) == (None, None, 3, "mehrheitlich")


def test_a_page_break_between_a_consultation_and_its_result_is_read_through():
    draft = read_protocol(
        protocol(
            earlier="Vorgang: Verwaltungsausschuss vom 21.03.2007, nicht "
            "öffentlich, Nr. 116\n\nSeite 2 von 4\n\nErgebnis: einmütige Zustimmung\n"
        )
    )

    (earlier,) = draft.earlier_consultations
    assert (earlier.result_text, earlier.result) == (
        "einmütige Zustimmung",
        Result.APPROVED,
    )
    assert not warned(draft, "kein Ergebnis")


def test_lines_keep_their_numbers_as_printed_around_a_page_break():
    text = protocol(
        decision="OB Dr. Schuster stellt fest:\n\nDer Gemeinderat beschließt\n\n"
        "Seite 2\n\neinstimmig wie beantragt."
    )
    lines = text.split("\n")

    draft = read_protocol(text)

    assert lines[draft.decision.line - 1] == "Der Gemeinderat beschließt"


def test_a_sentence_ending_before_a_page_break_stays_a_paragraph_of_its_own():
    lines = ["Der Gemeinderat beschließt.", "", "Seite 2", "", "Weiter im Text"]

    kept, numbers = without_furniture(lines)

    assert kept == ["Der Gemeinderat beschließt.", "", "Weiter im Text"]
    assert numbers == [1, 4, 5]


def test_a_sentence_that_mentions_a_page_is_kept():
    lines = ["Siehe Seite 2 der Anlage.", "Seite 3 bis 5 der Anlage 2"]

    assert without_furniture(lines)[0] == lines


@pytest.mark.parametrize(
    ("first", "committee"),
    [
        (
            "Protokoll: Ausschuss für Umwelt und Technik des Gemeinderats der "
            "Landeshauptstadt StuttgartNiederschrift Nr.",
            "Ausschuss für Umwelt und Technik",
        ),
        (
            "Protokoll: Bezirksbeirat Bad Cannstatt der Landeshauptstadt "
            "StuttgartNiederschrift Nr.",
            "Bezirksbeirat Bad Cannstatt",
        ),
        (
            "Protokoll: Ausschuss für Wirtschaft und Wohnen des Gemeinderates der "
            "Landeshauptstadt StuttgartNiederschrift Nr.",
            "Ausschuss für Wirtschaft und Wohnen",
        ),
        (
            "Protokoll: Jugendhilfeausschuss der Landeshauptstadt "
            "StuttgartNiederschrift Nr.",
            "Jugendhilfeausschuss",
        ),
    ],
)
def test_other_committees_are_named_without_the_city(first, committee):
    draft = read_protocol(protocol(first=first))

    assert draft.committee == committee
    assert draft.ok


@pytest.mark.parametrize("session", ["nichtöffentlich", "nicht öffentlich"])
def test_a_closed_session_is_read_as_not_public(session):
    assert read_protocol(protocol(session=session)).public is False


@pytest.mark.parametrize(
    "papers",
    ["123/2007\n124/2007", "123/2007, 124/2007", "123/2007 und 124/2007"],
)
def test_several_papers_under_one_top(papers):
    draft = read_protocol(protocol(papers=papers, basis=""))

    assert [str(p) for p in draft.papers] == ["123/2007", "124/2007"]
    assert draft.as_json()["papers"] == ["123/2007", "124/2007"]


def test_the_chair_announcing_on_the_same_line():
    draft = decided(
        "",
        chair="OB Dr. Schuster stellt fest: Der Gemeinderat beschließt "
        "einstimmig wie beantragt.",
    )

    assert draft.decision.sentence == (
        "Der Gemeinderat beschließt einstimmig wie beantragt."
    )
    assert draft.decision.announced
    assert draft.result == Result.APPROVED


def test_the_chair_stating_the_result_is_the_decision():
    draft = decided(
        "", chair="OB Kuhn stellt die einmütige Zustimmung des Gemeinderats fest."
    )

    assert draft.decision.sentence == (
        "OB Kuhn stellt die einmütige Zustimmung des Gemeinderats fest."
    )
    assert draft.result == Result.APPROVED
    assert draft.decision.votes.note == "einmütig"


def test_a_speaker_stating_a_fact_is_no_decision():
    draft = read_protocol(
        protocol(
            discussion="StR Pätzold (90/GRÜNE) stellt fest, dass die Vorlage "
            "abgelehnt werden müsse.",
            decision="",
        )
    )

    assert draft.decision is None
    assert draft.result is None


def test_a_decision_in_its_own_wording_is_approved_with_a_warning():
    draft = decided(
        "Der Gemeinderat beschließt mehrheitlich bei 10 Gegenstimmen:\n\n"
        "1. Die Satzung wird beschlossen.\n\n2. Die Gliederung wird ab 2008\n"
        "verwendet.\n\nStR Dr. Schlierer verlässt die Sitzung.",
        chair="BM Murawski stellt fest:\n\n",
    )

    assert draft.decision.sentence == (
        "Der Gemeinderat beschließt mehrheitlich bei 10 Gegenstimmen: "
        "1. Die Satzung wird beschlossen. 2. Die Gliederung wird ab 2008 verwendet."
    )
    assert draft.result == Result.APPROVED
    assert counts(draft.decision.votes) == (None, 10, None, "mehrheitlich")
    assert warned(draft, "eigenen Wortlaut")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Der Gemeinderat stimmt Ziffer 1 einstimmig, Ziffer 2 bei 3 Gegenstimmen "
            "mehrheitlich zu.",
            {1: (None, None, None, "einstimmig"), 2: (None, 3, None, "mehrheitlich")},
        ),
        (
            "Der Gemeinderat beschließt einstimmig zu Ziffer 1 und mit 3 "
            "Gegenstimmen zu Ziffer 2.",
            {1: (None, None, None, "einstimmig"), 2: (None, 3, None, "")},
        ),
        (
            "Der Gemeinderat stimmt den Ziffern 1 bis 3 einstimmig, der Ziffer 4 bei "
            "5 Gegenstimmen und 2 Enthaltungen mehrheitlich zu.",
            {
                1: (None, None, None, "einstimmig"),
                2: (None, None, None, "einstimmig"),
                3: (None, None, None, "einstimmig"),
                4: (None, 5, 2, "mehrheitlich"),
            },
        ),
        # One vote on the whole that names a changed item: no vote per item.
        (
            "Der Gemeinderat beschließt mit der geänderten Ziffer 1 bei 2 "
            "Nein-Stimmen mehrheitlich wie beantragt.",
            {},
        ),
        (
            "Der Gemeinderat beschließt mehrheitlich wie beantragt, Ziffer 5 in der "
            "ergänzten und Ziffer 12 in der veränderten Fassung.",
            {},
        ),
    ],
)
def test_votes_item_by_item(sentence, expected):
    found = read_item_votes(sentence)

    assert {number: counts(votes) for number, votes in found.items()} == expected
    draft = decided(sentence)
    assert draft.decision.item_votes == found
    if found:
        assert warned(draft, "je Ziffer")


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("22.03.2007", "2007-03-22"),
        ("22.3.2007", "2007-03-22"),
        ("22.03.07", "2007-03-22"),
        ("3/22/2007", "2007-03-22"),
        ("Donnerstag, 22.03.2007", "2007-03-22"),
        ("22. März 2007", "2007-03-22"),
    ],
)
def test_meeting_dates_as_printed_in_other_years(printed, iso):
    draft = read_protocol(protocol(date=printed))

    assert draft.as_json()["meeting_date"] == iso
    assert draft.ok


def test_an_earlier_result_on_the_consultations_own_line():
    draft = read_protocol(
        protocol(
            earlier="Vorgang: Verwaltungsausschuss vom 21.03.2007, nicht öffentlich, "
            "Nr. 116, Ergebnis: einmütige Zustimmung\n"
        )
    )

    (earlier,) = draft.as_json()["previous_consultations"]
    assert earlier == {
        "committee": "Verwaltungsausschuss",
        "date": "2007-03-21",
        "public": False,
        "number": "116",
        "result": "einmütige Zustimmung",
    }


def test_earlier_consultations_without_empty_lines_between_them():
    draft = read_protocol(
        protocol(
            earlier="Vorgang: Verwaltungsausschuss vom 21.03.2007, öffentlich, "
            "Nr. 116\nErgebnis: einmütige Zustimmung\n"
            "Ausschuss für Umwelt und Technik vom 20.03.2007, öffentlich, Nr. 98\n"
            "Ergebnis: mehrheitliche Zustimmung bei 3 Gegenstimmen\n"
            "Bezirksbeirat Bad Cannstatt vom 13.03.2007, öffentlich, Nr. 20\n"
            "Ergebnis: Kenntnisnahme\n"
        )
    )

    steps = draft.earlier_consultations
    assert [(s.committee, s.number, s.result) for s in steps] == [
        ("Verwaltungsausschuss", "116", Result.APPROVED),
        ("Ausschuss für Umwelt und Technik", "98", Result.APPROVED),
        ("Bezirksbeirat Bad Cannstatt", "20", Result.NOTED),
    ]
    assert steps[1].votes.no == 3
    assert not draft.warnings


@pytest.mark.parametrize(
    "entry",
    [
        "Verwaltungsausschuss vom 21.03.2007 , nicht öffentlich, Nr. 116",
        "Verwaltungsausschuss vom 21.03.2007 (nicht öffentlich), Nr. 116",
        "Verwaltungsausschuss vom 21.03.2007, nicht öffentlich, Nr.116",
        "Verwaltungsausschuss vom 21.03.2007, nichtöffentlich, Niederschrift Nr. 116",
        "Verwaltungsausschuss am 21.03.2007, nicht öffentlich, Nr. 116",
        "Verwaltungsausschuss, 21.03.2007, nicht öffentlich, Nr. 116",
        "Verwaltungsausschuss vom 21.03.07, nicht öffentlich, Nr. 116",
    ],
)
def test_earlier_consultations_printed_in_other_ways(entry):
    draft = read_protocol(
        protocol(earlier=f"Vorgang: {entry}\n\nErgebnis: einmütige Zustimmung\n")
    )

    assert draft.as_json()["previous_consultations"] == [
        {
            "committee": "Verwaltungsausschuss",
            "date": "2007-03-21",
            "public": False,
            "number": "116",
            "result": "einmütige Zustimmung",
        }
    ]


@pytest.mark.parametrize(
    ("wording", "result"),
    [
        ("Die Satzung wird in der Fassung der Anlage beschlossen.", Result.APPROVED),
        ("Die Vorlage wird zur Kenntnis genommen.", Result.NOTED),
    ],
)
def test_a_decision_in_its_own_words_after_a_colon(wording, result):
    draft = decided(f"Der Gemeinderat beschließt einstimmig:\n\n{wording}")

    assert (
        draft.decision.sentence == f"Der Gemeinderat beschließt einstimmig: {wording}"
    )
    assert draft.result == result
    assert warned(draft, "eigenen Wortlaut")


@pytest.mark.django_db
def test_the_command_names_votes_item_by_item(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "je_ziffer.txt"
    path.write_text(
        protocol(
            decision="OB Dr. Schuster stellt fest:\n\nDer Gemeinderat stimmt Ziffer 1 "
            "einstimmig, Ziffer 2 bei 3 Gegenstimmen mehrheitlich zu."
        ),
        encoding="utf-8",
    )
    out = StringIO()

    call_command("import_niederschriften", str(path), "--dry-run", stdout=out)

    assert (
        "GRDrs 83/2007: zugestimmt (Ziff. 1: einstimmig, Ziff. 2: 3 Nein, mehrheitlich)"
    ) in out.getvalue()


@pytest.mark.parametrize(
    ("decision", "sentence", "result"),
    [
        (
            "Der Ausschuss für Umwelt und Technik hat von der Vorlage Kenntnis "
            "genommen.",
            "Der Ausschuss für Umwelt und Technik hat von der Vorlage Kenntnis "
            "genommen.",
            Result.NOTED,
        ),
        (
            "Der Gemeinderat fasst einstimmig folgenden Beschluss:\n\n"
            "Die Satzung wird beschlossen.",
            "Der Gemeinderat fasst einstimmig folgenden Beschluss: Die Satzung wird "
            "beschlossen.",
            Result.APPROVED,
        ),
    ],
)
def test_decisions_without_the_chairs_announcement(decision, sentence, result):
    draft = read_protocol(protocol(decision=decision))

    assert (draft.decision.sentence, draft.result) == (sentence, result)
    assert warned(draft, "Kein „… stellt fest:“")


def test_a_body_that_has_done_something_else_decided_nothing():
    draft = read_protocol(protocol(decision="Der Gemeinderat hat lange diskutiert."))

    assert draft.decision is None
