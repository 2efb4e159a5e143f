"""`manage.py verify_derived`: are the stored derived facts what their sources say?

Runs the checks of operations/derived.py (each app's `derived.py`): the search
vectors, the OParl stamps, the page cache's triggers, and whatever else is
kept in a column for speed. Reads only; exits with an error naming the rows that
differ, so that cron or a deployment can alarm.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from operations import derived


class Command(BaseCommand):
    help = (
        "Prüft, ob gespeicherte abgeleitete Werte (Suchindex, OParl-Zeitstempel, "
        "Trigger) mit ihren Quellen übereinstimmen. Ändert nichts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="append",
            dest="names",
            metavar="NAME",
            help="Nur diese Prüfung (mehrfach möglich), z. B. council.search_vector.",
        )

    def handle(self, *args, names=None, **options):
        checks = derived.checks()
        if names:
            unknown = sorted(set(names) - {c.name for c in checks})
            if unknown:
                known = ", ".join(c.name for c in checks)
                raise CommandError(
                    f"Unbekannte Prüfung: {', '.join(unknown)}. Vorhanden: {known}."
                )
            checks = [c for c in checks if c.name in names]
        failed = 0
        for check in checks:
            findings = check.run(connection)
            if not findings:
                self.stdout.write(f"{check.name} ({check.label}): stimmt")
                continue
            failed += 1
            self.stdout.write(f"{check.name} ({check.label}): ABWEICHUNG")
            for finding in findings:
                self.stdout.write(f"  {finding}")
        if failed:
            raise CommandError(
                f"{failed} von {len(checks)} Prüfungen zeigen Abweichungen."
            )
        self.stdout.write(f"Alle {len(checks)} Prüfungen stimmen.")
