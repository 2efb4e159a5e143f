"""The meetings (/sitzungen/): upcoming and past sittings, one meeting with its
agenda, and their calendars. Reads come from council/agenda.py."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, View

from . import agenda, control
from .calendar import CalendarEvent, calendar_response, event_uid, local_start
from .filters import PAGE_PARAMETER, MeetingFilter, RenamedParametersMixin
from .models import Committee, Meeting, can_see_nonpublic

UPCOMING_LIMIT = 100


class MeetingListView(RenamedParametersMixin, ListView):
    template_name = "council/meeting_list.html"
    context_object_name = "past"
    paginate_by = 50

    @cached_property
    def filterset(self):
        user = self.request.user
        return MeetingFilter(
            self.request.GET or None, queryset=agenda.meetings_for(user), user=user
        )

    def get_queryset(self):
        return agenda.past(self.filterset.qs, control.today())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop(PAGE_PARAMETER, None)
        upcoming = []
        if context["page_obj"].number == 1:
            upcoming = agenda.upcoming(self.filterset.qs, control.today())[
                :UPCOMING_LIMIT
            ]
        committee = None
        if self.filterset.is_bound and self.filterset.is_valid():
            committee = self.filterset.form.cleaned_data.get("gremium")
        context.update(
            filter=self.filterset,
            upcoming=upcoming,
            committee=committee,
            query_string=query.urlencode(),
        )
        return context


class MeetingDetailView(DetailView):
    template_name = "council/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return Meeting.objects.visible_to(self.request.user).select_related("committee")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # The whole agenda's order (numbers only), the steps of one page of it.
        order = agenda.agenda_order(self.object, user)
        paginator = Paginator(order, agenda.AGENDA_PAGE_SIZE)
        try:
            page = paginator.page(self.request.GET.get(PAGE_PARAMETER) or 1)
        except (InvalidPage, ValueError) as error:
            raise Http404 from error
        query = self.request.GET.copy()
        query.pop(PAGE_PARAMETER, None)
        context.update(
            entries=agenda.with_steps(page.object_list, self.object, user),
            hidden_count=sum(entry.is_hidden for entry in order),
            can_see_nonpublic=can_see_nonpublic(user),
            paginator=paginator,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            query_string=query.urlencode(),
        )
        return context


def meeting_event(meeting, entries, request):
    """The event of one meeting: its time and place, the visible agenda as text."""
    lines = []
    for entry in entries:
        top = _("TOP %(number)s") % {"number": entry.number} if entry.number else "–"
        if entry.is_hidden:
            lines.append(f"{top}: {_('nichtöffentlich')}")
        else:
            paper = entry.step.paper
            lines.append(f"{top}: GRDrs {paper.reference} {paper.title}".strip())
    url = request.build_absolute_uri(meeting.get_absolute_url())
    return CalendarEvent(
        uid=event_uid("sitzung", meeting.pk),
        summary=_("%(committee)s: Sitzung") % {"committee": meeting.committee.name},
        start=local_start(meeting.date, meeting.start_time),
        description="\n".join([*lines, url]),
        location=meeting.location,
        url=url,
        last_modified=meeting.modified,
    )


class MeetingCalendarView(View):
    """One meeting as iCalendar."""

    def get(self, request, pk):
        meeting = get_object_or_404(
            Meeting.objects.visible_to(request.user).select_related("committee"),
            pk=pk,
        )
        entries = agenda.agenda(meeting, request.user)
        return calendar_response(
            str(meeting),
            [meeting_event(meeting, entries, request)],
            product="Sitzungen",
            filename=f"sitzung-{meeting.pk}.ics",
        )


class CommitteeMeetingsCalendarView(View):
    """A committee's meetings as iCalendar (without agendas: one query)."""

    def get(self, request, slug):
        committee = get_object_or_404(Committee, slug=slug)
        meetings = (
            Meeting.objects.visible_to(request.user)
            .filter(committee=committee)
            .select_related("committee")
            .order_by("date", "start_time", "pk")
        )
        events = [meeting_event(meeting, [], request) for meeting in meetings]
        return calendar_response(
            _("Sitzungen: %(committee)s") % {"committee": committee.name},
            events,
            product="Sitzungen",
            filename=f"sitzungen-{committee.slug}.ics",
        )
