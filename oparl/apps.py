from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OparlConfig(AppConfig):
    name = "oparl"
    verbose_name = _("OParl-Schnittstelle")

    def ready(self):
        from . import receivers

        receivers.connect()
