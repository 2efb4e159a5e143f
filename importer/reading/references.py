"""Paper references as printed: `648/2020`, `648/2020 Neufassung`, `GRDrs 83/2007`."""

from __future__ import annotations

import re
from dataclasses import dataclass

# What may follow a number under or beside it: Ergänzung, 1. Ergänzung, Ergänzung B …
SUFFIX = (
    r"(?:\d{1,2}\.\s?)?(?:Ergänzung|Neufassung|Nachtrag|Änderung|Ergänzungsvorlage)"
    r"(?:\s[A-Z0-9]{1,2}\b)?"
)
SUFFIX_RE = re.compile(rf"^{SUFFIX}$")
# A paper number: never part of a longer number or a date (`1/2/2019`).
PAPER_NUMBER = r"(?<![\d/.])(\d{1,5})\s?/\s?((?:19|20)\d{2})(?![\d/])"
REFERENCE_RE = re.compile(rf"{PAPER_NUMBER}(?:\s(?P<suffix>{SUFFIX}))?")
# A citation in prose: "GRDrs 969/2011", "GRDrs. 12/2004", "GRDrs-Nr. 5/2020".
CITATION_RE = re.compile(
    rf"GRDrs(?:\.|-Nr\.)?\s?(?:Nr\.\s?)?{PAPER_NUMBER}(?:\s(?P<suffix>{SUFFIX}))?"
)


@dataclass(frozen=True)
class PaperRef:
    """A paper named by number, year and suffix ("" for none)."""

    number: int
    year: int
    suffix: str = ""

    def __str__(self):
        base = f"{self.number}/{self.year}"
        return f"{base} {self.suffix}" if self.suffix else base

    @property
    def key(self):
        return (self.number, self.year, self.suffix)


def paper_refs(text: str, pattern: re.Pattern = REFERENCE_RE) -> list[PaperRef]:
    """Every paper number in `text`, in order, once each."""
    found: dict[PaperRef, None] = {}
    for match in pattern.finditer(text):
        if int(match[1]) == 0:
            continue
        suffix = " ".join((match["suffix"] or "").split())
        found.setdefault(PaperRef(int(match[1]), int(match[2]), suffix))
    return list(found)


def is_suffix(text: str) -> bool:
    """A line that only says which version of the paper above: `Neufassung`."""
    return bool(SUFFIX_RE.match(" ".join(text.split())))
