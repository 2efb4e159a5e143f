from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.db import router
from django.db.models import Q, prefetch_related_objects
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditMixin
from config.input_guard import OfferedChoicesFilter
from operations import formats
from operations.admin_site import ModelAdmin

from .admin_inlines import LabelledTabularInline
from .admin_paging import LongListMixin, YearFilter
from .admin_widgets import PreloadedChoicesInlineMixin
from .models import (
    Attachment,
    Committee,
    Consultation,
    Department,
    Meeting,
    Paper,
    PaperReference,
    PaperSection,
    Person,
    ResolutionItem,
    can_see_nonpublic,
)


class VisibilityMixin:
    """The visibility rule in the admin, for every ModelAdmin and inline: rows,
    search, autocomplete (which asks the related model's admin), the choices of
    every foreign key, and the delete confirmation come from querysets for the
    signed-in user."""

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return rows.visible_to(request.user) if hasattr(rows, "visible_to") else rows

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        manager = db_field.related_model._default_manager
        if "queryset" not in kwargs and hasattr(manager, "visible_to"):
            kwargs["queryset"] = manager.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_deleted_objects(self, objs, request):
        # The confirmation lists what a deletion takes along. If that includes a
        # row the user may not see, neither the rows nor their number are shown,
        # and the deletion is left to someone who may see them. What blocks the
        # deletion (a paper citing this one, a position decision resting on it)
        # is named as far as the user may see it.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        collector = NestedObjects(using=router.db_for_write(type(objs[0])))
        collector.collect(objs)
        if collector.protected:
            protected = blockers(collector.protected, request.user)
        if not can_see_nonpublic(request.user) and touches_hidden_rows(
            objs, request.user, collector
        ):
            if not protected:
                # Otherwise what blocks it is named, the hidden rows with it.
                perms_needed = {*perms_needed, gettext("nichtöffentliche Einträge")}
            return [], {}, perms_needed, protected
        return deleted, counts, perms_needed, protected


def blockers(rows, user):
    """What keeps a deletion from happening, in words, as far as `user` may see:
    the citing papers, the positions whose decisions rest on it, other rows by
    kind and name; the rest as "nichtöffentliche Einträge", without a number."""
    named, hidden = [], False
    for row in rows:
        model = type(row)
        manager = model._default_manager
        if hasattr(manager, "visible_to") and not (
            manager.visible_to(user).filter(pk=row.pk).exists()
        ):
            hidden = True
            continue
        if isinstance(row, PaperReference):
            named.append(
                gettext("%(paper)s „%(title)s“ bezieht sich darauf (%(kind)s)")
                % {
                    "paper": row.from_paper,
                    "title": row.from_paper.title,
                    "kind": row.get_kind_display(),
                }
            )
        elif model.__name__ == "PositionDecision":
            named.append(
                gettext("Stelle „%(position)s“: %(decision)s")
                % {"position": row.position, "decision": row}
            )
        else:
            named.append(f"{capfirst(model._meta.verbose_name)}: {row}")
    if hidden:
        named.append(gettext("nichtöffentliche Einträge"))
    return sorted(set(named), key=named.index)


def touches_hidden_rows(objs, user, collector=None):
    """Whether deleting `objs` would delete or be blocked by a hidden row."""
    if collector is None:
        collector = NestedObjects(using=router.db_for_write(type(objs[0])))
        collector.collect(objs)
    groups = {model: list(rows) for model, rows in collector.data.items()}
    for row in collector.protected:
        groups.setdefault(type(row), []).append(row)
    for model, rows in groups.items():
        manager = model._default_manager
        if not hasattr(manager, "visible_to"):
            continue
        pks = {row.pk for row in rows}
        if manager.visible_to(user).filter(pk__in=pks).count() != len(pks):
            return True
    return False


@admin.register(Department)
class DepartmentAdmin(VisibilityMixin, AuditMixin, ModelAdmin):
    list_display = ("name", "short_name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)


@admin.register(Committee)
class CommitteeAdmin(VisibilityMixin, AuditMixin, ModelAdmin):
    list_display = ("name", "short_name", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Person)
class PersonAdmin(VisibilityMixin, AuditMixin, ModelAdmin):
    list_display = ("name", "modified")
    search_fields = ("name",)


@admin.register(Meeting)
class MeetingAdmin(VisibilityMixin, AuditMixin, ModelAdmin):
    list_display = ("committee", "date", "start_time", "is_public", "location")
    list_filter = ("committee", "is_public")
    date_hierarchy = "date"
    search_fields = ("committee__name", "location")
    list_select_related = ("committee",)
    autocomplete_fields = ("committee",)


class ResolutionItemInline(
    PreloadedChoicesInlineMixin, VisibilityMixin, admin.StackedInline
):
    model = ResolutionItem
    extra = 0
    inline_select_related = ("paper",)
    autocomplete_fields = ("responsible_department",)
    fields = (
        ("number", "outcome"),
        "text",
        ("responsible_department", "due_date", "implementation"),
    )


class ConsultationInline(
    PreloadedChoicesInlineMixin, VisibilityMixin, LabelledTabularInline
):
    model = Consultation
    extra = 0
    inline_select_related = ("committee",)
    autocomplete_fields = ("committee", "meeting")
    # One row per step, fitting a 1280 px screen (issue 15). The note on the
    # result is edited with the vote counts on the step's own page, one click
    # away through the row's change link.
    fields = (
        "order",
        "committee",
        "role",
        "is_public",
        "date",
        "meeting",
        "result",
    )
    show_change_link = True


class PaperReferenceInline(
    PreloadedChoicesInlineMixin, VisibilityMixin, LabelledTabularInline
):
    model = PaperReference
    fk_name = "from_paper"
    extra = 0
    inline_select_related = ("from_paper", "to_paper")
    autocomplete_fields = ("to_paper",)
    verbose_name = _("Bezug auf eine andere Drucksache")
    verbose_name_plural = _("Bezüge auf andere Drucksachen")


class PaperSectionInline(VisibilityMixin, admin.StackedInline):
    model = PaperSection
    extra = 0
    fields = (("order", "heading"), "body")


class AttachmentInline(VisibilityMixin, LabelledTabularInline):
    model = Attachment
    extra = 0


class PaperStateFilter(OfferedChoicesFilter):
    title = _("Stand")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Paper.State.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(state=self.value())
        return queryset


class PaperCommitteeFilter(OfferedChoicesFilter):
    title = _("Gremium")
    parameter_name = "committee"

    def lookups(self, request, model_admin):
        return Committee.objects.values_list("pk", "name")

    def queryset(self, request, queryset):
        if self.value():
            # Only the steps the user may see: a hidden one must not show through
            # the filter either.
            steps = Consultation.objects.visible_to(request.user).filter(
                committee=self.value()
            )
            return queryset.filter(pk__in=steps.values("paper"))
        return queryset


# Inlines that apps building on council add to the paper's change page (funding:
# the funding lines), each at a position among the paper's own inlines, which
# stand at 10, 20, … 50. An app calls contribute_paper_inline from its own admin
# module, which the admin's autodiscovery imports before the first request.
# The paper admin is composed here, once: council imports none of those apps,
# nothing unregisters and re-registers it, and the position (not the order of
# INSTALLED_APPS) decides where an inline appears.
PAPER_INLINES = {
    ResolutionItemInline: 10,
    ConsultationInline: 20,
    PaperReferenceInline: 30,
    PaperSectionInline: 40,
    AttachmentInline: 50,
}
_contributed_paper_inlines = {}


def contribute_paper_inline(inline, *, position):
    """Show `inline` on the paper's change page at `position` (see above), e.g.
    ``contribute_paper_inline(FundingLineInline, position=60)`` in funding/admin.py."""
    _contributed_paper_inlines[inline] = position


@admin.register(Paper)
class PaperAdmin(VisibilityMixin, AuditMixin, LongListMixin, ModelAdmin):
    # What a clerk scans, fitting a 1280 px screen beside the filters (issue 15);
    # type, department and "only cited" are filters.
    list_display = (
        "reference_display",
        "title",
        "date_display",
        "state_display",
        "is_public",
    )
    list_display_links = ("reference_display", "title")
    list_filter = (
        ("year", YearFilter),
        "paper_type",
        "department",
        PaperCommitteeFilter,
        PaperStateFilter,
        "is_public",
        "is_stub",
    )
    list_select_related = ("department",)
    search_fields = ("title", "file_reference")
    autocomplete_fields = (
        "department",
        "co_departments",
        "co_signing_departments",
        "signer",
    )
    # No date hierarchy: its first and last date and its years were two scans of
    # every paper on each visit; the year filter finds them by index (issue 12).
    ordering = ("-year", "-number")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("number", "year", "suffix"),
                    ("paper_type", "paper_type_note"),
                    "title",
                    ("date", "file_reference"),
                    "department",
                    ("is_public", "is_stub"),
                )
            },
        ),
        (
            _("Unterzeichnung und Mitzeichnung"),
            {
                # Taken from the paper's text by the import, seldom edited:
                # folded, so the Beratungsfolge is nearer the top (issue 15).
                "classes": ["collapse"],
                "fields": (
                    ("signed_by_name", "signed_by_office"),
                    "signer",
                    "co_departments",
                    "co_signing_departments",
                ),
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_state(request.user)

    def get_object(self, request, object_id, from_field=None):
        # The form and the edit-conflict check (audit/concurrency.py) both read
        # the further departments: once each (issue 12).
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            prefetch_related_objects([obj], "co_departments", "co_signing_departments")
        return obj

    def get_inlines(self, request, obj):
        inlines = {**PAPER_INLINES, **_contributed_paper_inlines}
        return sorted(inlines, key=lambda inline: (inlines[inline], inline.__name__))

    def get_search_results(self, request, queryset, search_term):
        # A reference such as "949/2019" or "GRDrs 949/2019" finds that paper.
        number, year, suffix = Paper.split_reference(search_term)
        if number is not None:
            match = Q(number=number, year=year)
            if suffix:
                match &= Q(suffix__iexact=suffix)
            return queryset.filter(match), False
        results, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        # A bare number ("949", "Drs. 949") also finds the papers of that number
        # in every year (the changelist lists them newest first).
        number = Paper.split_number(search_term)
        if number is not None:
            results = results | queryset.filter(number=number)
        return results, may_have_duplicates

    @admin.display(description=_("Drucksache"), ordering="year")
    def reference_display(self, paper):
        return paper.reference

    @admin.display(description=_("Stand"), ordering="state")
    def state_display(self, paper):
        return paper.state.label

    @admin.display(description=_("Datum"), ordering="date")
    def date_display(self, paper):
        return formats.date(paper.date) or None


@admin.register(Consultation)
class ConsultationAdmin(VisibilityMixin, AuditMixin, LongListMixin, ModelAdmin):
    list_display = (
        "paper",
        "order",
        "committee",
        "role",
        "date",
        "is_public",
        "result",
    )
    # The date as a filter, not a date hierarchy: its years were a DISTINCT over
    # all 300,000 steps on every visit (issue 12).
    list_filter = (
        "committee",
        "role",
        "result",
        "is_public",
        ("date", admin.DateFieldListFilter),
    )
    list_select_related = ("paper", "committee")
    search_fields = ("paper__title", "committee__name", "result_note")
    autocomplete_fields = ("paper", "committee", "meeting")


@admin.register(ResolutionItem)
class ResolutionItemAdmin(VisibilityMixin, AuditMixin, LongListMixin, ModelAdmin):
    """Beschlusskontrolle: who carries out which item by when."""

    list_display = (
        "__str__",
        "outcome",
        "responsible_department",
        "due_date",
        "implementation",
    )
    list_filter = ("implementation", "outcome", "responsible_department")
    list_editable = ("implementation",)
    list_select_related = ("paper", "responsible_department")
    search_fields = ("text", "paper__title")
    autocomplete_fields = ("paper", "responsible_department")


@admin.register(PaperReference)
class PaperReferenceAdmin(VisibilityMixin, AuditMixin, ModelAdmin):
    list_display = ("from_paper", "kind", "to_paper")
    list_filter = ("kind",)
    list_select_related = ("from_paper", "to_paper")
    autocomplete_fields = ("from_paper", "to_paper")
    search_fields = ("from_paper__title", "to_paper__title")


@admin.register(PaperSection)
class PaperSectionAdmin(VisibilityMixin, AuditMixin, LongListMixin, ModelAdmin):
    list_display = ("heading", "paper", "order")
    list_select_related = ("paper",)
    search_fields = ("heading", "body")
    autocomplete_fields = ("paper",)


@admin.register(Attachment)
class AttachmentAdmin(VisibilityMixin, AuditMixin, ModelAdmin):
    list_display = ("title", "paper", "number", "is_public")
    list_select_related = ("paper",)
    search_fields = ("title",)
    autocomplete_fields = ("paper",)
