"""manage.py backup: the database in one file (pg_dump -Fc, or SQLite's backup)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from operations import backup


class Command(BaseCommand):
    help = (
        "Sichert die Datenbank in eine Datei: PostgreSQL mit pg_dump im "
        "Custom-Format, SQLite mit SQLites Online-Backup (auch im laufenden Betrieb)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="Zieldatei (Standard: var/backups/ratsregister-<Zeitpunkt>.dump "
            "bzw. .sqlite3)",
        )
        parser.add_argument(
            "--database-url",
            help="eine andere Datenbank als die eingestellte (DATABASE_URL-Form)",
        )

    def handle(self, *args, output=None, database_url=None, **options):
        connection = backup.database(database_url)
        try:
            if not backup.table_names(connection):
                raise CommandError(
                    f"Die Datenbank {connection.settings_dict['NAME']} enthält keine "
                    "Tabellen: ist DATABASE_URL richtig gesetzt?"
                )
            if output is None:
                stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
                suffix = backup.SUFFIX[backup.kind(connection)]
                output = (
                    settings.BASE_DIR / "var" / "backups" / f"ratsregister-{stamp}"
                ).with_suffix(suffix)
            path = backup.dump(connection, output)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        finally:
            if database_url:
                connection.close()
        self.stdout.write(str(path))
