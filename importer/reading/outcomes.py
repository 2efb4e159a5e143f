"""The words of a result: what was decided, by how many votes, which items changed.

Shared by the readers of earlier consultations (`Ergebnis: einmütige Zustimmung`)
and of the decision (`Der Gemeinderat beschließt bei 2 Nein-Stimmen mehrheitlich wie
beantragt.`). Each function takes one result text and is linear in its length:
every gap in a pattern is bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from council.models import Consultation, ResolutionItem

Result = Consultation.Result
Outcome = ResolutionItem.Outcome

# A result text longer than this is prose, not a result; only its start is read.
MAX_RESULT_CHARS = 5_000

# -- what was decided --------------------------------------------------------

APPROVAL_RE = re.compile(
    r"zustimm|zugestimmt|\bstimm(?:t|en)\b.{0,200}?\bzu\b|befürwort"
    r"|\bwie\s(?:.{0,120}?\s)?(?:beantragt|vorgeschlagen|empfohlen)\b"
    r"|\b(?:entsprechend|gemäß)\s(?:dem\s|des\s)?beschlussantrag"
    r"|einverstanden|\bangenommen\b|\bbeschlossen\b|\bgenehmigt\b"
)
# "keine Zustimmung", "stimmt … nicht zu": a rejection, though it names approval.
NEGATED_APPROVAL_RE = re.compile(
    r"\bkeine\s(?:\S+\s){0,2}?zustimmung|\bnicht\szugestimmt"
    r"|\bstimm(?:t|en)\b.{0,200}?\bnicht\szu\b"
)
AMENDMENT_RE = re.compile(
    r"\bmit\s(?:\S+\s){0,3}?(?:änderung|ergänzung|maßgabe|massgabe)"
    r"|\b(?:geändert|modifiziert|verändert|ergänzt|berichtigt)(?:e[nrsm]?)?\b"
    r"|\bin\s(?:der\s)?(?:geänderten|neuen|ergänzten)\sfassung"
    r"|\babweichend|\bmaßgabe|\bmassgabe|\bneu\sgefasst"
)
# Only part of the proposal rejected, referred or deferred: approved with changes.
PARTIAL_RE = re.compile(
    r"(?:ablehnung|verweisung|vertagung|zurückstellung|streichung)\b.{0,200}?ziffer"
    r"|ziffer[^,;.]{0,80}?\b(?:abgelehnt|verwiesen|vertagt|zurückgestellt|gestrichen)"
)
REJECTION_RE = re.compile(r"ablehnung|abgelehnt|\blehn(?:t|en)\b.{0,200}?\bab\b")
POSTPONEMENT_RE = re.compile(
    r"vertag|zurückgestellt|zurückstellung|\babgesetzt|\babsetzung|\bverschoben\b"
)
REFERRAL_RE = re.compile(
    r"verweisung|verwiesen|\bverweis(?:t|en)\b|überwies|überweisung"
)
WITHDRAWAL_RE = re.compile(
    r"zurückgezogen|zurückgenommen|zurückziehung|rücknahme"
    r"|\bzieh(?:t|en)\b.{0,200}?\bzurück\b"
)
NOTING_RE = re.compile(r"kenntnis")
# A committee's vote before the decision: "einmütige Empfehlung an den
# Gemeinderat" recommends the proposal; "empfiehlt, die Vorlage abzulehnen" not.
RECOMMENDATION_RE = re.compile(r"\bempfehlung\b|\bempf(?:iehlt|ehlen|ohlen)\b")
AGAINST_RECOMMENDATION_RE = re.compile(
    r"abzulehnen|ablehnung|\bnicht\szu(?:zustimmen|\sbeschließen)\b"
)
# Approval of a procedure, not of the proposal: "Zustimmung zur Vertagung".
APPROVED_PROCEDURE_RE = re.compile(
    r"zustimmung\s(?:zur|zu\sder|für\sdie)\s(?P<what>vertagung|zurückstellung"
    r"|absetzung|verweisung|überweisung|rücknahme)"
)


def map_result(text: str | None) -> Result | None:
    """The Consultation.Result a printed result means, or None if it names none."""
    if not text:
        return None
    words = text[:MAX_RESULT_CHARS].casefold()
    procedure = APPROVED_PROCEDURE_RE.search(words)
    if procedure and not PARTIAL_RE.search(words):
        if procedure["what"] in ("verweisung", "überweisung"):
            return Result.REFERRED
        if procedure["what"] == "rücknahme":
            return Result.WITHDRAWN
        return Result.POSTPONED
    negated = bool(NEGATED_APPROVAL_RE.search(words))
    approved = not negated and bool(APPROVAL_RE.search(words))
    if not approved and not negated and RECOMMENDATION_RE.search(words):
        if AGAINST_RECOMMENDATION_RE.search(words):
            return Result.REJECTED
        approved = True
    withdrawn = bool(WITHDRAWAL_RE.search(words))
    if withdrawn and not approved:
        return Result.WITHDRAWN
    if approved:
        if AMENDMENT_RE.search(words) or PARTIAL_RE.search(words):
            return Result.APPROVED_AMENDED
        return Result.APPROVED
    if negated or REJECTION_RE.search(words):
        return Result.REJECTED
    if POSTPONEMENT_RE.search(words):
        return Result.POSTPONED
    if REFERRAL_RE.search(words):
        return Result.REFERRED
    if NOTING_RE.search(words):
        return Result.NOTED
    return None


# -- by how many votes -------------------------------------------------------

NUMBER_WORDS = {
    "ein": 1,
    "eine": 1,
    "einer": 1,
    "einem": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
}
# A count: never the end of a date, an amount or a ratio.
COUNT = r"(?<![\d.,/:])(\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len)[::-1]) + ")"
# "8 Ja-, 5 Nein-Stimmen": the first word cut short before the next count.
CUT_SHORT = r"-(?=\s?,|\s(?:und|sowie)\s|\s\d)"
YES_RE = re.compile(
    rf"{COUNT}\s(?:ja-?\s?stimmen?|jastimmen?|für-?\s?stimmen?|stimmen\sdafür)\b"
    rf"|{COUNT}\sja{CUT_SHORT}"
)
NO_RE = re.compile(
    rf"{COUNT}\s(?:nein-?\s?stimmen?|neinstimmen?|gegen-?\s?stimmen?|stimmen\sdagegen)\b"
    rf"|{COUNT}\s(?:nein|gegen){CUT_SHORT}"
)
# "Stimmenhaltungen" is printed too (2003).
ABSTAIN_RE = re.compile(rf"{COUNT}\s(?:stimm)?ent?haltung(?:en)?\b")
# "mit 30:20:5 Stimmen", "mit 30 gegen 20 Stimmen" (yes, no, abstentions).
RATIO_RE = re.compile(
    r"(?<![\d.,/:])(\d{1,3})\s?:\s?(\d{1,3})(?:\s?:\s?(\d{1,3}))?\s(?:\S+\s)?stimmen\b"
)
AGAINST_RE = re.compile(r"(?<![\d.,/:])(\d{1,3})\s(?:gegen|zu)\s(\d{1,3})\sstimmen\b")
NO_NONE_RE = re.compile(r"\bohne\sgegenstimmen?\b")
ABSTAIN_NONE_RE = re.compile(r"\bohne\s(?:stimm)?enthaltung(?:en)?\b")
MANNER_RE = re.compile(r"\b(einmütig|einstimmig|mehrheitlich)")


@dataclass(frozen=True)
class Votes:
    """Vote counts as printed; None where the text gives no number."""

    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    # How it was decided, as printed: "einmütig", "einstimmig", "mehrheitlich".
    note: str = ""
    # Different counts of one kind (per item?): none of them is taken.
    several: bool = False

    @property
    def printed(self):
        return any(v is not None for v in (self.yes, self.no, self.abstain))

    def as_json(self):
        return {
            "yes": self.yes,
            "no": self.no,
            "abstain": self.abstain,
            "note": self.note or None,
        }


def _count(word):
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def read_votes(text: str | None) -> Votes:
    """The counts and the manner of a result text."""
    if not text:
        return Votes()
    words = text[:MAX_RESULT_CHARS].casefold()
    found: dict[str, set[int]] = {"yes": set(), "no": set(), "abstain": set()}
    for kind, pattern in (("yes", YES_RE), ("no", NO_RE), ("abstain", ABSTAIN_RE)):
        found[kind].update(
            _count(next(g for g in m.groups() if g)) for m in pattern.finditer(words)
        )
    for match in RATIO_RE.finditer(words):
        found["yes"].add(int(match[1]))
        found["no"].add(int(match[2]))
        if match[3]:
            found["abstain"].add(int(match[3]))
    for match in AGAINST_RE.finditer(words):
        found["yes"].add(int(match[1]))
        found["no"].add(int(match[2]))
    if not found["no"] and NO_NONE_RE.search(words):
        found["no"].add(0)
    if not found["abstain"] and ABSTAIN_NONE_RE.search(words):
        found["abstain"].add(0)
    manners = list(dict.fromkeys(m[1] for m in MANNER_RE.finditer(words)))
    counts = {kind: next(iter(v)) if len(v) == 1 else None for kind, v in found.items()}
    return Votes(
        **counts,
        note=", ".join(manners),
        several=any(len(v) > 1 for v in found.values()),
    )


# -- votes item by item ------------------------------------------------------

# "Ziffer 1", "Ziffern 2 und 3", "Ziff. 4", "Beschlussantragsziffern 1 bis 3".
ITEM_VOTE_RE = re.compile(
    r"(?:Beschlu(?:ss|ß)antrags-?ziffern?|Ziffern?|Ziffn\.|Ziff\.)\s?"
    r"(?P<numbers>\d{1,3}(?:(?:\s?[,–-]\s?|\s(?:und|sowie|bis)\s)\d{1,3}){0,20})\b",
    re.IGNORECASE,
)
RANGE_RE = re.compile(r"(\d{1,3})(?:\s?[–-]\s?|\sbis\s)(\d{1,3})")
# A range longer than this is no list of items.
MAX_RANGE = 50


def _item_numbers(printed):
    numbers = []
    rest = printed
    for match in RANGE_RE.finditer(printed):
        low, high = int(match[1]), int(match[2])
        if low < high <= low + MAX_RANGE:
            numbers.extend(range(low, high + 1))
    rest = RANGE_RE.sub(" ", printed)
    numbers.extend(int(n) for n in re.findall(r"\d{1,3}", rest))
    return [n for n in dict.fromkeys(numbers) if n >= 1]


def _voted(votes):
    return votes.printed or bool(votes.note)


def read_item_votes(text: str | None) -> dict[int, Votes]:
    """{item: Votes} where a decision votes item by item, else {}.

    "Ziffer 1 einstimmig, Ziffer 2 bei 3 Gegenstimmen mehrheitlich" (the votes
    after each item) or "einstimmig zu Ziffer 1, mit 3 Gegenstimmen zu Ziffer 2"
    (before each). Taken only where at least two items carry votes of their own
    and nothing is left over for the whole: a vote on the whole paper that names
    a changed item ("mit der geänderten Ziffer 1 bei 2 Nein-Stimmen") is no vote
    item by item, and the reader does not guess between the two.
    """
    if not text:
        return {}
    text = text[:MAX_RESULT_CHARS]
    mentions = list(ITEM_VOTE_RE.finditer(text))
    if len(mentions) < 2:
        return {}
    bounds = [m.start() for m in mentions] + [len(text)]
    after = [read_votes(text[m.end() : bounds[i + 1]]) for i, m in enumerate(mentions)]
    ends = [0] + [m.end() for m in mentions]
    before = [read_votes(text[ends[i] : m.start()]) for i, m in enumerate(mentions)]
    tail = read_votes(text[mentions[-1].end() :])
    chosen = None
    if all(_voted(v) for v in after) and not _voted(read_votes(text[: bounds[0]])):
        chosen = after
    elif all(_voted(v) for v in before) and not _voted(tail):
        chosen = before
    if chosen is None or any(v.several for v in chosen):
        return {}
    found: dict[int, Votes] = {}
    for mention, votes in zip(mentions, chosen, strict=True):
        for number in _item_numbers(mention["numbers"]):
            if number in found and found[number] != votes:
                return {}
            found[number] = votes
    return found


# -- which items changed -----------------------------------------------------

ITEM_WORD = r"(?:Beschlu(?:ss|ß)antrags-?ziffern?|Ziffern?|Ziffn\.|Ziff\.)"
ITEM_NUMBERS = r"\d{1,3}(?:(?:\s?,\s?|\s(?:und|sowie)\s)\d{1,3}){0,20}"
CHANGE_WORDS = {
    "ergänzt": "ergänzt",
    "verändert": "verändert",
    "geändert": "geändert",
    "modifiziert": "modifiziert",
    "berichtigt": "berichtigt",
    "korrigiert": "berichtigt",
    "neu gefasst": "neu gefasst",
    "gestrichen": "gestrichen",
    "abgelehnt": "abgelehnt",
    "verwiesen": "verwiesen",
    "zurückgestellt": "zurückgestellt",
    "vertagt": "zurückgestellt",
    "lauten": "geändert",
    "lautet": "geändert",
}
# "ergänzten Beschlussantragsziffer 5", "veränderte Ziffer 12"
CHANGED_BEFORE_RE = re.compile(
    r"\b(?P<change>ergänzt|verändert|geändert|modifiziert|berichtigt|korrigiert"
    r"|neu\sgefasst|gestrichen|abgelehnt)(?:e[nrsm]?)?\s(?:\S+\s){0,2}?"
    rf"{ITEM_WORD}\s?(?P<numbers>{ITEM_NUMBERS})\b",
    re.IGNORECASE,
)
# "Die Ziffer 1 müsse daher wie folgt lauten", "Ziffer 3 wird gestrichen" (within
# one clause: "Ziffer 5, Zustimmung zu einer veränderten …" is not item 5 changed).
CHANGED_AFTER_RE = re.compile(
    rf"{ITEM_WORD}\s?(?P<numbers>{ITEM_NUMBERS})\b[^,;.]{{0,80}}?"
    r"\b(?P<change>lauten|lautet|ergänzt|geändert|verändert|gestrichen|abgelehnt"
    r"|berichtigt|korrigiert|neu\sgefasst|verwiesen|zurückgestellt|vertagt)\b",
    re.IGNORECASE,
)
# "Verweisung der Themen kw-Vermerke bei den Beschlussantragsziffern 8 und 13"
REFERRED_ITEMS_RE = re.compile(
    rf"\bVerweisung\b.{{0,200}}?{ITEM_WORD}\s?(?P<numbers>{ITEM_NUMBERS})\b",
    re.IGNORECASE,
)
NUMBER_RE = re.compile(r"\d{1,3}")
CORRECTION_RE = re.compile(r"berichtigung|redaktionell", re.IGNORECASE)

CHANGE_OUTCOMES = {
    "ergänzt": Outcome.AMENDED,
    "verändert": Outcome.AMENDED,
    "geändert": Outcome.AMENDED,
    "modifiziert": Outcome.AMENDED,
    "berichtigt": Outcome.AMENDED,
    "neu gefasst": Outcome.AMENDED,
    "gestrichen": Outcome.REJECTED,
    "abgelehnt": Outcome.REJECTED,
}


@dataclass(frozen=True)
class ChangedItem:
    """An item of the Beschlussantrag the text says was changed, and how."""

    number: int
    change: str
    printed: str

    @property
    def outcome(self) -> Outcome | None:
        """What the item's outcome becomes once decided so; None: still open."""
        return CHANGE_OUTCOMES.get(self.change)

    def as_json(self):
        return {"number": self.number, "change": self.change, "printed": self.printed}


def read_changed_items(text: str | None) -> list[ChangedItem]:
    """Items named as changed, in the order printed, each (number, change) once."""
    if not text:
        return []
    text = text[:MAX_RESULT_CHARS]
    corrected = bool(CORRECTION_RE.search(text))
    found: list[tuple[int, int, str, str]] = []
    for pattern in (CHANGED_BEFORE_RE, CHANGED_AFTER_RE, REFERRED_ITEMS_RE):
        for match in pattern.finditer(text):
            printed_change = match.groupdict().get("change") or "verwiesen"
            change = CHANGE_WORDS[" ".join(printed_change.casefold().split())]
            if corrected and change == "geändert":
                change = "berichtigt"
            printed = " ".join(match[0].split())
            for number in NUMBER_RE.findall(match["numbers"]):
                if int(number) >= 1:
                    found.append((match.start(), int(number), change, printed))
    found.sort(key=lambda f: f[0])
    items = {}
    for _start, number, change, printed in found:
        items.setdefault((number, change), ChangedItem(number, change, printed))
    return list(items.values())
