"""The public overview of the money the council's papers commit and expect."""

from itertools import groupby

from django.db.models import Sum
from django.views.generic import TemplateView

from council.models import Paper

from .models import FundingLine


class FundingOverviewView(TemplateView):
    """Funding by year and budget unit, expense and revenue, budgeted or not."""

    template_name = "funding/funding_overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lines = FundingLine.objects.filter(
            paper__in=Paper.objects.visible_to(self.request.user)
        ).totals()
        summary = (
            lines.values(
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
        detail = lines.select_related(
            "paper", "resolution_item", "budget_unit"
        ).order_by("year", "budget_unit__number", "paper__year", "paper__number", "pk")
        context["lines_by_year"] = [
            (year, list(group)) for year, group in groupby(detail, lambda r: r.year)
        ]
        return context
