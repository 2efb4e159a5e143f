"""Expiry dates as an iCalendar feed behind a private, revocable address.

Calendar clients send no session cookie, so the secret token in the address is the
credential; it works only while its owner may still use the HR register.
"""

import datetime
import re

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from council.models import Department

from .models import CalendarToken, Position

UID_DOMAIN = "ratsregister"
TOKEN_SHAPE = re.compile(r"[-\w]{20,100}", re.ASCII)


def event_uid(position):
    # Stable per position, so a moved expiry updates the event instead of adding one.
    return f"stelle-{position.pk}-befristung@{UID_DOMAIN}"


class ExpiryCalendarView(View):
    def get(self, request, token, department=None):
        from icalendar import Calendar, Event

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
        positions = list(positions)

        calendar = Calendar()
        calendar.add("prodid", "-//Ratsregister//Befristungen//DE")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", name)
        stamp = timezone.now()
        for position in positions:
            decision = position.current_decision
            lines = [
                position.function,
                _("Dienststelle: %(name)s") % {"name": position.department.name},
                _("Umfang: %(share)s, %(grade)s")
                % {"share": position.share_text, "grade": position.grade_text},
            ]
            if decision:
                basis = str(decision.paper)
                if decision.resolution_item:
                    basis += _(", Ziff. %(number)s") % {
                        "number": decision.resolution_item.number
                    }
                lines.append(_("Beschluss: %(basis)s") % {"basis": basis})
            url = request.build_absolute_uri(position.get_absolute_url())
            lines.append(url)
            event = Event()
            event.add("uid", event_uid(position))
            event.add("dtstamp", stamp)
            event.add("dtstart", position.expiry)
            event.add("dtend", position.expiry + datetime.timedelta(days=1))
            event.add(
                "summary",
                _("Befristung endet: %(function)s (%(department)s)")
                % {
                    "function": position.function,
                    "department": position.department.name,
                },
            )
            event.add("description", "\n".join(lines))
            event.add("url", url)
            changed = [position.modified] + ([decision.modified] if decision else [])
            event.add("last-modified", max(changed))
            calendar.add_component(event)
        response = HttpResponse(
            calendar.to_ical(), content_type="text/calendar; charset=utf-8"
        )
        response["Cache-Control"] = "private, max-age=900"
        return response
