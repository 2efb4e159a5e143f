"""The parser reads every layout of the format; what it cannot find, it says."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from demo.corpus import text as corpus_text
from funding.models import FundingLine
from importer.reading.paper import ParseError, decode, read_paper
from positions.models import PayScheme, PositionDecision

DATA = Path(__file__).parent / "data"


def data(name):
    return (DATA / name).read_text(encoding="utf-8")


def d(text):
    return datetime.datetime.strptime(text, "%d.%m.%Y").date()


@pytest.fixture(scope="module")
def p949():
    return read_paper(corpus_text("grdrs_0949_2019.txt"))


# --- GRDrs 949/2019, completely -------------------------------------------


def test_949_header_reads_the_month_first_date_and_every_field(p949):
    assert (p949.number, p949.year, p949.suffix) == (949, 2019, "")
    assert p949.date == datetime.date(2019, 11, 13)
    assert p949.department == "Referat Soziales und gesellschaftliche Integration"
    assert p949.department_short == "SI"
    assert p949.file_reference == "SI"
    assert p949.title == (
        "Pakt für Integration - Verlängerung des Integrationsmanagements in den "
        "Jahren 2020 und 2021"
    )
    assert p949.paper_type == "Beschlußvorlage"
    assert p949.paper_type_key == "beschlussvorlage"
    assert p949.is_public
    assert p949.lines["date"] == 6


def test_949_has_no_warnings_and_no_errors(p949):
    assert p949.errors == []
    assert p949.warnings == []
    assert not p949.truncated


def test_949_beratungsfolge_has_three_steps_from_the_column_blocks(p949):
    assert [(c.committee, c.role, c.public, c.date) for c in p949.consultations] == [
        ("Sozial- und Gesundheitsausschuss", "Vorberatung", True, d("25.11.2019")),
        ("Verwaltungsausschuss", "Vorberatung", True, d("04.12.2019")),
        ("Gemeinderat", "Beschlussfassung", True, d("05.12.2019")),
    ]
    assert [c.role_key for c in p949.consultations] == [
        "preliminary",
        "preliminary",
        "decision",
    ]


def test_949_has_six_items_and_items_one_and_two_share_a_line(p949):
    assert [i.number for i in p949.items] == [1, 2, 3, 4, 5, 6]
    assert p949.items[0].line == p949.items[1].line
    assert p949.items[0].text.endswith("in den Jahren 2020 und 2021 fort.")
    assert p949.items[1].text.startswith("Die Umsetzung des Pakts für Integration")
    assert p949.items[5].text == (
        "Der Finanzierung, wie unter Kapitel „Finanzielle Auswirkungen“ "
        "dargestellt, wird zugestimmt."
    )


def test_949_items_read_as_the_demo_data_stores_them(p949):
    from demo.corpus import items

    expected = items("grdrs_0949_2019.txt", "Beschlußantrag:", "Begründung:")
    assert [i.text for i in p949.items] == expected


def test_949_cites_three_papers_with_their_quoted_titles(p949):
    cited = {p.reference: p.title for p in p949.referenced_papers}
    assert list(cited) == ["532/2017", "692/2018", "341/2019"]
    assert cited["532/2017"] == (
        "Pakt für Integration - Umsetzung bei der Landeshauptstadt Stuttgart und "
        "ergänzende Maßnahmen in den Jahren 2018/2019"
    )
    assert cited["692/2018"].endswith("Förderung des Sozialamts")
    assert cited["341/2019"].startswith("Fortsetzen von Maßnahmen aus dem Pakt")


@pytest.mark.parametrize(
    ("index", "item", "granted", "function", "share", "grade", "department"),
    [
        (
            0,
            3,
            "532/2017",
            "koordinierende Steuerungsfunktion der Zusammenarbeit von "
            "Integrationsmanagern und Persönlichen Ansprechpartnern",
            "50",
            "EG 10",
            "Jobcenter",
        ),
        (
            1,
            4,
            "532/2017",
            "Planungs- und koordinierende Steuerungsfunktion zur Integration von "
            "Flüchtlingen",
            "100",
            "EG 13",
            "Sozialamt",
        ),
        (
            2,
            5,
            "692/2018",
            "Verwaltungs- und Assistenzaufgaben",
            "50",
            "EG 8",
            "Sozialamt",
        ),
    ],
)
def test_949_position_decisions_of_items_3_to_5(
    p949, index, item, granted, function, share, grade, department
):
    decision = p949.position_decisions[index]
    assert decision.item == item
    assert decision.action == PositionDecision.Action.EXTENDED
    assert decision.granted_by == granted
    assert decision.old_until == d("31.12.2019")
    assert decision.new_until == d("31.12.2021")
    assert decision.function == function
    assert decision.share_percent == Decimal(share)
    assert (decision.pay_scheme, decision.pay_grade) == (PayScheme.TVOED, grade)
    assert decision.department == department
    assert decision.may_advertise_unlimited


def test_949_funding_amounts_and_budget_codes(p949):
    lines = {(f.purpose[:20], f.year, f.direction): f for f in p949.funding_lines}
    # Nine lines of the financial section and the two parts of the 2021 total.
    assert len(p949.funding_lines) == 11
    integration = lines[("Zuschüsse Integratio", 2020, "expense")]
    assert integration.amount == Decimal("3505000.00")
    assert lines[("Zuschüsse Integratio", 2021, "expense")].amount == Decimal("3505000")
    assert integration.budget_status == FundingLine.BudgetStatus.BUDGETED
    assert (integration.budget_unit.number, integration.budget_unit.name) == (
        "500",
        "Sozialamt",
    )
    assert integration.cost_centre.number == "5003140"
    assert integration.cost_centre.name == "Soziale Einrichtungen"
    assert integration.product.number == "1.31.40.01.10.00-500"
    assert integration.product.name == "Flüchtlingsunterkünfte"
    assert integration.account_group.number == "43100"
    assert integration.account_group.name == (
        "Zuweisungen und Zuschüsse für laufende Zwecke"
    )
    assert integration.item == 6

    amounts = {
        (f.budget_unit.number, f.year, f.amount, f.item)
        for f in p949.funding_lines
        if f.budget_status == FundingLine.BudgetStatus.NOT_BUDGETED
        and f.direction == FundingLine.Direction.EXPENSE
    }
    assert amounts == {
        ("290", year, Decimal(amount), item)
        for year in (2020, 2021)
        for amount, item in [("34450", 3)]
    } | {
        ("500", year, Decimal(amount), item)
        for year in (2020, 2021)
        for amount, item in [("85800", 4), ("26200", 5)]
    }
    coordination = lines[("Koordinierende Steue", 2020, "expense")]
    assert coordination.purpose.endswith("-partner, 50 % in EG 10 TVöD")
    assert p949.position_decisions[coordination.position_decision].item == 3

    refund = lines[("Zu erwartende Landes", 2020, "revenue")]
    assert refund.amount == Decimal("3270000.00")
    assert (refund.source, refund.budget_status) == ("state", "not_budgeted")
    # "Landeszuschuss in Höhe von 3.270 TEUR zur Finanzierung von 51,1 Stellen"
    assert refund.funded_posts == Decimal("51.1")


def test_949_the_2021_total_is_split_into_the_posts_and_the_material_costs(p949):
    lines = p949.funding_lines
    total = next(
        k
        for k, f in enumerate(lines)
        if (f.year, f.amount, f.direction) == (2021, Decimal("3505000"), "expense")
    )
    parts = [f for f in lines if f.part_of is not None]
    assert [(f.purpose, f.amount, f.funded_posts) for f in parts] == [
        (
            "Finanzierung der 51,1 Stellen im Integrationsmanagement",
            Decimal("3270000.00"),
            Decimal("51.1"),
        ),
        ("Städtischer Zuschuss für die Sachkosten", Decimal("235000.00"), None),
    ]
    for part in parts:
        assert part.part_of == total
        assert (part.year, part.direction, part.source) == (2021, "expense", "city")
        assert (part.budget_status, part.item) == ("budgeted", 6)
        assert part.budget_unit.number == "500"
        assert part.account_group.number == "43100"
    assert p949.as_json()["funding_lines"][-1]["part_of"] == total
    # The refund for the same 51,1 posts goes to their budget unit.
    refund = next(f for f in lines if f.direction == FundingLine.Direction.REVENUE)
    assert refund.budget_unit.number == "500"
    assert refund.purpose == (
        "Zu erwartende Landeserstattung für das Integrationsmanagement"
    )


SPLIT = (
    "Die erforderlichen städtischen Mittel zur Finanzierung der 51,1 Stellen im "
    "Integrationsmanagement im Jahr 2021 in Höhe von 3.270 TEUR, zuzüglich des "
    "städtischen Zuschusses für die Sachkosten in Höhe von 235 TEUR, insgesamt "
    "3.505 TEUR, sind im Entwurf des Haushaltsplans 2020/2021 vorgesehen."
)


def test_a_split_summed_up_with_zusammen_is_read_as_well():
    text = corpus_text("grdrs_0949_2019.txt").replace(
        SPLIT, SPLIT.replace("insgesamt 3.505", "zusammen 3.505")
    )
    parts = [f for f in read_paper(text).funding_lines if f.part_of is not None]
    assert [f.amount for f in parts] == [Decimal("3270000"), Decimal("235000")]


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        (SPLIT.replace("235 TEUR", "236 TEUR"), "ergeben nicht die genannte Summe"),
        (
            SPLIT.replace("im Jahr 2021", "im Jahr 2022"),
            "kein Betrag dieses Jahres",
        ),
    ],
)
def test_a_split_that_does_not_fit_the_financial_section_is_reported_not_taken(
    changed, message
):
    text = corpus_text("grdrs_0949_2019.txt")
    assert SPLIT in text
    p = read_paper(text.replace(SPLIT, changed))
    assert not any(f.part_of is not None for f in p.funding_lines)
    assert any(message in w.message for w in p.warnings)


def test_949_signer_co_signers_and_sections(p949):
    assert (p949.signed_by_name, p949.signed_by_office) == (
        "Dr. Alexandra Sußmann",
        "Bürgermeisterin",
    )
    assert [(c.short_name, c.name) for c in p949.co_signing_departments] == [
        ("WFB", "Referat Wirtschaft, Finanzen und Beteiligungen"),
        ("AKR", "Referat Allgemeine Verwaltung, Kultur und Recht"),
    ]
    sections = {s.heading: s.body for s in p949.sections}
    assert list(sections) == [
        "Begründung",
        "Ausblick",
        "Finanzielle Auswirkungen",
        "Beteiligte Stellen",
    ]
    assert sections["Begründung"].startswith("Mit GRDrs 532/2017")
    assert sections["Ausblick"].startswith("Mitte des Jahres 2021")
    assert sections["Finanzielle Auswirkungen"].startswith("Im Haushaltsplanentwurf")
    assert "Sußmann" not in "".join(sections.values())


def test_949_json_is_the_documented_interface(p949):
    out = p949.as_json()
    assert out["date"] == "2019-11-13"
    assert out["suffix"] is None
    assert out["consultations"][2] == {
        "committee": "Gemeinderat",
        "role": "Beschlussfassung",
        "public": True,
        "date": "2019-12-05",
    }
    assert out["referenced_papers"] == ["532/2017", "692/2018", "341/2019"]
    assert out["funding_lines"][0]["amount"] == "3505000.00"
    assert out["position_decisions"][0]["old_until"] == "2019-12-31"


# --- the truncated corpus files -------------------------------------------


def test_truncated_532_yields_header_beratungsfolge_and_items_plus_warnings():
    p = read_paper(corpus_text("grdrs_0532_2017.txt"))
    assert (p.number, p.year, p.date) == (532, 2017, d("06.09.2017"))
    assert [(c.committee, c.role, c.date) for c in p.consultations] == [
        ("Jugendhilfeausschuss", "Beratung", d("18.09.2017")),
        ("Sozial- und Gesundheitsausschuss", "Beratung", d("25.09.2017")),
        ("Verwaltungsausschuss", "Beratung", d("27.09.2017")),
        ("Gemeinderat", "Beschlussfassung", d("28.09.2017")),
    ]
    assert [i.number for i in p.items] == [1, 2, 3, 4, 5]
    assert p.items[3].text.endswith("im Zuwendungsverfahren abgewickelt.")
    assert p.truncated
    messages = " ".join(w.message for w in p.warnings)
    assert "Der Text bricht ab" in messages
    assert "Ziff. 5 bricht mitten im Satz ab" in messages
    assert p.errors == []
    assert p.signed_by_name is None


def test_truncated_692_reads_items_and_the_citation():
    p = read_paper(corpus_text("grdrs_0692_2018.txt"))
    assert (p.date, p.file_reference) == (d("14.11.2018"), "SI")
    assert [c.date for c in p.consultations] == [
        d("19.11.2018"),
        d("21.11.2018"),
        d("22.11.2018"),
    ]
    assert [i.number for i in p.items] == [1, 2, 3]
    assert [c.reference for c in p.referenced_papers] == ["532/2017"]
    assert p.truncated and p.errors == []


def test_692_creates_a_position_from_a_date_until_the_expiry_of_a_later_item():
    p = read_paper(corpus_text("grdrs_0692_2018.txt"))
    (decision,) = p.position_decisions
    assert (decision.item, decision.action) == (2, "created")
    assert decision.function == "Verwaltungs- und Assistenzaufgaben"
    assert decision.department == "Sozialamt"
    assert (decision.share_percent, decision.pay_grade, decision.pay_scheme) == (
        Decimal("50"),
        "EG 8",
        "TVöD",
    )
    assert (decision.valid_from, decision.new_until) == (
        d("01.11.2018"),
        d("31.12.2019"),
    )
    assert decision.may_advertise_unlimited


def test_truncated_341_is_an_information_paper_with_a_glued_header_row():
    p = read_paper(corpus_text("grdrs_0341_2019.txt"))
    assert p.paper_type == "Mitteilungsvorlage zum Haushaltsplan 2020/2021"
    assert (p.paper_type_key, p.paper_type_note) == (
        "mitteilungsvorlage",
        "zum Haushaltsplan 2020/2021",
    )
    assert [(c.committee, c.role) for c in p.consultations] == [
        ("Sozial- und Gesundheitsausschuss", "Kenntnisnahme"),
        ("Jugendhilfeausschuss", "Kenntnisnahme"),
        ("Internationaler Ausschuss", "Kenntnisnahme"),
    ]
    assert p.items == []
    assert [s.heading for s in p.sections] == ["Bericht"]
    assert p.truncated
    assert [c.title for c in p.referenced_papers][0].startswith(
        "Pakt für Integration –"
    )


def test_a_protocol_is_not_a_vorlage():
    with pytest.raises(ParseError, match="keine Vorlage"):
        read_paper(corpus_text("protocol_0532_2017_gr.txt"))


# --- the other layouts ----------------------------------------------------


def test_old_spellings_single_rows_later_header_year_and_gz_with_slash():
    p = read_paper(data("grdrs_1105_2011_ergaenzung.txt"))
    assert (p.number, p.year, p.suffix) == (1105, 2011, "Ergänzung")
    assert p.date == d("12.01.2012")
    assert p.warnings == []
    assert p.file_reference == "StU 6121-02/2011"
    assert p.department_short == "StU"
    assert [(c.committee, c.role, c.role_key, c.public) for c in p.consultations] == [
        ("Ausschuss für Umwelt und Technik", "Vorberatung", "preliminary", False),
        ("Verwaltungsausschuß", "Vorberatung", "preliminary", False),
        ("Gemeinderat", "Beschlußfassung", "decision", True),
    ]
    assert [i.number for i in p.items] == [1, 2, 3]
    assert p.items[0].line == p.items[1].line


def test_other_spellings_of_a_citation_are_found():
    text = corpus_text("grdrs_0949_2019.txt").replace(
        "Begründung:\n",
        "Begründung:\n\nVgl. GRDrs-Nr. 17/2003, Gemeinderatsdrucksache 18/2003 und "
        "GRDrs 19/2003, 20/2003; nicht aber Antrag 21/2003 oder Gz. OB 22/2003.\n",
        1,
    )
    cited = [c.reference for c in read_paper(text).referenced_papers]
    assert [c for c in cited if c.endswith("/2003")] == [
        "17/2003",
        "18/2003",
        "19/2003",
        "20/2003",
    ]
    assert "21/2003" not in cited and "22/2003" not in cited


def test_grdrs_dot_and_grdrsen_are_cited_but_not_antrag_numbers_or_gz():
    p = read_paper(data("grdrs_1105_2011_ergaenzung.txt"))
    cited = {c.reference: c.title for c in p.referenced_papers}
    assert cited == {
        "1105/2011": None,
        "12/2004": "Brückenprogramm 2004 bis 2010",
        "345/2009": None,
        "346/2009": None,
    }


def test_amounts_in_teur_per_year_from_a_table():
    p = read_paper(data("grdrs_1105_2011_ergaenzung.txt"))
    assert [(f.year, f.amount, f.budget_unit.number) for f in p.funding_lines] == [
        (2012, Decimal("1250000.00"), "660"),
        (2013, Decimal("3000000.00"), "660"),
    ]
    assert [c.short_name for c in p.co_signing_departments] == ["WFB"]
    assert p.signed_by_office == "Bürgermeister"


def test_empty_gz_neufassung_two_line_title_and_nicht_oeffentlich():
    p = read_paper(data("grdrs_0088_2015_neufassung.txt"))
    assert (p.number, p.year, p.suffix) == (88, 2015, "Neufassung")
    assert p.file_reference == ""
    assert p.title == "Bericht über die Personalgewinnung in der Stadtverwaltung 2014"
    assert p.paper_type_key == "mitteilungsvorlage"
    assert [c.public for c in p.consultations] == [False, False]
    assert not p.is_public
    assert p.co_signing_departments == []
    assert p.warnings == []


def test_gz_on_the_next_line_and_first_supplement_and_a_civil_servant_grade():
    p = read_paper(data("grdrs_0412_2020_1_ergaenzung.txt"))
    assert p.file_reference == "JB 4520-01"
    assert p.suffix == "1. Ergänzung"
    assert len(p.consultations) == 4
    assert p.consultations[1].role_key == "deliberation"
    (decision,) = p.position_decisions
    assert (decision.pay_scheme, decision.pay_grade) == (
        PayScheme.CIVIL_SERVANT,
        "A 13",
    )
    assert decision.department == "Schulverwaltungsamt"
    assert decision.new_until == d("31.07.2022")
    assert not decision.may_advertise_unlimited
    assert [c.reference for c in p.referenced_papers] == ["1023/2017", "412/2020"]


def test_glued_single_rows_ergaenzung_b_and_a_truncated_item():
    p = read_paper(data("grdrs_0777_2018_ergaenzung_b.txt"))
    assert p.suffix == "Ergänzung B"
    assert [(c.committee, c.role, c.public, c.date) for c in p.consultations] == [
        ("Sportausschuss", "Vorberatung", False, d("13.09.2018")),
        ("Verwaltungsausschuss", "Vorberatung", True, d("18.09.2018")),
        ("Gemeinderat", "Beschlussfassung", True, d("19.09.2018")),
    ]
    assert [i.number for i in p.items] == [1, 2]
    assert p.items[1].text.endswith("bis Ende des Jahres zu beri")
    assert any("Ziff. 2 bricht" in w.message and w.line == 26 for w in p.warnings)


# --- what the parser refuses or warns about --------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "Sehr geehrte Damen und Herren", "\u2603" * 1000],
)
def test_text_that_is_no_vorlage_raises_the_parsers_own_error(text):
    with pytest.raises(ParseError):
        read_paper(text)


def test_a_letter_with_an_antrag_number_is_no_vorlage():
    with pytest.raises(ParseError, match="keine Vorlage"):
        read_paper(data("kein_vorlagentext.txt"))


def test_an_impossible_header_date_is_an_error_not_a_guess():
    p = read_paper(corpus_text("grdrs_0949_2019.txt").replace("11/13", "13/45"))
    assert p.date is None
    assert [e.message for e in p.errors] == [
        "Das Datum „13/45/2019“ im Kopf ist kein gültiges Datum (gedruckt als "
        "Monat/Tag/Jahr)."
    ]
    assert p.errors[0].line == 6


def test_a_missing_date_column_is_reported():
    text = corpus_text("grdrs_0949_2019.txt").replace("05.12.2019\n", "")
    p = read_paper(text)
    assert any("Termine" in w.message for w in p.warnings)


def test_decode_reads_windows_1252_and_refuses_binaries():
    assert decode("Beschlußvorlage für Bürger".encode("cp1252")) == (
        "Beschlußvorlage für Bürger"
    )
    assert decode("\ufeffGRDrs".encode()) == "GRDrs"
    with pytest.raises(ParseError, match="keine Textdatei"):
        decode(b"\x00\x01\x02PK\x03\x04")
    with pytest.raises(ParseError, match="leer"):
        decode(b"  ")


def test_control_characters_are_removed_with_a_warning():
    text = corpus_text("grdrs_0949_2019.txt").replace(
        "Pakt für Integration", "Pakt für\x00 Integration\x07", 1
    )
    p = read_paper(text)
    assert p.title.startswith("Pakt für Integration - Verlängerung")
    assert any("2 Steuerzeichen" in w.message for w in p.warnings)


def test_gz_below_the_number_and_blank_lines_between_the_columns():
    p = read_paper(data("grdrs_0055_2016_gz_below.txt"))
    assert (p.file_reference, p.date) == ("WFB 9020-00", d("01.03.2016"))
    assert [(c.committee, c.role, c.date) for c in p.consultations] == [
        ("Verwaltungsausschuss", "Vorberatung", d("09.03.2016")),
        ("Gemeinderat", "Beschlussfassung", d("10.03.2016")),
    ]
    # "GRDrs 800/2015 Ergänzungsvorlage" cites 800/2015 itself, not a supplement.
    assert [c.reference for c in p.referenced_papers] == ["800/2015"]
    assert not any("Gz" in w.message for w in p.warnings)


def test_a_title_hyphenated_over_two_lines_is_one_word_again():
    text = corpus_text("grdrs_0949_2019.txt").replace(
        "Verlängerung des Integrationsmanagements in den Jahren 2020 und 2021",
        "Verlängerung des Integrations-\nmanagements in den Jahren 2020 und 2021",
    )
    assert read_paper(text).title == (
        "Pakt für Integration - Verlängerung des Integrationsmanagements in den "
        "Jahren 2020 und 2021"
    )
