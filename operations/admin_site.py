"""The admin site: Django's, with the login form that asks for a second factor."""

from functools import partial

from django.conf import settings
from django.contrib import admin
from django.urls import path
from django.utils.functional import SimpleLazyObject

from .login import AdminLoginForm


class AdminSite(admin.AdminSite):
    login_form = AdminLoginForm
    login_template = "admin/login_second_factor.html"
    # Without the sidebar of every app and model: it was half of each admin
    # page's HTML and rendering time (the paper list: 24 KB and 65 ms of CPU,
    # 13 KB and 38 ms without it), and the screen's width goes to the list. The
    # index and the breadcrumbs lead to the other lists, as before Django 3.1.
    enable_nav_sidebar = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def register_page(self, route, view, *, name):
        """Mount an app's own page at /admin/<route>, named "admin:<name>", behind
        the admin's login and permission check (admin_view: staff with a second
        factor where one is required). Called from the app's admin module, e.g.
        importer/admin.py mounts the text import at /admin/import/."""
        self._pages.append(path(route, self.admin_view(view), name=name))

    def get_app_list(self, request, app_label=None):
        # Built when read: every admin page's context asks for it
        # (each_context's available_apps), but without the sidebar only the
        # index and the app pages show it; a fifth of a list page's time.
        return SimpleLazyObject(partial(super().get_app_list, request, app_label))

    def get_urls(self):
        # Before the admin's own patterns, whose catch-all would shadow them.
        return [*self._pages, *super().get_urls()]

    def has_permission(self, request):
        # The login form refuses staff without a second factor when it is
        # mandatory, and SecondFactorRequiredMiddleware ends older sessions; this
        # holds even where that middleware is left out.
        if not super().has_permission(request):
            return False
        return not settings.RATSREGISTER_REQUIRE_2FA or request.user.is_verified()
