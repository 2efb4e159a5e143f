"""Meetings and their agendas as a viewer may see them (reads shared by the meeting
pages and their calendars).

A meeting the viewer may not see does not exist for them. In a meeting they may
see, an item they may not see (a closed step, or a step on a non-public paper) keeps
its place on the agenda as "nichtöffentlich", with its TOP number only: printed
agendas show closed items the same way, and nothing of the step, its paper or its
result is read for that viewer.
"""

import re
from dataclasses import dataclass

from django.db.models import Count

from .models import Consultation, Meeting

TOP_NUMBER = re.compile(r"\s*(\d+)\s*(.*)")


@dataclass
class AgendaEntry:
    """One item of a meeting's agenda; `step` is None for an item hidden from
    its viewer."""

    number: str
    step: Consultation | None
    pk: int

    @property
    def is_hidden(self):
        return self.step is None

    @property
    def sort_key(self):
        # TOP 2 before TOP 10, 3a after 3; items without a number last, by paper.
        match = TOP_NUMBER.fullmatch(self.number or "")
        if match:
            return (0, int(match[1]), match[2].casefold(), 0, self.pk)
        if self.number:
            return (1, 0, self.number.casefold(), 0, self.pk)
        if self.step is not None:
            paper = self.step.paper
            return (2, paper.year, "", paper.number, self.pk)
        return (3, 0, "", 0, self.pk)


def meetings_for(user):
    """The meetings `user` may see, with committee and the number of agenda
    items (closed items count: the agenda shows them as "nichtöffentlich")."""
    return (
        Meeting.objects.visible_to(user)
        .select_related("committee")
        .annotate(item_count=Count("consultations"))
    )


def upcoming(meetings, day):
    return meetings.filter(date__gte=day).order_by(
        "date", "start_time", "committee__name", "pk"
    )


def past(meetings, day):
    return meetings.filter(date__lt=day).order_by(
        "-date", "-start_time", "committee__name", "-pk"
    )


def agenda(meeting, user):
    """The agenda of `meeting` (one `user` may see) in the order of its TOP
    numbers: [AgendaEntry]; two queries."""
    visible = {
        step.pk: step
        for step in Consultation.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("paper", "committee")
        .defer("paper__search_vector")
    }
    # Of the items the viewer may not see, only their existence and TOP number.
    entries = [
        AgendaEntry(number=number, step=visible.get(pk), pk=pk)
        for pk, number in Consultation.objects.filter(meeting=meeting).values_list(
            "pk", "agenda_number"
        )
    ]
    for entry in entries:
        if entry.step is not None:
            # The page knows its meeting; no query per step for it.
            entry.step.meeting = meeting
    return sorted(entries, key=lambda entry: entry.sort_key)
