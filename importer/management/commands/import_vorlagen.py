"""Import many Vorlagen from text files, each in its own transaction."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from importer.reading.paper import ParseError, decode, read_paper
from importer.services import PaperImportError, import_batch, near_matches, paper_import

MAX_FILE_BYTES = 5 * 1024 * 1024


def problems(items):
    return [{"line": p.line, "message": p.message} for p in items]


class Command(BaseCommand):
    help = (
        "Liest Vorlagen aus Textdateien (UTF-8 oder Windows-1252) und speichert sie. "
        "Jede Datei in eigener Transaktion; fehlerhafte Dateien werden gemeldet und "
        "übersprungen. Mit --dry-run --format json wird nichts gespeichert und je "
        "Datei ein JSON-Objekt in einem Array ausgegeben (siehe docs/import.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help="Dateien oder Verzeichnisse (*.txt)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="nur lesen, nichts speichern"
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--update",
            action="store_true",
            help="schon erfasste Drucksachen mit dem Text aktualisieren",
        )

    def handle(self, *args, paths, dry_run, format, update, **options):
        files = self.collect(paths)
        results = []
        progress = tqdm(
            files,
            desc="Vorlagen",
            unit="Datei",
            file=self.stderr._out,
            disable=not files or options["verbosity"] == 0,
        )
        # Departments, committees, codes, meetings and positions are read once for
        # the whole batch; each file still has its own transaction.
        with import_batch():
            for path in progress:
                result = self.one(path, dry_run=dry_run, update=update)
                results.append(result)
                if format == "text" and not result["ok"]:
                    progress.write(
                        f"FEHLER {path}: "
                        + "; ".join(e["message"] for e in result["errors"]),
                        file=self.stderr._out,
                    )
        failed = [r for r in results if not r["ok"]]
        if format == "json":
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        summary = (
            f"{len(results)} Dateien gelesen, {len(results) - len(failed)} "
            f"{'lesbar' if dry_run else 'gespeichert'}, {len(failed)} fehlgeschlagen, "
            f"{sum(len(r['warnings']) for r in results)} Hinweise."
        )
        (self.stderr if format == "json" else self.stdout).write(summary)
        if failed:
            raise CommandError(
                f"{len(failed)} von {len(results)} Dateien fehlgeschlagen."
            )

    def collect(self, paths):
        files = []
        for name in paths:
            path = Path(name)
            if path.is_dir():
                files.extend(sorted(p for p in path.rglob("*.txt") if p.is_file()))
            else:
                files.append(path)
        return files

    def one(self, path, *, dry_run, update):
        result = {"file": str(path), "ok": False, "errors": [], "warnings": []}
        result["paper"] = None
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ParseError(_("Die Datei ist zu groß (höchstens 5 MB)."))
            draft = read_paper(decode(path.read_bytes()))
        except OSError as exc:
            result["errors"] = [{"line": None, "message": f"Nicht lesbar: {exc}"}]
            return result
        except ParseError as exc:
            result["errors"] = [{"line": None, "message": str(exc)}]
            return result
        result["paper"] = draft.as_json()
        result["warnings"] = problems(draft.warnings)
        # Without a preview nobody chooses: a near name is created, and said so.
        result["warnings"] += [
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
        result["errors"] = problems(draft.errors)
        if draft.errors:
            return result
        if not dry_run:
            try:
                paper_import(draft=draft, update=update)
            except PaperImportError as exc:
                result["errors"] = [{"line": None, "message": m} for m in exc.messages]
                return result
        result["ok"] = True
        return result
