"""What the interface publishes, as querysets with a fixed number of queries.

Every queryset starts from the visibility rule for an anonymous visitor
(receivers.py) and carries the object's OParl `created` and `modified` from its
stamp (`oparl_created`, `oparl_modified`; oparl/models.py), which the database
triggers move whenever the object's JSON changes.
"""

from django.db.models import (
    Aggregate,
    CharField,
    Count,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from council.models import Paper, PaperReference

from .models import Stamp
from .receivers import ANONYMOUS, PUBLIC

K = Stamp.Kind


def stamped(queryset, kind, prefix="oparl"):
    """Annotate `<prefix>_created` and `<prefix>_modified` from the stamp of `kind`."""
    stamps = Stamp.objects.filter(kind=kind, object_pk=OuterRef("pk"))
    return queryset.annotate(
        **{
            f"{prefix}_created": Subquery(stamps.values("created")[:1]),
            f"{prefix}_modified": Subquery(stamps.values("modified")[:1]),
        }
    )


def public(kind):
    return stamped(PUBLIC[kind](), kind)


def changed(kind, params):
    """Stamps of `kind` within the list's date filters."""
    return params.apply(Stamp.objects.filter(kind=kind))


# Papers ---------------------------------------------------------------------


def consultations():
    """Public consultations with their committee and, if public, their meeting."""
    return (
        public(K.CONSULTATION)
        .select_related("paper", "committee")
        .with_meetings(ANONYMOUS)
    )


def with_text(queryset):
    """What a paper's text (its mainFile) is made of."""
    return queryset.prefetch_related(
        Prefetch("items", queryset=public(K.RESOLUTION_ITEM).order_by("number")),
        Prefetch("sections", queryset=public(K.SECTION).order_by("order")),
    )


class IdList(Aggregate):
    """The keys of a group as "3,17,5" (string_agg / group_concat): a paper's
    further departments in charge in its own row, not in one more query."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS text), ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, ',')",
            **extra_context,
        )


def co_department_ids():
    """Subquery: the paper's co_departments as "3,17" (None for none)."""
    through = Paper.co_departments.through
    return Subquery(
        through.objects.filter(paper=OuterRef("pk"))
        .values("paper")
        .annotate(ids=IdList("department_id"))
        .values("ids")
    )


def with_paper_details(queryset):
    return with_text(
        queryset.with_state(ANONYMOUS)
        .annotate(co_department_ids=co_department_ids())
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
                "position_decisions",
                queryset=position_decisions().order_by("pk"),
            ),
            Prefetch("funding_lines", queryset=funding_lines().order_by("year", "pk")),
            Prefetch("attachments", queryset=public(K.FILE).order_by("number")),
        )
    )


def position_decisions():
    return public(K.POSITION_DECISION).select_related("position", "resolution_item")


def funding_lines():
    return public(K.FUNDING_LINE).select_related(
        "budget_unit", "cost_centre", "product", "account_group", "resolution_item"
    )


def files():
    return public(K.FILE).select_related("paper")


# Meetings and agenda items --------------------------------------------------


def agenda_items():
    """Public consultations of public meetings, with `agenda_order` counted from 0:
    the item's place in its meeting's `agendaItem`, the same wherever it shows."""
    before = (
        PUBLIC[K.AGENDA_ITEM]()
        .filter(meeting=OuterRef("meeting"), pk__lt=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        public(K.AGENDA_ITEM)
        .annotate(agenda_order=Coalesce(Subquery(before), Value(0)))
        .select_related("paper")
    )


def meetings():
    return stamped(public(K.MEETING), K.LOCATION, prefix="location")


def with_meeting_details(queryset):
    return queryset.select_related("committee").prefetch_related(
        Prefetch("consultations", queryset=agenda_items().order_by("pk"))
    )


def locations():
    return public(K.LOCATION)


def persons():
    return public(K.PERSON)
