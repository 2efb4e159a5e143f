"""A committee's page (/gremien/<slug>/): its next consultations and its past
ones a page at a time, newest first."""

from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import DetailView

from . import control
from .filters import PAGE_PARAMETER, RenamedParametersMixin
from .models import Committee, Consultation, can_see_nonpublic

# A committee of twenty years has thousands of consultations: a page at a time.
PAST_PER_PAGE = 50
UPCOMING_SHOWN = 50
# Deeper pages than this show the last one's offset; nobody pages that far.
MAX_PAGE = 10_000


def page_number(text):
    """The page asked for, 1 for anything that is not a page number."""
    try:
        number = int(text)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


class CommitteeDetailView(RenamedParametersMixin, DetailView):
    template_name = "council/committee_detail.html"
    context_object_name = "committee"

    def get_queryset(self):
        return Committee.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        consultations = (
            Consultation.objects.visible_to(user)
            .filter(committee=self.object)
            .select_related("paper")
            # The papers' search vectors are large and not shown (issue 12).
            .defer("paper__search_vector")
            .with_meetings(user)
        )
        today = control.today()
        # One more than shown, to know that there are more (no COUNT).
        upcoming = list(
            consultations.filter(date__gte=today).order_by(
                "date", "paper__year", "paper__number"
            )[: UPCOMING_SHOWN + 1]
        )
        # Pages without a COUNT: one row more than shown tells of a next page.
        number = page_number(self.request.GET.get(PAGE_PARAMETER))
        start = (number - 1) * PAST_PER_PAGE
        past = list(
            consultations.exclude(date__gte=today).order_by(
                "-date", "-paper__year", "-paper__number", "pk"
            )[start : start + PAST_PER_PAGE + 1]
        )
        context.update(
            can_see_nonpublic=can_see_nonpublic(user),
            upcoming=upcoming[:UPCOMING_SHOWN],
            more_upcoming=len(upcoming) > UPCOMING_SHOWN,
            meetings_url=reverse("council:meeting-list")
            + "?"
            + urlencode({"gremium": self.object.slug}),
            past=past[:PAST_PER_PAGE],
            past_page=number,
            past_has_next=len(past) > PAST_PER_PAGE,
            last_changed=Committee.objects.filter(pk=self.object.pk).last_changed(user),
        )
        return context
