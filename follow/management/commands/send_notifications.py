"""Mail every subscriber one digest of the news about what it follows."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from follow import digest


def _day(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            _("„%(text)s“ ist kein Datum; bitte JJJJ-MM-TT angeben.") % {"text": text}
        ) from error


class Command(BaseCommand):
    help = (
        "Schickt jedem Abonnenten eine Übersicht der Neuigkeiten seit dem letzten "
        "Lauf zu den Drucksachen, Gremien, Stellen und Suchen, denen er folgt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--within-days",
            type=int,
            default=180,
            help="Erinnerungsfenster für Befristungen abonnierter Stellen (Tage).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Nur anzeigen, was gesendet würde; nichts senden, nichts vermerken.",
        )
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            help="Stichtag für das Erinnerungsfenster statt heute (JJJJ-MM-TT).",
        )
        parser.add_argument(
            "--base-url",
            default=settings.RATSREGISTER_BASE_URL,
            help="Adresse des Ratsregisters für Links (auch RATSREGISTER_BASE_URL).",
        )

    def handle(self, *args, within_days, dry_run, today, base_url, **options):
        if within_days < 0:
            raise CommandError(_("--within-days darf nicht negativ sein."))
        translation.activate("de")
        people, events = digest.run(
            base_url=base_url,
            today=today,
            within_days=within_days,
            dry_run=dry_run,
            stdout=self.stdout,
        )
        if dry_run:
            self.stdout.write(_("Probelauf: nichts gesendet, nichts vermerkt."))
        else:
            self.stdout.write(
                _("%(people)s Übersichten mit zusammen %(count)s Neuigkeiten gesendet.")
                % {"people": people, "count": events}
            )
