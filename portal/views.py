"""The start page: what is new in the council, and what needs attention."""

from django.views.generic import TemplateView

from council import control
from council.models import Consultation, Paper
from council.visibility import audience
from operations.pagecache import remembered
from positions.models import Position

# The start page names the number of overdue items up to this many, and above it
# "more than" (an exact count would read every overdue item of ten years).
OVERDUE_COUNT_CAP = 100


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = control.today()
        consultations = (
            Consultation.objects.visible_to(user)
            .filter(date__isnull=False)
            .select_related("paper", "committee")
            # The papers' search vectors are large and not shown.
            .defer("paper__search_vector")
        )
        start, end = control.next_twelve_months(today)
        overdue = control.overdue_items(user, today)

        def counts():
            expiring = Position.objects.visible_to(user).expiring_between(
                user, start, end
            )
            return {
                "expiring": expiring.count(),
                "overdue": control.capped_count(overdue, OVERDUE_COUNT_CAP),
            }

        # Two counts over whole tables that every reader of the page needs, once
        # per data version, audience and day (remembered): a third of the
        # page's time at 100,000 papers (issue 12).
        counted = remembered(f"portal.home.{today}", audience(user), counts)
        context.update(
            latest_papers=Paper.objects.visible_to(user)
            .filter(is_stub=False)
            .with_state(user)
            .select_related("department")
            .defer("search_vector")
            .order_by("-date", "-year", "-number")[:10],
            upcoming=consultations.filter(date__gte=today).order_by("date", "order")[
                :10
            ],
            recent=consultations.filter(date__lt=today).order_by("-date", "order")[:10],
            expiring_count=counted["expiring"],
            expiring_until=end,
            overdue_items=list(overdue[:10]),
            overdue_count=counted["overdue"],
            overdue_count_cap=OVERDUE_COUNT_CAP,
        )
        return context
