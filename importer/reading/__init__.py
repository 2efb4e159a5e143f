"""Readers of the council information system's plain texts.

One module per part of a document, each a pure function from lines to a typed
part plus warnings (`text.Read`), its patterns named beside it; no database.

- `text`: lines, problems, shared helpers; `dates`, `references`, `outcomes`: the
  vocabulary several parts share (dates in either order, paper numbers, results,
  vote counts, changed items).
- A protocol (Niederschrift): `protocol_header`, `earlier_consultations`,
  `protocol_basis`, `decision`, composed by `protocol.read_protocol`.
- `document.kind_of(text)` tells a protocol from a paper. The paper's readers
  (header, Beratungsfolge, items, …) are still `importer.parser` (issue 14, part 1).
"""

from .document import Kind, kind_of
from .protocol import ProtocolDraft, read_protocol
from .text import Problem, ReadError

__all__ = ["Kind", "Problem", "ProtocolDraft", "ReadError", "kind_of", "read_protocol"]
