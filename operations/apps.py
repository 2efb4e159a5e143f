from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


def install_data_version(using, **kwargs):
    from django.db import connections

    from . import pagecache

    pagecache.install(connections[using])


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Betrieb"

    def ready(self):
        # Not domain flow: the page cache's version triggers are put (back) in
        # place after every migrate and flush, since SQLite drops them when a
        # migration rebuilds a table (operations/pagecache.py).
        post_migrate.connect(
            install_data_version,
            sender=self,
            dispatch_uid="operations-install-data-version",
        )


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, served by the site that knows the second factor."""

    default = False  # named in INSTALLED_APPS; OperationsConfig is this app's
    default_site = "operations.admin_site.AdminSite"
