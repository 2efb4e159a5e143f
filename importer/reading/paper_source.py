"""A Vorlage's text as the paper's readers read it: raw and stripped lines, offsets.

The shared helpers (squash, fold, join_lines, Problem, ReadError) are `text`'s; what
is here is only what a paper needs besides: the raw lines (indentation tells a
table's continuation lines) and the offset of each line (a match in the whole
text names its line).
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from operations import formats

from .paper_draft import Code, problem
from .text import CONTROL_RE, MAX_TEXT_CHARS, Problem, ReadError

# A German date in the text: 31.12.2019, 31. 12. 2019.
DATE = r"\d{1,2}\.\s?\d{1,2}\.\s?\d{4}"
GERMAN_DATE_RE = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})")


def parse_german_date(text):
    match = GERMAN_DATE_RE.fullmatch(text.strip())
    if not match:
        return None
    try:
        return datetime.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


US_DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_us_date(text):
    """A date printed month first, as the system prints its header dates."""
    match = US_DATE_RE.fullmatch(text.strip())
    if not match:
        return None
    try:
        return datetime.date(int(match[3]), int(match[1]), int(match[2]))
    except ValueError:
        return None


@dataclass
class Source:
    text: str
    raw: list[str]
    lines: list[str]
    # Offsets of line starts, to turn a match position into a line number.
    starts: list[int]
    warnings: list[Problem] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> Source:
        if not isinstance(text, str) or not text.strip():
            raise ReadError(_("Der Text ist leer."))
        if len(text) > MAX_TEXT_CHARS:
            raise ReadError(
                _("Der Text ist zu lang (mehr als %(n)s Zeichen).")
                % {"n": formats.number(MAX_TEXT_CHARS)}
            )
        text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
        text = text.replace("\u00a0", " ").replace("\u202f", " ")
        warnings = []
        # Control characters carry nothing in a Vorlage, and PostgreSQL cannot
        # store a NUL: they go, and the clerk is told.
        controls = len(CONTROL_RE.findall(text))
        if controls:
            text = CONTROL_RE.sub("", text)
            warnings.append(
                problem(
                    Code.CONTROL_CHARACTERS,
                    _(
                        "%(n)s Steuerzeichen (etwa Nullzeichen) im Text wurden "
                        "entfernt; bitte prüfen, ob der Text vollständig ist."
                    )
                    % {"n": controls},
                )
            )
        raw = text.split("\n")
        starts = [0]
        for line in raw[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        return cls(text, raw, [line.strip() for line in raw], starts, warnings)

    def line_of(self, offset):
        return bisect.bisect_right(self.starts, offset)

    def offset(self, index):
        """Offset of line `index` (0-based); the text's end past the last line."""
        return self.starts[index] if index < len(self.starts) else len(self.text)

    def next_nonempty(self, index, limit=None):
        end = len(self.lines) if limit is None else min(limit, len(self.lines))
        for i in range(index, end):
            if self.lines[i]:
                return i
        return None

    def previous_nonempty(self, index):
        for i in range(index, -1, -1):
            if self.lines[i]:
                return i
        return None
