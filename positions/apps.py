from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def install_standing(using, **kwargs):
    from django.db import connections

    from . import standing

    standing.install(connections[using])


class PositionsConfig(AppConfig):
    name = "positions"
    verbose_name = _("Stellen")

    def ready(self):
        # Not domain flow: the triggers that keep the register's standing
        # (positions/standing.py) are (re)created from the live code after every
        # migrate, as the OParl stamps' are, and the standing refreshed; so the
        # migrations keep no copy of their SQL.
        post_migrate.connect(
            install_standing, sender=self, dispatch_uid="positions-install-standing"
        )
