"""What the protocol's item was deliberated on, as its text names it.

    Beratungsunterlage ist die Vorlage des Referats Recht, Sicherheit und Ordnung
    vom 05.03.2007, GRDrs 83/2007, mit folgendem

The header's `Drucksache:` is what counts; this sentence lets the reader check it
(969/2010's protocol cites "GRDrs 969/2011" here) and dates the paper, which the
meeting cannot precede.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .dates import ANY_DATE, PrintedDate, read_date
from .references import CITATION_RE, PaperRef, paper_refs
from .text import Problem, Read, join_lines

BASIS_START_RE = re.compile(r"Beratungsunterlagen?\b", re.IGNORECASE)
# "… ist die Vorlage des Referats X vom 05.03.2007": who submitted it, and when.
BASIS_RE = re.compile(
    r"Beratungsunterlagen?\s(?:ist|sind|war|waren)\s(?:die|der|das)\s\S{1,40}\s"
    rf"(?P<submitter>.{{0,200}}?)\svom\s(?P<date>{ANY_DATE})",
    re.IGNORECASE,
)
# A wrapped sentence ends at an empty line; a runaway one after this many lines.
MAX_LINES = 10


@dataclass
class Basis:
    text: str
    submitter: str | None = None
    printed_date: PrintedDate | None = None
    papers: list[PaperRef] = field(default_factory=list)
    line: int | None = None

    @property
    def date(self) -> datetime.date | None:
        return self.printed_date.date if self.printed_date else None


def read_basis(lines: Sequence[str], start: int) -> Read[Basis | None]:
    """The `Beratungsunterlage …` sentence at or after `start`, or None."""
    for index in range(start, len(lines)):
        if BASIS_START_RE.match(lines[index]):
            break
    else:
        return Read(None, [], start)
    end = index
    while end < len(lines) and end < index + MAX_LINES and lines[end]:
        end += 1
    text = join_lines(lines[index:end])
    found = BASIS_RE.match(text)
    basis = Basis(
        text=text,
        submitter=found["submitter"] if found else None,
        printed_date=read_date(found["date"]) if found else None,
        papers=paper_refs(text, CITATION_RE),
        line=index + 1,
    )
    warnings: list[Problem] = []
    return Read(basis, warnings, end)
