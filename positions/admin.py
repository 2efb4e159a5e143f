from django.contrib import admin
from django.db.models.functions import ExtractYear
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditMixin
from config.input_guard import OfferedChoicesFilter
from council.admin import VisibilityMixin
from council.admin_paging import LongListMixin
from operations.admin_site import ModelAdmin

from .models import (
    CalendarToken,
    ExpiryReminder,
    Position,
    PositionDecision,
    PositionPlanRequest,
)
from .selectors import Term


class PositionDecisionInline(VisibilityMixin, admin.StackedInline):
    model = PositionDecision
    extra = 0
    autocomplete_fields = ("paper", "resolution_item")
    fields = (
        ("paper", "resolution_item", "action"),
        ("valid_from", "valid_until", "extends_until"),
        "may_advertise_unlimited",
        ("share_percent", "pay_grade"),
    )


class ExpiryYearFilter(OfferedChoicesFilter):
    title = _("läuft aus im Jahr")
    parameter_name = "expiry_year"

    def lookups(self, request, model_admin):
        years = (
            Position.objects.visible_to(request.user)
            .with_expiry(request.user)
            .exclude(expiry=None)
            .annotate(expiry_year=ExtractYear("expiry"))
            .values_list("expiry_year", flat=True)
            .distinct()
            .order_by("expiry_year")
        )
        return [(str(year), str(year)) for year in years] + [
            ("none", _("unbefristet / nicht wirksam"))
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(expiry=None)
        if self.value():
            return queryset.filter(expiry__year=self.value())
        return queryset


@admin.register(Position)
class PositionAdmin(VisibilityMixin, AuditMixin, ModelAdmin):
    # Share and pay grade in one column, so the list fits a 1280 px screen beside
    # the filters (issue 15).
    list_display = (
        "function",
        "department",
        "scope_display",
        "expiry_display",
        "origin_display",
    )
    list_filter = ("department", "pay_scheme", "pay_grade", "kind", ExpiryYearFilter)
    list_select_related = ("department",)
    search_fields = ("function", "department__name", "pay_grade")
    autocomplete_fields = ("department",)
    inlines = [PositionDecisionInline]
    fieldsets = (
        (None, {"fields": ("function", "department", "kind")}),
        (
            _("Umfang und Bezahlung"),
            {"fields": (("share_percent", "pay_scheme", "pay_grade"),)},
        ),
    )

    def get_queryset(self, request):
        user = request.user
        return super().get_queryset(request).with_expiry(user).with_history(user)

    @admin.display(description=_("Umfang und Bezahlung"), ordering="share_percent")
    def scope_display(self, position):
        return format_html("{}<br>{}", position.share_text, position.grade_text)

    @admin.display(description=_("befristet bis"), ordering="expiry")
    def expiry_display(self, position):
        term = Term.of(
            nonpublic=position.rests_on_nonpublic,
            in_force=position.expiry_decision_id is not None,
            expiry=position.expiry,
        )
        return term.text(position.expiry)

    @admin.display(description=_("geschaffen durch"))
    def origin_display(self, position):
        origin = position.origin
        return origin.paper if origin else "–"


@admin.register(PositionDecision)
class PositionDecisionAdmin(VisibilityMixin, AuditMixin, LongListMixin, ModelAdmin):
    list_display = (
        "position",
        "action",
        "paper",
        "resolution_item",
        "valid_from",
        "valid_until",
    )
    list_filter = ("action",)
    # Newest first, by key: the model's order (by its paper's date) sorted all
    # 31,000 decisions with their papers for each page, 170 ms at 100,000
    # papers (issue 12).
    ordering = ("-pk",)
    list_select_related = ("position", "paper", "resolution_item__paper")
    search_fields = ("position__function", "paper__title")
    autocomplete_fields = ("position", "paper", "resolution_item")


@admin.register(PositionPlanRequest)
class PositionPlanRequestAdmin(VisibilityMixin, AuditMixin, ModelAdmin):
    list_display = (
        "request_number",
        "list_number",
        "department",
        "budget",
        "position",
        "settled_by",
    )
    list_filter = ("budget", "department")
    list_select_related = ("department", "position", "settled_by__paper")
    search_fields = ("budget", "department__name", "position__function")
    autocomplete_fields = ("department", "position", "settled_by")


@admin.register(CalendarToken)
class CalendarTokenAdmin(VisibilityMixin, AuditMixin, ModelAdmin):
    """Private calendar addresses of HR; revoke one when a laptop gets lost.

    Only a hash of each secret is stored. A revocation is final, and only the
    token's owner or an administrator may revoke it.
    """

    list_display = ("user", "created", "revoked_at")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("user__username",)
    readonly_fields = ("user", "created", "revoked_at")
    fields = ("user", "created", "revoked_at")
    actions = ["revoke"]

    def get_queryset(self, request):
        tokens = super().get_queryset(request)
        if request.user.is_superuser:
            return tokens
        return tokens.filter(user=request.user)

    def has_add_permission(self, request):
        # A token is made on the register page, where its address is shown once.
        return False

    def has_revoke_permission(self, request):
        return request.user.is_superuser or self.get_queryset(request).exists()

    @admin.action(
        description=_("Ausgewählte Kalender-Adressen widerrufen"),
        permissions=["revoke"],
    )
    def revoke(self, request, queryset):
        for token in self.get_queryset(request).filter(
            pk__in=queryset.values("pk"), revoked_at=None
        ):
            token.revoke()


@admin.register(ExpiryReminder)
class ExpiryReminderAdmin(VisibilityMixin, AuditMixin, ModelAdmin):
    """What the reminders have sent; read-only, written by send_expiry_reminders."""

    list_display = ("sent_at", "recipient", "decision__position", "expiry")
    list_filter = ("sent_at",)
    list_select_related = ("recipient", "decision__position")
    search_fields = ("recipient__username", "decision__position__function")
    date_hierarchy = "sent_at"
    autocomplete_fields = ("recipient", "decision")
