"""What the two batch imports (`import_vorlagen`, `import_niederschriften`) share:
the files they take, one transaction each in one batch, the JSON and the summary."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from importer.reading import ReadError
from importer.reading.paper import decode
from importer.services import import_batch

MAX_FILE_BYTES = 5 * 1024 * 1024


def hints(n):
    return f"{n} Hinweis" if n == 1 else f"{n} Hinweise"


def problems(items):
    return [problem.as_json() for problem in items]


class TextFilesCommand(BaseCommand):
    """Reads text files and records each in its own transaction.

    A subclass names its kind of text and writes `read()`, `record()` and
    `report()`; `record_errors` are the exceptions that refuse one file.
    """

    kind = ""  # the key of the draft in a file's JSON result
    progress_label = ""
    recorded = ""  # what the summary calls a recorded file
    record_errors: tuple[type[Exception], ...] = ()
    # Whether the text format writes a line for every file (no progress bar then).
    reports_every_file = False

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

    def read(self, text):
        """The draft of one file's text; raises ReadError."""
        raise NotImplementedError

    def record(self, draft, **options):
        """Save the draft; returns notes for the file's warnings."""
        raise NotImplementedError

    def report(self, result, draft, progress):
        """What the text format says about one file."""
        raise NotImplementedError

    def warnings(self, draft):
        """Notes about a readable draft besides its reader's warnings."""
        return []

    def handle(self, *args, paths, dry_run, format, **options):
        files = self.collect(paths)
        results = []
        progress = tqdm(
            files,
            desc=self.progress_label,
            unit="Datei",
            file=self.stderr._out,
            disable=not files
            or options["verbosity"] == 0
            or (format == "text" and self.reports_every_file),
        )
        # What the files share (departments, committees, codes, meetings and
        # positions) is read once for the whole batch; each file still has its own
        # transaction.
        with import_batch():
            for path in progress:
                result, draft = self.one(path, dry_run=dry_run, options=options)
                results.append(result)
                if format == "text":
                    self.report(result, draft, progress)
        failed = [r for r in results if not r["ok"]]
        if format == "json":
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        summary = (
            f"{len(results)} Dateien gelesen, {len(results) - len(failed)} "
            f"{'lesbar' if dry_run else self.recorded}, {len(failed)} fehlgeschlagen, "
            f"{hints(sum(len(r['warnings']) for r in results))}."
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

    def one(self, path, *, dry_run, options):
        """(the file's result, its draft or None where it could not be read)."""
        result = {"file": str(path), "ok": False, "errors": [], "warnings": []}
        result[self.kind] = None
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ReadError(_("Die Datei ist zu groß (höchstens 5 MB)."))
            draft = self.read(decode(path.read_bytes()))
        except OSError as exc:
            result["errors"] = [{"line": None, "message": f"Nicht lesbar: {exc}"}]
            return result, None
        except ReadError as exc:
            result["errors"] = [{"line": None, "message": str(exc)}]
            return result, None
        result[self.kind] = draft.as_json()
        result["warnings"] = problems(draft.warnings) + self.warnings(draft)
        result["errors"] = problems(draft.errors)
        if draft.errors:
            return result, draft
        if not dry_run:
            try:
                notes = self.record(draft, **options)
            except self.record_errors as exc:
                result["errors"] = [{"line": None, "message": m} for m in exc.messages]
                return result, draft
            result["warnings"] += [{"line": None, "message": n} for n in notes]
        result["ok"] = True
        return result, draft
