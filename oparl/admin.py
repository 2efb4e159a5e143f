from django.contrib import admin

from operations.admin_site import ModelAdmin

from .models import Stamp


@admin.register(Stamp)
class StampAdmin(ModelAdmin):
    """Read-only: the database triggers write the stamps (oparl/triggers.py)."""

    list_display = ["kind", "object_pk", "created", "modified", "published"]
    list_filter = ["kind", "published"]
    search_fields = ["=object_pk"]
    date_hierarchy = "modified"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
