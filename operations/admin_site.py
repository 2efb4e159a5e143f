"""The admin site: Django's, with the login form that asks for a second factor;
and the ModelAdmin every app's admin builds on."""

from functools import partial

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ChangeList
from django.urls import path, reverse
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from .login import AdminLoginForm


class AdminSite(admin.AdminSite):
    site_header = "Ratsregister"
    site_title = "Ratsregister"
    index_title = gettext_lazy("Verwaltung der Drucksachen, Stellen und Finanzen")
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


class ChangelistMixin:
    """Django's changelist, cheaper per row at the same HTML (issue 12): the action
    checkbox written directly, where Django renders a form widget through the
    template engine for each row (a third of the paper list's time at 100 rows);
    each row's address from one reverse() per page (RowAddressChangeList)."""

    def action_checkbox(self, obj):
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    def get_changelist(self, request, **kwargs):
        return RowAddressChangeList


class RowAddressChangeList(ChangeList):
    """Django's changelist, each row's address from one reverse() per page:
    a reverse() for every row was a tenth of the paper list's time at 100 rows."""

    def url_for_result(self, result):
        pk = getattr(result, self.pk_attname)
        if type(pk) is not int:  # a text key: Django quotes it
            return super().url_for_result(result)
        head, tail = self._row_address
        return f"{head}{pk}{tail}"

    @cached_property
    def _row_address(self):
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=("0",),
            current_app=self.model_admin.admin_site.name,
        )
        head, _zero, tail = url.rpartition("/0/")
        return f"{head}/", f"/{tail}"


class ModelAdmin(ChangelistMixin, admin.ModelAdmin):
    """Django's ModelAdmin with the changelist of ChangelistMixin: the base of
    every ModelAdmin of ours."""
