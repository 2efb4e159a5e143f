"""Record the results of many protocols (Niederschriften), a transaction each."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from importer.protocols import ProtocolImportError, protocol_import
from importer.reading import ReadError, read_protocol
from importer.reading.paper import ParseError, decode
from importer.services import import_batch

MAX_FILE_BYTES = 5 * 1024 * 1024


def _hints(n):
    return f"{n} Hinweis" if n == 1 else f"{n} Hinweise"


def problems(items):
    return [problem.as_json() for problem in items]


class Command(BaseCommand):
    help = (
        "Liest Niederschriften (Protokollauszüge je TOP) aus Textdateien (UTF-8 "
        "oder Windows-1252) und erfasst ihre Ergebnisse bei den Beratungen der "
        "Drucksachen. Jede Datei in eigener Transaktion; fehlerhafte Dateien werden "
        "gemeldet und übersprungen. Mit --dry-run --format json wird nichts "
        "gespeichert und je Datei ein JSON-Objekt in einem Array ausgegeben (siehe "
        "docs/import.md)."
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

    def handle(self, *args, paths, dry_run, format, **options):
        files = self.collect(paths)
        results = []
        progress = tqdm(
            files,
            desc="Niederschriften",
            unit="Datei",
            file=self.stderr._out,
            disable=not files or options["verbosity"] == 0 or format == "text",
        )
        # Committees are read once for the whole batch; each file still has its
        # own transaction.
        with import_batch():
            for path in progress:
                result, summary = self.one(path, dry_run=dry_run)
                results.append(result)
                if format == "text":
                    self.report(result, summary)
        failed = [r for r in results if not r["ok"]]
        if format == "json":
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        summary = (
            f"{len(results)} Dateien gelesen, {len(results) - len(failed)} "
            f"{'lesbar' if dry_run else 'erfasst'}, {len(failed)} fehlgeschlagen, "
            f"{_hints(sum(len(r['warnings']) for r in results))}."
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

    def one(self, path, *, dry_run):
        result = {"file": str(path), "ok": False, "errors": [], "warnings": []}
        result["protocol"] = None
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ReadError(_("Die Datei ist zu groß (höchstens 5 MB)."))
            draft = read_protocol(decode(path.read_bytes()))
        except OSError as exc:
            result["errors"] = [{"line": None, "message": f"Nicht lesbar: {exc}"}]
            return result, None
        except (ParseError, ReadError) as exc:
            result["errors"] = [{"line": None, "message": str(exc)}]
            return result, None
        result["protocol"] = draft.as_json()
        result["warnings"] = problems(draft.warnings)
        result["errors"] = problems(draft.errors)
        if draft.errors:
            return result, draft
        if not dry_run:
            try:
                record = protocol_import(draft=draft)
            except ProtocolImportError as exc:
                result["errors"] = [{"line": None, "message": m} for m in exc.messages]
                return result, draft
            result["warnings"] += [{"line": None, "message": n} for n in record.notes]
        result["ok"] = True
        return result, draft

    def report(self, result, draft):
        """One line per file in text mode: what was (or would be) recorded."""
        if not result["ok"]:
            self.stdout.write(
                f"FEHLER {result['file']}: "
                + "; ".join(e["message"] for e in result["errors"])
            )
            return
        head = draft.header
        decision = draft.decision
        if decision and decision.item_votes:
            # Voted item by item: the counts of each item, not of the whole.
            counts = [
                _("Ziff. %(n)s: %(votes)s") % {"n": n, "votes": _vote_text(v) or "–"}
                for n, v in sorted(decision.item_votes.items())
            ]
        else:
            text = _vote_text(decision.votes) if decision else ""
            counts = [text] if text else []
        outcome = draft.result.label if draft.result else _("kein Ergebnis im Text")
        papers = ", ".join(f"GRDrs {p}" for p in draft.papers) or _("ohne Drucksache")
        self.stdout.write(
            f"{result['file']}: {head.committee} {draft.meeting_date:%d.%m.%Y}, "
            f"TOP {head.top or '?'}, {papers}: {outcome}"
            + (f" ({', '.join(counts)})" if counts else "")
            + (f"; {_hints(len(result['warnings']))}" if result["warnings"] else "")
        )
        for warning in result["warnings"]:
            self.stdout.write(f"  Hinweis: {warning['message']}")


def _vote_text(votes):
    """ "2 Nein, mehrheitlich": the counts printed and the manner."""
    parts = [
        f"{value} {label}"
        for value, label in (
            (votes.yes, _("Ja")),
            (votes.no, _("Nein")),
            (votes.abstain, _("Enthaltungen")),
        )
        if value is not None
    ]
    if votes.note:
        parts.append(votes.note)
    return ", ".join(parts)
