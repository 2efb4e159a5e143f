"""Reads of the positions register shared by its page, its exports and the
position page: which positions a reader sees through a filter, and the row each
one becomes.

Every read starts from `Position.objects.visible_to(user)` and computes expiry,
share and grade for that user, so a row never shows what its reader may not see.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum, TextChoices
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from council.models import Paper, ResolutionItem
from council.visibility import audience
from funding.models import FundingLine
from operations import formats
from operations.pagecache import remembered

from .consistency import check_positions
from .filters import HRPositionFilter, PublicPositionFilter
from .models import (
    HISTORY_ATTR,
    Position,
    PositionDecision,
    can_use_hr_register,
    grade_label,
)

HUNDRED = Decimal(100)
NONPUBLIC_TEXT = _("nichtöffentlich beschlossen")


class Term(TextChoices):
    """What "befristet bis" says of a position: its label, or the date for
    LIMITED."""

    NONPUBLIC = "nonpublic", NONPUBLIC_TEXT
    NOT_IN_FORCE = "not_in_force", _("nicht wirksam")
    UNLIMITED = "unlimited", _("unbefristet")
    LIMITED = "limited", _("befristet")

    @classmethod
    def of(cls, *, nonpublic, in_force, expiry):
        """The rule: a decision the reader may not see says nothing more, then
        whether one is in force, then its expiry."""
        if nonpublic:
            return cls.NONPUBLIC
        if not in_force:
            return cls.NOT_IN_FORCE
        return cls.UNLIMITED if expiry is None else cls.LIMITED

    def text(self, expiry):
        return formats.date(expiry) if self is Term.LIMITED else self.label


def expenses_by_year(user, positions):
    """{position pk: {year: euro}} of the expense lines `user` may see paying for
    `positions` (pks or a queryset of them), summed in SQL: the HR rows' cost."""
    rows = (
        FundingLine.objects.visible_to(user)
        # Parts of another line would count twice; revenue is no cost.
        .totals()
        .filter(direction=FundingLine.Direction.EXPENSE, position__in=positions)
        .order_by()
        .values_list("position", "year")
        .annotate(total=Sum("amount"))
    )
    costs = {}
    for position, year, total in rows:
        costs.setdefault(position, {})[year] = total
    return costs


def annual_cost(by_year, year):
    """(year, euro) of `by_year` (expenses_by_year): `year` if a line names it,
    else the latest year named; None without any line."""
    if not by_year:
        return None
    chosen = year if year in by_year else max(by_year)
    return chosen, by_year[chosen]


@dataclass(frozen=True)
class CitedDecision:
    """A decision as an export reads it, from values: what Position.origin and
    current_decision look for, and its basis as cited."""

    pk: int
    action: str
    may_advertise_unlimited: bool
    basis: str


def cited_histories(user, positions):
    """{position pk: [CitedDecision, oldest first]} of the decisions `user` may
    see of `positions` (a queryset): one query of values. Whole decisions with
    their papers and items, 94,000 model instances for 12,500 positions, were
    most of an export's 5–10 s at 100,000 papers (issue 12)."""
    rows = (
        PositionDecision.objects.visible_to(user)
        .filter(position__in=positions)
        .values_list(
            "position",
            "pk",
            "action",
            "may_advertise_unlimited",
            "paper__number",
            "paper__year",
            "paper__suffix",
            "resolution_item__number",
        )
    )
    histories = {}
    for position, pk, action, unlimited, number, year, suffix, item in rows:
        basis = Paper.cite(number, year, suffix)
        if item is not None:
            basis = ResolutionItem.label(basis, item)
        histories.setdefault(position, []).append(
            CitedDecision(pk, action, unlimited, basis)
        )
    return histories


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
    # Whole decisions on pages, CitedDecision in the exports.
    expiry_decision: PositionDecision | CitedDecision | None = None
    origin: PositionDecision | CitedDecision | None = None
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
    def term(self):
        return Term.of(
            nonpublic=self.nonpublic, in_force=self.in_force, expiry=self.expiry
        )

    @property
    def expiry_text(self):
        """What the register and the position page say in "befristet bis"."""
        return self.term.text(self.expiry)


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


def hr_row(position, day, costs, findings=()):
    """The row with HR's columns, of a position from `for_export(user)` or
    `for_consistency_checks(user)`: the cost in `day`'s year (`costs` by year,
    expenses_by_year), a pending follow-up and the consistency `findings`."""
    row = public_row(position)
    row.annual_cost = annual_cost(costs, day.year)
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
    costs = expenses_by_year(user, [p.pk for p in positions])
    return [
        hr_row(p, day, costs.get(p.pk, {}), findings.get(p.pk, ())) for p in positions
    ]


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
        have no column for them); histories and costs read as values."""
        chosen = self.positions().values("pk")
        histories = cited_histories(self.user, chosen)
        costs = expenses_by_year(self.user, chosen)
        rows = []
        for position in self.positions().for_export(self.user):
            # Where with_history(user)'s prefetch puts the same decisions.
            setattr(position, HISTORY_ATTR, histories.get(position.pk, []))
            rows.append(hr_row(position, self.day, costs.get(position.pk, {})))
        return rows
