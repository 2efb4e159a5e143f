"""The public overview of the money the council's papers commit and expect."""

from itertools import groupby

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.views.generic import ListView

from council.filters import PAGE_PARAMETER, RenamedParametersMixin
from council.visibility import audience
from operations.pagecache import remembered

from . import charts
from .filters import FundingLineFilter
from .models import FundingLine
from .selectors import (
    BREAKDOWN_YEARS,
    breakdown_by_budget_unit,
    line_count,
    sums_by_year,
    totals_per_year,
)


class FundingOverviewView(RenamedParametersMixin, ListView):
    """Funding by year and budget unit, expense and revenue, budgeted or not.

    The sums cover every visible line: per year, and per budget unit for the
    chosen year or the newest few. The lines themselves, with links to the
    deciding papers, come a page at a time (a city commits tens of thousands).
    """

    template_name = "funding/funding_overview.html"
    context_object_name = "lines"
    paginate_by = 100

    def visible_lines(self):
        return FundingLine.objects.visible_to(self.request.user).totals()

    @cached_property
    def filter(self):
        lines = self.visible_lines()
        return FundingLineFilter(self.request.GET or None, queryset=lines)

    @cached_property
    def sums(self):
        # One query for the totals per year, the breakdown by budget unit and the
        # chart of the expense per year, kept until the next write.
        user = self.request.user
        return remembered(
            "funding.sums_by_year",
            audience(user),
            lambda: sums_by_year(self.visible_lines()),
        )

    @cached_property
    def totals_per_year(self):
        return totals_per_year(sums=self.sums)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = Paginator(queryset, per_page, **kwargs)
        # The sums per year count their lines; saves the paginator its COUNT.
        paginator.count = line_count(self.totals_per_year, self.filter.selected_year)
        return paginator

    def get_queryset(self):
        return (
            self.filter.qs.select_related(
                "paper", "resolution_item__paper", "budget_unit"
            )
            .defer("paper__search_vector", "resolution_item__paper__search_vector")
            .order_by(
                "-year", "budget_unit__number", "paper__year", "paper__number", "pk"
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        per_year = self.totals_per_year
        all_years = [year for year, _rows in per_year]
        selected = self.filter.selected_year
        shown = [selected] if selected else all_years[:BREAKDOWN_YEARS]
        query = self.request.GET.copy()
        query.pop(PAGE_PARAMETER, None)
        breakdown = breakdown_by_budget_unit(years=shown, sums=self.sums)
        context.update(
            # Through the year filter, for the same reader (funding/charts.py).
            year_chart=charts.expense_per_year(year=selected, sums=self.sums),
            unit_chart=charts.expense_per_budget_unit(breakdown),
            filter=self.filter,
            totals_per_year=per_year,
            all_years=all_years,
            years=breakdown,
            selected_year=selected,
            query_string=query.urlencode(),
            lines_by_year=[
                (year, list(group))
                for year, group in groupby(context["lines"], lambda line: line.year)
            ],
        )
        return context
