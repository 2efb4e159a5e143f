"""The one iCalendar (RFC 5545) builder: every calendar the site serves goes through
`calendar_response`, every event's UID through `event_uid`.

UID scheme: ``<kind>-<pk>[-<aspect>]@ratsregister`` — `kind` names the model in
German (``beratung``, ``sitzung``, ``stelle``), `pk` its primary key, `aspect` what
of it the event shows where one object has more than one (``befristung``). The
domain is fixed, not the request's host, so the same consultation has the same UID
in every calendar and behind every address of the site. A calendar client matches
events by UID: a moved date updates the event it has instead of adding another,
and an object shown in two subscribed calendars (all consultations and one
committee's) is one event. The positions' expiry feed has used
``stelle-<pk>-befristung@ratsregister`` since its first subscriptions; those UIDs
are kept as they are. The consultations' calendar used the request's host until
this builder came; a subscribed client sees those events replaced once.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

UID_DOMAIN = "ratsregister"
# A calendar of a whole register holds this many events: the next ones, and as
# many of the most recent as there is room for. All of them were 300,000
# consultations (98 MB) and 12,500 expiries (3.7 MB, 5 s) at 100,000 papers
# (issue 12); a calendar application wants what comes.
CALENDAR_SIZE = 500
# A meeting without an end time is shown for two hours.
DEFAULT_DURATION = datetime.timedelta(hours=2)


def event_uid(kind, pk, aspect=None):
    """The stable UID of the event about one object (see the module's docstring)."""
    parts = [kind, str(pk)] + ([aspect] if aspect else [])
    return f"{'-'.join(parts)}@{UID_DOMAIN}"


def local_start(day, time):
    """`day` at `time` in the site's time zone; the whole `day` without a time."""
    if time is None:
        return day
    return datetime.datetime.combine(day, time, ZoneInfo(settings.TIME_ZONE))


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT. `start` a date makes an all-day event; `end` defaults to the
    next day for those and to two hours later for a time."""

    uid: str
    summary: str
    start: datetime.date | datetime.datetime
    end: datetime.date | datetime.datetime | None = None
    description: str = ""
    location: str = ""
    url: str = ""
    last_modified: datetime.datetime | None = None

    def component(self, stamp):
        event = icalendar.Event()
        event.add("uid", self.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", self.start)
        end = self.end
        if end is None:
            timed = isinstance(self.start, datetime.datetime)
            end = self.start + (DEFAULT_DURATION if timed else datetime.timedelta(1))
        event.add("dtend", end)
        event.add("summary", self.summary)
        if self.description:
            event.add("description", self.description)
        if self.location:
            event.add("location", self.location)
        if self.url:
            event.add("url", self.url)
        if self.last_modified:
            event.add("last-modified", self.last_modified)
        return event


def build_calendar(name, events, *, product):
    """The iCalendar bytes of `events` under the calendar name `name`; `product`
    says what kind of calendar it is in PRODID (e.g. "Beratungstermine")."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//Ratsregister//{product}//DE")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for event in events:
        calendar.add_component(event.component(stamp))
    return calendar.to_ical()


def calendar_response(name, events, *, product, filename=None, private=False):
    """An HttpResponse with the calendar; `private` for one reader's own feed."""
    response = HttpResponse(
        build_calendar(name, events, product=product),
        content_type="text/calendar; charset=utf-8",
    )
    if filename:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, max-age=900"
    return response


def consultation_event(consultation, request):
    """The event of one consultation (its meeting's time and place where known)."""
    paper = consultation.paper
    meeting = consultation.meeting
    return CalendarEvent(
        uid=event_uid("beratung", consultation.pk),
        summary=(
            f"{consultation.committee.name}: GRDrs {paper.reference} "
            f"({consultation.get_role_display()})"
        ),
        start=local_start(consultation.date, meeting.start_time if meeting else None),
        description=paper.title,
        location=meeting.location if meeting else "",
        url=request.build_absolute_uri(paper.get_absolute_url()),
    )


def nearest(rows, field, day, *, then=("pk",)):
    """The first CALENDAR_SIZE of `rows` whose `field` is `day` or later, filled
    up with the last before it: in the order of `field` and `then`."""
    order = (field, *then)
    upcoming = list(
        rows.filter(**{f"{field}__gte": day}).order_by(*order)[:CALENDAR_SIZE]
    )
    recent = []
    if len(upcoming) < CALENDAR_SIZE:
        backwards = [f"-{name}" for name in order]
        before = rows.filter(**{f"{field}__lt": day}).order_by(*backwards)
        recent = list(before[: CALENDAR_SIZE - len(upcoming)])
    return [*recent[::-1], *upcoming]


def consultations_calendar(consultations, request):
    """The response with the consultation dates (those the view let the request's
    user see) as iCalendar."""
    return calendar_response(
        "Ratsregister – Beratungstermine",
        [consultation_event(c, request) for c in consultations],
        product="Beratungstermine",
        filename="kalender.ics",
    )
