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
    read_item_votes,
    read_votes,
)
from .text import Read, join_lines, next_nonempty

# The chair announcing a result: "OB Dr. Schuster stellt fest:" or
# "Der Vorsitzende stellt abschließend fest:".
# A name wrapped above ("OB\nDr. Schuster\nstellt fest:") leaves the verb alone.
ANNOUNCEMENT_RE = re.compile(
    r"(?:\S.{0,120}?\s)?(?:stellt|hält)\b.{0,80}?\bfest\s?:?$", re.IGNORECASE
)
# "OB Dr. Schuster stellt fest: Der Gemeinderat beschließt …" on one line.
INLINE_ANNOUNCEMENT_RE = re.compile(
    r"(?:\S.{0,120}?\s)?(?:stellt|hält)\s(?:\S+\s){0,2}?fest\s?:\s?(?P<rest>\S.*)$",
    re.IGNORECASE,
)
# "OB Kuhn stellt die einmütige Zustimmung des Gemeinderats fest.": the chair's
# sentence is the decision.
STATED_START_RE = re.compile(r"(?:\S.{0,120}?\s)?(?:stellt|hält)\s", re.IGNORECASE)
STATED_END_RE = re.compile(r"\sfest\s?[.!]$")
# Such a sentence is short: at most this many lines, this many characters.
STATED_LINES = 3
STATED_CHARS = 450
# "Der Gemeinderat beschließt mehrheitlich:" and the items in its own wording.
OWN_WORDING_RE = re.compile(
    r"\bbeschlie(?:ß|ss)(?:t|en)\b|\bfass(?:t|en)\b.{0,100}?\bBeschlu(?:ss|ß)"
)
# The verb stands near the start of such a sentence; only its start is searched.
OWN_WORDING_HEAD = 300
LIST_ITEM_RE = re.compile(r"(?:\d{1,3}[.)]|[a-z]\))\s")
# A decision in its own wording runs to at most this many lines.
MAX_LIST_LINES = 60
# "Der Gemeinderat beschließt …", "Der Verwaltungsausschuss stimmt … zu."
DECISION_RE = re.compile(
    r"(?:Der|Die|Das)\s(?P<body>(?:\S+\s){0,8}?)(?:beschließt|beschliesst|beschließen"
    r"|beschliessen|stimmt|stimmen|lehnt|lehnen|nimmt|nehmen|vertagt|vertagen"
    r"|verweist|verweisen|empfiehlt|empfehlen|billigt|billigen|zieht|fasst|fassen"
    r"|hat|haben)\b"
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
    # Votes item by item ("Ziffer 1 einstimmig, Ziffer 2 bei 3 Gegenstimmen").
    item_votes: dict[int, Votes] = field(default_factory=dict)
    # Found after "… stellt fest:" (else: the last sentence that reads like one).
    announced: bool = False
    line: int | None = None
    # "Der Gemeinderat beschließt:" and the items in the council's own wording:
    # approved, but whether as proposed only a comparison can tell.
    own_wording: bool = False


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


def _paragraph(lines, index, column=0):
    """The decision's lines: to the end of its sentence (a wrapped one goes on),
    at most to the next empty line or what the export adds below a page.
    `column`: where on its first line the decision begins."""
    first = lines[index][column:]
    if SHORT_DECISION_RE.fullmatch(first):
        return first, index + 1
    end = index
    while end < len(lines) and end < index + MAX_PARAGRAPH_LINES:
        line = first if end == index else lines[end]
        if not line or (end > index and ARTIFACT_RE.fullmatch(line)):
            break
        end += 1
        if line.endswith((".", "!")):
            break
    return join_lines([first, *lines[index + 1 : end]]), end


def _own_wording(lines, end):
    """The items after "… beschließt:": numbered paragraphs, each possibly wrapped,
    up to the first paragraph that is no item."""
    parts, index = [], end
    while index < len(lines) and index < end + MAX_LIST_LINES:
        following = next_nonempty(lines, index)
        if following is None or not LIST_ITEM_RE.match(lines[following]):
            break
        index = following
        while index < len(lines) and lines[index] and index < end + MAX_LIST_LINES:
            if ARTIFACT_RE.fullmatch(lines[index]):
                break
            parts.append(lines[index])
            index += 1
    return parts


def read_decision(lines: Sequence[str], start: int) -> Read[Deliberation]:
    """The decision at or after `start`, and the changes the discussion names."""
    announced = candidate = None
    column = 0
    mentioned = []
    announcing = False
    for index in range(start, len(lines)):
        line = lines[index]
        if not line:
            continue
        if announcing:
            announced, column, announcing = index, 0, False
            continue
        if ANNOUNCEMENT_RE.match(line):
            announcing = True
            continue
        inline = INLINE_ANNOUNCEMENT_RE.match(line)
        if inline:
            announced, column = index, inline.start("rest")
            continue
        if STATED_START_RE.match(line) and _states_result(lines, index):
            announced, column = index, 0
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
    sentence, end = _paragraph(lines, chosen, column if chosen == announced else 0)
    # What was decided is read from the sentence, never from the items below it.
    scope = sentence[:MAX_RESULT_CHARS]
    own_wording = _in_own_words(scope)
    items = []
    result = map_result(scope)
    if own_wording:
        # Numbered items (approved in that wording), else the paragraph after
        # the colon, which says itself what was decided.
        items = _own_wording(lines, end)
        following = next_nonempty(lines, end)
        if items:
            result = Result.APPROVED
        elif following is not None and following < end + 3:
            items = [_paragraph(lines, following)[0]]
            result = map_result(items[0][:MAX_RESULT_CHARS]) or Result.APPROVED
    deliberation.decision = Decision(
        sentence=join_lines([sentence, *items]),
        result=result,
        votes=read_votes(scope),
        changed_items=read_changed_items(scope),
        item_votes=read_item_votes(scope),
        announced=announced is not None,
        line=chosen + 1,
        own_wording=own_wording and bool(items),
    )
    return Read(deliberation, [], len(lines))


def _in_own_words(sentence):
    """ "Der Gemeinderat beschließt mehrheitlich:", "… fasst folgenden Beschluss:"."""
    return sentence.endswith(":") and bool(
        OWN_WORDING_RE.search(sentence[:OWN_WORDING_HEAD])
    )


def _states_result(lines, index):
    """ "OB Kuhn stellt die einmütige Zustimmung des Gemeinderats fest." """
    sentence_lines = []
    for line in lines[index : index + STATED_LINES]:
        if not line:
            break
        sentence_lines.append(line)
        if line.endswith((".", "!")):
            break
    if not sentence_lines or "fest" not in sentence_lines[-1]:
        return False
    sentence = join_lines(sentence_lines)
    end = STATED_END_RE.search(sentence)
    verb = STATED_START_RE.match(sentence)
    if len(sentence) > STATED_CHARS or end is None or verb is None:
        return False
    return map_result(sentence[verb.end() : end.start()]) is not None


def _reads_like_decision(line):
    if SHORT_DECISION_RE.fullmatch(line) or DEFERRED_RE.match(line):
        return True
    found = DECISION_RE.match(line)
    if not found or not BODY_RE.search(found["body"]):
        return False
    if line.endswith(":"):
        # Only the decision in its own words ends so ("… fasst folgenden Beschluss:").
        return _in_own_words(line)
    # "Der Ausschuss hat … Kenntnis genommen": "hat" alone decides nothing.
    return found[0].split()[-1] not in ("hat", "haben") or map_result(line) is not None


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
