"""Which kind of document a text is: a protocol, a paper (Vorlage) or neither."""

from __future__ import annotations

import enum
import re

from .protocol_header import is_protocol
from .text import ReadError, prepare

# A Vorlage's header names its number at the start of a line: "GRDrs 949/2019".
PAPER_HEADER_RE = re.compile(
    r"(?:G[zZ]\.?:.{0,80}?)?GRDrs\.?\s?(?:Nr\.?\s?)?\d{1,5}\s?/"
)
# A protocol names itself before this many lines; a paper its number.
HEAD_LINES = 40


class Kind(enum.StrEnum):
    PROTOCOL = "protocol"
    PAPER = "paper"


def kind_of(text: str) -> Kind | None:
    """PROTOCOL, PAPER, or None for a text that is neither (or empty)."""
    try:
        lines, _removed = prepare(text)
    except ReadError:
        return None
    if is_protocol(lines, HEAD_LINES):
        return Kind.PROTOCOL
    if looks_like_paper(lines):
        return Kind.PAPER
    return None


def looks_like_paper(lines) -> bool:
    return any(PAPER_HEADER_RE.match(line) for line in lines[:HEAD_LINES])
