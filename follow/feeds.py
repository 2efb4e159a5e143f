"""Atom feeds for those who prefer them to mail: the news of a committee and
the newest papers of a saved search, as the visitor may see them."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from council.models import Committee

from . import searches
from .events import CHRONOLOGICAL, Collector, Followed, paper_label

FEED_DAYS = 90
FEED_SIZE = 50


class CommitteeFeed(Feed):
    """New meetings and scheduled steps of a committee, from the audit trail."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        # The feed object is shared between requests; the user travels with it.
        return get_object_or_404(Committee, slug=slug), request.user

    def title(self, obj):
        return _("Ratsregister – Neues aus dem Gremium %(name)s") % {"name": obj[0]}

    def link(self, obj):
        return obj[0].get_absolute_url()

    def items(self, obj):
        committee, user = obj
        now = timezone.now()
        collector = Collector(
            user,
            now - datetime.timedelta(days=FEED_DAYS),
            now,
            Followed(committees=frozenset({committee.pk})),
        )
        events = collector.collect(newest=FEED_SIZE)
        return sorted(events, key=CHRONOLOGICAL, reverse=True)[:FEED_SIZE]

    def item_title(self, event):
        return event.text

    def item_description(self, event):
        return event.text

    def item_link(self, event):
        return event.url

    def item_guid(self, event):
        return event.key

    item_guid_is_permalink = False

    def item_pubdate(self, event):
        return event.date


class SearchFeed(Feed):
    """The newest papers a search of /drucksachen/ finds."""

    feed_type = Atom1Feed

    def get_object(self, request):
        return searches.normalise(request.GET), request.user

    def title(self, obj):
        return _("Ratsregister – Suche: %(search)s") % {
            "search": searches.describe(obj[0])
        }

    def link(self, obj):
        url = reverse("council:paper-list")
        return f"{url}?{obj[0]}" if obj[0] else url

    def items(self, obj):
        query, user = obj
        return (
            searches.matching_papers(query, user)
            .filter(is_stub=False)
            .order_by("-created", "-pk")[:FEED_SIZE]
        )

    def item_title(self, paper):
        return paper_label(paper)

    def item_description(self, paper):
        return paper.get_paper_type_display()

    def item_pubdate(self, paper):
        return paper.created
