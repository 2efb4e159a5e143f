"""What the commands that mail digests share: their options and how they end.

`send_notifications` (follow) and `send_expiry_reminders` (positions) mail each
reader a digest of what is new for them; both take the same options, read a day
the same way and say the same about a dry run.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _


def day(text):
    """A day given as JJJJ-MM-TT, or the error the command line shows."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            _("„%(text)s“ ist kein Datum; bitte JJJJ-MM-TT angeben.") % {"text": text}
        ) from error


class DigestCommand(BaseCommand):
    """A command that mails digests; a subclass writes `send()`."""

    within_days_help = "Zeitraum in Tagen ab heute (Standard: 180)."
    today_help = "Stichtag statt heute (JJJJ-MM-TT)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--within-days", type=int, default=180, help=self.within_days_help
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Nur anzeigen, was gesendet würde; nichts senden, nichts vermerken.",
        )
        parser.add_argument("--today", type=day, default=None, help=self.today_help)
        parser.add_argument(
            "--base-url",
            default=settings.RATSREGISTER_BASE_URL,
            help="Adresse des Ratsregisters für Links (auch RATSREGISTER_BASE_URL).",
        )

    def handle(self, *args, within_days, dry_run, today, base_url, **options):
        if within_days < 0:
            raise CommandError(_("--within-days darf nicht negativ sein."))
        translation.activate("de")
        sent = self.send(
            within_days=within_days, dry_run=dry_run, today=today, base_url=base_url
        )
        if dry_run:
            self.stdout.write(_("Probelauf: nichts gesendet, nichts vermerkt."))
        else:
            self.stdout.write(sent)

    def send(self, *, within_days, dry_run, today, base_url):
        """Mail the digests (in a dry run, write them out); return what was sent."""
        raise NotImplementedError
