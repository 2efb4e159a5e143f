"""Reads of the positions register shared by its page, its exports and the
position page: which positions a reader sees through a filter, and the row each
one becomes.

Every read starts from `Position.objects.visible_to(user)` and computes expiry,
share and grade for that user, so a row never shows what its reader may not see.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from council.visibility import audience
from operations import formats
from operations.pagecache import remembered

from .consistency import check_positions
from .filters import HRPositionFilter, PublicPositionFilter
from .models import (
    FUNDING_ATTR,
    Position,
    PositionDecision,
    can_use_hr_register,
    grade_label,
)

HUNDRED = Decimal(100)
NONPUBLIC_TEXT = _("nichtöffentlich beschlossen")


def annual_cost(position, year):
    """(year, euro) of the expense lines paying for the position: `year` if a line
    names it, else the latest year named; None without any line."""
    by_year = {}
    # The lines its viewer may see, prefetched by for_hr_register(user).
    for line in position.__dict__[FUNDING_ATTR]:
        # Parts of another line would count twice; revenue is no cost.
        if line.part_of_id is None and line.direction == line.Direction.EXPENSE:
            by_year[line.year] = by_year.get(line.year, Decimal(0)) + line.amount
    if not by_year:
        return None
    chosen = year if year in by_year else max(by_year)
    return chosen, by_year[chosen]


@dataclass
class RegisterRow:
    """One position as the register shows it, computed from what its reader may
    see; `nonpublic` when the decision in force is one the reader may not see."""

    position: Position
    share: Decimal | None
    grade: str | None
    expiry: datetime.date | None
    in_force: bool
    nonpublic: bool = False
    expiry_decision: PositionDecision | None = None
    origin: PositionDecision | None = None
    may_advertise_unlimited: bool = False
    annual_cost: tuple | None = None
    pending_follow_up: bool = False
    findings: list = field(default_factory=list)

    @property
    def share_text(self):
        if self.share is None:
            return NONPUBLIC_TEXT
        return formats.percent(self.share)

    @property
    def grade_text(self):
        if self.grade is None:
            return NONPUBLIC_TEXT
        return grade_label(self.grade, self.position.pay_scheme)

    @property
    def expiry_text(self):
        """What the register and the position page say in "befristet bis"."""
        if self.nonpublic:
            return NONPUBLIC_TEXT
        if not self.in_force:
            return _("nicht wirksam")
        if self.expiry is None:
            return _("unbefristet")
        return formats.date(self.expiry)


def public_row(position):
    """The row of a position from `for_register(user)` with expiry and terms
    annotated for that user."""
    decision = position.current_decision
    return RegisterRow(
        position=position,
        share=position.share_then,
        grade=position.grade_then,
        expiry=position.expiry,
        in_force=position.expiry_decision_id is not None,
        nonpublic=position.rests_on_nonpublic,
        expiry_decision=decision,
        origin=position.origin,
        may_advertise_unlimited=bool(decision and decision.may_advertise_unlimited),
    )


def hr_row(position, day, findings=()):
    """The row with HR's columns, of a position from `for_hr_register(user)` or
    `for_consistency_checks(user)`: the cost in `day`'s year, a pending follow-up
    and the consistency `findings` about it."""
    row = public_row(position)
    row.annual_cost = annual_cost(position, day.year)
    row.pending_follow_up = position.has_pending_follow_up
    row.findings = list(findings)
    return row


def checked_rows(positions, user, day):
    """Rows as `user` reads them on a page: for HR with the consistency findings
    (positions from `for_consistency_checks(user)`, one query for the decisions
    in force), for everyone else the public row (`for_register(user)`)."""
    positions = list(positions)
    if not can_use_hr_register(user):
        return [public_row(position) for position in positions]
    findings = check_positions(positions, user, today=day)
    return [hr_row(p, day, findings.get(p.pk, ())) for p in positions]


class Register:
    """The positions register as `user` reads it through the filter `data` (the
    query parameters): HR's filters and columns for HR, the public's otherwise."""

    def __init__(self, user, data, *, today=None):
        self.user = user
        self.is_hr = can_use_hr_register(user)
        filter_class = HRPositionFilter if self.is_hr else PublicPositionFilter
        self.filter = filter_class(
            data, queryset=Position.objects.visible_to(user), user=user, today=today
        )

    @property
    def day(self):
        """The day the register is read for: "as of" or today."""
        return self.filter.reference_day

    def positions(self):
        """The filtered positions in the register's order, without what a row
        reads (for counting and slicing)."""
        # pk last: a stable order, so that no position shows on two pages.
        return self.filter.qs.order_by("department__name", "function", "pk")

    @cached_property
    def totals(self):
        """Number and summed share of the WHOLE filter, in SQL."""
        return self.kept(
            "totals",
            lambda: self.filter.qs.order_by().aggregate(
                count=Count("pk"), share=Sum("share_then")
            ),
        )

    def kept(self, name, compute):
        """compute()'s value over the whole filter, kept under the data version
        for readers of the same audience (operations.pagecache.remembered): the
        sums and charts over every filtered position were most of a register
        page's SQL at 100,000 papers (issue 12). The key holds all the filter
        reads: its kind, its valid values and its days."""
        self.filter.is_valid()  # cleaned_data: the values the filter applies
        criteria = sorted(
            (field, getattr(value, "pk", value))
            for field, value in self.filter.form.cleaned_data.items()
        )
        key = (
            f"positions.register.{name}|{type(self.filter).__name__}|"
            f"{self.filter.today}|{self.day}|{criteria}"
        )
        return remembered(key, audience(self.user), compute)

    def page_positions(self):
        """positions() with what checked_rows reads of each."""
        if self.is_hr:
            return self.positions().for_consistency_checks(self.user)
        return self.positions().for_register(self.user)

    def page_rows(self, positions):
        """Rows of a page of page_positions(), HR's with their findings."""
        return checked_rows(positions, self.user, self.day)

    def export_rows(self):
        """HR's rows of every filtered position, without findings (the exports
        have no column for them)."""
        positions = self.positions().for_hr_register(self.user)
        return [hr_row(position, self.day) for position in positions]
