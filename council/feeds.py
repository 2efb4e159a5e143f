"""An Atom feed of the newest papers the visitor may see."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from operations import formats

from .models import Paper


class LatestPapersFeed(Feed):
    feed_type = Atom1Feed
    title = _("Ratsregister – neue Drucksachen")
    subtitle = _("Die zuletzt erfassten Gemeinderatsdrucksachen")
    link = reverse_lazy("council:paper-list")

    def get_object(self, request, *args, **kwargs):
        # The feed object is shared between requests; the user travels as `obj`.
        return request.user

    def items(self, user):
        return (
            Paper.objects.visible_to(user)
            .filter(is_stub=False)
            .select_related("department")
            .defer("search_vector")
            .order_by("-created", "-pk")[:30]
        )

    def item_title(self, paper):
        return f"GRDrs {paper.reference}: {paper.title}"

    def item_description(self, paper):
        parts = [paper.get_paper_type_display()]
        if paper.department:
            parts.append(str(paper.department))
        if paper.date:
            parts.append(formats.date(paper.date))
        return " · ".join(part for part in parts if part)

    def item_pubdate(self, paper):
        if paper.date:
            return timezone.make_aware(
                datetime.datetime.combine(paper.date, datetime.time(12))
            )
        return paper.created

    def item_updateddate(self, paper):
        return paper.modified
