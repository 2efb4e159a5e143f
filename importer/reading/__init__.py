"""Readers of the council information system's plain texts.

One module per part of a document, each a pure function from lines to a typed
part plus warnings (`text.Read`), its patterns named beside it; no database.

- `text`: lines, problems, shared helpers; `dates`, `references`, `outcomes`: the
  vocabulary several parts share (dates in either order, paper numbers, results,
  vote counts, changed items).
- A protocol (Niederschrift): `protocol_header`, `earlier_consultations`,
  `protocol_basis`, `decision`, composed by `protocol.read_protocol`.
- A paper (Vorlage): `header`, `beratungsfolge`, `sections`, `items`, `signature`,
  `citations`, `positions`, `funding`, composed by `paper.read_paper` into a
  `paper_draft.Draft`; `departments` compares names of departments and committees.
- `document.kind_of(text)` tells a protocol from a paper.
"""

from .document import Kind, kind_of
from .protocol import ProtocolDraft, read_protocol
from .text import Problem, ReadError

__all__ = ["Kind", "Problem", "ProtocolDraft", "ReadError", "kind_of", "read_protocol"]
