from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def install_triggers(using, **kwargs):
    from django.db import connections

    from . import triggers

    triggers.install(connections[using])


class OparlConfig(AppConfig):
    name = "oparl"
    verbose_name = _("OParl-Schnittstelle")

    def ready(self):
        # Not domain flow: the schema's triggers are put (back) in place after every
        # migrate and flush, since SQLite drops them when a migration rebuilds a
        # table (oparl/triggers.py).
        post_migrate.connect(
            install_triggers, sender=self, dispatch_uid="oparl-install-triggers"
        )
