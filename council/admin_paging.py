"""The admin's paper list counted as the public's is, from the planner's estimate
when it is long.

Django's changelist counts its rows for the paginator: the unfiltered list of
100,000 papers was a sequential scan of the table on every visit (issue 12).
`council.selectors.counted` gives the planner's estimate for a long list (shown
as "etwa …", templates/admin/council/paper/pagination.html) and the exact count
below that and on SQLite, in one query either way.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .selectors import counted


class EstimatedCountPaginator(Paginator):
    estimated = False

    @cached_property
    def count(self):
        count, self.estimated = counted(self.object_list)
        return count
