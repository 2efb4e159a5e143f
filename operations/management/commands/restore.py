"""manage.py restore FILE: put a backup of `manage.py backup` back."""

from django.core.management.base import BaseCommand, CommandError

from operations import backup


class Command(BaseCommand):
    help = (
        "Spielt eine Sicherung von `manage.py backup` in die Datenbank ein und "
        "ersetzt dabei, was dort steht. Vorher den Server anhalten."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="die Sicherungsdatei")
        parser.add_argument(
            "--database-url",
            help="eine andere Datenbank als die eingestellte (DATABASE_URL-Form)",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="nicht nachfragen, auch wenn die Zieldatenbank Tabellen hat",
        )

    def handle(self, *args, file, database_url=None, interactive=True, **options):
        connection = backup.database(database_url)
        try:
            name = connection.settings_dict["NAME"]
            tables = backup.table_names(connection)
            if tables and interactive:
                answer = input(
                    f"Die Datenbank {name} enthält {len(tables)} Tabellen; sie "
                    f"werden durch die Sicherung {file} ersetzt. "
                    "Zum Fortfahren 'ja' eingeben: "
                )
                if answer.strip().lower() != "ja":
                    raise CommandError("Abgebrochen, nichts geändert.")
            backup.restore(connection, file)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        finally:
            if database_url:
                connection.close()
        self.stdout.write(f"{file} in {name} eingespielt.")
