"""The items (Ziffern) of a Beschlussantrag: "1. Die Verwaltung … 2. Die Mittel …".

Items may run together on one line; each starts with its number, a dot, a space
and a capital letter, and the numbers are taken in order, so that "31.12.2019"
or "EG 10" inside an item do not split it. `split_items` is the one splitter of
the project: the demo loader reads its items through it as well.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .paper_draft import Code, ItemDraft, problem
from .paper_source import Source
from .text import Read, squash

# "1. Die Verwaltung …": the start of an item of the Beschlussantrag.
ITEM_NUMBER_RE = re.compile(r"(?:^|\s)(\d+)\.\s+(?=[A-ZÄÖÜ„\"])")
# An item ending here ended its sentence; otherwise a cut-off text cut it off.
SENTENCE_ENDS = (".", ":", "!", "?", "“", ")")


def item_spans(block: str) -> list[tuple[int, int, int, int]]:
    """(number, start of its number, start of its text, end) of each item."""
    starts = []
    # The numbers 1, 2, 3 … in turn; other numbers in the text are skipped.
    number = 1
    for match in ITEM_NUMBER_RE.finditer(block):
        if match[1] == str(number):
            starts.append((number, match.start(), match.end()))
            number += 1
    if not starts:
        return []
    ends = [begin for _n, begin, _e in starts[1:]] + [len(block)]
    return [
        (num, begin, text_start, end)
        for (num, begin, text_start), end in zip(starts, ends, strict=True)
    ]


def split_items(block: str) -> list[str]:
    """The items' texts, whitespace squashed."""
    return [squash(block[s:e]) for _n, _b, s, e in item_spans(block)]


def read_items(
    src: Source, first: int, stop: int, *, truncated: bool
) -> Read[list[ItemDraft]]:
    """The items between lines `first` and `stop` (0-based, the heading excluded)."""
    block = "\n".join(src.raw[first:stop])
    offset0 = src.offset(first)
    spans = item_spans(block)
    warnings = []
    if not spans:
        text = squash(block)
        if not text:
            return Read([], warnings, stop)
        warnings.append(
            problem(
                Code.ITEMS_WITHOUT_NUMBERS,
                _(
                    "Der Beschlussantrag hat keine Ziffern; er ist als Ziffer 1 "
                    "übernommen."
                ),
                first + 1,
            )
        )
        return Read([ItemDraft(1, text, first + 1)], warnings, stop)
    items = []
    for number, begin, text_start, end in spans:
        line = src.line_of(offset0 + begin + (1 if block[begin].isspace() else 0))
        items.append(ItemDraft(number, squash(block[text_start:end]), line))
    last = items[-1]
    if truncated and stop == len(src.lines) and not last.text.endswith(SENTENCE_ENDS):
        warnings.append(
            problem(
                Code.ITEM_CUT_OFF,
                _(
                    "Ziff. %(n)s bricht mitten im Satz ab; übernommen ist nur der "
                    "vorhandene Text."
                )
                % {"n": last.number},
                last.line,
            )
        )
    return Read(items, warnings, stop)
