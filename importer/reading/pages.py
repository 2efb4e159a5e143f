"""Page furniture in the body of a protocol: page numbers, footers, a repeated head.

A protocol printed over several pages (and exported from the print) carries, in
the middle of its text, lines that belong to no sentence:

    Der Gemeinderat beschließt bei 3 Enthaltungen

    Seite 2 von 3

    Protokoll: Gemeinderat der Landeshauptstadt Stuttgart Niederschrift Nr. 56
    TOP: 8

    mehrheitlich wie beantragt.

`without_furniture(lines, start)` gives the lines from `start` on without them, and
for each line kept its number in the text (1-based), so that the readers after it
read a broken sentence whole and still name the lines as printed. Only lines that
are nothing but furniture are taken out; a sentence that merely mentions a page is
kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# "Seite 2", "Seite 2 von 3", "- 2 -", "– 2 –", "2/3" alone on a line.
PAGE_NUMBER_RE = re.compile(
    r"(?:Seite\s?\d{1,4}(?:\s?(?:von|/)\s?\d{1,4})?|[-–]\s?\d{1,4}\s?[-–]"
    r"|\d{1,4}\s?/\s?\d{1,4}\s?Seiten?)",
    re.IGNORECASE,
)
# What the web export prints below a page or protocol.
EXPORT_RE = re.compile(
    r"(?:File Attachment Icon|zum Seitenanfang|Protokoll\s?\d{1,5})", re.IGNORECASE
)
# The head repeated on a new page: "Protokoll: Gemeinderat … Niederschrift Nr. 56",
# "Niederschrift Nr. 56 TOP: 8", then perhaps "TOP:" and its numbers on lines below.
REPEATED_HEAD_RE = re.compile(
    r"(?:Protokoll\s?:.{0,200}?)?Niederschrift\s?Nr\.?\s?:?.{0,40}", re.IGNORECASE
)
TOP_LINE_RE = re.compile(r"TOP\s?:?(?:\s?\d{1,3}[a-z]?)?")
HEAD_NUMBER_RE = re.compile(r"\d{1,5}(?:\s?/\s?[A-Za-z0-9]{1,3})?[a-z]?")
# A repeated head has at most the minutes number and the TOP below "TOP:".
MAX_HEAD_NUMBERS = 2
# A line ending so closes its sentence; a page break after it is a paragraph break.
SENTENCE_END = (".", "!", "?", ":")
# What a sentence going on after a page break begins with: a word in lower case
# ("mehrheitlich wie beantragt"), a count ("3 Enthaltungen"); never an item
# ("1. Die Satzung …") or a capitalised start, which may be a paragraph's.
GOES_ON_RE = re.compile(r"[a-zäöüß]|\d{1,3}\s[A-Za-zÄÖÜäöü]")


def furniture_at(lines, index):
    """How many lines from `index` on are furniture (0 if the line is text)."""
    line = lines[index]
    if PAGE_NUMBER_RE.fullmatch(line) or EXPORT_RE.fullmatch(line):
        return 1
    if not REPEATED_HEAD_RE.fullmatch(line):
        return 0
    count = 1
    if index + count < len(lines) and TOP_LINE_RE.fullmatch(lines[index + count]):
        count += 1
        numbers = 0
        while (
            index + count < len(lines)
            and numbers < MAX_HEAD_NUMBERS
            and HEAD_NUMBER_RE.fullmatch(lines[index + count])
        ):
            count += 1
            numbers += 1
    return count


def without_furniture(
    lines: Sequence[str], start: int = 0
) -> tuple[list[str], list[int]]:
    """(the lines from `start` without page furniture, their 1-based numbers).

    The empty lines around furniture go with it where the sentence before it
    goes on after it (no sentence end before, a lower-case word or a count
    after): the sentence broken by the page is one again. Elsewhere one empty
    line stays, as the paragraph break it was.
    """
    kept: list[str] = []
    numbers: list[int] = []
    index = start
    while index < len(lines):
        size = furniture_at(lines, index) if lines[index] else 0
        if not size:
            kept.append(lines[index])
            numbers.append(index + 1)
            index += 1
            continue
        index += size
        # Blank lines before the furniture, and after it.
        blank = None
        while kept and not kept[-1]:
            kept.pop()
            blank = numbers.pop()
        while index < len(lines) and not lines[index]:
            blank = index + 1
            index += 1
        following = lines[index] if index < len(lines) else ""
        if blank is not None and not (
            kept
            and not kept[-1].endswith(SENTENCE_END)
            and GOES_ON_RE.match(following)
            and not furniture_at(lines, index)
        ):
            kept.append("")
            numbers.append(blank)
    return kept, numbers
