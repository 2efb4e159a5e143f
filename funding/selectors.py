"""Reads of the funding overview: sums in SQL over the lines a viewer may see."""

from django.db.models import Count, Sum

from .models import FundingLine

# The budget-unit breakdown covers the chosen year, or the newest years up to
# this many of them and as long as their rows stay within BREAKDOWN_ROWS (the
# newest year always): at 1.2 million lines, twenty years of every unit made a
# 5 MB page.
BREAKDOWN_YEARS = 3
BREAKDOWN_ROWS = 300


def sums_by_year(lines):
    """[{"year", "budget_unit__number", "budget_unit__name", "direction",
    "budget_status", "total", "count"}, …] over the lines that count (`lines`
    already visible to the viewer), by year, budget unit, direction and status:
    one pass over the lines for the totals per year, the chart of the expense per
    year and the breakdown by budget unit."""
    return list(
        lines.totals()
        .values(
            "year",
            "budget_unit__number",
            "budget_unit__name",
            "direction",
            "budget_status",
        )
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by("year", "budget_unit__number", "direction", "budget_status")
    )


def totals_per_year(lines=None, *, sums=None):
    """[(year, [{"direction", "direction_label", "total", "count"}, …]), …],
    newest first, over the lines that count (`lines` already visible to the
    viewer, or their `sums_by_year`); `count` is the number of lines summed."""
    if sums is None:
        sums = sums_by_year(lines)
    labels = dict(FundingLine.Direction.choices)
    totals = {}
    for row in sums:
        key = (row["year"], row["direction"])
        total = totals.setdefault(key, {"total": 0, "count": 0})
        total["total"] += row["total"]
        total["count"] += row["count"]
    years = {}
    for (year, direction), total in sorted(totals.items()):
        years.setdefault(year, []).append(
            {
                "year": year,
                "direction": direction,
                "total": total["total"],
                "count": total["count"],
                "direction_label": labels[direction],
            }
        )
    return sorted(years.items(), reverse=True)


def breakdown_by_budget_unit(lines=None, years=(), *, sums=None):
    """[(year, rows)] of `years` (ascending; the newest of them only as far as
    BREAKDOWN_ROWS allows), a row per budget unit, direction and budget status
    with its total and labels; breakdowns ("davon") not counted. From `lines`, or
    from their `sums_by_year` (no query then)."""
    labels_direction = dict(FundingLine.Direction.choices)
    labels_status = dict(FundingLine.BudgetStatus.choices)
    if sums is None:
        sums = sums_by_year(lines.filter(year__in=years))
    summary = [dict(row) for row in sums if row["year"] in years]
    grouped = {}
    for row in summary:
        row["direction_label"] = labels_direction[row["direction"]]
        row["status_label"] = labels_status[row["budget_status"]]
        grouped.setdefault(row["year"], []).append(row)
    kept, rows = [], 0
    for year in sorted(grouped, reverse=True):
        rows += len(grouped[year])
        if kept and rows > BREAKDOWN_ROWS:
            break
        kept.append(year)
    return [(year, grouped[year]) for year in sorted(kept)]


def line_count(per_year, year=None):
    """How many lines totals_per_year summed, in `year` or in all years."""
    return sum(
        row["count"]
        for row_year, rows in per_year
        if year is None or row_year == year
        for row in rows
    )
