"""The papers a Vorlage cites: `GRDrs 532/2017 „Pakt für Integration …“`.

Also `GRDrs.`, `GRDrs-Nr.`, `GRDrsen. 345/2009 und 346/2009`, `Gemeinderatsdrucksache`,
with a suffix (`1. Ergänzung`) and the quoted title that follows. Antrag and
Anfrage numbers and slashes inside a Gz are never taken. The paper's own base
number (an Ergänzung citing the paper it supplements) is its base, not a citation.
"""

from __future__ import annotations

import re

from council.models import PaperReference

from .paper_draft import CitedPaper
from .paper_source import Source
from .text import Read, squash

CITE_RE = re.compile(
    r"(?:\bGRDrs(?:en)?\.?|\bGemeinderatsdrucksachen?)[\s-]*(?:Nr\.?\s*)?"
    r"(?P<first>\d{1,5}\s*/\s*\d{4})"
    r"(?P<more>(?:\s*(?:,|und|sowie|bzw\.)\s*(?:GRDrs\.?\s*)?\d{1,5}\s*/\s*\d{4}\b)*)"
    r"(?P<suffix>\s+(?:\d\.\s*)?(?:Ergänzung|Neufassung)\b(?:\s[A-Z](?![\wÄÖÜäöüß]))?)?"
    r"(?:\s*,?\s*[„“\"»](?P<title>[^„“”\"«»\n]{3,500})[“”\"«])?",
    re.IGNORECASE,
)
REF_NUMBER_RE = re.compile(r"(\d{1,5})\s*/\s*(\d{4})")


def read_citations(
    src: Source, after: int, own: tuple[int, int, str]
) -> Read[list[CitedPaper]]:
    """Cited papers after line `after` (the number's line); `own` is the paper's
    (number, year, suffix), never a citation of itself."""
    number0, year0, suffix0 = own
    seen: dict[tuple, CitedPaper] = {}
    found = []
    for match in CITE_RE.finditer(src.text, src.offset(after + 1)):
        refs = [REF_NUMBER_RE.match(match["first"]).groups()]
        refs += REF_NUMBER_RE.findall(match["more"] or "")
        line = src.line_of(match.start())
        for k, (number, year) in enumerate(refs):
            number, year = int(number), int(year)
            if number < 1 or not 1900 <= year <= 2999:
                continue
            last = k == len(refs) - 1
            suffix = squash(match["suffix"] or "") if last else ""
            title = squash(match["title"]) if last and match["title"] else None
            key = (number, year, suffix)
            if key == own:
                continue
            if key in seen:
                if title and not seen[key].title:
                    seen[key].title = title
                continue
            kind = (
                PaperReference.Kind.SUPPLEMENTS
                if suffix0 and key == (number0, year0, "")
                else PaperReference.Kind.CITES
            )
            seen[key] = CitedPaper(number, year, suffix, title, line, kind)
            found.append(seen[key])
    return Read(found)
