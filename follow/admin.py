"""Subscribers for an administrator: who follows what, and the runs. Clerks'
groups hold no permission here; addresses are personal data."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from operations.admin_site import ModelAdmin

from .models import NotificationRun, Subscriber, Subscription


class SubscriptionInline(admin.TabularInline):
    """Shown with the subscriber only: not registered on its own, so deleting a
    paper, committee or position takes its subscriptions along without asking
    a clerk for a permission of this app."""

    model = Subscription
    extra = 0
    fields = ("kind", "paper", "committee", "position", "query", "confirmed_at")
    readonly_fields = fields
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(ModelAdmin):
    list_display = ("__str__", "user", "email", "subscription_count", "created")
    list_select_related = ("user",)
    search_fields = ("email", "user__username", "user__email")
    readonly_fields = ("user", "email", "created")
    fields = readonly_fields
    inlines = [SubscriptionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(count=Count("subscriptions"))

    @admin.display(description=_("Abos"), ordering="count")
    def subscription_count(self, subscriber):
        return subscriber.count

    def has_add_permission(self, request):
        return False


@admin.register(NotificationRun)
class NotificationRunAdmin(ModelAdmin):
    list_display = ("until", "started", "digests", "events")
    readonly_fields = ("started", "until", "digests", "events")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
