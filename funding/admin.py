from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditMixin
from council.admin import VisibilityMixin, contribute_paper_inline
from council.admin_paging import LongListMixin, YearFilter
from council.admin_widgets import PreloadedChoicesInlineMixin
from operations import formats
from operations.admin_site import ModelAdmin

from .models import AccountGroup, BudgetUnit, CostCentre, FundingLine, Product


@admin.register(BudgetUnit)
class BudgetUnitAdmin(VisibilityMixin, AuditMixin, ModelAdmin):
    list_display = ("number", "name", "department")
    list_select_related = ("department",)
    search_fields = ("number", "name")
    autocomplete_fields = ("department",)


@admin.register(CostCentre)
class CostCentreAdmin(VisibilityMixin, AuditMixin, ModelAdmin):
    list_display = ("number", "name", "budget_unit")
    list_filter = ("budget_unit",)
    list_select_related = ("budget_unit",)
    search_fields = ("number", "name")
    autocomplete_fields = ("budget_unit",)


@admin.register(Product)
class ProductAdmin(VisibilityMixin, AuditMixin, ModelAdmin):
    list_display = ("number", "name")
    search_fields = ("number", "name")


@admin.register(AccountGroup)
class AccountGroupAdmin(VisibilityMixin, AuditMixin, ModelAdmin):
    list_display = ("number", "name")
    search_fields = ("number", "name")


class FundingLineInline(
    PreloadedChoicesInlineMixin, VisibilityMixin, admin.StackedInline
):
    """A paper's funding lines as a clerk checks them against the paper's text.

    The budget codes and the total a breakdown splits are edited on the line's
    own page (the link beside each line): offered in every line's form, the
    totals made the page grow with the square of the paper's lines, and with
    the codes the eleven lines of 949/2019 took 122 of its 204 KB (issue 12).
    """

    model = FundingLine
    extra = 0
    show_change_link = True
    fields = (
        ("resolution_item", "year", "amount", "direction"),
        "purpose",
        ("source", "budget_status", "funded_posts"),
        "position",
    )
    autocomplete_fields = ("resolution_item", "position")


# The paper's change page shows its funding lines after its own inlines; council
# knows nothing of funding (see council.admin.contribute_paper_inline).
contribute_paper_inline(FundingLineInline, position=60)


@admin.register(FundingLine)
class FundingLineAdmin(VisibilityMixin, AuditMixin, LongListMixin, ModelAdmin):
    # What a clerk scans, fitting a 1280 px screen beside the filters (issue 15);
    # budget status and unit are filters.
    list_display = (
        "purpose_short",
        "paper",
        "year",
        "amount_display",
        "source",
    )
    list_filter = (
        ("year", YearFilter),
        "direction",
        "source",
        "budget_status",
        "budget_unit",
    )
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
    fields = (
        "paper",
        ("resolution_item", "year", "amount", "direction"),
        "purpose",
        ("source", "budget_status", "funded_posts"),
        ("budget_unit", "cost_centre", "product", "account_group"),
        ("position", "part_of"),
    )

    @admin.display(description=_("Betrag"), ordering="amount")
    def amount_display(self, line):
        # Expense or revenue under the amount: one column less.
        return format_html(
            "{}<br>{}", formats.amount(line.amount), line.get_direction_display()
        )

    @admin.display(description=_("Zweck"), ordering="purpose")
    def purpose_short(self, line):
        return line.purpose if len(line.purpose) <= 80 else line.purpose[:79] + "…"
