"""The public overview of the money the council's papers commit and expect."""

from itertools import groupby

from django.db.models import Sum
from django.utils.functional import cached_property
from django.views.generic import ListView

from .forms import FundingFilterForm
from .models import FundingLine


class FundingOverviewView(ListView):
    """Funding by year and budget unit, expense and revenue, budgeted or not.

    The sums cover every visible line; the lines themselves, with links to the
    deciding papers, come a page at a time (a city commits tens of thousands).
    """

    template_name = "funding/funding_overview.html"
    context_object_name = "lines"
    paginate_by = 100

    def visible_lines(self):
        return FundingLine.objects.visible_to(self.request.user).totals()

    @cached_property
    def selected_year(self):
        # A form field, not isdigit(): "²²²²" is digits to isdigit() but no year.
        return FundingFilterForm(self.request.GET).selected_year()

    def get_queryset(self):
        lines = self.visible_lines()
        if year := self.selected_year:
            lines = lines.filter(year=year)
        return lines.select_related(
            "paper", "resolution_item__paper", "budget_unit"
        ).order_by("-year", "budget_unit__number", "paper__year", "paper__number", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = (
            self.visible_lines()
            .values(
                "year",
                "budget_unit__number",
                "budget_unit__name",
                "direction",
                "budget_status",
            )
            .annotate(total=Sum("amount"))
            .order_by("year", "budget_unit__number", "direction", "budget_status")
        )
        labels_direction = dict(FundingLine.Direction.choices)
        labels_status = dict(FundingLine.BudgetStatus.choices)
        rows = [
            {
                **row,
                "direction_label": labels_direction[row["direction"]],
                "status_label": labels_status[row["budget_status"]],
            }
            for row in summary
        ]
        context["years"] = [
            (year, list(group)) for year, group in groupby(rows, lambda r: r["year"])
        ]
        context["selected_year"] = self.selected_year
        context["lines_by_year"] = [
            (year, list(group))
            for year, group in groupby(context["lines"], lambda line: line.year)
        ]
        return context
