"""The admin site: Django's, with the login form that asks for a second factor."""

from django.conf import settings
from django.contrib import admin

from .login import AdminLoginForm


class AdminSite(admin.AdminSite):
    login_form = AdminLoginForm
    login_template = "admin/login_second_factor.html"

    def has_permission(self, request):
        # The login form already refuses staff without a second factor when it is
        # mandatory; this also turns away sessions from before the switch.
        if settings.RATSREGISTER_REQUIRE_2FA and not request.user.is_verified():
            return False
        return super().has_permission(request)
