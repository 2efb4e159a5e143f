"""Expiry dates as an iCalendar feed behind a private, revocable address.

Calendar clients send no session cookie, so the secret token in the address is the
credential; it works only while its owner may still use the HR register.
"""

import re

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from council.calendar import CalendarEvent, calendar_response, event_uid, nearest
from council.models import Department

from .models import CalendarToken, Position

TOKEN_SHAPE = re.compile(r"[-\w]{20,100}", re.ASCII)


class ExpiryCalendarView(View):
    def get(self, request, token, department=None):
        # Only what secrets.token_urlsafe() makes can be a token; the rest is not
        # looked up at all.
        if not TOKEN_SHAPE.fullmatch(token):
            raise Http404(_("Diese Kalender-Adresse gibt es nicht (mehr)."))
        subscription = (
            CalendarToken.objects.usable()
            .select_related("user")
            .matching(token)
            .first()
        )
        if subscription is None or not subscription.grants_access():
            raise Http404(_("Diese Kalender-Adresse gibt es nicht (mehr)."))
        # The calendar shows what its owner may see, no more.
        user = subscription.user
        positions = (
            Position.objects.visible_to(user)
            .with_expiry(user)
            .with_history(user)
            .select_related("department")
        ).exclude(expiry=None)
        name = _("Befristungen der Stellen")
        if department is not None:
            unit = get_object_or_404(Department, pk=department)
            positions = positions.filter(department=unit)
            name = f"{name} – {unit.name}"
        # The next expiries, filled up with the most recent (council.calendar).
        positions = nearest(positions, "expiry", timezone.localdate())
        return calendar_response(
            name,
            [self.event(position, request) for position in positions],
            product="Befristungen",
            private=True,
        )

    @staticmethod
    def event(position, request):
        decision = position.current_decision
        lines = [
            position.function,
            _("Dienststelle: %(name)s") % {"name": position.department.name},
            _("Umfang: %(share)s, %(grade)s")
            % {"share": position.share_text, "grade": position.grade_text},
        ]
        if decision:
            lines.append(_("Beschluss: %(basis)s") % {"basis": decision.basis})
        url = request.build_absolute_uri(position.get_absolute_url())
        lines.append(url)
        changed = [position.modified] + ([decision.modified] if decision else [])
        return CalendarEvent(
            # Stable per position, so a moved expiry updates the event instead of
            # adding one.
            uid=event_uid("stelle", position.pk, "befristung"),
            summary=_("Befristung endet: %(function)s (%(department)s)")
            % {"function": position.function, "department": position.department.name},
            start=position.expiry,
            description="\n".join(lines),
            url=url,
            last_modified=max(changed),
        )
