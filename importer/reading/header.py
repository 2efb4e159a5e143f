"""The header of a Vorlage: departments, Gz, number and suffix, date, title, type.

Landeshauptstadt Stuttgart
Referat Soziales und gesellschaftliche Integration   ← lead department (more lines:
Gz: SI                                                  a joint paper)
GRDrs 949/2019                                        ← or "GRDrs" and the number
Stuttgart,                                              on the next line
11/13/2019                                            ← month first
Haushalt 2024/2025                                    ← a budget reading, if any
Pakt für Integration - …                              ← title, any number of lines
Beschlußvorlage                                       ← type (and its note)
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from council.models import Paper
from operations import formats

from .departments import referat_short
from .paper_draft import Code, DepartmentName, problem
from .paper_source import Source
from .sections import HEADING_RE
from .text import Problem, Read, ReadError, join_lines, squash

# The number stands at the start of its line (or glued to the Gz).
# "GRDrs", in older papers also "GR-Drs." or "Gemeinderatsdrucksache".
GRDRS = r"(?:GRDrs\.?|GR-Drs\.?|Gemeinderatsdrucksache)"
REFERENCE_RE = re.compile(
    rf"^(?:G[zZ]\.?:[^\n]*?)?{GRDRS}\s*(?:Nr\.?\s*)?(\d{{1,5}})\s*/\s*(\d{{4}})\s*(.*)$",
    re.IGNORECASE,
)
# "GRDrs" alone, its number on the next line.
REFERENCE_ALONE_RE = re.compile(
    rf"^(?:G[zZ]\.?:[^\n]*?)?{GRDRS}\s*(?:Nr\.?)?\s*$", re.IGNORECASE
)
NUMBER_LINE_RE = re.compile(r"^(?:Nr\.?\s*)?(\d{1,5})\s*/\s*(\d{4})\s*(.*)$")
HEADER_LINES = 60
SUFFIX_RE = re.compile(
    r"^(?:\d{1,2}\.\s*)?(?:Ergänzung|Neufassung|Nachtrag|Änderung)"
    r"(?:\s+[A-Z0-9]{1,2})?$"
)
GZ_RE = re.compile(r"^G[zZ]\.?\s*:\s*(.*)$")
US_DATE_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
DE_DATE_RE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
# The paper types the register knows: (printed, key, may carry a note such as
# "zum Haushaltsplan 2020/2021").
TYPES = [
    (r"Beschlu(?:ss|ß)vorlage", Paper.Type.DECISION, True),
    (r"Mitteilungsvorlage", Paper.Type.INFORMATION, True),
    (r"Informationsvorlage", Paper.Type.INFORMATION, True),
    (r"Beantwortung\s*/\s*Stellungnahme", Paper.Type.ANSWER, True),
    (r"Stellungnahme", Paper.Type.STATEMENT, False),
    (r"Antrag", Paper.Type.MOTION, False),
    (r"Anfrage", Paper.Type.INQUIRY, False),
    (r"Bericht", Paper.Type.REPORT, False),
]
TYPE_RES = [(re.compile(rf"^({rx})(.*)$"), key, note) for rx, key, note in TYPES]
TYPE_NOTE_RE = re.compile(r"^(?:zu[mr]?|für)\b")
GLUED_HEADER_RE = re.compile(r"Vorlage\s*an")
# The first row of the Beratungsfolge ("Vorlage an / zur / Sitzungsart …").
HEADER_TOKENS = re.compile(
    r"^(?:Vorlagean)?(?:zur)?(?:Sitzungsart)?(?:Sitzungstermin)?$"
)
# "zur nichtöffentlichen Behandlung", "- nichtöffentlich -", "Nicht öffentlich!".
NON_PUBLIC = (
    r"(?:zur\s+)?nicht[\s-]?öffentlich(?:e[nrs]?)?"
    r"(?:\s+(?:Behandlung|Beratung|Sitzung|Vorlage))?"
)
NON_PUBLIC_LINE_RE = re.compile(rf"^[-–—*(\s]*{NON_PUBLIC}[-–—*)\s.!]*$", re.IGNORECASE)
NON_PUBLIC_TAIL_RE = re.compile(rf"[-–—*(\s]+{NON_PUBLIC}[-–—*)\s.!]*$", re.IGNORECASE)
# "Haushalt 2024/2025", "Haushaltsplanberatungen 2020/2021", "Unterlage für die
# 2. Lesung": what a budget paper prints above its real title.
BUDGET_READING_RE = re.compile(
    r"^(?:Haushalt(?:splan)?(?:beratungen?)?(?:\s+\d{4}(?:\s*/\s*\d{2,4})?)"
    r"|(?:Unterlage\s+(?:für|zur)\s+(?:die\s+)?)?\d\.\s*Lesung\b.{0,80})$",
    re.IGNORECASE,
)
REFERAT = "Referat "
# A department name wrapped over two lines continues after these.
WRAPPED_NAME_RE = re.compile(r"(?:-|,|\bund|\bfür)$")
# Two departments on one line: "Referat A und Referat B".
JOINT_RE = re.compile(r"\s+(?:und|sowie|/|,)\s+(?=Referat\b)|\s*/\s*(?=Referat\b)")


@dataclass
class Header:
    number: int
    year: int
    suffix: str = ""
    date: datetime.date | None = None
    department: str | None = None
    department_short: str | None = None
    co_departments: list[DepartmentName] = field(default_factory=list)
    file_reference: str | None = None
    title: str | None = None
    paper_type: str | None = None
    paper_type_key: Paper.Type | None = None
    paper_type_note: str = ""
    marked_non_public: bool = False
    budget_reading: str = ""
    lines: dict[str, int] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    # Index of the line with the number (0-based): citations start after it.
    reference_index: int = 0


def read_header(src: Source) -> Read[Header]:
    """The header; `next` is the first line after the paper type (or title)."""
    warnings: list[Problem] = []
    ref_index, number_index, match = _find_reference(src)
    number, year = int(match[1]), int(match[2])
    if number < 1 or not 1900 <= year <= 2999:
        raise ReadError(
            _("Die Drucksachennummer „%(ref)s“ im Kopf ist nicht plausibel.")
            % {"ref": f"{number}/{year}"}
        )
    head = Header(number, year, reference_index=number_index)
    head.lines["reference"] = ref_index + 1
    rest = match[3].strip()
    head.suffix = None
    if rest and SUFFIX_RE.match(rest):
        head.suffix = rest
        head.lines["suffix"] = number_index + 1
    _departments_and_gz(src, head, ref_index, warnings)
    start = _below_number(src, head, number_index, warnings)
    next_line = _title_and_type(src, head, start, warnings)
    if head.marked_non_public:
        warnings.append(
            problem(
                Code.NON_PUBLIC,
                _(
                    "Die Vorlage ist im Kopf als nichtöffentlich gekennzeichnet; sie "
                    "wird als nichtöffentliche Drucksache übernommen."
                ),
                head.lines.get("non_public"),
            )
        )
    return Read(head, warnings, next_line)


def _find_reference(src):
    """(line of "GRDrs", line of the number, match with number, year, rest)."""
    lines = src.lines
    for i, line in enumerate(lines[:HEADER_LINES]):
        match = REFERENCE_RE.match(line)
        if match:
            return i, i, match
        if REFERENCE_ALONE_RE.match(line):
            nxt = src.next_nonempty(i + 1, i + 3)
            below = NUMBER_LINE_RE.match(lines[nxt]) if nxt is not None else None
            if below:
                return i, nxt, below
    raise ReadError(
        _(
            "Das ist keine Vorlage: im Kopf steht keine Drucksachennummer "
            "(„GRDrs Nummer/Jahr“)."
        )
    )


def _departments_and_gz(src, head, ref_index, warnings):
    """Department line(s) and Gz above the number."""
    gz_index = None
    dept_lines = []
    for i in range(ref_index + 1):
        line = src.lines[i]
        gz = GZ_RE.match(line)
        if gz:
            gz_index = i
            value = re.split(r"GRDrs", gz[1], flags=re.IGNORECASE)[0].strip()
            if value:
                head.file_reference = value
            else:
                # Empty Gz, or the value stands on the next line.
                nxt = src.next_nonempty(i + 1, ref_index)
                if nxt is not None and nxt < ref_index:
                    head.file_reference = src.lines[nxt]
                else:
                    head.file_reference = ""
            head.lines["file_reference"] = i + 1
            break
        if i == ref_index or not line or line.startswith("Landeshauptstadt"):
            continue
        if NON_PUBLIC_LINE_RE.match(line):
            _mark_non_public(head, i)
            continue
        dept_lines.append((i, line))
    if gz_index is None:
        warnings.append(
            problem(
                Code.NO_FILE_REFERENCE,
                _("Keine Zeile „Gz:“ (Aktenzeichen) im Kopf gefunden."),
            )
        )
    if not dept_lines:
        return
    names = []  # [first line index, [lines]]
    for i, line in dept_lines:
        if names and (line[:1].islower() or WRAPPED_NAME_RE.search(names[-1][1][-1])):
            names[-1][1].append(line)
        else:
            names.append([i, [line]])
    departments = []
    for i, parts in names:
        name = parts[0]
        for part in parts[1:]:
            name = name + part if name.endswith("-") else f"{name} {part}"
        for piece in JOINT_RE.split(name):
            if piece.strip():
                departments.append((i, squash(piece)))
    first_index, lead = departments[0]
    head.department = lead
    head.department_short = referat_short(lead)
    head.lines["department"] = first_index + 1
    # A joint paper names another Referat; a line that is no Referat below a
    # Referat is its office ("Stadtkämmerei"), named but not in charge.
    referat = lead.startswith(REFERAT)
    for i, name in departments[1:]:
        if referat and not name.startswith(REFERAT):
            warnings.append(
                problem(
                    Code.OFFICE_LINE,
                    _(
                        "Im Kopf steht unter „%(lead)s“ noch „%(name)s“; als Amt des "
                        "Referats verstanden, nicht als weitere federführende "
                        "Dienststelle übernommen."
                    )
                    % {"lead": lead, "name": name},
                    i + 1,
                )
            )
            continue
        head.co_departments.append(DepartmentName(name, referat_short(name)))
    if head.co_departments:
        warnings.append(
            problem(
                Code.SEVERAL_DEPARTMENTS,
                _(
                    "Gemeinsame Vorlage: federführend ist „%(lead)s“, "
                    "mitverantwortlich %(others)s; bitte prüfen."
                )
                % {
                    "lead": lead,
                    "others": ", ".join(f"„{d.name}“" for d in head.co_departments),
                },
                first_index + 1,
            )
        )


def _mark_non_public(head, index):
    head.marked_non_public = True
    head.lines.setdefault("non_public", index + 1)


def _below_number(src, head, number_index, warnings):
    """Gz or suffix below the number, then "Stuttgart," and the date (month
    first); returns the first line of the title."""
    i = number_index + 1
    date_found = False
    for j in range(number_index + 1, min(number_index + 16, len(src.lines))):
        line = src.lines[j]
        if not line:
            continue
        gz = GZ_RE.match(line)
        if gz and head.file_reference is None:
            # The Gz printed below the number instead of above it.
            head.file_reference = gz[1].strip()
            head.lines["file_reference"] = j + 1
            warnings[:] = [w for w in warnings if w.code != Code.NO_FILE_REFERENCE]
            i = j + 1
            continue
        if head.suffix is None and SUFFIX_RE.match(line):
            head.suffix = line
            head.lines["suffix"] = j + 1
            i = j + 1
            continue
        if NON_PUBLIC_LINE_RE.match(line):
            _mark_non_public(head, j)
            i = j + 1
            continue
        us = US_DATE_RE.search(line)
        de = DE_DATE_RE.search(line)
        if us or de:
            date_found = True
            _header_date(head, us, de, j, warnings)
            i = j + 1
            break
        if line.startswith("Stuttgart"):
            i = j + 1
            continue
        break
    if not date_found:
        head.errors.append(
            problem(
                Code.NO_DATE,
                _("Kein Datum im Kopf gefunden (erwartet: Monat/Tag/Jahr)."),
            )
        )
    if head.suffix is None:
        head.suffix = ""
    return i


def _header_date(head, us, de, index, warnings):
    head.lines["date"] = index + 1
    if us:
        month, day, year = int(us[1]), int(us[2]), int(us[3])
        printed = us[0]
    else:
        day, month, year = int(de[1]), int(de[2]), int(de[3])
        printed = de[0]
    try:
        head.date = datetime.date(year, month, day)
    except ValueError:
        head.errors.append(
            problem(
                Code.BAD_DATE,
                _(
                    "Das Datum „%(date)s“ im Kopf ist kein gültiges Datum "
                    "(gedruckt als Monat/Tag/Jahr)."
                )
                % {"date": printed},
                index + 1,
            )
        )
        return
    if not head.year <= year <= head.year + 1:
        warnings.append(
            problem(
                Code.DATE_AFTER_YEAR,
                _(
                    "Das Datum %(date)s passt nicht zum Jahr der "
                    "Drucksachennummer %(y)s."
                )
                % {"date": formats.date(head.date), "y": head.year},
                index + 1,
            )
        )


def _paper_type(line):
    """(printed type, key, note) if `line` is a paper type the register knows."""
    for pattern, key, may_have_note in TYPE_RES:
        match = pattern.match(line)
        if not match:
            continue
        rest = match[2]
        glued = GLUED_HEADER_RE.search(rest)
        if glued:
            rest = rest[: glued.start()]
        rest = rest.strip()
        if rest and not (may_have_note and TYPE_NOTE_RE.match(rest)):
            continue
        return squash(f"{match[1]} {rest}"), key, rest
    return None


def _title_and_type(src, head, i, warnings):
    lines = src.lines
    # The title runs up to the paper type.
    type_index = None
    limit = min(i + 25, len(lines))
    title_seen = False
    for j in range(i, limit):
        line = lines[j]
        tail = NON_PUBLIC_TAIL_RE.search(line) if line else None
        found = _paper_type(line[: tail.start()] if tail else line)
        if found and not title_seen and _title_follows(src, j, limit):
            # "Bericht" / "über die Personalgewinnung …": a title's first line.
            title_seen = True
            continue
        if found:
            type_index = j
            head.paper_type, head.paper_type_key, head.paper_type_note = found
            head.lines["paper_type"] = j + 1
            if tail:
                _mark_non_public(head, j)
            break
        if line and (
            HEADING_RE.match(line) or HEADER_TOKENS.match(line.replace(" ", ""))
        ):
            break
        if line and not NON_PUBLIC_LINE_RE.match(line):
            title_seen = title_seen or not BUDGET_READING_RE.match(line)
    end = type_index
    if end is None:
        end = _unknown_type(src, head, i, limit, warnings)
    title_lines = []
    first = None
    for j in range(i, end if end is not None else len(lines)):
        line = lines[j]
        if not line:
            if title_lines and end is None:
                break
            continue
        if NON_PUBLIC_LINE_RE.match(line):
            _mark_non_public(head, j)
            continue
        if not title_lines and BUDGET_READING_RE.match(line):
            # Above the real title: what the budget paper belongs to.
            head.budget_reading = squash(f"{head.budget_reading} {line}")
            head.lines.setdefault("budget_reading", j + 1)
            continue
        if first is None:
            first = j
        title_lines.append(line)
    if title_lines:
        head.title = join_lines(title_lines)
        head.lines["title"] = first + 1
    if end is None:
        head.errors.append(
            problem(
                Code.NO_TYPE,
                _(
                    "Die Art der Vorlage (z. B. „Beschlussvorlage“) wurde nicht "
                    "gefunden."
                ),
            )
        )
        return (first or i) + len(title_lines)
    # A mark on the line after the type, before the Beratungsfolge.
    nxt = src.next_nonempty(end + 1, end + 4)
    if nxt is not None and NON_PUBLIC_LINE_RE.match(lines[nxt]):
        _mark_non_public(head, nxt)
        return nxt + 1
    return end + 1


def _title_follows(src, j, limit):
    """Whether the line after line `j` is text of a title (not the Beratungsfolge,
    a heading or a type): then line `j` is the title's first line, not a type."""
    nxt = src.next_nonempty(j + 1, limit)
    if nxt is None or nxt > j + 1:
        return False
    line = src.lines[nxt]
    return not (
        HEADING_RE.match(line)
        or HEADER_TOKENS.match(line.replace(" ", ""))
        or _paper_type(line)
        or NON_PUBLIC_LINE_RE.match(line)
    )


def _unknown_type(src, head, i, limit, warnings):
    """A type the register does not know ("Beantwortung zum Haushaltsantrag"):
    the last line of the header, after a blank line below the title, right before
    the Beratungsfolge or the first heading. Its index, or None."""
    lines = src.lines
    stop = None
    for j in range(i, limit):
        line = lines[j]
        if line and (
            HEADING_RE.match(line) or HEADER_TOKENS.match(line.replace(" ", ""))
        ):
            stop = j
            break
    if stop is None:
        return None
    candidate = src.previous_nonempty(stop - 1)
    if candidate is None or candidate < i:
        return None
    above = src.previous_nonempty(candidate - 1)
    if (
        above is None
        or above < i
        or above == candidate - 1
        or len(lines[candidate]) > 80
    ):
        # No title above it, or no blank line between: it is the title itself.
        return None
    head.paper_type = lines[candidate]
    head.paper_type_key = None
    head.lines["paper_type"] = candidate + 1
    warnings.append(
        problem(
            Code.UNKNOWN_TYPE,
            _(
                "Die Art der Vorlage „%(type)s“ kennt das Register nicht; bitte in der "
                "Vorschau eine Art wählen."
            )
            % {"type": lines[candidate]},
            candidate + 1,
        )
    )
    return candidate
