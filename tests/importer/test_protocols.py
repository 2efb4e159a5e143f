"""Protocols (Niederschriften): the reader, the command and the recording service.

One test per corpus protocol checks every field; the variants are the layouts the
corpus README describes, written for the format rather than for the five files.
"""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from council.control import control_items
from council.models import (
    FULL_RECORD,
    Committee,
    Consultation,
    Meeting,
    Paper,
    ResolutionItem,
)
from importer.protocols import ProtocolImportError, protocol_import
from importer.reading import Kind, ReadError, kind_of, read_protocol
from importer.reading.outcomes import map_result, read_changed_items, read_votes
from positions.models import PositionDecision
from tests.factories import CommitteeFactory, ConsultationFactory, PaperFactory

from .protocol_texts import (
    CORPUS_PROTOCOLS,
    DATA,
    TEXT_0083,
    TEXT_0532,
    TEXT_0541,
    TEXT_0969,
    TEXT_0986,
    protocol,
)

Result = Consultation.Result
Outcome = ResolutionItem.Outcome
D = datetime.date


def messages(problems):
    return [p.message for p in problems]


def warned(draft, fragment):
    return any(fragment in message for message in messages(draft.warnings))


# -- the corpus, every field ---------------------------------------------------


def test_protocol_83_2007_is_read_with_its_decision_and_vote_count():
    draft = read_protocol(TEXT_0083)

    assert draft.as_json() == {
        "committee": "Gemeinderat",
        "meeting_date": "2007-03-22",
        "public": True,
        "minutes_number": "56",
        "top": "8",
        "papers": ["83/2007"],
        "file_reference": "RSO 0300",
        "subject": "Satzung zur Änderung der Hauptsatzung aufgrund der Änderung der "
        "Stadtteilgliederung",
        "previous_consultations": [
            {
                "committee": "Verwaltungsausschuss",
                "date": "2007-03-21",
                "public": False,
                "number": "116",
                "result": "einmütige Zustimmung",
            }
        ],
        "result": "Der Gemeinderat beschließt bei 2 Nein-Stimmen mehrheitlich wie "
        "beantragt.",
    }
    assert draft.result == Result.APPROVED
    assert draft.decision.announced
    votes = draft.decision.votes
    assert (votes.yes, votes.no, votes.abstain, votes.note) == (
        None,
        2,
        None,
        "mehrheitlich",
    )
    (earlier,) = draft.earlier_consultations
    assert (earlier.result, earlier.votes.note) == (Result.APPROVED, "einmütig")
    assert draft.header.kind == "Verhandlung"
    assert draft.header.chair == "OB Dr. Schuster"
    assert draft.header.reporter is None
    assert draft.basis.papers[0].key == (83, 2007, "")
    assert draft.basis.date == D(2007, 3, 5)
    # The corrected item 1 is for the clerk to check, with its new wording.
    (mention,) = draft.deliberation.mentioned_changes
    assert (mention.change.number, mention.change.change) == (1, "berichtigt")
    assert mention.wording.startswith("Die Satzung zur Änderung der Hauptsatzung")
    assert "16.03.2006" in mention.wording
    assert messages(draft.warnings) == [
        "Ziffer 1 laut Beratung berichtigt („Ziffer 1 müsse daher wir folgt "
        "lauten“); bitte das Ergebnis dieser Ziffer prüfen."
    ]
    assert draft.errors == []


def test_protocol_532_2017_gives_three_earlier_results_and_no_decision():
    draft = read_protocol(TEXT_0532)
    data = draft.as_json()

    assert data["committee"] == "Gemeinderat"
    assert data["meeting_date"] == "2017-09-28"
    assert (data["minutes_number"], data["top"]) == ("184/E", "5")
    assert data["papers"] == ["532/2017"]
    assert data["file_reference"] == "SI"
    assert data["public"] is True
    assert data["subject"] == (
        "Pakt für Integration - Umsetzung bei der Landeshauptstadt Stuttgart und "
        "ergänzende Maßnahmen in den Jahren 2018/2019"
    )
    assert data["previous_consultations"] == [
        {
            "committee": "Jugendhilfeausschuss",
            "date": "2017-09-18",
            "public": True,
            "number": "86",
            "result": "einmütige Zustimmung",
        },
        {
            "committee": "Sozial- und Gesundheitsausschuss",
            "date": "2017-09-25",
            "public": True,
            "number": "131",
            "result": "einmütige Zustimmung zu einer ergänzten Beschlussantragsziffer "
            "5, mehrheitliche Zustimmung zu einer veränderten Beschlussantragsziffer "
            "12, Verweisung der Themen kw-Vermerke bei den Beschlussantragsziffern 8 "
            "und 13 in den Verwaltungsausschuss",
        },
        {
            "committee": "Verwaltungsausschuss",
            "date": "2017-09-27",
            "public": True,
            "number": "363",
            "result": "mehrheitliche Zustimmung zum modifizierten Beschlussantrag "
            "(siehe Beschluss dieses Protokolls)",
        },
    ]
    # The excerpt stops in the Beschlussantrag: no decision, and it says so.
    assert data["result"] is None
    assert draft.result is None
    assert warned(draft, "Der Text endet vor dem Beschluss")
    assert draft.header.kind == "Ergebnis der Beratung"
    results = [step.result for step in draft.earlier_consultations]
    assert results == [
        Result.APPROVED,
        Result.APPROVED_AMENDED,
        Result.APPROVED_AMENDED,
    ]
    social = draft.earlier_consultations[1]
    assert [(c.number, c.change) for c in social.changed_items] == [
        (5, "ergänzt"),
        (12, "verändert"),
        (8, "verwiesen"),
        (13, "verwiesen"),
    ]
    assert social.votes.note == "einmütig, mehrheitlich"
    assert draft.errors == []


def test_protocol_541_2005_has_protocol_on_its_own_line_and_an_amended_result():
    draft = read_protocol(TEXT_0541)
    data = draft.as_json()

    assert data["committee"] == "Gemeinderat"
    assert (data["meeting_date"], data["public"]) == ("2005-07-07", True)
    assert (data["minutes_number"], data["top"]) == ("144", "1")
    assert data["papers"] == ["541/2005"]
    assert data["file_reference"] == "OB 0330-06"
    assert data["subject"] == (
        "Neubesetzung beschließender und beratender Ausschüsse des Gemeinderats und "
        "Veränderungen in sonstigen Gremien aus Anlass des Nachrückens von Herrn "
        "Fred-Jürgen Stradinger (CDU) in den Gemeinderat der Landeshauptstadt "
        "Stuttgart"
    )
    assert data["previous_consultations"] == [
        {
            "committee": "Verwaltungsausschuss",
            "date": "2005-07-06",
            "public": False,
            "number": "270",
            "result": "einmütige Zustimmung mit Änderung im Sportausschuss",
        }
    ]
    assert data["result"] is None
    assert draft.earlier_consultations[0].result == Result.APPROVED_AMENDED
    assert draft.header.reporter == "BM Murawski"
    # Items a) to d) and the discussion are no decision.
    assert draft.decision is None
    assert draft.errors == []


def test_protocol_969_2010_is_deferred_and_cites_its_paper_with_another_year():
    draft = read_protocol(TEXT_0969)
    data = draft.as_json()

    assert data == {
        "committee": "Verwaltungsausschuss",
        "meeting_date": "2011-02-23",
        "public": True,
        "minutes_number": "38",
        "top": "9",
        "papers": ["969/2010"],
        "file_reference": "AK 0330-06",
        "subject": "Änderungen der Ausschüsse und sonstigen Gremien des Gemeinderats",
        "previous_consultations": [],
        "result": None,
    }
    assert draft.header.subject_marker == "Zurückstellung"
    assert draft.result == Result.POSTPONED
    assert warned(draft, "folgt aus „- Zurückstellung -“ im Betreff")
    # The text cites "GRDrs 969/2011"; the header's number counts, with a warning.
    assert warned(draft, "nennt GRDrs 969/2011, der Kopf 969/2010")
    # A meeting in the year after the paper's number is no contradiction.
    assert not warned(draft, "liegt vor dem Jahr")
    assert draft.errors == []


def test_protocol_986_2002_reads_the_month_first_date_and_a_bare_consultation():
    draft = read_protocol(TEXT_0986)
    data = draft.as_json()

    assert data["meeting_date"] == "2002-11-28"
    assert (data["minutes_number"], data["top"]) == ("264", "3")
    assert data["papers"] == ["986/2002"]
    assert data["file_reference"] == "OB 0330-06"
    assert data["committee"] == "Gemeinderat"
    assert data["subject"].endswith(
        "von Frau Ingrid Saal-Rannacher (FDP/DVP) in den "
        "Gemeinderat der Landeshauptstadt Stuttgart"
    )
    assert data["previous_consultations"] == [
        {
            "committee": "Verwaltungsausschuss",
            "date": "2002-11-27",
            "public": None,
            "number": None,
            "result": None,
        }
    ]
    assert data["result"] is None
    # 28 cannot be a month: nothing ambiguous, so no warning about the date.
    assert not warned(draft, "mehrdeutig")
    for fragment in (
        "nicht gedruckt, ob öffentlich",
        "keine Nummer der Niederschrift",
        "kein Ergebnis gedruckt",
    ):
        assert warned(draft, fragment)
    assert draft.errors == []


@pytest.mark.parametrize("path", CORPUS_PROTOCOLS, ids=lambda p: p.stem)
def test_every_corpus_protocol_is_recognised_as_a_protocol(path):
    assert kind_of(path.read_text(encoding="utf-8")) == Kind.PROTOCOL


def test_a_paper_is_recognised_as_a_paper_and_refused_as_a_protocol():
    text = (DATA / "grdrs_1105_2011_ergaenzung.txt").read_text(encoding="utf-8")

    assert kind_of(text) == Kind.PAPER
    with pytest.raises(ReadError, match="eine Vorlage"):
        read_protocol(text)


@pytest.mark.parametrize("text", ["", "   \n", "Irgendein Text\nohne Kopf"])
def test_text_that_is_no_protocol_raises_a_german_read_error(text):
    assert kind_of(text) is None
    with pytest.raises(ReadError):
        read_protocol(text)


# -- header layouts --------------------------------------------------------------


def test_numbers_printed_beside_their_labels_are_read():
    text = protocol(
        first="Protokoll: Gemeinderat der Landeshauptstadt Stuttgart "
        "Niederschrift Nr. 56",
        numbers="TOP: 8 a",
    )

    draft = read_protocol(text)

    assert (draft.header.minutes_number, draft.header.top) == ("56", "8 a")
    assert draft.warnings == []


def test_committee_and_niederschrift_on_separate_lines_and_an_old_spelling():
    text = protocol(
        first="Protokoll:\n\nVerwaltungsausschuß des Gemeinderats der "
        "Landeshauptstadt Stuttgart\nNiederschrift Nr.",
    )

    draft = read_protocol(text)

    assert draft.committee == "Verwaltungsausschuß"


def test_a_single_number_after_top_is_the_top_with_a_warning():
    draft = read_protocol(protocol(numbers="TOP:\n8"))

    assert (draft.header.minutes_number, draft.header.top) == (None, "8")
    assert warned(draft, "nur eine Nummer")


@pytest.mark.parametrize(
    ("printed", "public"),
    [
        ("öffentlich", True),
        ("nichtöffentlich", False),
        ("nicht öffentlich", False),
        ("nicht-öffentlich", False),
        ("Nichtöffentlich", False),
    ],
)
def test_every_spelling_of_the_session_kind_is_read(printed, public):
    assert read_protocol(protocol(session=printed)).public is public


def test_an_unreadable_session_kind_is_none_with_a_warning():
    draft = read_protocol(protocol(session="gemischt"))

    assert draft.public is None
    assert warned(draft, "Sitzungsart „gemischt“ nicht erkannt")


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("648/2020 Neufassung", ["648/2020 Neufassung"]),
        ("648/2020\nNeufassung", ["648/2020 Neufassung"]),
        ("412/2020\n1. Ergänzung", ["412/2020 1. Ergänzung"]),
        ("777/2018 Ergänzung B", ["777/2018 Ergänzung B"]),
        ("648/2020, 649/2020", ["648/2020", "649/2020"]),
        ("648/2020\n648/2020 Ergänzung", ["648/2020", "648/2020 Ergänzung"]),
        ("GRDrs 83/2007", ["83/2007"]),
    ],
)
def test_papers_under_drucksache_with_suffixes_and_lists(printed, expected):
    draft = read_protocol(protocol(papers=printed))

    assert draft.as_json()["papers"] == expected


def test_an_item_without_a_paper_is_read_with_a_warning_and_nothing_to_record():
    draft = read_protocol(protocol(papers="", basis=""))

    assert draft.papers == []
    assert draft.errors == []
    assert warned(draft, "keine Drucksache")


def test_dashes_for_top_paper_and_gz_mean_none():
    draft = read_protocol(
        protocol(numbers="TOP:\n73\n-", papers="-", gz="GZ:\n-", basis="")
    )

    assert (draft.header.minutes_number, draft.header.top) == ("73", None)
    assert draft.papers == []
    assert draft.header.file_reference == ""
    assert not warned(draft, "keine Drucksachennummer")


def test_a_paper_and_its_supplement_on_one_line():
    draft = read_protocol(protocol(papers="942/2005 und Ergänzung"))

    assert draft.as_json()["papers"] == ["942/2005", "942/2005 Ergänzung"]


@pytest.mark.parametrize(
    ("gz", "expected"),
    [("GZ:\nRSO 0300", "RSO 0300"), ("GZ: RSO 0300", "RSO 0300"), ("GZ:", "")],
)
def test_gz_beside_below_or_empty(gz, expected):
    assert read_protocol(protocol(gz=gz)).header.file_reference == expected


def test_a_missing_gz_is_none_with_a_warning():
    draft = read_protocol(protocol(gz=""))

    assert draft.header.file_reference is None
    assert warned(draft, "Kein „GZ:“")


def test_deferral_marker_under_the_subject_is_not_part_of_the_subject():
    draft = read_protocol(
        protocol(subject="Gremien des Gemeinderats\n- Vertagung -", decision="")
    )

    assert draft.header.subject == "Gremien des Gemeinderats"
    assert draft.result == Result.POSTPONED


def test_a_dash_in_the_subject_that_is_no_result_stays_in_the_subject():
    draft = read_protocol(protocol(subject="Neubau - Bauabschnitt 2 -"))

    assert draft.header.subject == "Neubau - Bauabschnitt 2 -"
    assert draft.header.subject_marker is None


# -- meeting dates ---------------------------------------------------------------


def test_a_month_first_date_both_ways_valid_is_read_month_first_with_a_warning():
    draft = read_protocol(protocol(date="03/04/2007", earlier="", basis=""))

    assert draft.meeting_date == D(2007, 3, 4)
    assert warned(draft, "„03/04/2007“ ist mehrdeutig; gelesen als 04.03.2007")


def test_an_earlier_consultation_decides_an_ambiguous_date_without_a_warning():
    # 4 March would be before the committee's meeting of 21 March.
    draft = read_protocol(protocol(date="04/03/2007"))

    assert draft.meeting_date == D(2007, 4, 3)
    assert not warned(draft, "mehrdeutig")


def test_a_date_that_contradicts_the_earlier_consultation_is_read_swapped():
    # Day first, 03.04. would be 3 April; printed month first it is 4 March,
    # before the Verwaltungsausschuss of 21 March: read as 3 April, with a warning.
    draft = read_protocol(protocol(date="03/04/2007"))

    assert draft.meeting_date == D(2007, 4, 3)
    assert warned(draft, "gelesen mit Tag und Monat vertauscht als 03.04.2007")


def test_a_date_impossible_in_its_printed_order_is_read_swapped_with_a_warning():
    draft = read_protocol(protocol(date="28/11/2002", earlier="", basis=""))

    assert draft.meeting_date == D(2002, 11, 28)
    assert warned(draft, "in der üblichen Reihenfolge kein gültiges Datum")


def test_a_dotted_date_is_day_first_without_a_warning():
    draft = read_protocol(protocol(date="05.03.2007", earlier="", basis=""))

    assert draft.meeting_date == D(2007, 3, 5)
    assert draft.warnings == []


@pytest.mark.parametrize(
    "date", ["", "31.02.2007", "13/45/2019", "morgen", "1/1/0001", "01.01.1899"]
)
def test_no_valid_meeting_date_is_an_error(date):
    draft = read_protocol(protocol(date=date))

    assert draft.meeting_date is None
    assert any("Sitzungstermin" in m for m in messages(draft.errors))


# -- earlier consultations -------------------------------------------------------


def test_several_earlier_consultations_with_wrapped_names_and_results():
    earlier = (
        "Vorgang: Ausschuss für Umwelt und\nTechnik vom 13.03.2007, öffentlich, "
        "Nr. 88\n\nErgebnis: Zustimmung mit Maßgaben zu\nden Ziffern 2 und 3\n\n"
        "Bezirksbeirat Mitte vom 14.03.2007, nichtöffentlich, Nr. 12\n\n"
        "Ergebnis: Vertagung\n\n"
        "Verwaltungsausschuß vom 21.03.2007, nicht öffentlich, Nr. 116\n\n"
        "Ergebnis: ohne Votum\n"
    )

    draft = read_protocol(protocol(earlier=earlier))

    steps = draft.as_json()["previous_consultations"]
    assert steps == [
        {
            "committee": "Ausschuss für Umwelt und Technik",
            "date": "2007-03-13",
            "public": True,
            "number": "88",
            "result": "Zustimmung mit Maßgaben zu den Ziffern 2 und 3",
        },
        {
            "committee": "Bezirksbeirat Mitte",
            "date": "2007-03-14",
            "public": False,
            "number": "12",
            "result": "Vertagung",
        },
        {
            "committee": "Verwaltungsausschuß",
            "date": "2007-03-21",
            "public": False,
            "number": "116",
            "result": "ohne Votum",
        },
    ]
    results = [step.result for step in draft.earlier_consultations]
    assert results == [Result.APPROVED_AMENDED, Result.POSTPONED, None]
    assert warned(draft, "„ohne Votum“ entspricht keinem bekannten Ergebnis")


def test_vorgang_with_its_consultation_on_the_next_line_and_a_long_date():
    earlier = "Vorgang:\nVerwaltungsausschuss vom 21. März 2007, öffentlich, Nr. 5\n"

    draft = read_protocol(protocol(earlier=earlier + "\nErgebnis: Kenntnisnahme"))

    (step,) = draft.earlier_consultations
    assert (step.committee, step.date, step.result) == (
        "Verwaltungsausschuss",
        D(2007, 3, 21),
        Result.NOTED,
    )


# Every label and value on a line of its own, no empty lines (older exports).
ONE_PER_LINE = """Protokoll:
Gemeinderat
der Landeshauptstadt Stuttgart
Niederschrift Nr.
TOP:
91
12
Verhandlung
Drucksache:
301/2003
GZ:
WK, T
Sitzungstermin:
04/10/2003
Sitzungsart:
nichtöffentlich
Vorsitz:
OB Dr. Schuster
Berichterstattung:
BM Hahn
Protokollführung:
Frau Haasis
Betreff:
Marktplatz
- Verkauf einer Teilfläche
- Umgestaltung der
Kirchstraße
Vorgang: Ausschuss für Wirtschaft und Wohnen vom 28.03.2003,
nichtöffentlich, Nr. 43
Ergebnis: Einmütige Zustimmung zu dem in Ziff. 1 wie folgt
ergänzten Beschlussantrag
Ausschuss für Umwelt und Technik vom 08.04.2003,
nichtöffentlich, Nr. 243
Ergebnis: Verweisung ohne Votum
Beratungsunterlagen sind die Vorlage des Technischen Referats vom 19.03.2003,
GRDrs 301/2003, und ihre Ergänzung.
OB
Dr. Schuster
stellt fest:
Der Gemeinderat
beschließt
bei 2 Stimmenhaltungen
wie beantragt.
Der Gemeinderat nimmt abschließend Kenntnis von einem Bericht."""


def test_the_layout_with_one_label_or_value_per_line():
    draft = read_protocol(ONE_PER_LINE)

    assert draft.as_json() == {
        "committee": "Gemeinderat",
        # Month first; 4 October would be half a year after the committees.
        "meeting_date": "2003-04-10",
        "public": False,
        "minutes_number": "91",
        "top": "12",
        "papers": ["301/2003"],
        "file_reference": "WK, T",
        "subject": "Marktplatz - Verkauf einer Teilfläche - Umgestaltung der "
        "Kirchstraße",
        "previous_consultations": [
            {
                "committee": "Ausschuss für Wirtschaft und Wohnen",
                "date": "2003-03-28",
                "public": False,
                "number": "43",
                "result": "Einmütige Zustimmung zu dem in Ziff. 1 wie folgt "
                "ergänzten Beschlussantrag",
            },
            {
                "committee": "Ausschuss für Umwelt und Technik",
                "date": "2003-04-08",
                "public": False,
                "number": "243",
                "result": "Verweisung ohne Votum",
            },
        ],
        "result": "Der Gemeinderat beschließt bei 2 Stimmenhaltungen wie beantragt.",
    }
    assert draft.header.kind == "Verhandlung"
    assert [s.result for s in draft.earlier_consultations] == [
        Result.APPROVED_AMENDED,
        Result.REFERRED,
    ]
    assert draft.result == Result.APPROVED
    assert draft.decision.votes.abstain == 2
    assert draft.basis.date == D(2003, 3, 19)
    assert draft.warnings == []


def test_halt_fest_announces_the_decision_too():
    decision = (
        "Er stellt die Ziffn. 2 bis 5 zur Abstimmung und hält fest:\n\n"
        "Der Gemeinderat beschließt einstimmig wie in den Ziffn. 2 bis 5 beantragt."
    )

    draft = read_protocol(protocol(decision=decision))

    assert draft.decision.announced
    assert draft.result == Result.APPROVED
    assert draft.decision.votes.note == "einstimmig"


def test_a_sentence_going_on_after_a_date_is_no_earlier_consultation():
    earlier = (
        "Vorgang: Verwaltungsausschuss vom 21.03.2007, öffentlich, Nr. 116\n\n"
        "Ergebnis: Zustimmung in der Fassung\n"
        "Verwaltungsausschuss vom 21.03.2007 empfohlen\n"
    )

    draft = read_protocol(protocol(earlier=earlier))

    (step,) = draft.earlier_consultations
    assert step.result_text == (
        "Zustimmung in der Fassung Verwaltungsausschuss vom 21.03.2007 empfohlen"
    )


def test_no_vorgang_means_no_earlier_consultations_and_no_warning():
    draft = read_protocol(protocol(earlier=""))

    assert draft.earlier_consultations == []
    assert draft.warnings == []


# -- decisions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "result", "votes"),
    [
        (
            "Der Gemeinderat beschließt bei 2 Nein-Stimmen mehrheitlich wie beantragt.",
            Result.APPROVED,
            (None, 2, None, "mehrheitlich"),
        ),
        (
            "Der Gemeinderat beschließt mit 30:20:5 Stimmen wie beantragt.",
            Result.APPROVED,
            (30, 20, 5, ""),
        ),
        (
            "Der Gemeinderat beschließt bei 3 Gegenstimmen und einer Enthaltung "
            "mehrheitlich wie beantragt.",
            Result.APPROVED,
            (None, 3, 1, "mehrheitlich"),
        ),
        (
            "Der Gemeinderat beschließt mit 35 Ja-Stimmen, 20 Nein-Stimmen und "
            "4 Enthaltungen wie beantragt.",
            Result.APPROVED,
            (35, 20, 4, ""),
        ),
        (
            "Der Verwaltungsausschuss stimmt der Vorlage einmütig zu.",
            Result.APPROVED,
            (None, None, None, "einmütig"),
        ),
        (
            "Der Gemeinderat beschließt einstimmig wie beantragt mit der Änderung, "
            "dass Ziffer 3 entfällt.",
            Result.APPROVED_AMENDED,
            (None, None, None, "einstimmig"),
        ),
        (
            "Der Gemeinderat lehnt den Antrag mit 25 gegen 30 Stimmen ab.",
            Result.REJECTED,
            (25, 30, None, ""),
        ),
        ("Vertagung", Result.POSTPONED, (None, None, None, "")),
        (
            "Der Ausschuss für Umwelt und Technik nimmt von der Vorlage Kenntnis.",
            Result.NOTED,
            (None, None, None, ""),
        ),
        (
            "Die Vorlage wird in den Verwaltungsausschuss verwiesen.",
            Result.REFERRED,
            (None, None, None, ""),
        ),
        ("Die Vorlage wird zurückgezogen.", Result.WITHDRAWN, (None, None, None, "")),
        (
            "Der Gemeinderat beschließt ohne Gegenstimmen wie beantragt.",
            Result.APPROVED,
            (None, 0, None, ""),
        ),
    ],
)
def test_decision_sentences_map_to_a_result_and_their_vote_counts(
    sentence, result, votes
):
    draft = read_protocol(protocol(decision=f"OB Kuhn stellt fest:\n\n{sentence}"))

    assert draft.as_json()["result"] == sentence
    assert draft.result == result
    found = draft.decision.votes
    assert (found.yes, found.no, found.abstain, found.note) == votes


def test_a_decision_without_stellt_fest_is_taken_with_a_warning():
    draft = read_protocol(
        protocol(decision="Der Gemeinderat beschließt einstimmig wie beantragt.")
    )

    assert draft.result == Result.APPROVED
    assert warned(draft, "Kein „… stellt fest:“ vor dem Beschluss")


def test_prose_of_the_administration_is_no_decision():
    draft = read_protocol(
        protocol(decision="Die Verwaltung nimmt die Anregung auf und berichtet.")
    )

    assert draft.decision is None
    assert draft.result is None


def test_items_the_decision_changes_are_named_with_their_change():
    sentence = (
        "Der Gemeinderat beschließt einstimmig wie beantragt mit einer ergänzten "
        "Ziffer 5 und einer veränderten Beschlussantragsziffer 12; Ziffer 7 wird "
        "gestrichen."
    )

    draft = read_protocol(protocol(decision=f"OB Kuhn stellt fest:\n\n{sentence}"))

    assert draft.result == Result.APPROVED_AMENDED
    changes = [(c.number, c.change, c.outcome) for c in draft.decision.changed_items]
    assert changes == [
        (5, "ergänzt", Outcome.AMENDED),
        (12, "verändert", Outcome.AMENDED),
        (7, "gestrichen", Outcome.REJECTED),
    ]


def test_per_item_vote_counts_are_not_taken_as_the_whole_vote():
    sentence = (
        "Der Gemeinderat beschließt Ziffer 1 bei 2 Gegenstimmen und Ziffer 2 bei "
        "5 Gegenstimmen wie beantragt."
    )

    draft = read_protocol(protocol(decision=f"OB Kuhn stellt fest:\n\n{sentence}"))

    assert draft.decision.votes.no is None
    assert warned(draft, "verschiedene Stimmenzahlen")


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("einmütige Zustimmung", Result.APPROVED),
        ("einstimmige Zustimmung", Result.APPROVED),
        (
            "mehrheitliche Zustimmung zum modifizierten Beschlussantrag",
            Result.APPROVED_AMENDED,
        ),
        ("Zustimmung in der geänderten Fassung", Result.APPROVED_AMENDED),
        ("mehrheitliche Ablehnung", Result.REJECTED),
        ("keine Zustimmung", Result.REJECTED),
        ("Vertagung", Result.POSTPONED),
        ("zurückgestellt", Result.POSTPONED),
        ("Verweisung in den Gemeinderat", Result.REFERRED),
        ("Die Vorlage wurde zurückgezogen", Result.WITHDRAWN),
        ("zur Kenntnis genommen", Result.NOTED),
        ("Kenntnisnahme", Result.NOTED),
        ("ohne Votum", None),
        ("", None),
    ],
)
def test_result_texts_map_to_consultation_results(text, result):
    assert map_result(text) == result


def test_vote_counts_in_words():
    votes = read_votes("bei einer Gegenstimme und zwei Enthaltungen angenommen")

    assert (votes.yes, votes.no, votes.abstain) == (None, 1, 2)


def test_dates_and_amounts_are_no_vote_counts():
    votes = read_votes("am 12.03.2007 mit 3.505 TEUR: 2:1 Verhältnis beschlossen")

    assert not votes.printed


def test_changed_items_in_a_referral():
    changes = read_changed_items(
        "Verweisung der Themen kw-Vermerke bei den Beschlussantragsziffern 8 und "
        "13 in den Verwaltungsausschuss"
    )

    assert [(c.number, c.change, c.outcome) for c in changes] == [
        (8, "verwiesen", None),
        (13, "verwiesen", None),
    ]


# -- recording ---------------------------------------------------------------------

# 532/2017's protocol up to its decision, as a complete excerpt would give it.
TEXT_0532_DECIDED = (
    TEXT_0532 + "n tätigen Träger übertragen.\n\nOB Kuhn stellt fest:\n\n"
    "Der Gemeinderat beschließt mehrheitlich wie beantragt.\n"
)
DOMAIN = [Paper, Consultation, Meeting, Committee, ResolutionItem]


def counts():
    return [model.objects.count() for model in DOMAIN]


def paper_532():
    return Paper.objects.get(number=532, year=2017, suffix="")


@pytest.fixture
def open_532(demo):
    """The demo data before the protocols of 532/2017: no step settled yet."""
    for step in paper_532().consultations.all():
        step.result, step.result_note, step.meeting = Result.OPEN, "", None
        step.save()
    return paper_532()


def standing(paper):
    """All the register derives from a paper's results, for every kind of viewer."""
    facts = {}
    for viewer in (None, FULL_RECORD):
        facts[viewer] = (
            Paper.objects.with_state(viewer).get(pk=paper.pk).state,
            sorted(
                PositionDecision.objects.in_force(viewer).values_list("pk", flat=True)
            ),
            sorted(control_items(viewer).values_list("pk", flat=True)),
        )
    return facts


def steps_of(paper):
    return [
        (
            step.committee.name,
            step.date,
            step.result,
            step.minutes_number,
            step.meeting.date if step.meeting else None,
        )
        for step in paper.consultations.select_related("committee", "meeting")
    ]


@pytest.mark.django_db
def test_a_protocol_without_its_decision_records_the_earlier_results_only(open_532):
    before = standing(open_532)

    record = protocol_import(draft=read_protocol(TEXT_0532))

    assert steps_of(open_532) == [
        ("Jugendhilfeausschuss", D(2017, 9, 18), Result.APPROVED, "86", D(2017, 9, 18)),
        (
            "Sozial- und Gesundheitsausschuss",
            D(2017, 9, 25),
            Result.APPROVED_AMENDED,
            "131",
            D(2017, 9, 25),
        ),
        (
            "Verwaltungsausschuss",
            D(2017, 9, 27),
            Result.APPROVED_AMENDED,
            "363",
            D(2017, 9, 27),
        ),
        # The Gemeinderat's result is not in the excerpt: it stays open.
        ("Gemeinderat", D(2017, 9, 28), Result.OPEN, "184/E", D(2017, 9, 28)),
    ]
    council = open_532.consultations.get(order=4)
    assert (council.agenda_number, council.result_note) == ("5", "")
    social = open_532.consultations.get(order=2)
    assert social.result_note.startswith("einmütige Zustimmung zu einer ergänzten")
    assert social.vote_note == "einmütig, mehrheitlich"
    assert record.meeting_created is False
    assert len(record.earlier_updated) == 3
    # Nothing decided yet: the paper is still in consultation, nothing in force.
    assert standing(open_532) == before
    assert standing(open_532)[None][0] == Paper.State.IN_CONSULTATION


@pytest.mark.django_db
def test_a_confirmed_protocol_moves_the_paper_as_a_hand_entered_result_would(
    open_532,
):
    council = open_532.consultations.get(order=4)
    with transaction.atomic():
        council.result = Result.APPROVED
        council.save()
        by_hand = standing(open_532)
        transaction.set_rollback(True)
    assert standing(open_532) != by_hand

    protocol_import(draft=read_protocol(TEXT_0532_DECIDED))

    assert standing(open_532) == by_hand
    assert by_hand[None][0] == Paper.State.ADOPTED
    # 532/2017's position decisions are in force and its items in the control.
    assert PositionDecision.objects.in_force(None).filter(paper=open_532).exists()
    assert control_items(None).filter(paper=open_532).exists()
    council.refresh_from_db()
    assert council.result == Result.APPROVED
    assert council.result_note == (
        "Der Gemeinderat beschließt mehrheitlich wie beantragt."
    )
    assert (council.vote_note, council.votes_no) == ("mehrheitlich", None)
    assert (council.minutes_number, council.agenda_number) == ("184/E", "5")


@pytest.mark.django_db
def test_recording_writes_versions_to_the_audit_trail(open_532):
    council = open_532.consultations.get(order=4)
    versions = council.audit_trail.count()

    protocol_import(draft=read_protocol(TEXT_0532_DECIDED))

    assert council.audit_trail.count() == versions + 1
    version = council.audit_trail.first()
    assert version.result == Result.APPROVED
    assert version.history_change_reason.startswith("Import aus Niederschrift")
    assert version.history_user.username == "system"


@pytest.mark.django_db
def test_a_clerks_recording_is_recorded_for_the_clerk(open_532, clerk):
    protocol_import(draft=read_protocol(TEXT_0532_DECIDED), user=clerk)

    version = open_532.consultations.get(order=4).audit_trail.first()
    assert version.history_user == clerk


@pytest.mark.django_db
def test_a_protocol_for_a_paper_not_in_the_register_creates_a_stub():
    draft = read_protocol(TEXT_0083)

    record = protocol_import(draft=draft)

    paper = Paper.objects.get(number=83, year=2007)
    assert paper.is_stub and paper.is_public
    assert paper.title.startswith("Satzung zur Änderung der Hauptsatzung")
    assert paper.file_reference == "RSO 0300"
    assert record.stubs_created == [paper]
    assert record.meeting_created
    meeting = record.meeting
    assert (meeting.committee.name, meeting.date, meeting.is_public) == (
        "Gemeinderat",
        D(2007, 3, 22),
        True,
    )
    steps = list(paper.consultations.select_related("committee", "meeting"))
    assert [
        (s.order, s.committee.name, s.role, s.date, s.is_public, s.result)
        for s in steps
    ] == [
        (
            1,
            "Verwaltungsausschuss",
            Consultation.Role.DELIBERATION,
            D(2007, 3, 21),
            False,
            Result.APPROVED,
        ),
        (
            2,
            "Gemeinderat",
            Consultation.Role.DECISION,
            D(2007, 3, 22),
            True,
            Result.APPROVED,
        ),
    ]
    earlier, council = steps
    assert (earlier.minutes_number, earlier.result_note, earlier.vote_note) == (
        "116",
        "einmütige Zustimmung",
        "einmütig",
    )
    assert not earlier.meeting.is_public
    assert (council.votes_yes, council.votes_no, council.votes_abstain) == (
        None,
        2,
        None,
    )
    assert (council.vote_note, council.minutes_number, council.agenda_number) == (
        "mehrheitlich",
        "56",
        "8",
    )
    assert Paper.objects.with_state(None).get(pk=paper.pk).state == Paper.State.ADOPTED


@pytest.mark.django_db
def test_a_stub_of_a_closed_session_is_not_public():
    draft = read_protocol(protocol(session="nichtöffentlich"))

    protocol_import(draft=draft)

    paper = Paper.objects.get(number=83, year=2007)
    assert not paper.is_public
    assert not Meeting.objects.get(date=D(2007, 3, 22)).is_public


@pytest.mark.django_db
def test_recording_twice_changes_nothing_the_second_time():
    protocol_import(draft=read_protocol(TEXT_0083))
    before = counts()
    steps = steps_of(Paper.objects.get(number=83, year=2007))

    protocol_import(draft=read_protocol(TEXT_0083))

    assert counts() == before
    assert steps_of(Paper.objects.get(number=83, year=2007)) == steps


@pytest.mark.django_db
def test_a_step_missing_from_the_beratungsfolge_is_inserted_in_date_order():
    paper = PaperFactory(number=83, year=2007, is_stub=True)
    va = CommitteeFactory(name="Verwaltungsausschuss", slug="va")
    uta = CommitteeFactory(name="Ausschuss für Umwelt und Technik", slug="uta")
    ConsultationFactory(paper=paper, order=1, committee=va, date=D(2007, 3, 21))
    ConsultationFactory(paper=paper, order=2, committee=uta, date=D(2007, 4, 3))

    record = protocol_import(draft=read_protocol(TEXT_0083))

    assert [(s[0], s[1]) for s in steps_of(paper)] == [
        ("Verwaltungsausschuss", D(2007, 3, 21)),
        ("Gemeinderat", D(2007, 3, 22)),
        ("Ausschuss für Umwelt und Technik", D(2007, 4, 3)),
    ]
    assert any("ist ergänzt (Beschlussfassung)" in note for note in record.notes)


@pytest.mark.django_db
def test_a_planned_step_whose_date_moved_is_recorded_at_the_protocols_meeting():
    paper = PaperFactory(number=83, year=2007)
    council = CommitteeFactory(name="Gemeinderat", slug="gr")
    ConsultationFactory(
        paper=paper,
        order=1,
        committee=council,
        date=D(2007, 3, 15),
        role=Consultation.Role.DECISION,
    )

    record = protocol_import(draft=read_protocol(TEXT_0083))

    (step,) = paper.consultations.all()
    assert (step.date, step.result) == (D(2007, 3, 22), Result.APPROVED)
    assert any("war für den 15.03.2007 vorgesehen" in n for n in record.notes)
    # The earlier consultation is not in this paper's Beratungsfolge: a note.
    assert any("steht nicht in der Beratungsfolge" in n for n in record.notes)


@pytest.mark.django_db
def test_items_the_decision_changed_get_their_outcome():
    paper = PaperFactory(number=83, year=2007)
    for number in (1, 2, 3):
        ResolutionItem.objects.create(
            paper=paper, number=number, text=f"Ziffer {number}"
        )
    sentence = (
        "Der Gemeinderat beschließt einstimmig wie beantragt mit einer geänderten "
        "Ziffer 1; Ziffer 2 wird gestrichen."
    )
    draft = read_protocol(protocol(decision=f"OB Kuhn stellt fest:\n\n{sentence}"))

    record = protocol_import(draft=draft, item_outcomes={3: Outcome.WITHDRAWN})

    outcomes = dict(paper.items.values_list("number", "outcome"))
    assert outcomes == {1: Outcome.AMENDED, 2: Outcome.REJECTED, 3: Outcome.WITHDRAWN}
    assert len(record.items_changed) == 3


@pytest.mark.django_db
def test_a_draft_with_errors_saves_nothing():
    draft = read_protocol(protocol(date="31.02.2007"))
    before = counts()

    with pytest.raises(ProtocolImportError, match="Sitzungstermin"):
        protocol_import(draft=draft)

    assert counts() == before


@pytest.mark.django_db
def test_a_failure_while_writing_leaves_every_table_as_it_was(monkeypatch):
    import importer.protocols

    def broken(*args, **kwargs):
        raise ProtocolImportError("kaputt")

    monkeypatch.setattr(importer.protocols, "_items", broken)
    before = counts()

    with pytest.raises(ProtocolImportError):
        protocol_import(draft=read_protocol(TEXT_0083))

    # The committee, meeting, stub and steps made before the failure are gone.
    assert counts() == before


@pytest.mark.django_db
def test_a_paper_not_in_the_register_is_refused_when_no_stubs_are_wanted():
    with pytest.raises(ProtocolImportError, match="nicht erfasst"):
        protocol_import(draft=read_protocol(TEXT_0083), create_stubs=False)

    assert not Paper.objects.exists()


@pytest.mark.django_db
def test_recording_a_protocol_for_a_known_paper_takes_few_queries(
    open_532, django_assert_max_num_queries
):
    draft = read_protocol(TEXT_0532_DECIDED)
    protocol_import(draft=draft)

    # Savepoint and release, committees, the committee's lock, the meeting, the
    # paper, its steps; this meeting's step and its version; for each of the
    # three earlier steps its meeting, the step and its version.
    with django_assert_max_num_queries(18):
        protocol_import(draft=draft)


@pytest.mark.django_db
def test_the_paper_page_shows_vote_counts_and_minutes(client):
    protocol_import(draft=read_protocol(TEXT_0083))
    paper = Paper.objects.get(number=83, year=2007)
    paper.consultations.filter(order=2).update(votes_yes=40, votes_abstain=1)

    page = client.get(paper.get_absolute_url())

    html = page.content.decode()
    assert "40 Ja-Stimmen" in html
    assert "2 Nein-Stimmen" in html
    assert "1 Enthaltung<" in html
    assert "mehrheitlich" in html
    assert "Niederschrift Nr. 56, TOP 8" in html


# -- the command -----------------------------------------------------------------


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_niederschriften", *map(str, args), stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


@pytest.mark.django_db
def test_dry_run_json_prints_the_issues_object_per_file_and_saves_nothing():
    out, err, failed = run(*CORPUS_PROTOCOLS, "--dry-run", "--format", "json")

    assert failed is None
    result = json.loads(out)
    assert [r["file"] for r in result] == [str(p) for p in CORPUS_PROTOCOLS]
    for entry in result:
        assert set(entry) == {"file", "ok", "errors", "warnings", "protocol"}
        assert entry["ok"] is True
        assert set(entry["protocol"]) == {
            "committee",
            "meeting_date",
            "public",
            "minutes_number",
            "top",
            "papers",
            "file_reference",
            "subject",
            "previous_consultations",
            "result",
        }
        for step in entry["protocol"]["previous_consultations"]:
            assert set(step) == {"committee", "date", "public", "number", "result"}
        for problem in entry["warnings"]:
            assert set(problem) == {"line", "message"}
    by_file = {r["file"]: r["protocol"] for r in result}
    assert (
        by_file[str(DATA / "protocol_0083_2007_gr.txt")]
        == read_protocol(TEXT_0083).as_json()
    )
    assert "5 Dateien gelesen, 5 lesbar" in err
    assert not Paper.objects.exists() and not Meeting.objects.exists()


@pytest.mark.django_db
def test_a_file_that_is_no_protocol_fails_alone_and_the_others_are_recorded():
    paper_text = DATA / "grdrs_1105_2011_ergaenzung.txt"

    out, _err, failed = run(paper_text, DATA / "protocol_0083_2007_gr.txt")

    assert failed is not None
    assert "FEHLER" in out and "import_vorlagen" in out
    assert "Gemeinderat 22.03.2007, TOP 8, GRDrs 83/2007: zugestimmt" in out
    assert "2 Nein, mehrheitlich" in out
    assert (
        Paper.objects.with_state(None).get(number=83, year=2007).state
        == Paper.State.ADOPTED
    )


@pytest.mark.django_db
def test_without_dry_run_json_reports_what_recording_noted(tmp_path):
    out, _err, failed = run(DATA / "protocol_0083_2007_gr.txt", "--format", "json")

    assert failed is None
    (entry,) = json.loads(out)
    assert entry["ok"] is True
    assert any("als Platzhalter angelegt" in w["message"] for w in entry["warnings"])


@pytest.mark.django_db
def test_a_protocol_without_paper_is_read_and_records_nothing(tmp_path):
    path = tmp_path / "ohne_drucksache.txt"
    path.write_text(protocol(papers="", basis=""), encoding="utf-8")

    out, _err, failed = run(path, "--format", "json")

    assert failed is None
    (entry,) = json.loads(out)
    assert entry["ok"] is True
    assert entry["protocol"]["papers"] == []
    assert "keine Drucksache" in entry["warnings"][0]["message"]
    assert not Meeting.objects.exists() and not Committee.objects.exists()


@pytest.mark.django_db
def test_an_old_spelling_finds_the_committee_of_the_beratungsfolge():
    paper = PaperFactory(number=83, year=2007)
    va = CommitteeFactory(name="Verwaltungsausschuss", slug="va")
    council = CommitteeFactory(name="Gemeinderat", slug="gr")
    ConsultationFactory(paper=paper, order=1, committee=va, date=D(2007, 3, 21))
    ConsultationFactory(
        paper=paper,
        order=2,
        committee=council,
        date=D(2007, 3, 22),
        role=Consultation.Role.DECISION,
    )
    earlier = (
        "Vorgang: Verwaltungsausschuß vom 21.03.2007, nichtöffentlich, Nr. 116\n\n"
        "Ergebnis: einstimmige Zustimmung\n"
    )

    record = protocol_import(draft=read_protocol(protocol(earlier=earlier)))

    assert record.notes == []
    assert steps_of(paper) == [
        (
            "Verwaltungsausschuss",
            D(2007, 3, 21),
            Result.APPROVED,
            "116",
            D(2007, 3, 21),
        ),
        ("Gemeinderat", D(2007, 3, 22), Result.APPROVED, "56", D(2007, 3, 22)),
    ]
    assert Committee.objects.count() == 2
