"""The start page: what is new in the council, and what needs attention."""

from django.views.generic import TemplateView

from council import control
from council.models import Consultation, Paper
from positions.models import Position


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
        )
        start, end = control.next_twelve_months(today)
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
            expiring_count=Position.objects.visible_to(user)
            .expiring_between(user, start, end)
            .count(),
            expiring_until=end,
            overdue_items=list(control.overdue_items(user, today)[:10]),
            overdue_count=control.overdue_items(user, today).count(),
        )
        return context
