"""Entry point kept for callers not yet moved: the readers live in importer.reading."""

from .reading.paper import ParseError, decode, read_paper
from .reading.paper_draft import Draft, PositionDecisionDraft

parse_vorlage = read_paper

__all__ = [
    "Draft",
    "ParseError",
    "PositionDecisionDraft",
    "decode",
    "parse_vorlage",
    "read_paper",
]
