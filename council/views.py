"""The public, read-only pages of the council: papers, committees, resolutions."""

import math

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, View

from . import control
from .calendar import consultations_calendar, nearest
from .files import attachment_response
from .filters import (
    PAGE_PARAMETER,
    ConsultationFilter,
    PaperFilter,
    RenamedParametersMixin,
)
from .models import (
    Attachment,
    Committee,
    Consultation,
    Paper,
    PaperReference,
    ResolutionItem,
    can_see_nonpublic,
)
from .search import SEARCH_CANDIDATES, SEARCH_COUNTED
from .selectors import counted, items_with_their_positions_and_funding, paper_funding

# Where Position.history finds the decisions its viewer may see (the positions
# app's HISTORY_ATTR; named here so that council imports nothing of positions).
POSITION_HISTORY = "prefetched_history"


class VisibilityMixin:
    """Gives a view the papers and consultations its user may see."""

    def visible_papers(self):
        return Paper.objects.visible_to(self.request.user)

    def visible_consultations(self):
        return Consultation.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_see_nonpublic"] = can_see_nonpublic(self.request.user)
        return context


# A filter by state or committee counts this many papers at most ("mehr als
# 1.000 Drucksachen"): 5,100 state subqueries took 58 ms for one year's
# Beschlussvorlagen at 100,000 papers (issue 12).
FILTERED_COUNTED = 1_000
# The paper list pages no deeper than this: 5,000 papers. An OFFSET reads every
# row it skips (page 4,700 of the public's list: 340 ms at 100,000 papers); a
# year or another filter narrows the list instead (issue 12).
PAPER_PAGES = 250


class PaperPaginator(Paginator):
    """Pages of the paper list: `estimate` allows an estimated count (see
    selectors.counted; `is_estimate` tells), `found` is the count a
    search made (`is_more`: more than it counts), and there are no pages after
    `max_pages` (`is_capped` tells that there would be)."""

    def __init__(
        self,
        *args,
        estimate=False,
        found=None,
        count_up_to=None,
        max_pages=PAPER_PAGES,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.estimate = estimate
        self.found = found
        self.count_up_to = count_up_to
        self.max_pages = max_pages
        self.is_estimate = False
        self.is_more = False

    @cached_property
    def count(self):
        if self.found is not None:
            self.is_more = self.found > SEARCH_COUNTED
            return min(self.found, SEARCH_COUNTED)
        if self.count_up_to is not None:
            # Counting stops one row after the cap; unordered, so that no sort
            # waits for every row first.
            rows = self.object_list.order_by()[: self.count_up_to + 1].count()
            self.is_more = rows > self.count_up_to
            return min(rows, self.count_up_to)
        if not self.estimate:
            return super().count
        rows, self.is_estimate = counted(self.object_list)
        return rows

    @cached_property
    def all_pages(self):
        """The pages the papers would fill without the cap."""
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        hits = max(1, self.count - self.orphans)
        # Rows beyond a counting cap are on pages after it.
        return math.ceil(hits / self.per_page) + self.is_more

    @cached_property
    def num_pages(self):
        return min(self.all_pages, self.max_pages)

    @property
    def is_capped(self):
        return self.all_pages > self.max_pages


class PaperListView(VisibilityMixin, RenamedParametersMixin, ListView):
    template_name = "council/paper_list.html"
    context_object_name = "papers"
    paginate_by = 20
    paginator_class = PaperPaginator
    renamed_parameters = PaperFilter.renamed_parameters

    def get(self, request, *args, **kwargs):
        user = request.user
        # The search vector is only for the database to match and rank with.
        papers = (
            self.visible_papers()
            .with_state(user)
            .select_related("department")
            .defer("search_vector")
        )
        self.filter = PaperFilter(request.GET or None, queryset=papers, user=user)
        text = self.filter.search_text
        # A typed reference goes straight to the paper; an unknown one finds nothing.
        self.unknown_reference = None
        if Paper.split_reference(text)[0] is not None:
            paper = self.visible_papers().find_reference(text)
            if paper is not None:
                return redirect(paper)
            self.unknown_reference = " ".join(text.split())
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.filter.qs

    @cached_property
    def is_filtered(self):
        return self.filter.is_bound and any(self.filter.form.cleaned_data.values())

    @property
    def filters_by_steps(self):
        """Whether a filter reads the papers' steps (state, committee): counting
        all its papers reads the steps of every paper the other filters leave."""
        data = self.filter.form.cleaned_data if self.is_filtered else {}
        return bool(data.get("stand") or data.get("gremium"))

    def get_paginator(self, queryset, per_page, **kwargs):
        found = self.filter.found
        return super().get_paginator(
            queryset,
            per_page,
            # Only the whole list, whose exact length nobody needs, is estimated.
            estimate=not self.is_filtered,
            found=found,
            count_up_to=FILTERED_COUNTED if self.filters_by_steps else None,
            # A search pages through the matches it ranked, a filter by steps
            # through those it counted.
            max_pages=(
                SEARCH_CANDIDATES // per_page
                if found is not None
                else FILTERED_COUNTED // per_page
                if self.filters_by_steps
                else PAPER_PAGES
            ),
            **kwargs,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop(PAGE_PARAMETER, None)
        context["form"] = self.filter.form
        context["query_string"] = query.urlencode()
        context["is_filtered"] = self.is_filtered
        context["search_candidates"] = SEARCH_CANDIDATES
        context["unknown_reference"] = self.unknown_reference
        shown = [paper.pk for paper in context["papers"]]
        context["last_changed"] = (
            self.visible_papers()
            .filter(pk__in=shown)
            .last_changed_in_list(self.request.user)
        )
        return context


MAX_NUMBER = 2_147_483_647
MAX_YEAR = 32_767
MAX_SUFFIX = Paper._meta.get_field("suffix").max_length


class PaperDetailView(VisibilityMixin, DetailView):
    template_name = "council/paper_detail.html"
    context_object_name = "paper"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # "/neufassung/" for "/Neufassung/": the one address, permanently.
            canonical = self.canonical_paper()
            if canonical is None:
                raise
            return redirect(canonical, permanent=True)

    def canonical_paper(self):
        """The paper whose suffix is the address's in another case, or None."""
        year, number = self.kwargs["year"], self.kwargs["number"]
        suffix = self.kwargs.get("suffix", "")
        if not suffix or not (1 <= number <= MAX_NUMBER and 1 <= year <= MAX_YEAR):
            return None
        if "\x00" in suffix or len(suffix) > MAX_SUFFIX:
            return None
        return (
            self.visible_papers()
            .filter(year=year, number=number, suffix__iexact=suffix)
            .exclude(suffix=suffix)
            .only("year", "number", "suffix")
            .first()
        )

    def get_object(self, queryset=None):
        user = self.request.user
        visible = Paper.objects.visible_to(user)
        # Every related row through its own visibility rule; positions and funding
        # are reached by lookup strings, so this app imports nothing of theirs.
        decisions = Paper.position_decisions.rel.related_model.objects.visible_to(user)
        lines = Paper.funding_lines.rel.related_model.objects.visible_to(user)
        papers = (
            visible.with_state(user)
            .select_related("department")
            .defer("search_vector")
            .prefetch_related(
                # The departments besides the lead: Paper.departments_involved.
                "sections",
                Prefetch("attachments", queryset=Attachment.objects.visible_to(user)),
                Prefetch(
                    "consultations",
                    queryset=Consultation.objects.visible_to(user).with_meetings(user),
                ),
                Prefetch(
                    "references_made",
                    queryset=PaperReference.objects.visible_to(user).select_related(
                        "to_paper"
                    ),
                ),
                Prefetch(
                    "references_received",
                    queryset=PaperReference.objects.visible_to(user).select_related(
                        "from_paper"
                    ),
                ),
                # The items with their departments in one query, not two.
                Prefetch(
                    "items",
                    queryset=ResolutionItem.objects.visible_to(user).select_related(
                        "responsible_department"
                    ),
                ),
                # The items' decisions and funding lines are the paper's own,
                # below (selectors.items_with_their_positions_and_funding).
                "items__settled_plan_requests",
                Prefetch(
                    "position_decisions",
                    queryset=decisions.select_related(
                        "position__department", "resolution_item"
                    ),
                ),
                Prefetch(
                    "position_decisions__position__decisions",
                    queryset=decisions.select_related("paper", "resolution_item"),
                    to_attr=POSITION_HISTORY,
                ),
                Prefetch(
                    "funding_lines",
                    queryset=lines.select_related(
                        "budget_unit",
                        "cost_centre",
                        "product",
                        "account_group",
                        "resolution_item",
                    ),
                ),
            )
        )
        year, number = self.kwargs["year"], self.kwargs["number"]
        suffix = self.kwargs.get("suffix", "")
        # Numbers beyond the columns' range or a NUL byte would make the database
        # refuse the query; no paper can have them anyway.
        if not (1 <= number <= MAX_NUMBER and 1 <= year <= MAX_YEAR) or (
            "\x00" in suffix or len(suffix) > MAX_SUFFIX
        ):
            raise Http404(_("Diese Drucksache gibt es nicht."))
        try:
            return papers.get(year=year, number=number, suffix=suffix)
        except Paper.DoesNotExist:
            raise Http404(_("Diese Drucksache gibt es nicht.")) from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paper = self.object
        context["items"] = items_with_their_positions_and_funding(paper)
        context["funding_groups"], context["funding_totals"] = paper_funding(
            paper, self.request.user
        )
        positions = {}
        for decision in paper.position_decisions.all():
            positions.setdefault(decision.position_id, decision.position)
        context["positions_decided"] = list(positions.values())
        context["last_changed"] = (
            self.visible_papers().filter(pk=paper.pk).last_changed(self.request.user)
        )
        return context


class AttachmentView(View):
    """An attachment's file, for those who may see it; nobody else learns it exists."""

    def get(self, request, pk):
        attachment = get_object_or_404(
            Attachment.objects.visible_to(request.user).exclude(file=""), pk=pk
        )
        response = attachment_response(attachment)
        if not (attachment.is_public and attachment.paper.is_public):
            # A non-public file must not stay in a shared cache or a proxy.
            response["Cache-Control"] = "private, no-store"
        return response


class CommitteeListView(VisibilityMixin, ListView):
    template_name = "council/committee_list.html"
    context_object_name = "committees"

    def get_queryset(self):
        return Committee.objects.order_by("kind", "name")


class CommitteeCalendarView(VisibilityMixin, View):
    """The consultation dates as iCalendar, for a calendar application: the
    next ones, filled up with the most recent (calendar.nearest)."""

    def get(self, request):
        consultations = (
            self.visible_consultations()
            .filter(date__isnull=False)
            .select_related("paper")
            .with_meetings(request.user)
        )
        consultations = ConsultationFilter(
            request.GET or None, queryset=consultations
        ).shown
        shown = nearest(
            consultations,
            "date",
            control.today(),
            then=("committee__name", "order", "pk"),
        )
        return consultations_calendar(shown, request)
