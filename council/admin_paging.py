"""The admin's paper list counted from the planner's statistics when it is long.

Django's changelist counts its rows for the paginator: the unfiltered list of
100,000 papers was a sequential scan of the table on every visit (issue 12). A
list without a filter is the whole table, whose size PostgreSQL keeps in
`pg_class.reltuples` (moved by ANALYZE and autovacuum): from 10,000 rows on, the
page shows that as "etwa …" (templates/admin/council/paper/pagination.html);
below it, and for every filtered list, the exact count. One query either way:
the exact count runs inside the same statement only where the estimate is small.
"""

from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

ESTIMATE_FROM = 10_000


class EstimatedCountPaginator(Paginator):
    estimated = False

    @cached_property
    def count(self):
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if (
            connection.vendor != "postgresql"
            or query is None
            or query.where
            or query.distinct
            or query.combinator
            or query.is_sliced
        ):
            return super().count
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        table = queryset.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN c.reltuples >= %s THEN c.reltuples::bigint "
                f"ELSE (SELECT COUNT(*) FROM ({sql}) q) END, c.reltuples >= %s "
                "FROM pg_class c WHERE c.oid = %s::regclass",
                [ESTIMATE_FROM, *params, ESTIMATE_FROM, table],
            )
            row = cursor.fetchone()
        if row is None:
            return super().count
        self.estimated = bool(row[1])
        return int(row[0])
