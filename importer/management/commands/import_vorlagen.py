"""Import many Vorlagen from text files, each in its own transaction."""

from django.utils.translation import gettext as _

from importer.management.text_files import TextFilesCommand
from importer.reading.paper import read_paper
from importer.services import PaperImportError, near_matches, paper_import


class Command(TextFilesCommand):
    help = (
        "Liest Vorlagen aus Textdateien (UTF-8 oder Windows-1252) und speichert sie. "
        "Jede Datei in eigener Transaktion; fehlerhafte Dateien werden gemeldet und "
        "übersprungen. Mit --dry-run --format json wird nichts gespeichert und je "
        "Datei ein JSON-Objekt in einem Array ausgegeben (siehe docs/import.md)."
    )
    kind = "paper"
    progress_label = "Vorlagen"
    recorded = "gespeichert"
    record_errors = (PaperImportError,)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--update",
            action="store_true",
            help="schon erfasste Drucksachen mit dem Text aktualisieren",
        )

    def read(self, text):
        return read_paper(text)

    def warnings(self, draft):
        # Without a preview nobody chooses: a near name is created, and said so.
        return [
            {
                "line": None,
                "message": _(
                    "„%(name)s“ ähnelt dem vorhandenen „%(near)s“, wird aber neu "
                    "angelegt; bitte prüfen (in der Vorschau wählbar)."
                )
                % {"name": name, "near": near},
            }
            for name, near in near_matches(draft)
        ]

    def record(self, draft, *, update, **options):
        paper_import(draft=draft, update=update)
        return []

    def report(self, result, draft, progress):
        if not result["ok"]:
            progress.write(
                f"FEHLER {result['file']}: "
                + "; ".join(e["message"] for e in result["errors"]),
                file=self.stderr._out,
            )
