"""The charts of the positions register: authorised full-time equivalents per
department over the years, and the positions expiring per quarter.

Both are computed from the register's filter (so they show what the list below
shows) and for its reader, the way the register counts: a position whose decision
in force the reader may not see ("nichtöffentlich beschlossen") has neither share
nor expiry for them, so it adds nothing to the full-time equivalents and is in no
quarter; the hidden decision's share and date never reach a chart.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncQuarter
from django.utils.translation import gettext as _

from council import formats
from council.charts import BarChart, fold_series

from .models import Position, PositionDecision

HUNDRED = Decimal(100)
YEARS, YEARS_AHEAD = 8, 3
QUARTERS = 12


def quarter_start(day):
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_label(day):
    return _("%(quarter)s. Quartal %(year)s") % {
        "quarter": (day.month - 1) // 3 + 1,
        "year": day.year,
    }


def fte_text(value):
    return formats.full_time_equivalents(value)


def chart_years(register, chosen):
    """The YEARS years the full-time equivalents are drawn for: up to the year
    after the last expiry the reader may see of the chosen positions, but no more
    than YEARS_AHEAD beyond the register's day; one query."""
    day = register.day
    span = (
        PositionDecision.objects.visible_to(register.user)
        .filter(position__in=chosen)
        .aggregate(last=Max("expiry"))
    )
    last_year = day.year + YEARS_AHEAD
    if span["last"] is not None:
        last_year = min(last_year, span["last"].year + 1)
    # Always YEARS of them: a page's queries do not depend on its data.
    return range(last_year - YEARS + 1, last_year + 1)


def fte_by_department(register):
    """BarChart: per first of January of chart_years(), the full-time
    equivalents authorised then, per department; one query per year and one
    for the years."""
    user = register.user
    chosen = register.filter.qs.order_by().values("pk")
    rows, departments = [], {}
    for year in chart_years(register, chosen):
        first = datetime.date(year, 1, 1)
        sums = (
            Position.objects.visible_to(user)
            .filter(pk__in=chosen)
            .authorised_on(user, first)
            .order_by()
            .values("department_id", "department__name")
            .annotate(share=Sum("share_then"))
        )
        values = {}
        for entry in sums:
            if entry["share"]:
                key = entry["department_id"]
                departments[key] = entry["department__name"]
                values[key] = entry["share"] / HUNDRED
        rows.append((first.strftime("%d.%m.%Y"), values))
    series = sorted(departments.items(), key=lambda pair: pair[1])
    rows, series = fold_series(rows, series, _("übrige Dienststellen"))
    return BarChart(
        title=_("Bewilligte Vollzeitäquivalente je Dienststelle"),
        description=_(
            "Summe der Stellenanteile der bewilligten Stellen am 1. Januar jedes "
            "Jahres, nach Dienststelle; nichtöffentlich beschlossene Stellen ohne "
            "Anteil."
        ),
        rows=rows,
        series=series,
        format_value=fte_text,
    )


def expiring_per_quarter(register):
    """BarChart: how many of the filtered positions expire (as the register shows
    it) in each of QUARTERS quarters: from the register's day on, or, where
    nothing expires after it, those up to the last expiry; one query."""
    counts = {}
    for entry in (
        register.filter.qs.order_by()
        .exclude(expiry=None)
        .annotate(quarter=TruncQuarter("expiry"))
        .values("quarter")
        .annotate(count=Count("pk"))
    ):
        quarter = entry["quarter"]
        if isinstance(quarter, datetime.datetime):
            quarter = quarter.date()
        counts[quarter] = entry["count"]
    start = quarter_start(register.day)
    if counts and max(counts) < start:
        start = add_quarters(max(counts), 1 - QUARTERS)
    rows = []
    for index in range(QUARTERS):
        quarter = add_quarters(start, index)
        count = counts.get(quarter, 0)
        rows.append((quarter_label(quarter), {"count": count} if count else {}))
    return BarChart(
        title=_("Auslaufende Befristungen je Quartal"),
        description=_(
            "Anzahl der Stellen, deren Befristung im jeweiligen Quartal endet; "
            "nichtöffentlich beschlossene Stellen sind nicht enthalten."
        ),
        rows=rows,
        series=[("count", _("Stellen"))],
        format_value=lambda value: formats.number(value, 0),
        integer=True,
    )


def add_quarters(day, quarters):
    """The first day of the quarter `quarters` after the one starting `day`."""
    index = day.year * 4 + (day.month - 1) // 3 + quarters
    return datetime.date(index // 4, index % 4 * 3 + 1, 1)
