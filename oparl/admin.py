from django.contrib import admin

from .models import Tombstone


@admin.register(Tombstone)
class TombstoneAdmin(admin.ModelAdmin):
    """Read-only: tombstones are written when public objects go away."""

    list_display = ["kind", "object_pk", "created", "modified"]
    list_filter = ["kind"]
    date_hierarchy = "modified"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
