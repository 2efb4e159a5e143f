"""The import previews' rows: the pasted text line by line with its notes, the
paper's header fields and its funding lines, as the clerk reads them.

Shared by the paper's preview (views.py) and the protocol's (protocol_views.py).
"""

from django.utils.translation import gettext as _

from funding.models import FundingLine
from operations import formats

# The preview lists the text line by line; a page of 490,000 rows took 23 s to
# render and 61 MB to send. Beyond these, only lines with a note are listed, and a
# gap row says how many were left out.
MAX_SOURCE_LINES = 2000
MAX_NOTED_LINES = 1000
MAX_LINE_CHARS = 2000


def source_rows(text, draft):
    """The text line by line, with the warnings and errors that refer to each line.

    A row {"gap": n} stands for n lines left out (long texts, see above).
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    notes = {}
    for kind, problems in (("error", draft.errors), ("warning", draft.warnings)):
        for problem in problems:
            if problem.line:
                notes.setdefault(problem.line, []).append((kind, problem.message))
    shown = list(range(1, min(len(lines), MAX_SOURCE_LINES) + 1))
    shown += sorted(n for n in notes if MAX_SOURCE_LINES < n <= len(lines))[
        :MAX_NOTED_LINES
    ]
    rows, previous = [], 0
    for n in shown:
        if n > previous + 1:
            rows.append({"gap": n - previous - 1})
        line = lines[n - 1]
        rows.append({"number": n, "text": _shortened(line), "notes": notes.get(n, [])})
        previous = n
    if previous < len(lines):
        rows.append({"gap": len(lines) - previous})
    return rows


def general_warnings(draft):
    """The warnings that name no line of the text (listed above the text)."""
    return [w for w in draft.warnings if not w.line]


def header_fields(text, draft):
    """[(label, value, line, source line)] for the header fields of the preview."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def source(key):
        line = draft.lines.get(key)
        return (line, _shortened(lines[line - 1].strip())) if line else (None, "")

    def date(value):
        return formats.date(value) or None

    rows = [
        (_("Drucksache"), draft.reference and f"GRDrs {draft.reference}", "reference"),
        (_("Zusatz"), draft.suffix or _("kein Zusatz"), "suffix"),
        (_("Datum"), date(draft.date), "date"),
        (_("federführende Dienststelle"), draft.department, "department"),
        (
            _("mitverantwortliche Dienststellen"),
            ", ".join(d.name for d in draft.co_departments) or "—",
            "department",
        ),
        (_("Aktenzeichen (Gz)"), draft.file_reference, "file_reference"),
        (_("Haushaltsberatung"), draft.budget_reading or "—", "budget_reading"),
        (_("Betreff"), draft.title, "title"),
        (
            _("Art der Vorlage"),
            draft.paper_type
            and (
                draft.paper_type
                if draft.paper_type_key
                else _("„%(printed)s“ – unbekannt, bitte wählen")
                % {"printed": draft.paper_type}
            ),
            "paper_type",
        ),
        (
            _("unterzeichnet von"),
            draft.signed_by_name
            and f"{draft.signed_by_name}, {draft.signed_by_office}",
            "signed_by",
        ),
        (
            _("öffentlich"),
            _("ja")
            if draft.is_public
            else _("nein (im Kopf als nichtöffentlich gekennzeichnet)")
            if draft.marked_non_public
            else _("nein (alle Beratungen nichtöffentlich)"),
            "non_public",
        ),
    ]
    return [(label, _shortened(value), *source(key)) for label, value, key in rows]


def _shortened(value):
    if isinstance(value, str) and len(value) > MAX_LINE_CHARS:
        return value[:MAX_LINE_CHARS] + " …"
    return value


def funding_rows(draft):
    """The detected funding lines with the labels a clerk reads."""
    rows = []
    for line in draft.funding_lines:
        codes = [
            f"{label} {code.number}"
            for label, code in (
                ("THH", line.budget_unit),
                (_("Amtsbereich"), line.cost_centre),
                (_("Produkt"), line.product),
                (_("Kontengruppe"), line.account_group),
            )
            if code
        ]
        rows.append(
            {
                "purpose": line.purpose,
                "year": line.year,
                "amount": line.amount,
                "direction": FundingLine.Direction(line.direction).label,
                "source": FundingLine.Source(line.source).label,
                "status": FundingLine.BudgetStatus(line.budget_status).label,
                "codes": codes,
                "item": line.item,
                "line": line.line,
                "part_of": (
                    draft.funding_lines[line.part_of]
                    if line.part_of is not None
                    else None
                ),
                "funded_posts": line.funded_posts,
            }
        )
    return rows
