"""The consultation dates as an iCalendar feed (RFC 5545) via the icalendar package."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone


def consultations_calendar(consultations, request):
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Ratsregister//Beratungstermine//DE")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Ratsregister – Beratungstermine")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    host = request.get_host().split(":")[0] or "ratsregister"
    stamp = timezone.now()
    zone = ZoneInfo(settings.TIME_ZONE)
    for consultation in consultations:
        paper = consultation.paper
        event = icalendar.Event()
        event.add("uid", f"beratung-{consultation.pk}@{host}")
        event.add("dtstamp", stamp)
        start_time = consultation.meeting.start_time if consultation.meeting else None
        if start_time:
            start = datetime.datetime.combine(consultation.date, start_time, zone)
            event.add("dtstart", start)
            event.add("dtend", start + datetime.timedelta(hours=2))
        else:
            event.add("dtstart", consultation.date)
            event.add("dtend", consultation.date + datetime.timedelta(days=1))
        event.add(
            "summary",
            f"{consultation.committee.name}: GRDrs {paper.reference} "
            f"({consultation.get_role_display()})",
        )
        event.add("description", paper.title)
        if consultation.meeting and consultation.meeting.location:
            event.add("location", consultation.meeting.location)
        event.add("url", request.build_absolute_uri(paper.get_absolute_url()))
        calendar.add_component(event)
    return calendar.to_ical()
