"""Who signed the Vorlage (the two lines before "Anlagen") and who co-signed it.

"Die Referate Wirtschaft, Finanzen und Beteiligungen und Allgemeine Verwaltung,
Kultur und Recht haben die Vorlage mitgezeichnet." is split along the city's
Referate (see `departments.REFERATE`) into WFB and AKR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from council.models import Paper

from .departments import REFERATE, SHORT_TO_REFERAT
from .paper_draft import Code, DepartmentName, problem
from .paper_source import Source
from .sections import ATTACHMENTS, Layout
from .text import Problem, Read, squash

REFERAT_NAMES = sorted(REFERATE, key=len, reverse=True)
# A full name, not followed by a letter or digit; the longest names first.
REFERAT_NAME_RE = re.compile(
    "(?:" + "|".join(re.escape(name) for name in REFERAT_NAMES) + r")(?![^\W_])"
)
REFERAT_SEPARATOR_RE = re.compile(r"\s*(?:(?:,|und\b|sowie\b)\s*)?")
REFERAT_SHORT_RE = re.compile(r"([A-Z][A-Za-z]{0,4})(?=$|[\s,])")
CO_SIGNED_RE = re.compile(
    r"(?:^|\.\s+)(?:Die|Das|Der)?\s*(?P<who>[^.]*?)\s+(?:hat|haben)\s+die\s+"
    r"Vorlage\s+(?P<neg>nicht\s+)?mitgezeichnet"
)
REFERATE_PREFIX_RE = re.compile(r"^(?:Referate?|Referaten)\s+(.*)$")
OTHERS_SPLIT_RE = re.compile(r",\s*(?:die|das|der)\s+|\s+und\s+(?:die|das|der)\s+")
CO_SIGNING_HEADINGS = ("Beteiligte Stellen", "Mitzeichnung der beteiligten Stellen")
NOBODY = ("---", "keine", "entfällt")
IN_PLACE_OF = ("i. V.", "i.V.")


@dataclass
class Signature:
    name: str | None = None
    office: str | None = None
    line: int | None = None
    # The first line of the signature block: the section above ends before it.
    block_start: int | None = None


def read_signature(src: Source, layout: Layout) -> Read[Signature]:
    """Name and office: the last two lines before "Anlagen"."""
    if ATTACHMENTS not in layout.bodies:
        return Read(Signature())
    anlagen = layout.bodies[ATTACHMENTS][0]
    previous = max((i for i, _n in layout.heads if i < anlagen), default=None)
    candidates = []
    for i in range(anlagen - 1, (previous or 0), -1):
        line = src.lines[i]
        if not line:
            if candidates:
                break
            continue
        if line == "---":
            break
        candidates.append((i, line))
    # Collected upwards; in reading order again.
    candidates = [
        (i, line) for i, line in reversed(candidates) if line not in IN_PLACE_OF
    ]
    if len(candidates) < 2:
        return Read(
            Signature(),
            [
                problem(
                    Code.NO_SIGNATURE,
                    _("Keine Unterschrift (Name und Amt) vor „Anlagen“ gefunden."),
                )
            ],
        )
    (i, name), (_j, office) = candidates[-2], candidates[-1]
    return Read(Signature(name, office, i + 1, candidates[0][0]))


def without_signature(layout: Layout, signature: Signature) -> Layout:
    """The layout with the signature cut off the section it follows."""
    if signature.block_start is None:
        return layout
    anlagen = layout.bodies[ATTACHMENTS][0]
    previous = max((i for i, _n in layout.heads if i < anlagen), default=None)
    bodies = dict(layout.bodies)
    for hi, name in layout.heads:
        if hi == previous:
            start, stop = bodies.get(name, (hi, anlagen))
            if stop == anlagen:
                bodies[name] = (start, signature.block_start)
            break
    return Layout(layout.heads, bodies, layout.truncated)


def read_co_signers(
    src: Source, layout: Layout, paper_type: Paper.Type | None
) -> Read[list[DepartmentName]]:
    span = next(
        (layout.bodies[h] for h in CO_SIGNING_HEADINGS if h in layout.bodies), None
    )
    if not span:
        if not layout.truncated and paper_type == Paper.Type.DECISION:
            return Read(
                [],
                [
                    problem(
                        Code.NO_CO_SIGNING_SECTION,
                        _("Kein Abschnitt „Beteiligte Stellen“ gefunden."),
                    )
                ],
            )
        return Read([])
    i, stop = span
    text = squash(" ".join(src.lines[i + 1 : stop]))
    if not text or text.rstrip(".").casefold() in NOBODY:
        return Read([])
    match = CO_SIGNED_RE.search(text)
    if not match:
        return Read(
            [],
            [
                problem(
                    Code.CO_SIGNING_UNREADABLE,
                    _("Mitzeichnung nicht erkannt: „%(text)s“") % {"text": text[:200]},
                    i + 2,
                )
            ],
        )
    if match["neg"]:
        return Read(
            [],
            [
                problem(
                    Code.NOT_CO_SIGNED,
                    _("Nicht mitgezeichnet: „%(who)s“") % {"who": match["who"]},
                    i + 2,
                )
            ],
        )
    who = match["who"].strip()
    referate = REFERATE_PREFIX_RE.match(who)
    if referate:
        warnings: list[Problem] = []
        found = split_referate(referate[1], i + 2, warnings)
        return Read(found, warnings)
    names = OTHERS_SPLIT_RE.split(who)
    return Read([DepartmentName(squash(n)) for n in names if n])


def split_referate(text, line, warnings):
    # Read by position: cutting off the rest after each name copies it each
    # time (quadratic in the number of names).
    found = []
    text = text.strip()
    pos = 0
    while pos < len(text):
        pos = REFERAT_SEPARATOR_RE.match(text, pos).end()
        if pos >= len(text):
            break
        full = REFERAT_NAME_RE.match(text, pos)
        if full:
            name = full[0]
            found.append(DepartmentName(f"Referat {name}", REFERATE[name]))
            pos = full.end()
            continue
        short = REFERAT_SHORT_RE.match(text, pos)
        if short and short[1] in SHORT_TO_REFERAT:
            name = SHORT_TO_REFERAT[short[1]]
            found.append(DepartmentName(f"Referat {name}", short[1]))
            pos = short.end()
            continue
        rest = text[pos:].strip()
        warnings.append(
            problem(
                Code.CO_SIGNERS_UNSURE,
                _(
                    "Mitzeichnende Stellen nicht sicher getrennt: „%(rest)s“ ist "
                    "als eine Stelle übernommen."
                )
                % {"rest": rest},
                line,
            )
        )
        found.append(DepartmentName(f"Referat {rest}"))
        break
    return found
