"""Saving a draft: one transaction, stubs for cited papers, never a duplicate."""

import datetime
from decimal import Decimal

import pytest

from council.models import Consultation, Department, Paper, PaperReference
from council.visibility import FULL_RECORD
from demo.corpus import text as corpus_text
from funding.models import FundingLine
from importer.reading.paper import read_paper
from importer.services import (
    NEW_POSITION,
    PaperExists,
    PaperImportError,
    import_batch,
    import_plan,
    paper_import,
)
from positions.models import Position, PositionDecision

END_2019 = datetime.date(2019, 12, 31)
END_2021 = datetime.date(2021, 12, 31)


@pytest.fixture
def draft_949():
    return read_paper(corpus_text("grdrs_0949_2019.txt"))


@pytest.mark.django_db
def test_importing_949_into_an_empty_database_creates_paper_stubs_and_lineage(
    draft_949,
):
    paper = paper_import(draft=draft_949)

    assert paper.reference == "949/2019"
    assert not paper.is_stub
    assert paper.date == datetime.date(2019, 11, 13)
    assert paper.department.name == "Referat Soziales und gesellschaftliche Integration"
    assert paper.department.short_name == "SI"
    assert paper.file_reference == "SI"
    assert paper.signed_by_office == "Bürgermeisterin"
    assert {d.short_name for d in paper.co_signing_departments.all()} == {"WFB", "AKR"}
    steps = list(paper.consultations.select_related("committee"))
    assert [(c.committee.name, c.role, c.date) for c in steps] == [
        (
            "Sozial- und Gesundheitsausschuss",
            Consultation.Role.PRELIMINARY,
            datetime.date(2019, 11, 25),
        ),
        (
            "Verwaltungsausschuss",
            Consultation.Role.PRELIMINARY,
            datetime.date(2019, 12, 4),
        ),
        ("Gemeinderat", Consultation.Role.DECISION, datetime.date(2019, 12, 5)),
    ]
    assert paper.items.count() == 6
    assert [s.heading for s in paper.sections.all()] == [
        "Begründung",
        "Ausblick",
        "Finanzielle Auswirkungen",
        "Beteiligte Stellen",
    ]

    stubs = Paper.objects.filter(is_stub=True).order_by("year", "number")
    assert [p.reference for p in stubs] == ["532/2017", "692/2018", "341/2019"]
    assert stubs.get(number=341).title.startswith("Fortsetzen von Maßnahmen")
    kinds = dict(
        PaperReference.objects.filter(from_paper=paper).values_list(
            "to_paper__number", "kind"
        )
    )
    assert kinds == {532: "extends", 692: "extends", 341: "cites"}

    assert Position.objects.count() == 3
    for decision in PositionDecision.objects.filter(paper=paper):
        assert decision.action == PositionDecision.Action.EXTENDED
        assert decision.extends_until == END_2019
        assert decision.valid_until == END_2021
        assert decision.may_advertise_unlimited
        position = Position.objects.with_history(FULL_RECORD).get(
            pk=decision.position_id
        )
        assert position.origin.paper.number in (532, 692)
    jobcenter = Position.objects.get(department__name="Jobcenter")
    assert (jobcenter.share_percent, jobcenter.pay_grade) == (Decimal("50"), "EG 10")

    lines = FundingLine.objects.filter(paper=paper)
    totals = {(t["year"], t["direction"]): t["total"] for t in lines.totals_by_year()}
    assert totals[(2020, "revenue")] == Decimal("3270000.00")
    assert lines.get(direction=FundingLine.Direction.REVENUE).funded_posts == Decimal(
        "51.1"
    )
    integration = lines.filter(purpose__startswith="Zuschüsse Integrationsmanagement")
    assert [line.amount for line in integration] == [Decimal("3505000.00")] * 2
    assert integration[0].budget_unit.number == "500"
    assert integration[0].cost_centre.number == "5003140"
    assert integration[0].product.number == "1.31.40.01.10.00-500"
    assert integration[0].account_group.number == "43100"
    assert integration[0].resolution_item.number == 6
    coordination = lines.get(year=2020, amount=Decimal("34450"))
    assert coordination.position == jobcenter
    assert coordination.resolution_item.number == 3
    assert coordination.budget_unit.number == "290"


@pytest.mark.django_db
def test_an_existing_949_is_refused_without_update_and_nothing_changes(demo, draft_949):
    before = Paper.objects.count(), FundingLine.objects.count()
    plan = import_plan(draft_949)
    assert plan.conflict

    with pytest.raises(PaperExists, match="949/2019 ist schon erfasst"):
        paper_import(draft=draft_949)

    assert (Paper.objects.count(), FundingLine.objects.count()) == before


@pytest.mark.django_db
def test_updating_the_demo_949_keeps_one_paper_and_matches_its_positions(
    demo, draft_949
):
    counts = (
        Paper.objects.count(),
        Position.objects.count(),
        PositionDecision.objects.count(),
        FundingLine.objects.count(),
        Consultation.objects.count(),
    )
    plan = import_plan(draft_949)
    assert all(p.match is not None for p in plan.positions)

    paper = paper_import(draft=draft_949, update=True)

    assert Paper.objects.filter(number=949, year=2019).count() == 1
    assert paper.items.count() == 6
    assert (
        Paper.objects.count(),
        Position.objects.count(),
        PositionDecision.objects.count(),
        FundingLine.objects.count(),
        Consultation.objects.count(),
    ) == counts
    # Results recorded by the clerk survive an update from the text.
    assert paper.consultations.get(order=3).result == Consultation.Result.APPROVED


@pytest.mark.django_db
def test_the_diff_of_an_update_names_what_the_text_changes(demo):
    text = corpus_text("grdrs_0949_2019.txt").replace(
        "Verlängerung des Integrationsmanagements",
        "Fortführung des Integrationsmanagements",
    )
    plan = import_plan(read_paper(text))
    labels = {label: (old, new) for label, old, new in plan.diff}
    old, new = labels["Betreff"]
    assert "Verlängerung" in old and "Fortführung" in new


@pytest.mark.django_db
def test_a_clerk_may_choose_a_new_position_instead_of_the_match(demo, draft_949):
    before = Position.objects.count()
    paper_import(draft=draft_949, update=True, position_choices={0: NEW_POSITION})
    assert Position.objects.count() == before + 1


@pytest.mark.django_db
def test_a_draft_with_errors_saves_nothing(draft_949):
    draft_949.fail("Kein Datum im Kopf gefunden.")
    with pytest.raises(PaperImportError, match="Kein Datum"):
        paper_import(draft=draft_949)
    assert Paper.objects.count() == 0
    assert Department.objects.count() == 0


@pytest.mark.django_db
def test_a_stub_is_filled_in_rather_than_duplicated(demo):
    draft = read_paper(corpus_text("grdrs_0341_2019.txt"))
    paper = paper_import(draft=draft)
    assert not paper.is_stub
    assert Paper.objects.filter(number=341, year=2019).count() == 1
    assert paper.paper_type == Paper.Type.INFORMATION
    assert paper.paper_type_note == "zum Haushaltsplan 2020/2021"


def renumbered_949(number):
    return read_paper(
        corpus_text("grdrs_0949_2019.txt").replace(
            "GRDrs 949/2019", f"GRDrs {number}/2019"
        )
    )


@pytest.mark.django_db
def test_importing_a_paper_costs_a_bounded_number_of_queries(
    draft_949, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(130):
        paper_import(draft=draft_949)
    # Once departments, committees, codes and positions exist, a single import
    # reads each kind once and writes each kind of row with one insert (and its
    # versions for the audit trail with one more, the paper's co-signers with
    # two, the account the import is recorded for with one: 23 -> 33).
    with django_assert_max_num_queries(33):
        paper_import(draft=renumbered_949(950))
    # In a batch the look-ups are shared: what remains per paper is its own lookup,
    # one insert per kind of row and one for its versions (the paper's co-signers
    # two), the OParl bookkeeping of the paper and the savepoint around it.
    with import_batch():
        paper_import(draft=renumbered_949(951))
        with django_assert_num_queries(24):
            paper_import(draft=renumbered_949(952))


@pytest.mark.django_db
def test_a_failing_paper_in_a_batch_does_not_leave_rolled_back_rows_in_the_memo():
    with import_batch():
        broken = renumbered_949(951)
        broken.consultations[0].role = "Unbekannt"
        with pytest.raises(PaperImportError, match="Sitzungsart"):
            paper_import(draft=broken)
        # The department, committees and codes the failed import had created are
        # gone with its transaction; the next paper creates them again.
        paper = paper_import(draft=renumbered_949(952))
    assert paper.department.name == (
        "Referat Soziales und gesellschaftliche Integration"
    )
    assert Paper.objects.filter(number=951).count() == 0
    assert FundingLine.objects.filter(paper=paper).count() == 11


@pytest.mark.django_db
def test_importing_949_into_an_empty_database_yields_the_funding_of_ziff_6(
    draft_949,
):
    paper = paper_import(draft=draft_949)
    lines = FundingLine.objects.filter(paper=paper, resolution_item__number=6)
    expenses = lines.filter(direction=FundingLine.Direction.EXPENSE)
    total = {line.year: line for line in expenses.filter(part_of__isnull=True)}
    assert total[2020].amount == total[2021].amount == Decimal("3505000")
    assert total[2021].budget_status == FundingLine.BudgetStatus.BUDGETED
    parts = lines.filter(part_of=total[2021]).order_by("-amount")
    assert [(p.amount, p.funded_posts, p.source) for p in parts] == [
        (Decimal("3270000"), Decimal("51.1"), FundingLine.Source.CITY),
        (Decimal("235000"), None, FundingLine.Source.CITY),
    ]
    assert {p.year for p in parts} == {2021}
    assert {p.budget_unit.number for p in parts} == {"500"}
    assert sum(p.amount for p in parts) == total[2021].amount
    refund = lines.get(direction=FundingLine.Direction.REVENUE)
    assert (refund.year, refund.amount, refund.funded_posts) == (
        2020,
        Decimal("3270000"),
        Decimal("51.1"),
    )
    assert refund.source == FundingLine.Source.STATE
    assert refund.budget_status == FundingLine.BudgetStatus.NOT_BUDGETED
    assert refund.budget_unit.number == "500"
    assert refund.part_of is None
    # The parts do not count twice: 3.505.000 € per year for the line of Ziff. 6.
    totals = {
        (t["year"], t["direction"]): t["total"]
        for t in FundingLine.objects.filter(paper=paper).totals_by_year()
    }
    assert totals[(2021, "expense")] == Decimal("3505000") + Decimal(
        34450 + 85800 + 26200
    )


@pytest.mark.django_db
def test_the_imported_funding_of_949_has_the_structure_of_the_demo_data(demo):
    def shape(paper):
        rows = FundingLine.objects.filter(paper=paper).select_related(
            "part_of", "budget_unit", "resolution_item"
        )
        return sorted(
            (
                row.year,
                row.direction,
                row.amount,
                row.source,
                row.budget_status,
                row.funded_posts,
                row.budget_unit.number if row.budget_unit else None,
                row.resolution_item.number,
                (row.part_of.year, row.part_of.amount) if row.part_of else None,
            )
            for row in rows
        )

    # The same text under another number, next to the demo's 949/2019.
    imported = paper_import(draft=renumbered_949(950))
    assert shape(imported) == shape(Paper.objects.get(number=949, year=2019))


@pytest.mark.django_db
def test_updating_949_adds_no_second_split_of_the_2021_total(draft_949):
    paper_import(draft=draft_949)
    before = FundingLine.objects.count()
    paper_import(draft=draft_949, update=True)
    assert FundingLine.objects.count() == before
    assert FundingLine.objects.filter(part_of__isnull=False).count() == 2


@pytest.mark.django_db
def test_importing_692_after_949_completes_the_lineage_of_the_assistance_post(
    draft_949,
):
    paper_import(draft=draft_949)
    paper_import(draft=read_paper(corpus_text("grdrs_0692_2018.txt")))

    position = Position.objects.with_history(FULL_RECORD).get(
        function="Verwaltungs- und Assistenzaufgaben"
    )
    history = [
        (d.paper.reference, d.action, d.valid_from, d.valid_until)
        for d in position.history
    ]
    assert history == [
        (
            "692/2018",
            PositionDecision.Action.CREATED,
            datetime.date(2018, 11, 1),
            END_2019,
        ),
        (
            "949/2019",
            PositionDecision.Action.EXTENDED,
            datetime.date(2020, 1, 1),
            END_2021,
        ),
    ]
    assert position.origin.resolution_item.number == 2
    assert Position.objects.count() == 3


@pytest.mark.django_db
def test_updating_the_demo_692_matches_its_position_and_adds_no_decision(demo):
    counts = Position.objects.count(), PositionDecision.objects.count()
    paper_import(draft=read_paper(corpus_text("grdrs_0692_2018.txt")), update=True)
    assert (Position.objects.count(), PositionDecision.objects.count()) == counts
