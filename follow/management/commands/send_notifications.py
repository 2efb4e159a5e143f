"""Mail every subscriber one digest of the news about what it follows."""

from django.utils.translation import gettext as _

from follow import digest
from operations.digest_command import DigestCommand


class Command(DigestCommand):
    help = (
        "Schickt jedem Abonnenten eine Übersicht der Neuigkeiten seit dem letzten "
        "Lauf zu den Drucksachen, Gremien, Stellen und Suchen, denen er folgt."
    )
    within_days_help = "Erinnerungsfenster für Befristungen abonnierter Stellen (Tage)."
    today_help = "Stichtag für das Erinnerungsfenster statt heute (JJJJ-MM-TT)."

    def send(self, *, within_days, dry_run, today, base_url):
        people, events = digest.run(
            base_url=base_url,
            today=today,
            within_days=within_days,
            dry_run=dry_run,
            stdout=self.stdout,
        )
        return _(
            "%(people)s Übersichten mit zusammen %(count)s Neuigkeiten gesendet."
        ) % {"people": people, "count": events}
