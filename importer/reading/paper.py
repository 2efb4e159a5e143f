"""A Vorlage (paper) read part by part: `read_paper(text) -> Draft`.

Each part has its reader (header, beratungsfolge, sections, items, signature,
citations, positions, funding), a pure function from lines to its typed part plus
warnings; this module only composes them. No database access: what a reader
cannot find it reports as a warning (or, where the paper cannot be saved without
it, as an error); it never fills a gap with a guess. Only text that is no Vorlage
at all raises `ParseError`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from council.models import Paper, PaperReference

from .beratungsfolge import read_beratungsfolge
from .citations import read_citations
from .funding import read_funding
from .header import read_header
from .items import read_items
from .paper_draft import Code, Draft, problem
from .paper_source import Source
from .positions import read_position_decisions
from .sections import RESOLUTION, read_layout, text_sections
from .signature import read_co_signers, read_signature, without_signature
from .text import ReadError, decode

# The name the clerk's messages and the callers know; one error for every reader.
ParseError = ReadError

__all__ = ["Draft", "ParseError", "decode", "read_paper"]


def read_paper(text: str) -> Draft:
    """Read a Vorlage; raises ParseError only for text that is no Vorlage at all."""
    src = Source.of(text)
    draft = Draft(warnings=list(src.warnings))

    header = _take(draft, read_header(src))
    head = header.value
    for name in (
        "number",
        "year",
        "suffix",
        "date",
        "department",
        "department_short",
        "co_departments",
        "file_reference",
        "title",
        "paper_type",
        "paper_type_key",
        "paper_type_note",
        "marked_non_public",
        "budget_reading",
        "lines",
    ):
        setattr(draft, name, getattr(head, name))
    draft.errors.extend(head.errors)

    steps = _take(draft, read_beratungsfolge(src, header.next, head.paper_type_key))
    draft.consultations = steps.value

    layout = _take(draft, read_layout(src, steps.next)).value
    draft.truncated = layout.truncated
    signature = _take(draft, read_signature(src, layout)).value
    if signature.name:
        draft.signed_by_name, draft.signed_by_office = signature.name, signature.office
        draft.lines["signed_by"] = signature.line
    layout = without_signature(layout, signature)
    if RESOLUTION in layout.bodies:
        first, stop = layout.bodies[RESOLUTION]
        draft.items = _take(
            draft, read_items(src, first + 1, stop, truncated=layout.truncated)
        ).value
    draft.sections = text_sections(src, layout)
    if RESOLUTION not in layout.bodies and head.paper_type_key == Paper.Type.DECISION:
        draft.warnings.append(
            problem(Code.NO_RESOLUTION, _("Kein Beschlussantrag gefunden."))
        )
    draft.co_signing_departments = _take(
        draft, read_co_signers(src, layout, head.paper_type_key)
    ).value

    draft.referenced_papers = _take(
        draft,
        read_citations(
            src, head.reference_index, (head.number, head.year, head.suffix)
        ),
    ).value
    draft.position_decisions = _take(draft, read_position_decisions(draft.items)).value
    granting = {d.granted_by for d in draft.position_decisions if d.granted_by}
    for cited in draft.referenced_papers:
        if cited.kind == PaperReference.Kind.CITES and cited.reference in granting:
            cited.kind = PaperReference.Kind.EXTENDS
    draft.funding_lines = _take(
        draft,
        read_funding(
            src,
            draft.sections,
            draft.items,
            draft.position_decisions,
            draft.lines.get("signed_by"),
        ),
    ).value
    _required_fields(draft)
    return draft


def _take(draft, read):
    draft.warnings.extend(read.warnings)
    return read


def _required_fields(draft):
    if not draft.title:
        draft.errors.append(problem(Code.NO_TITLE, _("Kein Betreff (Titel) gefunden.")))
    if not draft.department:
        draft.errors.append(
            problem(
                Code.NO_DEPARTMENT,
                _("Keine federführende Dienststelle im Kopf gefunden."),
            )
        )
