"""The Beschlusskontrolle: which adopted items are still to be implemented, and when."""

import datetime

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import cached_property

from .models import Consultation, ResolutionItem

OPEN_STATES = [
    ResolutionItem.Implementation.OPEN,
    ResolutionItem.Implementation.IN_PROGRESS,
]


def today():
    return timezone.localdate()


# The Beschlusskontrolle counts and pages no further than this many items; its
# filters narrow a longer list (issue 12: counting or skipping every item of ten
# years reads them all).
CONTROL_ITEMS_CAP = 1000


def overdue_condition(on):
    return Q(due_date__lt=on, implementation__in=OPEN_STATES)


def control_items(user, on=None):
    """Items of adopted papers the user may see, with `is_overdue`, overdue first."""
    on = on or today()
    overdue = overdue_condition(on)
    # Each item's own paper probed for its approving step (the partial index of
    # approving Beschlussfassungen), rather than the set of every adopted paper.
    adopted = Consultation.objects.visible_to(user).filter(
        paper=OuterRef("paper"),
        role=Consultation.Role.DECISION,
        result__in=Consultation.Result.approving(),
    )
    return (
        ResolutionItem.objects.visible_to(user)
        .filter(Exists(adopted))
        .exclude(outcome__in=ResolutionItem.Outcome.void())
        .select_related("paper", "responsible_department")
        # The papers' search vectors are large and not shown.
        .defer("paper__search_vector")
        .annotate(
            is_overdue=models.Case(
                models.When(overdue, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )
        .order_by(
            "-is_overdue",
            models.F("due_date").asc(nulls_last=True),
            "-paper__year",
            "-paper__number",
            "number",
        )
    )


def overdue_items(user, on=None):
    on = on or today()
    # The plain condition (not the annotation) and an order without it, so that
    # the index of open items by due date gives the first ten at once.
    return (
        control_items(user, on)
        .filter(due_date__lt=on, implementation__in=OPEN_STATES)
        .order_by(
            models.F("due_date").asc(nulls_last=True),
            "-paper__year",
            "-paper__number",
            "number",
        )
    )


class ControlPaginator(Paginator):
    """Pages of `control_items` (filtered), read in two parts: the overdue
    items by the index of open items by due date, then the others; so a page
    sorts its own rows, not every item of adopted papers by `is_overdue` first.
    Counts and pages no further than `cap` items (`is_capped`: there are more)."""

    def __init__(self, object_list, per_page, *, on=None, cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.on = on or today()
        self.cap = CONTROL_ITEMS_CAP if cap is None else cap

    @cached_property
    def counted(self):
        return capped_count(self.object_list, self.cap)

    @cached_property
    def count(self):
        return min(self.counted, self.cap)

    @property
    def is_capped(self):
        return self.counted > self.cap

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        return self._get_page(self.rows(bottom, top), number, self)

    def rows(self, bottom, top):
        """The items from `bottom` to `top` in `control_items`' order."""
        order = [
            models.F("due_date").asc(nulls_last=True),
            "-paper__year",
            "-paper__number",
            "number",
        ]
        overdue = overdue_condition(self.on)
        rows = list(self.object_list.filter(overdue).order_by(*order)[bottom:top])
        if bottom + len(rows) >= top:
            return rows
        # The overdue items end before `top`: the rest of the page from the others.
        if rows or not bottom:
            overdue_count = bottom + len(rows)
        else:
            # Fewer overdue items than `bottom` (counting more would not change it).
            overdue_count = capped_count(self.object_list.filter(overdue), bottom)
        start = max(0, bottom - overdue_count)
        others = self.object_list.exclude(overdue).order_by(*order)
        return rows + list(others[start : start + top - bottom - len(rows)])


def capped_count(queryset, cap):
    """How many rows `queryset` has, counted no further than `cap + 1`: a number
    above `cap` means "more than `cap`". Counting every overdue item of ten
    years would read tens of thousands of rows for a number a page only names."""
    return queryset.order_by()[: cap + 1].count()


def next_twelve_months(on=None):
    on = on or today()
    try:
        end = on.replace(year=on.year + 1)
    except ValueError:  # 29 February
        end = on + datetime.timedelta(days=365)
    return on, end
