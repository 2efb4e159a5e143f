"""The positions register (/stellen/) and one position with its history."""

from decimal import Decimal

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from council.filters import PAGE_PARAMETER, RenamedParametersMixin
from operations import formats

from . import charts
from .consistency import in_force_ids
from .filters import HRPositionFilter, department_choices
from .models import (
    HR_PERMISSION,
    CalendarToken,
    Position,
    can_use_hr_register,
)
from .selectors import HUNDRED, Register, checked_rows
from .timeline import decision_timeline

# The session key under which a new calendar address waits to be shown once.
NEW_CALENDAR_SECRET = "positions_new_calendar_secret"


class PositionListView(RenamedParametersMixin, ListView):
    template_name = "positions/position_list.html"
    context_object_name = "rows"
    paginate_by = 50
    # HR's names include the public's; a visitor's HR-only ones are simply ignored.
    renamed_parameters = HRPositionFilter.renamed_parameters

    @cached_property
    def register(self):
        return Register(self.request.user, self.request.GET)

    def get_queryset(self):
        return self.register.page_positions()

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = Paginator(queryset, per_page, **kwargs)
        # The count is known from the sums; saves the paginator its own COUNT query.
        paginator.count = self.register.totals["count"]
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        register = self.register
        # Rows (history, visibility, findings) only for the positions on this page.
        rows = register.page_rows(context["object_list"])
        query = self.request.GET.copy()
        query.pop(PAGE_PARAMETER, None)
        context.update(
            rows=rows,
            object_list=rows,
            filter=register.filter,
            is_hr=register.is_hr,
            as_of=register.filter.as_of_day,
            reference_day=register.day,
            total_count=register.totals["count"],
            total_fte=formats.full_time_equivalents(
                (register.totals["share"] or Decimal(0)) / HUNDRED
            ),
            # The filter without the page: for the exports and the page links.
            query=query.urlencode(),
            query_string=query.urlencode(),
            # Drawn from the same filter, for the same reader (positions/charts.py).
            fte_chart=charts.fte_by_department(register),
            expiry_chart=charts.expiring_per_quarter(register),
            last_changed=Position.objects.visible_to(self.request.user)
            .filter(pk__in=[row.position.pk for row in rows])
            .last_changed(self.request.user),
        )
        return context


class PositionDetailView(DetailView):
    template_name = "positions/position_detail.html"
    context_object_name = "position"

    def get_queryset(self):
        user = self.request.user
        positions = (
            Position.objects.visible_to(user)
            .with_expiry(user)
            .with_terms(user, timezone.localdate())
        )
        if can_use_hr_register(user):
            return positions.for_consistency_checks(user)
        return positions.for_register(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        position = self.object
        user = self.request.user
        row = checked_rows([position], user, timezone.localdate())[0]
        in_force = in_force_ids([position], user)
        steps = [
            {"decision": d, "in_force": d.pk in in_force} for d in position.history
        ]
        context.update(
            row=row,
            # That there are decisions the visitor may not see is said, not what.
            nonpublic_decisions=position.decisions.count() - len(position.history),
            is_hr=can_use_hr_register(user),
            steps=steps,
            timeline=decision_timeline(position.history, in_force),
            last_changed=Position.objects.visible_to(user)
            .filter(pk=position.pk)
            .last_changed(user),
        )
        return context


@method_decorator(never_cache, name="dispatch")
class CalendarTokenView(PermissionRequiredMixin, TemplateView):
    """HR's private calendar address: GET shows whether there is one (a new one
    once, right after it was made); POST makes a new one (revoking the old) or
    revokes it. A page of its own, never kept by any cache, not part of the
    register, which all readers with the same rights share from the page cache."""

    permission_required = HR_PERMISSION
    template_name = "positions/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            calendar_token=CalendarToken.objects.filter(user=user).usable().first(),
            calendar_secret=self.request.session.pop(NEW_CALENDAR_SECRET, None),
            departments=department_choices(user),
        )
        return context

    def post(self, request):
        for token in CalendarToken.objects.filter(user=request.user, revoked_at=None):
            token.revoke()
        if request.POST.get("action") != "revoke":
            # Only a hash is stored: the secret is shown once, on the next page.
            token = CalendarToken.objects.issue(request.user)
            request.session[NEW_CALENDAR_SECRET] = token.secret
        return HttpResponseRedirect(reverse("positions:calendar-token"))
