from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funding.models import FundingLine
from tests.factories import FundingLineFactory, PaperFactory
from tests.helpers import assert_rejected

pytestmark = pytest.mark.django_db


def test_amounts_are_not_negative():
    line = FundingLineFactory.build(paper=PaperFactory(), amount=Decimal("-1.00"))
    assert_rejected(line, "nicht negativ")


def test_a_breakdown_belongs_to_the_same_paper():
    total = FundingLineFactory()
    part = FundingLineFactory.build(paper=PaperFactory(), part_of=total)
    with pytest.raises(ValidationError, match="selben Drucksache"):
        part.full_clean()


def test_breakdowns_do_not_count_twice_in_totals():
    total = FundingLineFactory(amount=Decimal("3505000"))
    FundingLineFactory(paper=total.paper, amount=Decimal("3270000"), part_of=total)
    sums = FundingLine.objects.filter(paper=total.paper).totals_by_year()
    assert [row["total"] for row in sums] == [Decimal("3505000")]


def test_integrationsmanagement_sums_to_3505000_euro_in_2020_and_2021(demo):
    lines = FundingLine.objects.filter(
        paper__number=949,
        paper__year=2019,
        resolution_item__number=6,
        direction=FundingLine.Direction.EXPENSE,
    )
    totals = {row["year"]: row["total"] for row in lines.totals_by_year()}
    assert totals == {2020: Decimal("3505000.00"), 2021: Decimal("3505000.00")}


def test_demo_position_lines_are_not_yet_budgeted(demo):
    lines = FundingLine.objects.filter(position__isnull=False)
    assert {(line.year, line.amount) for line in lines} == {
        (year, Decimal(amount))
        for year in (2020, 2021)
        for amount in ("34450", "85800", "26200")
    }
    assert {line.budget_status for line in lines} == {
        FundingLine.BudgetStatus.NOT_BUDGETED
    }


def test_demo_expects_the_state_refund_of_3270000_euro_for_2020(demo):
    refund = FundingLine.objects.get(direction=FundingLine.Direction.REVENUE)
    assert (refund.year, refund.amount, refund.source) == (
        2020,
        Decimal("3270000.00"),
        FundingLine.Source.STATE,
    )
    assert refund.budget_status == FundingLine.BudgetStatus.NOT_BUDGETED
