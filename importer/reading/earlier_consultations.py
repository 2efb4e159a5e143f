"""The earlier consultations a protocol names, each with its printed result.

    Vorgang: Jugendhilfeausschuss vom 18.09.2017, öffentlich, Nr. 86

    Ergebnis: einmütige Zustimmung

    Sozial- und Gesundheitsausschuss vom 25.09.2017, öffentlich, Nr. 131

    Ergebnis: einmütige Zustimmung zu einer ergänzten Beschlussantragsziffer 5, …

`Vorgang:` opens the list; each further consultation has a line of its own. A
consultation may lack its public mark, number or result (`Verwaltungsausschuss
vom 27.11.2002,`); a committee name may wrap onto a second line.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .dates import ANY_DATE, PrintedDate, read_date, settle
from .outcomes import (
    ChangedItem,
    Result,
    Votes,
    map_result,
    read_changed_items,
    read_votes,
)
from .text import Problem, Read, join_lines, next_nonempty, shorten, squash

VORGANG_RE = re.compile(r"Vorgang\s?:\s?(?P<rest>.*)$", re.IGNORECASE)
# After the date only its marks: "…vom 21.03.2007, nicht öffentlich, Nr. 116" or
# "…vom 27.11.2002,"; never a sentence going on ("… vom 09.04.2003 empfohlen").
# Also "… am 21.03.2007", "Verwaltungsausschuss, 21.03.2007, …", marks after a
# space or in brackets ("vom 21.03.2007 (nicht öffentlich), Nr. 116").
ENTRY_RE = re.compile(
    rf"(?P<committee>\S.{{0,200}}?)(?:\s(?:vom|am)|,)\s(?P<date>{ANY_DATE})"
    r"(?P<rest>(?:\s?[,;(].*)?)$",
    re.IGNORECASE,
)
# The marks wrapped onto the next line: "nichtöffentlich, Nr. 43".
TAIL_RE = re.compile(
    r"(?:(?:nicht\s?-?\s?)?(?:ö|oe)ffentlich)?\s?,?\s?(?:Nr\.?\s?\S{1,20})?\s?,?",
    re.IGNORECASE,
)
RESULT_RE = re.compile(r"Ergebnis\s?:\s?(?P<text>.*)$", re.IGNORECASE)
# "…, Nr. 116, Ergebnis: Zustimmung": the result on the consultation's own line.
INLINE_RESULT_RE = re.compile(r"[,;]?\s?Ergebnis\s?:\s?(?P<text>.*)$", re.IGNORECASE)
# What the rest of an entry line says: "nicht öffentlich", "Nr. 116".
NONPUBLIC_RE = re.compile(r"nicht\s?-?\s?(?:ö|oe)ffentlich", re.IGNORECASE)
PUBLIC_RE = re.compile(r"(?:ö|oe)ffentlich", re.IGNORECASE)
NUMBER_RE = re.compile(r"\bNr\.?\s?(?P<number>[0-9][0-9A-Za-z/]{0,19})")
# Where the list has certainly ended.
END_RE = re.compile(
    r"(?:(?:Weitere\s)?Beratungsunterlagen?\b|Beschlu(?:ss|ß)antrag\b|\S.{0,120}?\bstellt\b"
    r".{0,80}?\bfest\s?:)",
    re.IGNORECASE,
)
# A committee name wraps onto one more line at most, after a word that joins.
MAX_WRAPPED = 2
WRAPPED_RE = re.compile(r"(?:-|\b(?:und|für|der|des|zur|zum|für die))$")


@dataclass
class EarlierConsultation:
    committee: str
    printed_date: PrintedDate | None
    date: datetime.date | None = None
    public: bool | None = None
    number: str | None = None
    # The `Ergebnis:` as printed, whitespace joined; None if none is printed.
    result_text: str | None = None
    result: Result | None = None
    votes: Votes = field(default_factory=Votes)
    changed_items: list[ChangedItem] = field(default_factory=list)
    line: int | None = None


def read_earlier_consultations(
    lines: Sequence[str], start: int
) -> Read[list[EarlierConsultation]]:
    """The consultations after `Vorgang:`; an empty list if the text names none."""
    index = next_nonempty(lines, start)
    if index is None or not VORGANG_RE.match(lines[index]):
        return Read([], [], start)
    warnings: list[Problem] = []
    entries: list[EarlierConsultation] = []
    results: list[list[str]] = []
    pending: list[tuple[int, str]] = []
    in_result = False
    end = len(lines)
    for i in range(index, len(lines)):
        line = squash(lines[i])
        if i == index:
            line = VORGANG_RE.match(line)["rest"]
        if not line:
            in_result = False
            if pending:
                # A committee name does not wrap across an empty line.
                break
            continue
        if END_RE.match(line):
            end = i
            break
        result = RESULT_RE.match(line)
        if result:
            if pending:
                warnings.append(_unread(pending))
                pending = []
            if not entries:
                warnings.append(
                    Problem(_("„Ergebnis:“ ohne vorherigen Vorgang."), i + 1)
                )
            elif results[-1]:
                warnings.append(
                    Problem(_("Ein zweites „Ergebnis:“ zum selben Vorgang."), i + 1)
                )
                results[-1].append(result["text"])
            else:
                results[-1].append(result["text"] or " ")
            in_result = bool(entries)
            continue
        entry = ENTRY_RE.match(line)
        first = i + 1
        if pending:
            joined = None
            if entry is None or WRAPPED_RE.search(pending[-1][1]):
                joined = ENTRY_RE.match(" ".join([t for _n, t in pending] + [line]))
            if joined:
                entry, first = joined, pending[0][0]
            elif entry:
                warnings.append(_unread(pending))
        if entry:
            inline = INLINE_RESULT_RE.search(entry["rest"])
            entries.append(_entry(entry, first, inline.start() if inline else None))
            results.append([inline["text"] or " "] if inline else [])
            pending, in_result = [], inline is not None
        elif entries and not results[-1] and _tail(entries[-1], line):
            continue
        elif in_result:
            results[-1].append(line)
        elif len(pending) < MAX_WRAPPED:
            pending.append((i + 1, line))
        else:
            end = pending[0][0] - 1
            pending = []
            break
    if pending:
        end = pending[0][0] - 1
    for entry, parts in zip(entries, results, strict=True):
        _result(entry, parts, warnings)
    if not entries:
        warnings.append(
            Problem(_("Nach „Vorgang:“ ist keine Beratung lesbar."), index + 1)
        )
    return Read(entries, warnings, end)


def _tail(entry, line):
    """Take the marks the entry's line left for the next one, if that is all."""
    if not TAIL_RE.fullmatch(line) or entry.public is not None or entry.number:
        return False
    marks = _entry_marks(line)
    if marks == (None, None):
        return False
    entry.public, entry.number = marks
    return True


def _entry_marks(rest):
    public = None
    if NONPUBLIC_RE.search(rest):
        public = False
    elif PUBLIC_RE.search(rest):
        public = True
    number = NUMBER_RE.search(rest)
    return public, number["number"] if number else None


def _unread(pending):
    return Problem(
        _("Nicht gelesen: „%(text)s“") % {"text": shorten(pending[0][1])},
        pending[0][0],
    )


def _entry(match, line, result_at=None):
    public, number = _entry_marks(match["rest"][:result_at])
    return EarlierConsultation(
        committee=match["committee"].rstrip(" ,;"),
        printed_date=read_date(match["date"]),
        public=public,
        number=number,
        line=line,
    )


def _result(entry, parts, warnings):
    printed = entry.printed_date.printed if entry.printed_date else "?"
    what = f"{entry.committee} vom {printed}"
    entry.date, problems = settle(
        entry.printed_date, what=_("Datum des Vorgangs"), line=entry.line
    )
    warnings.extend(problems)
    if entry.public is None:
        warnings.append(
            Problem(
                _("Vorgang %(what)s: nicht gedruckt, ob öffentlich.") % {"what": what},
                entry.line,
            )
        )
    if entry.number is None:
        warnings.append(
            Problem(
                _("Vorgang %(what)s: keine Nummer der Niederschrift.") % {"what": what},
                entry.line,
            )
        )
    text = join_lines(parts)
    if not text:
        warnings.append(
            Problem(
                _("Vorgang %(what)s: kein Ergebnis gedruckt.") % {"what": what},
                entry.line,
            )
        )
        return
    entry.result_text = text
    entry.result = map_result(text)
    entry.votes = read_votes(text)
    entry.changed_items = read_changed_items(text)
    if entry.result is None:
        warnings.append(
            Problem(
                _(
                    "Vorgang %(what)s: das Ergebnis „%(text)s“ entspricht keinem "
                    "bekannten Ergebnis; es wird nur als Anmerkung übernommen."
                )
                % {"what": what, "text": shorten(text)},
                entry.line,
            )
        )
