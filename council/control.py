"""The Beschlusskontrolle: which adopted items are still to be implemented, and when."""

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import Consultation, ResolutionItem

OPEN_STATES = [
    ResolutionItem.Implementation.OPEN,
    ResolutionItem.Implementation.IN_PROGRESS,
]


def today():
    return timezone.localdate()


def control_items(user, on=None):
    """Items of adopted papers the user may see, with `is_overdue`, overdue first."""
    on = on or today()
    overdue = Q(due_date__lt=on, implementation__in=OPEN_STATES)
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
