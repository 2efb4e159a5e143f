from django.contrib import admin

from council.admin_paging import LongListMixin
from operations.admin_site import ModelAdmin

from .models import Stamp


@admin.register(Stamp)
class StampAdmin(LongListMixin, ModelAdmin):
    """Read-only: the database triggers write the stamps (oparl/triggers.py)."""

    list_display = ["kind", "object_pk", "created", "modified", "published"]
    # The date as a filter, not a date hierarchy: its days were a DISTINCT over
    # all 1.5 million stamps on every visit, 580 ms at 100,000 papers (issue 12).
    list_filter = ["kind", "published", ("modified", admin.DateFieldListFilter)]
    search_fields = ["=object_pk"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
