"""The charts of the positions register: authorised full-time equivalents per
department over the years, and the positions expiring per quarter.

Both are computed from the register's filter (so they show what the list below
shows) and for its reader, the way the register counts: a position whose decision
in force the reader may not see ("nichtöffentlich beschlossen") has neither share
nor expiry for them, so it adds nothing to the full-time equivalents and is in no
quarter; the hidden decision's share and date never reach a chart.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncQuarter
from django.utils.translation import gettext as _

from council.charts import BarChart, fold_series
from council.models import Consultation, can_see_nonpublic
from operations import formats

from .models import PositionDecision
from .standing import uses_standing

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


@dataclass
class _Decision:
    """What authorised_on() reads of a decision in force, for one position."""

    pk: int
    paper_date: datetime.date | None
    effective_from: datetime.date | None
    expiry: datetime.date | None
    share_percent: Decimal | None
    adopted_on: datetime.date | None

    @property
    def newest_key(self):
        # PositionDecisionQuerySet.newest_first(): later paper, later start, pk.
        def later(day):
            return (day is None, -day.toordinal() if day else 0)

        return (*later(self.paper_date), *later(self.effective_from), -self.pk)


def authorised_share(decisions, own_share, hidden, day):
    """The share a position counts with on `day`, as Position.objects
    .authorised_on(user, day) and with_terms(user, day) compute it from the
    decisions in force `user` may see; None if not authorised then, 0 where the
    position rests on a decision `user` may not see (no share)."""
    known = [d for d in decisions if d.adopted_on is not None and d.adopted_on <= day]
    started = [d for d in known if d.effective_from and d.effective_from <= day]
    if not started:
        return None
    if hidden:
        return 0
    current = min(known, key=lambda d: d.newest_key)
    if current.expiry is not None and current.expiry < day:
        return None
    setting = [d for d in started if d.share_percent is not None]
    if setting:
        return min(setting, key=lambda d: d.newest_key).share_percent
    return own_share or 0


def chart_years(register, decisions):
    """The YEARS years the full-time equivalents are drawn for: up to the year
    after the last expiry among `decisions`, but no more than YEARS_AHEAD beyond
    the register's day."""
    # As of 31.12.9999 the calendar ends: no year after it to draw.
    last_year = min(register.day.year + YEARS_AHEAD, datetime.MAXYEAR)
    expiries = [d.expiry for ds in decisions.values() for d in ds if d.expiry]
    if expiries:
        last_year = min(last_year, max(expiries).year + 1)
    # Nor a year before the first: as of 01.01.0001 the chart starts there.
    return range(max(last_year - YEARS + 1, datetime.MINYEAR), last_year + 1)


def filtered_positions(register):
    """The register's filtered positions with what both charts read (the expiry
    as the register shows it to its reader); one query, kept on the register."""
    if not hasattr(register, "_chart_positions"):
        register._chart_positions = list(
            register.filter.qs.order_by().values(
                "pk",
                "department_id",
                "department__name",
                "share_percent",
                "rests_on_nonpublic",
                "expiry",
            )
        )
    return register._chart_positions


def fte_by_department(register):
    """BarChart: per first of January of chart_years(), the full-time
    equivalents authorised then, per department, as authorised_on() counts them
    (tests/visibility/test_charts.py compares the two); two queries: the
    positions of the filter and their decisions in force for the reader. One
    authorised_on() query per year took over a second each at 1,500 positions.
    Where the standing tables are kept (PostgreSQL), one query in SQL
    (fte_rows_in_sql): the two queries and the loop over 12,500 positions took
    seconds at 100,000 papers (issue 12)."""
    in_sql = uses_standing(register.filter.qs.db)
    rows, departments = register.kept(
        "fte_by_department",
        lambda: fte_rows_in_sql(register) if in_sql else fte_rows(register),
    )
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


def fte_rows(register):
    """(rows, departments) of fte_by_department from the decisions in force,
    counted here one position and year at a time."""
    user = register.user
    positions = filtered_positions(register)
    adopted = (
        Consultation.objects.visible_to(user)
        .filter(
            paper=OuterRef("paper"),
            role=Consultation.Role.DECISION,
            result__in=Consultation.Result.approving(),
        )
        .annotate(on=Coalesce("date", "paper__date"))
        .order_by(F("on").asc(nulls_last=True))
        .values("on")[:1]
    )
    decisions = {}
    for row in (
        PositionDecision.objects.visible_to(user)
        .in_force(user)
        .filter(position__in=[position["pk"] for position in positions])
        .annotate(adopted_on=Subquery(adopted))
        .values(
            "pk",
            "position_id",
            "paper__date",
            "effective_from",
            "expiry",
            "share_percent",
            "adopted_on",
        )
    ):
        decisions.setdefault(row.pop("position_id"), []).append(
            _Decision(paper_date=row.pop("paper__date"), **row)
        )
    rows, departments = [], {}
    for year in chart_years(register, decisions):
        first = datetime.date(year, 1, 1)
        values = {}
        for position in positions:
            share = authorised_share(
                decisions.get(position["pk"], []),
                position["share_percent"],
                position["rests_on_nonpublic"],
                first,
            )
            if share:
                key = position["department_id"]
                departments[key] = position["department__name"]
                values[key] = values.get(key, 0) + share / HUNDRED
        rows.append((formats.date(first), values))
    return rows, departments


# authorised_share() for every filtered position and every first of January at
# once, from the periods positions/standing.py keeps (when each decision is the
# current one of an authorised position); the share is that of the newest
# started decision that sets one, else the position's own. A position resting on
# a decision the reader may not see counts nothing.
FTE_SQL = """
WITH pos (pk, department_id, own_share, hidden, last_expiry) AS ({positions}),
last AS (
  SELECT LEAST(%s, EXTRACT(YEAR FROM max(last_expiry))::int + 1) AS year FROM pos
),
days AS (
  SELECT make_date(y, 1, 1) AS day
    FROM last, generate_series(GREATEST(last.year - %s + 1, 1), last.year) AS y
),
setting AS (
  SELECT d.position_id, d.share_percent, s.paper_date,
         COALESCE(d.valid_from, s.paper_date) AS eff, d.id,
         GREATEST(s.{view}_adopted_on, COALESCE(d.valid_from, s.paper_date))
           AS started
    FROM positions_positiondecision d
    JOIN positions_decisionstanding s ON s.decision_id = d.id
    JOIN pos ON pos.pk = d.position_id AND NOT pos.hidden
   WHERE d.share_percent IS NOT NULL AND s.{view}_in_force
     AND s.{view}_adopted_on IS NOT NULL
     AND COALESCE(d.valid_from, s.paper_date) IS NOT NULL
),
sh AS (
  SELECT position_id, share_percent, started AS from_day,
         min(started) OVER (PARTITION BY position_id
                   ORDER BY paper_date DESC NULLS LAST, eff DESC NULLS LAST, id DESC
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS until_day
    FROM setting
),
sums AS (
  SELECT days.day, pos.department_id,
         sum(COALESCE(sh.share_percent, pos.own_share, 0)) AS total
    FROM days
    JOIN positions_decisionstanding s
      ON s.{view}_from <= days.day
     AND (s.{view}_until IS NULL OR days.day < s.{view}_until)
    JOIN pos ON pos.pk = s.position_id AND NOT pos.hidden
    LEFT JOIN sh ON sh.position_id = s.position_id AND sh.from_day <= days.day
                AND (sh.until_day IS NULL OR days.day < sh.until_day)
   GROUP BY days.day, pos.department_id
)
SELECT sums.day, sums.department_id, department.name, sums.total
  FROM sums JOIN council_department department ON department.id = sums.department_id
 UNION ALL
SELECT day, NULL, NULL, NULL FROM days
 ORDER BY 1
"""


def fte_rows_in_sql(register):
    """(rows, departments) of fte_by_department, computed in one query from the
    standing tables (positions/standing.py)."""
    queryset = register.filter.qs.order_by()
    view = "record" if can_see_nonpublic(register.user) else "public"
    positions, params = queryset.values_list(
        "pk",
        "department_id",
        "share_percent",
        "rests_on_nonpublic",
        f"standing__{view}_last_expiry",
    ).query.sql_with_params()
    sql = FTE_SQL.format(positions=positions, view=view)
    last_year = min(register.day.year + YEARS_AHEAD, datetime.MAXYEAR)
    by_day, departments = {}, {}
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, [*params, last_year, YEARS])
        for day, department, name, share in cursor.fetchall():
            values = by_day.setdefault(day, {})
            if department is not None and share:
                departments[department] = name
                values[department] = share / HUNDRED
    rows = [(formats.date(day), values) for day, values in by_day.items()]
    return rows, departments


def expiring_per_quarter(register):
    """BarChart: how many of the filtered positions expire (as the register shows
    it) in each of QUARTERS quarters: from the register's day on, or, where
    nothing expires after it, those up to the last expiry; no query beyond
    filtered_positions(), or one that counts per quarter where the standing
    tables are kept (PostgreSQL)."""
    counts = register.kept("expiring_per_quarter", lambda: expiry_counts(register))
    start = quarter_start(register.day)
    if counts and max(counts) < start:
        start = add_quarters(max(counts), 1 - QUARTERS)
    # The quarters shown end with the calendar's last one (as of 31.12.9999).
    start = min(
        start, add_quarters(datetime.date(datetime.MAXYEAR, 10, 1), 1 - QUARTERS)
    )
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


def expiry_counts(register):
    """{first day of a quarter: how many of the filtered positions expire in it}."""
    if uses_standing(register.filter.qs.db):
        return dict(
            register.filter.qs.order_by()
            .exclude(expiry=None)
            .annotate(quarter=TruncQuarter("expiry"))
            .values("quarter")
            .annotate(count=Count("pk"))
            .values_list("quarter", "count")
        )
    counts = {}
    for position in filtered_positions(register):
        if position["expiry"] is not None:
            quarter = quarter_start(position["expiry"])
            counts[quarter] = counts.get(quarter, 0) + 1
    return counts


def add_quarters(day, quarters):
    """The first day of the quarter `quarters` after the one starting `day`."""
    index = day.year * 4 + (day.month - 1) // 3 + quarters
    return datetime.date(index // 4, index % 4 * 3 + 1, 1)
