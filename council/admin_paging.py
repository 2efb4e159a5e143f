"""The admin's long lists counted as the public's paper list is, from the
planner's estimate when it is long.

Django's changelist counts its rows for the paginator: the unfiltered list of
100,000 papers was a sequential scan of the table on every visit (issue 12).
`council.selectors.counted` gives the planner's estimate for a long list (shown
as "etwa …", templates/admin/pagination.html) and the exact count below that and
on SQLite, in one query either way. Their year filters find the years by the
index, one probe a year (YearFilter).
"""

from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .selectors import counted


class EstimatedCountPaginator(Paginator):
    estimated = False

    @cached_property
    def count(self):
        count, self.estimated = counted(self.object_list)
        return count


class LongListMixin:
    """For the admin of a table that runs to 100,000s of rows (papers, steps,
    items, funding lines, OParl stamps): fifty rows a page, as the public lists
    show (Django's hundred were most of the paper list's time, and a clerk finds
    a row by search and filters rather than by scrolling), counted by
    EstimatedCountPaginator, and no second COUNT of the whole table beside a
    filtered one."""

    list_per_page = 50
    paginator = EstimatedCountPaginator
    show_full_result_count = False


class YearFilter(admin.AllValuesFieldListFilter):
    """A long table's years by index probes (models.YearsQuerySet.years), not by a
    DISTINCT over every row: the funding lines' took 23 ms at 100,000 papers."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.lookup_choices = sorted(model_admin.get_queryset(request).years())
