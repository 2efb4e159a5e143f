"""The admin site: Django's, with the login form that asks for a second factor."""

from django.conf import settings
from django.contrib import admin

from .login import AdminLoginForm


class AdminSite(admin.AdminSite):
    login_form = AdminLoginForm
    login_template = "admin/login_second_factor.html"

    def has_permission(self, request):
        # The login form refuses staff without a second factor when it is
        # mandatory, and SecondFactorRequiredMiddleware ends older sessions; this
        # holds even where that middleware is left out.
        if not super().has_permission(request):
            return False
        return not settings.RATSREGISTER_REQUIRE_2FA or request.user.is_verified()
