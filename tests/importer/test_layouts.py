"""Layout variants of the same system a clerk met (issue 14, part 2): each read
right, or said out loud where the text leaves it open."""

import datetime
from pathlib import Path

import pytest

from council.models import Consultation, Paper, PaperReference
from demo.corpus import text as corpus_text
from importer.reading.departments import near, normal_form, referat_short
from importer.reading.items import split_items
from importer.reading.paper import read_paper
from importer.reading.paper_draft import Code, DepartmentName

DATA = Path(__file__).parent / "data"


def data(name):
    return (DATA / name).read_text(encoding="utf-8")


def test_the_number_on_the_line_after_grdrs_is_the_papers_number():
    p = read_paper(data("grdrs_0301_2008_number_below.txt"))
    assert (p.number, p.year, p.suffix) == (301, 2008, "")
    assert p.date == datetime.date(2008, 4, 22)
    assert p.lines["reference"] == 4
    assert p.errors == []
    # The number's own line is not a citation of itself.
    assert [c.reference for c in p.referenced_papers] == ["1120/2006"]


def test_a_title_over_four_lines_is_joined_and_old_spellings_are_read():
    p = read_paper(data("grdrs_0301_2008_number_below.txt"))
    assert p.title == (
        "Neuorganisation der Bürgerbüros in den inneren und äußeren Stadtbezirken "
        "sowie Anpassung der Öffnungszeiten an die Nachfrage"
    )
    assert [(c.committee, c.role_key) for c in p.consultations] == [
        ("Verwaltungsausschuß", Consultation.Role.PRELIMINARY),
        ("Gemeinderat", Consultation.Role.DECISION),
    ]
    assert p.department_short == "AKR"


def test_a_budget_reading_above_the_title_is_not_part_of_it():
    p = read_paper(data("grdrs_0812_2023_haushalt_lesung.txt"))
    assert p.budget_reading == "Haushalt 2024/2025 Unterlage für die 2. Lesung"
    assert p.title == (
        "Beantwortung der Haushaltsanträge der Fraktionen zu den Personalkosten der "
        "Ämter und Eigenbetriebe"
    )
    assert p.lines["title"] == 11


def test_beantwortung_stellungnahme_is_a_paper_type_of_the_register():
    p = read_paper(data("grdrs_0812_2023_haushalt_lesung.txt"))
    assert p.paper_type == "Beantwortung / Stellungnahme"
    assert p.paper_type_key == Paper.Type.ANSWER
    assert p.errors == []


@pytest.mark.parametrize(
    "printed",
    ["Haushaltsplanberatungen 2020/2021", "Haushalt 2022/2023", "2. Lesung"],
)
def test_other_budget_reading_lines_are_kept_apart_too(printed):
    text = data("grdrs_0812_2023_haushalt_lesung.txt").replace(
        "Haushalt 2024/2025\nUnterlage für die 2. Lesung\n", f"{printed}\n"
    )
    p = read_paper(text)
    assert p.budget_reading == printed
    assert p.title.startswith("Beantwortung der Haushaltsanträge")


def test_an_unknown_paper_type_is_a_warning_with_the_printed_value_not_an_error():
    text = data("grdrs_0812_2023_haushalt_lesung.txt").replace(
        "Beantwortung / Stellungnahme", "Ergänzungsliste zum Haushaltsantrag"
    )
    p = read_paper(text)
    assert p.paper_type == "Ergänzungsliste zum Haushaltsantrag"
    assert p.paper_type_key is None
    assert Code.UNKNOWN_TYPE in p.codes()
    assert p.errors == []
    # The title stops above it.
    assert p.title.endswith("der Ämter und Eigenbetriebe")


def test_a_paper_marked_for_non_public_treatment_is_non_public_with_a_warning():
    p = read_paper(data("grdrs_0150_2004_nichtoeffentlich.txt"))
    assert p.marked_non_public
    assert not p.is_public
    assert p.as_json()["public"] is False
    warning = next(w for w in p.warnings if w.code == Code.NON_PUBLIC)
    assert warning.line == 8
    # The mark is not part of the title, although the steps are public.
    assert p.title.startswith("Grundstücksangelegenheit")
    assert all(c.public for c in p.consultations)


@pytest.mark.parametrize(
    "mark",
    [
        "zur nichtöffentlichen Behandlung",
        "- nichtöffentlich -",
        "Nicht öffentlich!",
        "nicht-öffentlich",
        "(nichtöffentliche Vorlage)",
        "– Nichtöffentlich –",
    ],
)
def test_every_wording_of_the_non_public_mark_is_read(mark):
    text = data("grdrs_0150_2004_nichtoeffentlich.txt").replace(
        "- zur nichtöffentlichen Behandlung -", mark
    )
    p = read_paper(text)
    assert not p.is_public
    assert Code.NON_PUBLIC in p.codes()
    assert mark not in (p.title or "")


def test_a_non_public_mark_beside_the_type_or_above_the_gz_is_read():
    base = data("grdrs_0150_2004_nichtoeffentlich.txt").replace(
        "- zur nichtöffentlichen Behandlung -\n", ""
    )
    beside = read_paper(
        base.replace("Beschlußvorlage", "Beschlußvorlage - nichtöffentlich -")
    )
    above = read_paper(base.replace("Gz: T 6500-02", "nichtöffentlich\nGz: T 6500-02"))
    for p in (beside, above):
        assert not p.is_public and Code.NON_PUBLIC in p.codes()
        assert p.paper_type_key == Paper.Type.DECISION
        assert p.department == "Referat Technik"
    assert read_paper(base).is_public


def test_a_joint_paper_keeps_the_lead_and_the_other_department():
    p = read_paper(data("grdrs_0620_2013_gemeinsam.txt"))
    assert p.department == "Referat Soziales, Jugend und Gesundheit"
    assert p.department_short == "SJG"
    assert p.co_departments == [
        DepartmentName("Referat Kultur, Bildung und Sport", "KBS")
    ]
    assert Code.SEVERAL_DEPARTMENTS in p.codes()
    assert p.as_json()["co_departments"] == ["Referat Kultur, Bildung und Sport"]


def test_two_departments_on_one_line_are_split_and_a_wrapped_name_is_not():
    text = data("grdrs_0620_2013_gemeinsam.txt").replace(
        "Referat Soziales, Jugend und Gesundheit\nReferat Kultur, Bildung und Sport",
        "Referat Soziales, Jugend und Gesundheit und Referat Kultur, Bildung und Sport",
    )
    assert [d.name for d in read_paper(text).co_departments] == [
        "Referat Kultur, Bildung und Sport"
    ]
    wrapped = data("grdrs_0620_2013_gemeinsam.txt").replace(
        "Referat Soziales, Jugend und Gesundheit\nReferat Kultur, Bildung und Sport",
        "Referat Soziales, Jugend und\nGesundheit",
    )
    p = read_paper(wrapped)
    assert p.department == "Referat Soziales, Jugend und Gesundheit"
    assert p.co_departments == []
    assert Code.SEVERAL_DEPARTMENTS not in p.codes()


def test_an_ergaenzung_citing_its_base_keeps_it_as_supplements():
    p = read_paper(data("grdrs_0412_2020_1_ergaenzung.txt"))
    kinds = {c.reference: c.kind for c in p.referenced_papers}
    assert kinds["412/2020"] == PaperReference.Kind.SUPPLEMENTS
    assert kinds["1023/2017"] == PaperReference.Kind.EXTENDS
    assert [c.reference for c in p.cited_papers] == ["1023/2017"]
    assert p.as_json()["supplements"] == "412/2020"


def test_a_paper_without_suffix_citing_its_own_number_cites_nothing():
    p = read_paper(
        data("grdrs_0301_2008_number_below.txt").replace(
            "den Rahmen festgelegt.", "den Rahmen festgelegt (GRDrs 301/2008)."
        )
    )
    assert [c.reference for c in p.referenced_papers] == ["1120/2006"]


def test_the_949_reads_as_before_without_warnings():
    p = read_paper(corpus_text("grdrs_0949_2019.txt"))
    assert p.warnings == [] and p.co_departments == [] and p.is_public
    assert p.budget_reading == "" and not p.marked_non_public


# -- departments and committees in a normal form ----------------------------------


def test_slash_comma_and_bracketed_short_name_give_one_normal_form():
    assert normal_form("Referat Allgemeine Verwaltung/Kultur und Recht") == (
        normal_form("Referat Allgemeine Verwaltung, Kultur und Recht (AKR)")
    )
    assert normal_form("Verwaltungsausschuß") == normal_form("Verwaltungsausschuss")
    assert normal_form("Ref. Technik") == normal_form("Referat Technik")
    assert referat_short("Referat Allgemeine Verwaltung/Kultur und Recht") == "AKR"
    assert referat_short("Amt für Umweltschutz (AfU)") == "AfU"


def test_a_near_name_is_offered_but_not_taken_for_the_same():
    class Row:
        def __init__(self, name, short_name=""):
            self.name, self.short_name = name, short_name

    rows = [
        Row("Ausschuss für Umwelt und Technik"),
        Row("Sozial- und Gesundheitsausschuss"),
        Row("Referat Städtebau, Wohnen und Umwelt", "SWU"),
    ]
    assert near("Ausschuß für Umwelt u. Technik", rows) == [rows[0]]
    assert near("Referat Städtebau und Umwelt (SWU)", rows) == [rows[2]]
    assert near("Jugendhilfeausschuss", rows) == []
    assert normal_form("Ausschuß für Umwelt u. Technik") != normal_form(rows[0].name)


def test_the_demo_and_the_reader_split_items_alike():
    assert split_items("1. Die A. 2. Die B gilt bis 31.12.2019. 3. Der C.") == [
        "Die A.",
        "Die B gilt bis 31.12.2019.",
        "Der C.",
    ]
    assert split_items("") == []


def test_meeting_dates_printed_month_first_are_read_month_first():
    text = (
        data("grdrs_0301_2008_number_below.txt")
        .replace("07.05.2008", "05/07/2008")
        .replace("08.05.2008", "05/08/2008")
    )
    p = read_paper(text)
    assert [c.date for c in p.consultations] == [
        datetime.date(2008, 5, 7),
        datetime.date(2008, 5, 8),
    ]
    assert p.warnings == read_paper(data("grdrs_0301_2008_number_below.txt")).warnings


def test_a_row_with_a_month_first_date_and_an_impossible_one_is_reported():
    text = data("grdrs_0301_2008_number_below.txt").replace("08.05.2008", "13/45/2008")
    p = read_paper(text)
    assert Code.BAD_MEETING_DATE in p.codes()
    assert p.consultations[1].date is None


@pytest.mark.parametrize("printed", ["Gemeinderatsdrucksache", "GR-Drs.", "GRDrs."])
def test_older_spellings_of_the_number_in_the_header(printed):
    text = data("grdrs_0301_2008_number_below.txt").replace(
        "GRDrs\n301/2008", f"{printed} 301/2008"
    )
    p = read_paper(text)
    assert (p.number, p.year) == (301, 2008) and p.errors == []


def test_an_office_below_its_referat_is_named_but_not_taken_as_joint():
    text = data("grdrs_0620_2013_gemeinsam.txt").replace(
        "Referat Kultur, Bildung und Sport\n", "Jugendamt\n"
    )
    p = read_paper(text)
    assert p.department == "Referat Soziales, Jugend und Gesundheit"
    assert p.co_departments == []
    warning = next(w for w in p.warnings if w.code == Code.OFFICE_LINE)
    assert "Jugendamt" in warning.message and warning.line == 3


def test_a_beratungsfolge_without_public_marks_keeps_its_rows_and_says_so():
    text = data("grdrs_0301_2008_number_below.txt").replace(
        "öffentlich\nöffentlich\n", ""
    )
    p = read_paper(text)
    assert [(c.committee, c.public, c.date) for c in p.consultations] == [
        ("Verwaltungsausschuß", None, datetime.date(2008, 5, 7)),
        ("Gemeinderat", None, datetime.date(2008, 5, 8)),
    ]
    assert Code.NO_PUBLIC_MARKS in p.codes()
    assert p.is_public  # nothing says otherwise
