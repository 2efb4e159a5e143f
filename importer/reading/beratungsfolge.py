"""The Beratungsfolge: which committee consults the paper, how, in public or not, when.

Printed as rows on one line (`Gemeinderat Beschlussfassung öffentlich 05.12.2019`,
also glued: `GemeinderatBeschlussfassungöffentlich19.09.2019`) or column by column
(all committees, then all roles, all public marks, all dates), under a header row
("Vorlage an / zur / Sitzungsart / Sitzungstermin", sometimes glued). Columns that
do not line up give only the complete rows, with a warning.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from council.models import Paper

from .header import HEADER_TOKENS
from .paper_draft import Code, ConsultationDraft, problem
from .paper_source import DATE, Source, parse_german_date, parse_us_date
from .sections import HEADING_RE
from .text import Problem, Read, fold, squash

ROLE = (
    r"(?:Beratung und Beschlu(?:ss|ß)fassung|Einbringung|Vorberatung|Beratung"
    r"|Beschlu(?:ss|ß)fassung|Kenntnisnahme|Anhörung|Information)"
)
PUBLIC = r"(?:nicht[\s-]?öffentlich|nichtöffentlich|öffentlich)"
# Meeting dates are printed day first (05.12.2019); older exports print them month
# first like the header's date (12/05/2002).
MEETING_DATE = rf"(?:{DATE}|\d{{1,2}}/\d{{1,2}}/\d{{4}})"
# The committee ends in a non-space: with `\S.*?\s*`, each position of a long
# run of spaces would hand the whole run to `\s*` again (quadratic).
ROW_RE = re.compile(
    rf"^(?P<committee>\S(?:.*?\S)?)\s*(?P<role>{ROLE})\s*(?P<public>{PUBLIC})"
    rf"\s*(?P<date>{MEETING_DATE})?$",
    re.IGNORECASE,
)
ROLE_RE = re.compile(rf"^{ROLE}$", re.IGNORECASE)
PUBLIC_RE = re.compile(rf"^{PUBLIC}$", re.IGNORECASE)
DATE_ONLY_RE = re.compile(rf"^{MEETING_DATE}$")
# A committee name wrapped over two lines continues after these.
WRAPPED_RE = re.compile(r"(?:-|\bund|\bfür)$")
# Types that have a Beratungsfolge: its absence is worth a warning.
CONSULTED = (Paper.Type.DECISION, Paper.Type.INFORMATION)


def is_public(text):
    return not fold(text).replace(" ", "").replace("-", "").startswith("nicht")


def read_beratungsfolge(
    src: Source, start: int, paper_type: Paper.Type | None
) -> Read[list[ConsultationDraft]]:
    """The steps from line `start` on; `next` is where the text sections begin."""
    lines = src.lines
    n = len(lines)
    i = start
    warnings: list[Problem] = []
    # Skip blank lines and the header row(s) "Vorlage an / zur / Sitzungsart …".
    saw_header = False
    while i < n:
        line = lines[i]
        if not line:
            i += 1
            continue
        if HEADER_TOKENS.match(line.replace(" ", "")):
            saw_header = True
            i += 1
            continue
        break
    rows, block = [], []
    while i < n:
        line = lines[i]
        if not line:
            if (block or rows) and not _continues(src, i):
                break
            i += 1
            continue
        if HEADING_RE.match(line):
            break
        row = ROW_RE.match(line)
        if row and not ROLE_RE.match(line):
            rows.append((i, row))
        else:
            block.append((i, line))
        i += 1
    missing = problem(
        Code.NO_CONSULTATIONS, _("Keine Beratungsfolge gefunden."), start + 1
    )
    if not saw_header and not rows and not block:
        return Read([], [missing] if paper_type in CONSULTED else [], start)
    # Text right after the type that is not a Beratungsfolge.
    if (
        not saw_header
        and block
        and not rows
        and not any(ROLE_RE.match(line) for _i, line in block)
    ):
        return Read([], [missing], start)
    steps = [
        ConsultationDraft(
            committee=squash(row["committee"]),
            role=row["role"],
            public=is_public(row["public"]),
            date=_row_date(row["date"], index, warnings),
            line=index + 1,
        )
        for index, row in rows
    ]
    if block:
        steps += _column_block(block, warnings)
    if not steps:
        warnings.append(
            problem(
                Code.CONSULTATIONS_UNREADABLE,
                _("Die Beratungsfolge konnte nicht gelesen werden."),
                start + 1,
            )
        )
    return Read(steps, warnings, i)


def _continues(src, i):
    """A blank line between the column blocks does not end them."""
    nxt = src.next_nonempty(i + 1, i + 4)
    ahead = src.lines[nxt] if nxt is not None else ""
    return bool(
        ROLE_RE.match(ahead)
        or PUBLIC_RE.match(ahead)
        or DATE_ONLY_RE.match(ahead)
        or (ROW_RE.match(ahead) and not ROLE_RE.match(ahead))
    )


def _row_date(text, index, warnings):
    if not text:
        return None
    value = parse_us_date(text) if "/" in text else parse_german_date(text)
    if value is None:
        warnings.append(
            problem(
                Code.BAD_MEETING_DATE,
                _("Sitzungstermin „%(date)s“ ist kein gültiges Datum.")
                % {"date": text},
                index + 1,
            )
        )
    return value


def _column_block(block, warnings):
    committees, roles, publics, dates = [], [], [], []
    for index, line in block:
        if ROLE_RE.match(line):
            roles.append((index, line))
        elif PUBLIC_RE.match(line):
            publics.append((index, line))
        elif DATE_ONLY_RE.match(line):
            dates.append((index, line))
        elif roles or publics or dates:
            warnings.append(
                problem(
                    Code.UNEXPECTED_CONSULTATION_LINE,
                    _("Unerwartete Zeile in der Beratungsfolge: „%(line)s“")
                    % {"line": line},
                    index + 1,
                )
            )
        else:
            committees.append((index, line))
    count = len(roles)
    if len(committees) > count:
        # A committee name wrapped over two lines.
        joined = []  # (index, [lines of the name])
        for index, line in committees:
            if joined and (line[:1].islower() or WRAPPED_RE.search(joined[-1][1][-1])):
                joined[-1][1].append(line)
            else:
                joined.append((index, [line]))
        committees = [(index, " ".join(lines)) for index, lines in joined]
    no_marks = not publics and len(committees) == count > 0 and len(dates) <= count
    if no_marks:
        # A layout without the column of public marks: the rows, and the clerk is
        # told that whether each step is public is not printed (None, not a guess).
        warnings.append(
            problem(
                Code.NO_PUBLIC_MARKS,
                _(
                    "Die Beratungsfolge sagt nicht, welche Sitzungen öffentlich sind; "
                    "bitte nach dem Speichern prüfen."
                ),
                block[0][0] + 1,
            )
        )
        publics = [(index, None) for index, _name in committees]
    if not (len(committees) == count == len(publics)) or len(dates) > count:
        warnings.append(
            problem(
                Code.CONSULTATIONS_INCOMPLETE,
                _(
                    "Beratungsfolge unvollständig: %(c)s Gremien, %(r)s Sitzungsarten, "
                    "%(p)s Angaben zur Öffentlichkeit, %(d)s Termine; nur vollständige "
                    "Zeilen übernommen."
                )
                % {
                    "c": len(committees),
                    "r": count,
                    "p": len(publics),
                    "d": len(dates),
                },
                block[0][0] + 1,
            )
        )
    elif len(dates) < count:
        warnings.append(
            problem(
                Code.CONSULTATION_DATES_IN_ORDER,
                _(
                    "Nur %(d)s Termine für %(r)s Beratungen: die Termine sind der "
                    "Reihe nach zugeordnet, bitte prüfen."
                )
                % {"d": len(dates), "r": count},
                dates[0][0] + 1 if dates else block[0][0] + 1,
            )
        )
    steps = []
    for k in range(min(len(committees), count, len(publics))):
        index, name = committees[k]
        date = _row_date(dates[k][1], dates[k][0], warnings) if k < len(dates) else None
        steps.append(
            ConsultationDraft(
                committee=squash(name),
                role=roles[k][1],
                public=None if publics[k][1] is None else is_public(publics[k][1]),
                date=date,
                line=index + 1,
            )
        )
    return steps
