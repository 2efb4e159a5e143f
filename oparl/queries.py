"""What the interface publishes, as querysets with a fixed number of queries.

Every queryset starts from the domain's own visibility rule for an anonymous
visitor (receivers.public_papers etc.), and annotates `oparl_modified`: an object's
`modified` in OParl moves whenever it or anything embedded in it changes.
"""

from django.db.models import Count, F, Max, Min, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce, Greatest

from council.models import (
    Committee,
    Department,
    PaperReference,
    PaperSection,
    ResolutionItem,
)
from funding.models import FundingLine
from positions.models import PositionDecision

from .receivers import (
    ANONYMOUS,
    public_consultations,
    public_files,
    public_meetings,
    public_papers,
)


def newest(queryset, fk):
    """The latest `modified` among rows pointing at the outer row, else its own."""
    latest = (
        queryset.filter(**{fk: OuterRef("pk")}).order_by("-modified").values("modified")
    )
    return Coalesce(Subquery(latest[:1]), F("modified"))


def consultations():
    """Public consultations with their place on the meeting's agenda (`agenda_order`).

    An agenda item's order is its rank among the meeting's public consultations, so
    that it is the same wherever the item shows up.
    """
    rank = (
        public_consultations()
        .filter(meeting=OuterRef("meeting"), pk__lte=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        public_consultations()
        .annotate(agenda_order=Subquery(rank))
        .select_related("paper")
        .with_meetings(ANONYMOUS)
    )


def papers():
    return public_papers().annotate(
        oparl_modified=Greatest(
            F("modified"),
            newest(public_consultations(), "paper"),
            newest(ResolutionItem.objects.visible_to(ANONYMOUS), "paper"),
            newest(PositionDecision.objects.visible_to(ANONYMOUS), "paper"),
            newest(FundingLine.objects.visible_to(ANONYMOUS), "paper"),
        )
    )


def with_paper_details(queryset):
    return (
        queryset.with_state(ANONYMOUS)
        .select_related("department")
        .prefetch_related(
            "co_signing_departments",
            Prefetch("consultations", queryset=consultations().order_by("order")),
            Prefetch(
                "references_made",
                queryset=PaperReference.objects.visible_to(ANONYMOUS).order_by(
                    "to_paper_id", "kind"
                ),
            ),
            Prefetch(
                "references_received",
                queryset=PaperReference.objects.visible_to(ANONYMOUS).order_by(
                    "from_paper_id", "kind"
                ),
            ),
            Prefetch(
                "items",
                queryset=ResolutionItem.objects.visible_to(ANONYMOUS).order_by(
                    "number"
                ),
            ),
            Prefetch(
                "position_decisions",
                queryset=PositionDecision.objects.visible_to(ANONYMOUS).select_related(
                    "position", "resolution_item"
                ),
            ),
            Prefetch(
                "funding_lines",
                queryset=FundingLine.objects.visible_to(ANONYMOUS).select_related(
                    "budget_unit",
                    "cost_centre",
                    "product",
                    "account_group",
                    "resolution_item",
                ),
            ),
            Prefetch("attachments", queryset=files().order_by("number")),
            Prefetch(
                "sections",
                queryset=PaperSection.objects.visible_to(ANONYMOUS).order_by("order"),
            ),
        )
    )


def files():
    """Public attachments that have a file: OParl needs something to access."""
    return public_files().exclude(file="")


def files_with_paper():
    return (
        files()
        .select_related("paper")
        .annotate(created=F("paper__created"), modified=F("paper__modified"))
    )


def meetings():
    return public_meetings().annotate(
        oparl_modified=Greatest(
            F("modified"), newest(public_consultations(), "meeting")
        )
    )


def with_meeting_details(queryset):
    return queryset.select_related("committee").prefetch_related(
        Prefetch("consultations", queryset=consultations().order_by("pk"))
    )


def agenda_items():
    return consultations().filter(meeting__in=public_meetings())


def committees():
    return Committee.objects.all()


def departments():
    return Department.objects.all()


def signers():
    """People who signed public papers, one row per name."""
    return (
        public_papers()
        .exclude(signed_by_name="")
        .values("signed_by_name")
        .annotate(first_created=Min("created"), last_modified=Max("modified"))
        .order_by("signed_by_name")
    )
