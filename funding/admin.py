from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditMixin
from council import formats
from council.admin import VisibilityMixin, contribute_paper_inline
from council.admin_widgets import PreloadedChoicesInlineMixin

from .models import AccountGroup, BudgetUnit, CostCentre, FundingLine, Product


@admin.register(BudgetUnit)
class BudgetUnitAdmin(VisibilityMixin, AuditMixin, admin.ModelAdmin):
    list_display = ("number", "name", "department")
    list_select_related = ("department",)
    search_fields = ("number", "name")
    autocomplete_fields = ("department",)


@admin.register(CostCentre)
class CostCentreAdmin(VisibilityMixin, AuditMixin, admin.ModelAdmin):
    list_display = ("number", "name", "budget_unit")
    list_filter = ("budget_unit",)
    list_select_related = ("budget_unit",)
    search_fields = ("number", "name")
    autocomplete_fields = ("budget_unit",)


@admin.register(Product)
class ProductAdmin(VisibilityMixin, AuditMixin, admin.ModelAdmin):
    list_display = ("number", "name")
    search_fields = ("number", "name")


@admin.register(AccountGroup)
class AccountGroupAdmin(VisibilityMixin, AuditMixin, admin.ModelAdmin):
    list_display = ("number", "name")
    search_fields = ("number", "name")


FUNDING_LINE_FIELDS = (
    ("resolution_item", "year", "amount", "direction"),
    "purpose",
    ("source", "budget_status", "funded_posts"),
    ("budget_unit", "cost_centre", "product", "account_group"),
    ("position", "part_of"),
)


class FundingLineInline(
    PreloadedChoicesInlineMixin, VisibilityMixin, admin.StackedInline
):
    model = FundingLine
    extra = 0
    # The paper's lines as choices once per page, not once per form.
    inline_static_choices = ("part_of",)
    fields = FUNDING_LINE_FIELDS
    autocomplete_fields = (
        "resolution_item",
        "budget_unit",
        "cost_centre",
        "product",
        "account_group",
        "position",
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A breakdown can only split a line of the same paper.
        if db_field.name == "part_of":
            paper_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = FundingLine.objects.visible_to(request.user).filter(
                paper_id=paper_id
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# The paper's change page shows its funding lines after its own inlines; council
# knows nothing of funding (see council.admin.contribute_paper_inline).
contribute_paper_inline(FundingLineInline, position=60)


@admin.register(FundingLine)
class FundingLineAdmin(VisibilityMixin, AuditMixin, admin.ModelAdmin):
    # What a clerk scans, fitting a 1280 px screen beside the filters (issue 15);
    # budget status and unit are filters.
    list_display = (
        "purpose_short",
        "paper",
        "year",
        "amount_display",
        "source",
    )
    list_filter = ("year", "direction", "source", "budget_status", "budget_unit")
    list_select_related = ("paper", "budget_unit")
    search_fields = ("purpose", "paper__title")
    autocomplete_fields = (
        "paper",
        "resolution_item",
        "budget_unit",
        "cost_centre",
        "product",
        "account_group",
        "position",
        "part_of",
    )
    fields = ("paper", *FUNDING_LINE_FIELDS)

    @admin.display(description=_("Betrag"), ordering="amount")
    def amount_display(self, line):
        # Expense or revenue under the amount: one column less.
        return format_html(
            "{}<br>{}", formats.amount(line.amount), line.get_direction_display()
        )

    @admin.display(description=_("Zweck"), ordering="purpose")
    def purpose_short(self, line):
        return line.purpose if len(line.purpose) <= 80 else line.purpose[:79] + "…"
