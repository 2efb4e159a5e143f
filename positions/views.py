"""The positions register (/stellen/) and one position with its history."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, View

from council.models import Department

from .consistency import check_positions, in_force_ids
from .filters import HRPositionFilter, PublicPositionFilter
from .models import (
    FUNDING_ATTR,
    HR_PERMISSION,
    CalendarToken,
    Position,
    PositionDecision,
    can_use_hr_register,
)

HUNDRED = Decimal(100)
# The session key under which a new calendar address waits to be shown once.
NEW_CALENDAR_SECRET = "positions_new_calendar_secret"
NONPUBLIC_TEXT = _("nichtöffentlich beschlossen")


def annual_cost(position, year):
    """(year, euro) of the expense lines paying for the position: `year` if a line
    names it, else the latest year named; None without any line."""
    by_year = {}
    # The lines its viewer may see, prefetched by for_register(user).
    for line in position.__dict__[FUNDING_ATTR]:
        # Parts of another line would count twice; revenue is no cost.
        if line.part_of_id is None and line.direction == "expense":
            by_year[line.year] = by_year.get(line.year, Decimal(0)) + line.amount
    if not by_year:
        return None
    chosen = year if year in by_year else max(by_year)
    return chosen, by_year[chosen]


def fte_text(value):
    """Full-time equivalents with at least one decimal: 2,0 · 0,75."""
    from django.utils.formats import number_format

    value = Decimal(value).normalize()
    places = max(1, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=places, use_l10n=True)


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
        return f"{self.share.normalize():f} %"

    @property
    def grade_text(self):
        if self.grade is None:
            return NONPUBLIC_TEXT
        return f"{self.grade} {self.position.pay_scheme}"

    @property
    def fte(self):
        return None if self.share is None else self.share / HUNDRED


def register_rows(positions, user, day, hr, checks=True):
    """RegisterRow for each position (queryset from `for_register(user)`, with
    expiry and terms annotated for `user`); reads no more rows from the database
    than, for HR with `checks`, one query for the decisions in force."""
    positions = list(positions)
    findings = check_positions(positions, user, today=day) if hr and checks else {}
    rows = []
    for position in positions:
        decision = position.current_decision
        rows.append(
            RegisterRow(
                position=position,
                share=position.share_then,
                grade=position.grade_then,
                expiry=position.expiry,
                in_force=position.expiry_decision_id is not None,
                nonpublic=position.rests_on_nonpublic,
                expiry_decision=decision,
                origin=position.origin,
                may_advertise_unlimited=bool(
                    decision and decision.may_advertise_unlimited
                ),
                annual_cost=annual_cost(position, day.year) if hr else None,
                pending_follow_up=hr and position.has_pending_follow_up,
                findings=findings.get(position.pk, []),
            )
        )
    return rows


class RegisterMixin:
    """The filtered register of the current request, shared by page and exports."""

    # The page shows the consistency findings; the exports have no column for them
    # and so need neither the papers' steps nor their funding lines.
    with_checks = True

    @cached_property
    def is_hr(self):
        return can_use_hr_register(self.request.user)

    @cached_property
    def filterset(self):
        filter_class = HRPositionFilter if self.is_hr else PublicPositionFilter
        return filter_class(
            self.request.GET or None,
            queryset=Position.objects.visible_to(self.request.user).for_register(
                self.request.user, hr=self.is_hr, checks=self.with_checks
            ),
            user=self.request.user,
        )

    def register_queryset(self):
        # pk last: a stable order, so that no position shows on two pages.
        return self.filterset.qs.order_by("department__name", "function", "pk")

    @cached_property
    def rows(self):
        return self.rows_for(self.register_queryset())

    def rows_for(self, positions):
        return register_rows(
            positions,
            self.request.user,
            self.filterset.reference_day,
            self.is_hr,
            checks=self.with_checks,
        )


class PositionListView(RegisterMixin, ListView):
    template_name = "positions/position_list.html"
    context_object_name = "rows"
    paginate_by = 50

    def get_queryset(self):
        return self.register_queryset()

    @cached_property
    def totals(self):
        """Number and summed share of the WHOLE filter (not only this page), in SQL."""
        return self.filterset.qs.order_by().aggregate(
            count=Count("pk"), share=Sum("share_then")
        )

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = Paginator(queryset, per_page, **kwargs)
        # The count is known from the sums; saves the paginator its own COUNT query.
        paginator.count = self.totals["count"]
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Rows (history, visibility, findings) only for the positions on this page.
        rows = self.rows_for(context["object_list"])
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            rows=rows,
            object_list=rows,
            filter=self.filterset,
            is_hr=self.is_hr,
            as_of=self.filterset.as_of_day,
            reference_day=self.filterset.reference_day,
            total_count=self.totals["count"],
            total_fte=fte_text((self.totals["share"] or Decimal(0)) / HUNDRED),
            # The filter without the page: for the exports and the page links.
            query=query.urlencode(),
            query_string=query.urlencode(),
            last_changed=Position.objects.visible_to(self.request.user)
            .filter(pk__in=[row.position.pk for row in rows])
            .last_changed(self.request.user),
        )
        if self.is_hr:
            context["calendar_token"] = (
                CalendarToken.objects.filter(user=self.request.user).usable().first()
            )
            context["calendar_secret"] = self.request.session.pop(
                NEW_CALENDAR_SECRET, None
            )
            context["departments"] = Department.objects.filter(
                positions__isnull=False
            ).distinct()
        return context


def _svg_timeline(decisions, in_force, width=640, row_height=26):
    """Bars for the decisions: x from start to end, open ends drawn a year long."""
    spans = []
    for decision in decisions:
        start = decision.effective_from or decision.paper.date
        if start is None:
            continue
        spans.append((decision, start, decision.expiry))
    if not spans:
        return None
    first = min(start for _, start, _ in spans)
    known_ends = [end for _, _, end in spans if end] + [s for _, s, _ in spans]
    last = max(known_ends) + datetime.timedelta(days=365)
    total = max((last - first).days, 1)
    label_width, inner = 170, width - 180

    def x(day):
        return label_width + round((day - first).days / total * inner, 1)

    bars = []
    for index, (decision, start, end) in enumerate(spans):
        stop = end or last
        bars.append(
            {
                "decision": decision,
                "x": x(start),
                "width": max(round(x(stop) - x(start), 1), 2),
                "y": 24 + index * row_height,
                "text_y": 24 + index * row_height + 15,
                "open_end": end is None,
                "in_force": decision.pk in in_force,
            }
        )
    ticks = [
        {"year": year, "x": x(datetime.date(year, 1, 1))}
        for year in range(first.year + 1, last.year + 1)
    ]
    return {
        "width": width,
        "height": 30 + len(bars) * row_height,
        "bars": bars,
        "ticks": ticks,
        "axis_bottom": 24 + len(bars) * row_height,
    }


class PositionDetailView(DetailView):
    template_name = "positions/position_detail.html"
    context_object_name = "position"

    def get_queryset(self):
        user = self.request.user
        return (
            Position.objects.visible_to(user)
            .with_expiry(user)
            .with_terms(user, timezone.localdate())
            .for_register(user, hr=can_use_hr_register(user))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        position = self.object
        user = self.request.user
        hr = can_use_hr_register(user)
        today = timezone.localdate()
        row = register_rows([position], user, today, hr)[0]
        in_force = in_force_ids([position], user)
        steps = [
            {"decision": d, "in_force": d.pk in in_force} for d in position.history
        ]
        context.update(
            row=row,
            # That there are decisions the visitor may not see is said, not what.
            nonpublic_decisions=position.decisions.count() - len(position.history),
            is_hr=hr,
            steps=steps,
            timeline=_svg_timeline(position.history, in_force),
            last_changed=Position.objects.visible_to(user)
            .filter(pk=position.pk)
            .last_changed(user),
        )
        return context


class CalendarTokenView(PermissionRequiredMixin, View):
    """POST: make a new private calendar address (revoking the old) or revoke it."""

    permission_required = HR_PERMISSION
    http_method_names = ["post"]

    def post(self, request):
        for token in CalendarToken.objects.filter(user=request.user, revoked_at=None):
            token.revoke()
        if request.POST.get("action") != "revoke":
            # Only a hash is stored: the secret is shown once, on the next page.
            token = CalendarToken.objects.issue(request.user)
            request.session[NEW_CALENDAR_SECRET] = token.secret
        return HttpResponseRedirect(reverse("positions:position-list") + "#kalender")
