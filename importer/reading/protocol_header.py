"""The header of a protocol (Niederschrift): one agenda item of one meeting.

    Protokoll: Gemeinderat der Landeshauptstadt StuttgartNiederschrift Nr.
    TOP:
    184/E                      ← the minutes number
    5                          ← the TOP
    Ergebnis der BeratungDrucksache:
    532/2017
    GZ:
    SI
    Sitzungstermin: 28.09.2017
    Sitzungsart: öffentlich
    Vorsitz: OB Kuhn
    Berichterstattung:-
    Protokollführung: Frau Sabbagh fr
    Betreff: Pakt für Integration - …

Each label may carry its value on its own line or on the lines after it, up to
the next label; labels may be glued to the text before them (`…StuttgartNiederschrift
Nr.`, `VerhandlungDrucksache:`). The header ends after the subject.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .dates import PrintedDate, read_date
from .outcomes import map_result
from .pages import furniture_at
from .references import SUFFIX, PaperRef, is_suffix, paper_refs
from .text import Problem, Read, join_lines, shorten, squash

# A label at the start of a line, with its value after it.
LABELS = {
    "protocol": r"(?i:Protokoll\s?:)",
    # Upper case only: a subject line may begin with "Top-…".
    "top": r"TOP\b\s?:?",
    "file_reference": r"G[zZ]\.?\s?:",
    "date": r"(?i:Sitzungstermin\s?:)",
    "session": r"(?i:Sitzungsart\s?:)",
    "chair": r"(?i:Vorsitz(?:ende[rn]?)?\s?:)",
    "reporter": r"(?i:Berichterstatt(?:ung|er|erin)\s?:)",
    "recorder": r"(?i:Protokollf(?:ü|ue)hr(?:ung|er|erin)\s?:)",
    "subject": r"(?i:Betreff\s?:)",
}
LABEL_RES = {name: re.compile(pattern) for name, pattern in LABELS.items()}
# All of them in one pattern: one match per line, not nine.
LABEL_RE = re.compile("|".join(f"(?P<{n}>{p})" for n, p in LABELS.items()))
# Labels often glued to what is printed before them on the same line.
MINUTES_RE = re.compile(r"Niederschrift\s?Nr\.?\s?:?", re.IGNORECASE)
PAPER_LABEL_RE = re.compile(r"Drucksache(?:\s?-?\s?Nr\.?)?\s?:", re.IGNORECASE)
# Where the header has certainly ended.
BODY_START_RE = re.compile(
    r"(?:Vorgang\s?:|Beratungsunterlagen?\b|Beschlu(?:ss|ß)antrag\b)", re.IGNORECASE
)
PUBLIC_RE = re.compile(r"(?:ö|oe)ffentlich", re.IGNORECASE)
NONPUBLIC_RE = re.compile(r"nicht\s?-?\s?(?:ö|oe)ffentlich", re.IGNORECASE)
# The body the protocol belongs to, without "der Landeshauptstadt Stuttgart".
CITY_QUALIFIER_RE = re.compile(
    r"\s(?:des\s(?:Gemeinderats|Gemeinderates)\s)?der\sLandeshauptstadt\sStuttgart$"
)
ALSO_SUFFIX_RE = re.compile(rf"\s(?:und|sowie|mit|\+)\s(?P<suffix>{SUFFIX})\s?$")
# "- Zurückstellung -" closing the subject: what happened to the item.
MARKER_RE = re.compile(r"(?:^|\s)[-–]\s?(?P<marker>[^-–]{3,40}?)\s?[-–]$")
MINUTES_NUMBER_RE = re.compile(r"\d{1,5}(?:\s?/\s?[A-Za-z0-9]{1,3})?[a-z]?")
TOP_NUMBER_RE = re.compile(r"\d{1,3}(?:\s?[a-z]|\.\d{1,2})?")
MAX_NUMBER_CHARS = 20
# "-" printed for a value: there is none.
NO_VALUE = {"-", "–", "--", "---"}
# Header values longer than this are not a header's.
MAX_VALUE_CHARS = 2_000


@dataclass
class Values:
    """The values printed under one label: (line number, text) pairs."""

    present: bool = False
    lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def texts(self):
        return [text for _line, text in self.lines]

    @property
    def first_line(self):
        return self.lines[0][0] if self.lines else None


@dataclass
class ProtocolHeader:
    committee: str | None = None
    minutes_number: str | None = None
    top: str | None = None
    # What the protocol is of, as printed before "Drucksache:" ("Verhandlung").
    kind: str | None = None
    papers: list[PaperRef] = field(default_factory=list)
    file_reference: str | None = None
    meeting_date: PrintedDate | None = None
    public: bool | None = None
    chair: str | None = None
    reporter: str | None = None
    recorder: str | None = None
    subject: str | None = None
    # "Zurückstellung" from "- Zurückstellung -" under the subject.
    subject_marker: str | None = None
    # Source line (1-based) of each field, for messages and the preview.
    lines: dict[str, int] = field(default_factory=dict)


def is_protocol(lines: Sequence[str], limit: int = 40) -> bool:
    """A protocol's first lines name it and its agenda item."""
    named = agenda = False
    for line in lines[:limit]:
        if LABEL_RES["protocol"].match(line) or MINUTES_RE.search(line):
            named = True
        elif named and LABEL_RES["top"].match(line):
            agenda = True
        if named and agenda:
            return True
    return False


def read_protocol_header(lines: Sequence[str], start: int = 0) -> Read[ProtocolHeader]:
    """The header fields; `next` is the first line after the subject."""
    values, kind, end = _label_values(lines, start)
    header = ProtocolHeader(kind=kind)
    warnings: list[Problem] = []

    def warn(message, name):
        warnings.append(Problem(message, values[name].first_line))

    _committee(header, values, warnings)
    _numbers(header, values, warnings)
    _papers(header, values, warnings)
    if values["file_reference"].present:
        gz = squash(" ".join(values["file_reference"].texts))
        header.file_reference = "" if gz in NO_VALUE else gz
    else:
        warnings.append(Problem(_("Kein „GZ:“ gefunden.")))
    printed = " ".join(values["date"].texts)
    header.meeting_date = read_date(printed)
    if header.meeting_date is None:
        warn(
            _("Kein Sitzungstermin gefunden.")
            if not printed
            else _("Der Sitzungstermin „%(date)s“ ist kein Datum.")
            % {"date": shorten(printed)},
            "date",
        )
    _public(header, values, warnings)
    for name in ("chair", "reporter", "recorder"):
        text = squash(" ".join(values[name].texts))
        setattr(header, name, None if text in ("", "-") else text)
    _subject(header, values, warnings)
    for name, found in values.items():
        if found.first_line is not None:
            header.lines[name] = found.first_line
    return Read(header, warnings, end)


def _label_values(lines, start):
    """{label: Values}, the text before "Drucksache:", the index after the header."""
    values = {name: Values() for name in [*LABEL_RES, "minutes", "paper"]}
    kind = None
    current = "protocol"
    index = start
    while index < len(lines):
        line = lines[index][:MAX_VALUE_CHARS]
        number = index + 1
        if not line:
            if current == "subject" and values["subject"].lines:
                break
            index += 1
            continue
        if BODY_START_RE.match(line):
            break
        if current == "subject" and values["subject"].lines:
            # A page break under the subject: its number or repeated head is
            # no part of the subject (nor a new TOP).
            furniture = furniture_at(lines, index)
            if furniture:
                index += furniture
                continue
        label, rest = None, line
        found = LABEL_RE.match(line)
        if found:
            label, rest = found.lastgroup, line[found.end() :]
        if label is not None:
            current = label
            values[label].present = True
        # A label glued to the value before it: "…StuttgartNiederschrift Nr.".
        for name, pattern in (("minutes", MINUTES_RE), ("paper", PAPER_LABEL_RE)):
            found = pattern.search(rest)
            if found and current != "subject":
                before = rest[: found.start()].strip()
                if name == "paper":
                    kind = squash(before) or _kind_above(values[current], number)
                elif before:
                    values[current].lines.append((number, before))
                current, rest = name, rest[found.end() :]
                values[name].present = True
        rest = rest.strip()
        if rest:
            values[current].lines.append((number, rest))
        index += 1
    return values, kind, index


def _kind_above(values, number):
    """ "Verhandlung" printed on the line above a bare "Drucksache:" is its kind."""
    above = values.lines[-1] if values.lines else None
    if above and above[0] == number - 1 and not any(c.isdigit() for c in above[1]):
        return values.lines.pop()[1]
    return None


def _committee(header, values, warnings):
    printed = squash(" ".join(values["protocol"].texts))
    if not printed:
        warnings.append(Problem(_("Das Gremium der Niederschrift fehlt.")))
        return
    qualifier = CITY_QUALIFIER_RE.search(printed)
    header.committee = printed[: qualifier.start()] if qualifier else printed


def _numbers(header, values, warnings):
    minutes = [t for t in values["minutes"].texts if t]
    agenda = values["top"].texts
    if not minutes and len(agenda) >= 2:
        # Positional: minutes number, then TOP, either of them possibly "-".
        minutes, agenda = agenda[:1], agenda[1:]
    minutes = [None if t in NO_VALUE else t for t in minutes]
    agenda = [None if t in NO_VALUE else t for t in agenda]
    line = values["top"].first_line or values["minutes"].first_line
    if minutes:
        header.minutes_number = minutes[0]
        header.top = agenda[0] if agenda else None
        extra = [t for t in minutes[1:] + agenda[1:] if t]
    else:
        header.top = agenda[0] if agenda else None
        extra = []
        warnings.append(
            Problem(
                _(
                    "Nach „TOP:“ steht nur eine Nummer; sie ist als TOP gelesen, die "
                    "Nummer der Niederschrift fehlt."
                )
                if agenda
                else _("Nummer der Niederschrift und TOP fehlen."),
                line,
            )
        )
    if extra:
        warnings.append(
            Problem(
                _("Im Kopf stehen mehr Nummern als erwartet: %(extra)s")
                % {"extra": shorten(", ".join(extra))},
                line,
            )
        )
    for name, pattern, label in (
        ("minutes_number", MINUTES_NUMBER_RE, _("Nummer der Niederschrift")),
        ("top", TOP_NUMBER_RE, _("TOP")),
    ):
        value = getattr(header, name)
        if value is None:
            continue
        if not pattern.fullmatch(value):
            warnings.append(
                Problem(
                    _("%(what)s „%(value)s“ sieht nicht wie eine Nummer aus.")
                    % {"what": label, "value": shorten(value)},
                    line,
                )
            )
            if len(value) > MAX_NUMBER_CHARS:
                value = None
        setattr(header, name, value)


def _papers(header, values, warnings):
    found = values["paper"]
    if not found.present:
        warnings.append(Problem(_("Kein Feld „Drucksache:“ gefunden.")))
        return
    # In printed order, each once (a dict: a list searched per paper is quadratic).
    papers: dict[PaperRef, None] = {}
    last = None
    for number, text in found.lines:
        if text in NO_VALUE:
            continue
        refs = paper_refs(text)
        if refs:
            papers.update(dict.fromkeys(refs))
            last = refs[-1]
            # "942/2005 und Ergänzung": the supplement of the same number.
            also = ALSO_SUFFIX_RE.search(text)
            if also:
                last = PaperRef(last.number, last.year, squash(also["suffix"]))
                papers[last] = None
        elif is_suffix(text) and last is not None and not last.suffix:
            del papers[last]
            last = PaperRef(last.number, last.year, squash(text))
            papers[last] = None
        else:
            warnings.append(
                Problem(
                    _("„%(text)s“ unter „Drucksache:“ ist keine Drucksachennummer.")
                    % {"text": shorten(text)},
                    number,
                )
            )
    header.papers = list(papers)


def _public(header, values, warnings):
    printed = squash(" ".join(values["session"].texts))
    if NONPUBLIC_RE.search(printed):
        header.public = False
    elif PUBLIC_RE.search(printed):
        header.public = True
    else:
        warnings.append(
            Problem(
                _(
                    "Sitzungsart „%(text)s“ nicht erkannt (öffentlich oder "
                    "nichtöffentlich?)."
                )
                % {"text": shorten(printed)}
                if printed
                else _("Keine Sitzungsart (öffentlich oder nichtöffentlich) gefunden."),
                values["session"].first_line,
            )
        )


def _subject(header, values, warnings):
    subject = join_lines(values["subject"].texts)
    if not subject:
        warnings.append(Problem(_("Kein Betreff gefunden.")))
        return
    marker = MARKER_RE.search(subject)
    if marker and map_result(marker["marker"]) is not None:
        header.subject_marker = marker["marker"]
        subject = subject[: marker.start()].rstrip()
    header.subject = subject
