"""What OParl publishes: for every kind of object, what an anonymous visitor sees.

These querysets are the only statement of the visibility rule the interface knows.
The views read through them, and the database triggers that stamp changes
(oparl/triggers.py) are generated from their SQL, so that "was this object public?"
is decided by the domain's own `visible_to` everywhere.
"""

from django.contrib.auth.models import AnonymousUser

from council.models import (
    Attachment,
    Committee,
    Consultation,
    Department,
    Meeting,
    Paper,
    PaperSection,
    Person,
    ResolutionItem,
)
from funding.models import FundingLine
from positions.models import PositionDecision

from .models import Stamp

ANONYMOUS = AnonymousUser()


def public_papers():
    return Paper.objects.visible_to(ANONYMOUS)


def public_consultations():
    return Consultation.objects.visible_to(ANONYMOUS)


def public_meetings():
    return Meeting.objects.visible_to(ANONYMOUS)


def public_agenda_items():
    """A public consultation in a public meeting is an item of its agenda."""
    return public_consultations().filter(meeting__in=public_meetings())


def public_locations():
    """The place of a public meeting, where one is known (keyed by the meeting)."""
    return public_meetings().exclude(location="")


def public_files():
    """Public attachments that have a file: OParl needs something to access."""
    return Attachment.objects.visible_to(ANONYMOUS).exclude(file="")


def public_persons():
    return Person.objects.visible_to(ANONYMOUS)


def public_committees():
    return Committee.objects.all()


def public_departments():
    return Department.objects.all()


def public_resolution_items():
    return ResolutionItem.objects.visible_to(ANONYMOUS)


def public_sections():
    return PaperSection.objects.visible_to(ANONYMOUS)


def public_position_decisions():
    return PositionDecision.objects.visible_to(ANONYMOUS)


def public_funding_lines():
    return FundingLine.objects.visible_to(ANONYMOUS)


PUBLIC = {
    Stamp.Kind.PAPER: public_papers,
    Stamp.Kind.CONSULTATION: public_consultations,
    Stamp.Kind.AGENDA_ITEM: public_agenda_items,
    Stamp.Kind.MEETING: public_meetings,
    Stamp.Kind.LOCATION: public_locations,
    Stamp.Kind.FILE: public_files,
    Stamp.Kind.PERSON: public_persons,
    Stamp.Kind.COMMITTEE: public_committees,
    Stamp.Kind.DEPARTMENT: public_departments,
    Stamp.Kind.RESOLUTION_ITEM: public_resolution_items,
    Stamp.Kind.SECTION: public_sections,
    Stamp.Kind.POSITION_DECISION: public_position_decisions,
    Stamp.Kind.FUNDING_LINE: public_funding_lines,
}
