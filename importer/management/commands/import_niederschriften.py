"""Record the results of many protocols (Niederschriften), a transaction each."""

from django.utils.translation import gettext as _

from importer.management.text_files import TextFilesCommand, hints
from importer.protocols import ProtocolImportError, protocol_import
from importer.reading import read_protocol
from operations import formats


class Command(TextFilesCommand):
    help = (
        "Liest Niederschriften (Protokollauszüge je TOP) aus Textdateien (UTF-8 "
        "oder Windows-1252) und erfasst ihre Ergebnisse bei den Beratungen der "
        "Drucksachen. Jede Datei in eigener Transaktion; fehlerhafte Dateien werden "
        "gemeldet und übersprungen. Mit --dry-run --format json wird nichts "
        "gespeichert und je Datei ein JSON-Objekt in einem Array ausgegeben (siehe "
        "docs/import.md)."
    )

    kind = "protocol"
    progress_label = "Niederschriften"
    recorded = "erfasst"
    record_errors = (ProtocolImportError,)
    reports_every_file = True

    def read(self, text):
        return read_protocol(text)

    def record(self, draft, **options):
        return protocol_import(draft=draft).notes

    def report(self, result, draft, progress):
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
            f"{result['file']}: {head.committee} {formats.date(draft.meeting_date)}, "
            f"TOP {head.top or '?'}, {papers}: {outcome}"
            + (f" ({', '.join(counts)})" if counts else "")
            + (f"; {hints(len(result['warnings']))}" if result["warnings"] else "")
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
