"""Reads of the council's pages that are more than one queryset call.

Funding lines are reached through the paper's relation, not imported: funding
builds on council, not the other way.
"""

from collections import Counter

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Q, Sum

from .models import Paper

NO_ITEM = "none"

# Below this many rows (as the planner expects them) counting them is cheap.
ESTIMATE_FROM = 20_000


def counted(queryset):
    """(about how many rows `queryset` has, whether that is an estimate), in one
    query.

    On PostgreSQL the planner's row estimate (from the table statistics, without
    reading a row; migration 0013's ratsregister_row_estimate), rounded to
    thousands, once it is ESTIMATE_FROM or more: counting the 95,000 papers of
    the public's list read every one of them (117 ms, issue 12). Below that, and
    on other databases, the exact count.
    """
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return queryset.count(), False
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        # Filters that can match nothing (a year of -1 and a year of 2017, say)
        # compile to no SQL at all; QuerySet.count() answers 0 for them too.
        return 0, False
    with connection.cursor() as cursor:
        # The count's subquery runs only when the CASE needs it.
        cursor.execute(
            "SELECT e.n, CASE WHEN e.n < %s THEN "
            f"(SELECT COUNT(*) FROM ({sql}) AS counted) END "
            "FROM (SELECT ratsregister_row_estimate(%s) AS n) AS e",
            [ESTIMATE_FROM, *params, connection.ops.compose_sql(sql, params)],
        )
        estimate, count = cursor.fetchone()
    if count is not None:
        return count, False
    return round(estimate, -3), True


def items_with_their_positions_and_funding(paper):
    """The paper's items (prefetched as `paper.items`), each with the position
    decisions (`decisions_shown`) and the number of funding lines
    (`funding_line_count`) that name it, taken from the paper's own prefetched
    `position_decisions` and `funding_lines` (the rows its viewer may see)
    rather than fetched again per item: an item's decision or line is always
    its paper's (their clean())."""
    decisions = {}
    for decision in paper.position_decisions.all():
        decisions.setdefault(decision.resolution_item_id, []).append(decision)
    lines = Counter(line.resolution_item_id for line in paper.funding_lines.all())
    items = list(paper.items.all())
    for item in items:
        item.decisions_shown = decisions.get(item.pk, [])
        item.funding_line_count = lines[item.pk]
    return items


def paper_funding(paper, user):
    """The funding of a paper as its page shows it, from the lines `user` may see
    (prefetched as `paper.funding_lines`): ([(item or None, lines, totals)], the
    paper's totals), totals as [(year, direction label, total)] summed in SQL by
    `FundingLineQuerySet.totals_by_year`, breakdowns ("davon") not counted twice."""
    lines = list(paper.funding_lines.all())
    if not lines:
        return [], []
    groups = {}
    for line in lines:
        groups.setdefault(line.resolution_item, []).append(line)
    keys = set(groups)
    # One query: the paper's totals per year and direction, each item's beside.
    per_item = {
        _column(key): Sum(
            "amount",
            filter=Q(resolution_item__isnull=True)
            if key is None
            else Q(resolution_item=key.pk),
        )
        for key in keys
    }
    line_model = Paper.funding_lines.rel.related_model
    labels = dict(line_model.Direction.choices)
    rows = list(
        line_model.objects.visible_to(user)
        .filter(paper=paper)
        .totals_by_year()
        .annotate(**per_item)
    )

    def totals(column):
        return [
            (row["year"], labels[row["direction"]], row[column])
            for row in rows
            if row[column] is not None
        ]

    ordered = sorted(groups.items(), key=lambda pair: _item_order(pair[0]))
    return (
        [
            (item, _ordered_lines(group), totals(_column(item)))
            for item, group in ordered
        ],
        totals("total"),
    )


def _column(item):
    return f"item_{item.pk if item else NO_ITEM}"


def _item_order(item):
    # Lines without an item come after the numbered items.
    return (item is None, item.number if item else 0)


def _ordered_lines(lines):
    # Each total line is followed by its parts ("davon …").
    totals = [line for line in lines if line.part_of_id is None]
    parts = [line for line in lines if line.part_of_id is not None]
    ordered = []
    for total in sorted(totals, key=lambda line: (line.direction, line.year, line.pk)):
        ordered.append(total)
        ordered.extend(p for p in parts if p.part_of_id == total.pk)
    known = {line.pk for line in ordered}
    ordered.extend(p for p in parts if p.pk not in known)
    return ordered
