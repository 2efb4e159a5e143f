"""The decision a protocol records, and the items its text says were changed.

    OB Dr. Schuster stellt fest:

    Der Gemeinderat beschließt bei 2 Nein-Stimmen mehrheitlich wie beantragt.

The paragraph after the chair's "… stellt fest:" is the decision; without one,
the last paragraph that reads like a decision (`Der Ausschuss stimmt … zu.`,
`Vertagung`). Truncated texts often stop before it: then there is none, and the
reader says so rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .outcomes import (
    MAX_RESULT_CHARS,
    ChangedItem,
    Result,
    Votes,
    map_result,
    read_changed_items,
    read_votes,
)
from .text import Read, join_lines, next_nonempty

# The chair announcing a result: "OB Dr. Schuster stellt fest:" or
# "Der Vorsitzende stellt abschließend fest:".
# A name wrapped above ("OB\nDr. Schuster\nstellt fest:") leaves the verb alone.
ANNOUNCEMENT_RE = re.compile(
    r"(?:\S.{0,120}?\s)?(?:stellt|hält)\b.{0,80}?\bfest\s?:?$", re.IGNORECASE
)
# "Der Gemeinderat beschließt …", "Der Verwaltungsausschuss stimmt … zu."
DECISION_RE = re.compile(
    r"(?:Der|Die|Das)\s(?P<body>(?:\S+\s){0,8}?)(?:beschließt|beschliesst|beschließen"
    r"|beschliessen|stimmt|stimmen|lehnt|lehnen|nimmt|nehmen|vertagt|vertagen"
    r"|verweist|verweisen|empfiehlt|empfehlen|billigt|billigen|zieht)\b"
)
# Who decides: the council, a committee, an advisory board (not "Die Verwaltung").
BODY_RE = re.compile(r"rat\b|ausschu(?:ss|ß)|gremium|beirat", re.IGNORECASE)
# "Die Vorlage wird vertagt."
DEFERRED_RE = re.compile(
    r"(?:Die|Der|Das)\s(?:Vorlage|Angelegenheit|Beratung|Beschlu(?:ss|ß)fassung"
    r"|Tagesordnungspunkt|Drucksache)\swird\s.{0,80}?\b(?:vertagt|zurückgestellt"
    r"|zurückgezogen|abgesetzt|verwiesen)\b"
)
# A decision of one word: "Vertagung", "Zurückstellung".
SHORT_DECISION_RE = re.compile(
    r"(?:Vertagung|Zurückstellung|Absetzung|Kenntnisnahme|Zustimmung|Ablehnung"
    r"|Verweisung|Rücknahme)\.?",
    re.IGNORECASE,
)
# A numbered item of the Beschlussantrag, never a decision of its own.
ITEM_START_RE = re.compile(r"\d{1,3}[.)]\s")
# Every way of naming an item has these letters (Ziffer, Ziff., …ziffern): lines
# without them are not read for changes at all.
ITEM_HINT = "iff"
# A changed item's new wording follows the sentence that announces it.
NEW_WORDING_RE = re.compile(r"(?P<number>\d{1,3})\.\s(?P<text>.+)$")
# What the export prints below a protocol, never part of a decision.
ARTIFACT_RE = re.compile(r"File Attachment Icon|zum Seitenanfang|Protokoll\s?\d+")
# A paragraph longer than this is not a decision sentence.
MAX_PARAGRAPH_LINES = 20


@dataclass
class Decision:
    sentence: str
    result: Result | None
    votes: Votes = field(default_factory=Votes)
    # Items the decision itself names as changed.
    changed_items: list[ChangedItem] = field(default_factory=list)
    # Found after "… stellt fest:" (else: the last sentence that reads like one).
    announced: bool = False
    line: int | None = None


@dataclass
class MentionedChange:
    """An item the discussion says was changed, with its new wording if printed."""

    change: ChangedItem
    line: int
    wording: str | None = None


@dataclass
class Deliberation:
    """What the part after the earlier consultations says."""

    decision: Decision | None = None
    # Items the discussion says were changed (a corrected item, a motion): for the
    # clerk to check, not recorded by themselves.
    mentioned_changes: list[MentionedChange] = field(default_factory=list)


def _paragraph(lines, index):
    """The decision's lines: to the end of its sentence (a wrapped one goes on),
    at most to the next empty line or what the export adds below a page."""
    if SHORT_DECISION_RE.fullmatch(lines[index]):
        return lines[index]
    end = index
    while end < len(lines) and end < index + MAX_PARAGRAPH_LINES:
        line = lines[end]
        if not line or (end > index and ARTIFACT_RE.fullmatch(line)):
            break
        end += 1
        if line.endswith((".", "!")):
            break
    return join_lines(lines[index:end])


def read_decision(lines: Sequence[str], start: int) -> Read[Deliberation]:
    """The decision at or after `start`, and the changes the discussion names."""
    announced = candidate = None
    mentioned = []
    announcing = False
    for index in range(start, len(lines)):
        line = lines[index]
        if not line:
            continue
        if announcing:
            announced, announcing = index, False
            continue
        if ANNOUNCEMENT_RE.match(line):
            announcing = True
            continue
        if ITEM_START_RE.match(line):
            continue
        if _reads_like_decision(line):
            candidate = index
            continue
        if ITEM_HINT not in line and ITEM_HINT.upper() not in line:
            continue
        for change in read_changed_items(line):
            wording = _new_wording(lines, index, change)
            mentioned.append(MentionedChange(change, index + 1, wording))
    chosen = announced if announced is not None else candidate
    deliberation = Deliberation(mentioned_changes=mentioned)
    if chosen is None:
        return Read(deliberation, [], len(lines))
    sentence = _paragraph(lines, chosen)
    scope = sentence[:MAX_RESULT_CHARS]
    deliberation.decision = Decision(
        sentence=sentence,
        result=map_result(scope),
        votes=read_votes(scope),
        changed_items=read_changed_items(scope),
        announced=announced is not None,
        line=chosen + 1,
    )
    return Read(deliberation, [], len(lines))


def _reads_like_decision(line):
    if SHORT_DECISION_RE.fullmatch(line) or DEFERRED_RE.match(line):
        return True
    found = DECISION_RE.match(line)
    return bool(found and BODY_RE.search(found["body"]) and not line.endswith(":"))


def _new_wording(lines, index, change):
    """The item's new text where the sentence ends in ':' and the next line gives it."""
    if not lines[index].endswith(":") and not lines[index].endswith("):"):
        return None
    following = next_nonempty(lines, index + 1)
    if following is None:
        return None
    wording = NEW_WORDING_RE.match(lines[following])
    if wording and int(wording["number"]) == change.number:
        return wording["text"]
    return None
