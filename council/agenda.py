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

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Consultation, Meeting

# A page of the meeting page's agenda. A council's agenda rarely has more than a
# hundred items; a page of 50 keeps any meeting's page small and fast.
AGENDA_PAGE_SIZE = 50

TOP_NUMBER = re.compile(r"\s*(\d+)\s*(.*)")


@dataclass
class AgendaEntry:
    """One item of a meeting's agenda; `step` is None for an item hidden from
    its viewer, and until `with_steps` has read the item."""

    number: str
    step: Consultation | None
    pk: int
    is_hidden: bool = False
    # The paper's (year, number), read only for an item its viewer may see: the
    # order of items without a TOP number.
    paper_key: tuple | None = None

    @property
    def sort_key(self):
        # TOP 2 before TOP 10, 3a after 3; items without a number last, by paper.
        match = TOP_NUMBER.fullmatch(self.number or "")
        if match:
            return (0, int(match[1]), match[2].casefold(), 0, self.pk)
        if self.number:
            return (1, 0, self.number.casefold(), 0, self.pk)
        if self.paper_key is not None:
            year, number = self.paper_key
            return (2, year, "", number, self.pk)
        return (3, 0, "", 0, self.pk)


def meetings_for(user):
    """The meetings `user` may see, with committee and the number of agenda
    items (closed items count: the agenda shows them as "nichtöffentlich").

    The number is a subquery per meeting shown, not a join with GROUP BY: that
    grouped all 300,000 consultations before the page's sort and LIMIT, and
    again for the count and the months offered (700 ms at 100,000 papers)."""
    items = (
        Consultation.objects.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Meeting.objects.visible_to(user)
        .select_related("committee")
        .annotate(
            item_count=Coalesce(Subquery(items, output_field=IntegerField()), Value(0))
        )
    )


def upcoming(meetings, day):
    return meetings.filter(date__gte=day).order_by(
        "date", "start_time", "committee__name", "pk"
    )


def past(meetings, day):
    return meetings.filter(date__lt=day).order_by(
        "-date", "-start_time", "committee__name", "-pk"
    )


def agenda_order(meeting, user):
    """Every item of `meeting`'s agenda in the order of its TOP numbers, each
    with its number and whether `user` may see it, but without its step (see
    `with_steps`): [AgendaEntry]; two queries of a few columns whatever the
    agenda's length."""
    visible = {
        pk: (year, number)
        for pk, year, number in Consultation.objects.visible_to(user)
        .filter(meeting=meeting)
        .order_by()
        .values_list("pk", "paper__year", "paper__number")
    }
    # Of the items the viewer may not see, only their existence and TOP number.
    entries = [
        AgendaEntry(
            number=number,
            step=None,
            pk=pk,
            is_hidden=pk not in visible,
            paper_key=visible.get(pk),
        )
        for pk, number in Consultation.objects.filter(meeting=meeting)
        .order_by()
        .values_list("pk", "agenda_number")
    ]
    return sorted(entries, key=lambda entry: entry.sort_key)


def with_steps(entries, meeting, user):
    """`entries` (of `agenda_order`, e.g. one page of them) with the steps of
    those `user` may see, papers and committees joined: one query."""
    wanted = [entry.pk for entry in entries if not entry.is_hidden]
    steps = {
        step.pk: step
        for step in Consultation.objects.visible_to(user)
        .filter(meeting=meeting, pk__in=wanted)
        .select_related("paper", "committee")
        .defer("paper__search_vector")
        .order_by()
    }
    for entry in entries:
        entry.step = steps.get(entry.pk)
        # An item that became hidden since its order was read stays hidden.
        entry.is_hidden = entry.step is None
        if entry.step is not None:
            # The page knows its meeting; no query per step for it.
            entry.step.meeting = meeting
    return entries


def agenda(meeting, user):
    """The whole agenda of `meeting` (one `user` may see) in the order of its
    TOP numbers, steps read: [AgendaEntry]; two queries."""
    return with_steps(agenda_order(meeting, user), meeting, user)
