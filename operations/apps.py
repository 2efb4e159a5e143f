from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Betrieb"


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, served by the site that knows the second factor."""

    default = False  # named in INSTALLED_APPS; OperationsConfig is this app's
    default_site = "operations.admin_site.AdminSite"
