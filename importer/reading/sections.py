"""The text sections of a Vorlage: headings on a line of their own, and their spans.

`read_sections` finds the headings and where each section ends; which spans are
items (Beschlussantrag), signature (before "Anlagen") or text is for the readers
of those parts. A text without "Anlagen" and without the export's end mark is
cut off, and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .paper_draft import Code, SectionDraft, problem
from .paper_source import Source
from .text import Read

# Headings of the text sections, as printed on a line of their own.
HEADINGS = [
    ("Beschlussantrag", r"Beschlu(?:ss|ß)antrag"),
    ("Kurzfassung der Begründung", r"Kurzfassung der Begründung"),
    ("Kurzfassung des Berichts", r"Kurzfassung des Berichts"),
    ("Begründung", r"Begründung"),
    ("Bericht", r"Bericht"),
    ("Sachverhalt", r"Sachverhalt"),
    ("Ausblick", r"Ausblick"),
    ("Finanzielle Auswirkungen", r"Finanzielle Auswirkungen"),
    ("Personelle Auswirkungen", r"Personelle Auswirkungen"),
    ("Klimarelevanz", r"Klimarelevanz"),
    ("Beteiligte Stellen", r"Beteiligte Stellen"),
    ("Mitzeichnung der beteiligten Stellen", r"Mitzeichnung der beteiligten Stellen"),
    ("Vorliegende Anträge/Anfragen", r"Vorliegende Anträge/Anfragen"),
    ("Erledigte Anträge/Anfragen", r"Erledigte Anträge/Anfragen"),
    ("Anlagen", r"Anlagen?"),
]
# One alternation: the first heading (in the order above) that matches the line.
HEADING_RE = re.compile(
    "^(?:"
    + "|".join(f"(?P<h{k}>{rx})" for k, (_name, rx) in enumerate(HEADINGS))
    + r")\s*:?$"
)
HEADING_NAMES = {f"h{k}": name for k, (name, _rx) in enumerate(HEADINGS)}
NOT_A_TEXT_SECTION = {"Beschlussantrag", "Anlagen"}
END_MARK = "zum Seitenanfang"
RESOLUTION = "Beschlussantrag"
ATTACHMENTS = "Anlagen"


@dataclass
class Layout:
    """Where each section starts (its heading line) and stops (0-based indices)."""

    heads: list[tuple[int, str]] = field(default_factory=list)
    bodies: dict[str, tuple[int, int]] = field(default_factory=dict)
    truncated: bool = False


def read_layout(src: Source, start: int) -> Read[Layout]:
    lines = src.lines
    heads = []
    for i in range(start, len(lines)):
        heading = HEADING_RE.match(lines[i])
        if heading:
            heads.append((i, HEADING_NAMES[heading.lastgroup]))
    end_of_text = len(lines)
    for i in range(len(lines) - 1, start - 1, -1):
        if lines[i] == END_MARK:
            end_of_text = i
            break
    bodies = {}
    for k, (i, name) in enumerate(heads):
        stop = heads[k + 1][0] if k + 1 < len(heads) else end_of_text
        if name == ATTACHMENTS:
            # The last "Anlagen" closes the paper; a line "Anlage" in the text
            # before it is not where the signature stands.
            bodies[name] = (i, stop)
        else:
            bodies.setdefault(name, (i, stop))
    complete = any(name == ATTACHMENTS for _i, name in heads) or (
        end_of_text < len(lines)
    )
    warnings = []
    if not complete:
        last = src.previous_nonempty(len(lines) - 1)
        warnings.append(
            problem(
                Code.TRUNCATED,
                _(
                    "Der Text bricht ab (kein Abschnitt „Anlagen“ und kein Textende): "
                    "was danach folgen würde – Unterschrift, Mitzeichnung, Anlagen – "
                    "fehlt und wurde nicht übernommen."
                ),
                (last or 0) + 1,
            )
        )
    return Read(Layout(heads, bodies, not complete), warnings, len(lines))


def text_sections(src: Source, layout: Layout) -> list[SectionDraft]:
    """The sections kept as text (not the items, not the attachments), in order."""
    sections = []
    for name, (i, stop) in layout.bodies.items():
        if name in NOT_A_TEXT_SECTION:
            continue
        body = "\n".join(src.raw[i + 1 : stop]).strip()
        if body in ("", "---"):
            continue
        sections.append(SectionDraft(name, body, i + 1))
    sections.sort(key=lambda s: s.line)
    return sections
