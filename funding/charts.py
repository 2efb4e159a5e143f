"""The charts of the funding overview: the expense per year and per budget unit,
stacked by budget status. Computed in SQL from the lines the viewer may see (a line
is as public as its paper), through the overview's year filter; breakdowns
("davon") do not count twice."""

from django.db.models import Sum
from django.utils.translation import gettext as _

from council.charts import BarChart
from operations import formats

from .models import FundingLine

# Budget units beyond this many are summed into one row.
MAX_UNITS = 10


def compact_euro(value):
    """Amounts for an axis: "3,5 Mio. €", "235 T€", "900 €"."""
    value = float(value)
    if abs(value) >= 1_000_000:
        return _("%(amount)s Mio. €") % {"amount": formats.number(value / 1e6, 1)}
    if abs(value) >= 1_000:
        return _("%(amount)s T€") % {"amount": formats.number(round(value / 1e3), 0)}
    return formats.number(round(value), 0) + formats.EURO_SIGN


def _sums_by_year(lines):
    expense = lines.totals().filter(direction=FundingLine.Direction.EXPENSE)
    return (
        expense.order_by()
        .values("year", "direction", "budget_status")
        .annotate(total=Sum("amount"))
    )


def _statuses():
    return list(FundingLine.BudgetStatus.choices)


def expense_per_year(lines=None, year=None, *, sums=None):
    """BarChart of the expense per year (or only `year`), by budget status, from
    `lines` or their sums of funding.selectors.sums_by_year (no query then)."""
    if sums is None:
        sums = _sums_by_year(lines)
    rows = {}
    for entry in sums:
        if entry["direction"] != FundingLine.Direction.EXPENSE:
            continue
        if year and entry["year"] != year:
            continue
        values = rows.setdefault(entry["year"], {})
        status = entry["budget_status"]
        values[status] = values.get(status, 0) + entry["total"]
    return BarChart(
        title=_("Aufwand je Jahr nach Haushaltsstand"),
        description=_(
            "Summe des Aufwands der Finanzpositionen je Jahr, aufgeteilt nach "
            "Haushaltsstand; Aufschlüsselungen („davon“) zählen nicht doppelt."
        ),
        rows=[(str(key), values) for key, values in sorted(rows.items())],
        series=_statuses(),
        format_value=compact_euro,
    )


def expense_per_budget_unit(breakdown):
    """BarChart of the expense per budget unit, by budget status, over the years
    of `breakdown` (the overview's [(year, rows)] of selectors'
    breakdown_by_budget_unit: no query of its own); the largest MAX_UNITS units,
    the rest as one row."""
    units = {}
    for _year, rows in breakdown:
        for row in rows:
            if row["direction"] != FundingLine.Direction.EXPENSE:
                continue
            number = row["budget_unit__number"]
            label = f"THH {number}" if number else _("ohne Teilhaushalt")
            values = units.setdefault(label, {})
            status = row["budget_status"]
            values[status] = values.get(status, 0) + row["total"]
    ordered = sorted(units.items(), key=lambda pair: -sum(pair[1].values()))
    rows = ordered[:MAX_UNITS]
    if len(ordered) > MAX_UNITS:
        rest = {}
        for _label, values in ordered[MAX_UNITS:]:
            for status, total in values.items():
                rest[status] = rest.get(status, 0) + total
        rows.append((_("übrige Teilhaushalte"), rest))
    years = sorted(year for year, _rows in breakdown)
    if len(years) > 1:
        span = f"{years[0]}–{years[-1]}"
    else:
        span = "".join(str(year) for year in years)
    return BarChart(
        title=_("Aufwand %(years)s je Teilhaushalt nach Haushaltsstand")
        % {"years": span},
        description=_(
            "Summe des Aufwands je Teilhaushalt in den Jahren der Übersicht, die "
            "größten zuerst, aufgeteilt nach Haushaltsstand."
        ),
        rows=rows,
        series=_statuses(),
        format_value=compact_euro,
    )
