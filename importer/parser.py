"""Read the plain text of a Vorlage, as the council information system prints it.

`parse_vorlage(text)` is a pure function: text in, a `Draft` plus warnings out, no
database access. What it cannot find it reports as a warning (or, where the paper
cannot be saved without it, as an error); it never fills a gap with a guess.
Only text that is no Vorlage at all raises `ParseError`.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from functools import cached_property

# gettext needs Django's settings, never the database: the parser stays pure.
from django.utils.translation import gettext as _

MAX_TEXT_CHARS = 2_000_000


class ParseError(ValueError):
    """The text cannot be read as a Vorlage; the message is for the clerk."""


# ---------------------------------------------------------------------------
# The draft
# ---------------------------------------------------------------------------


@dataclass
class Problem:
    """A warning or error with the source line it refers to (1-based), if any."""

    message: str
    line: int | None = None


@dataclass
class ConsultationDraft:
    committee: str
    role: str | None
    public: bool | None
    date: datetime.date | None
    line: int | None = None

    @property
    def role_key(self):
        return ROLE_KEYS.get(_fold(self.role or ""))


@dataclass
class ItemDraft:
    number: int
    text: str
    line: int | None = None


@dataclass
class CitedPaper:
    number: int
    year: int
    suffix: str
    title: str | None
    line: int | None = None

    @property
    def reference(self):
        base = f"{self.number}/{self.year}"
        return f"{base} {self.suffix}" if self.suffix else base


@dataclass
class DepartmentName:
    name: str
    short_name: str | None = None


@dataclass
class PositionDecisionDraft:
    item: int
    action: str
    granted_by: str | None
    old_until: datetime.date | None
    new_until: datetime.date | None
    function: str | None
    share_percent: Decimal | None
    pay_scheme: str | None
    pay_grade: str | None
    department: str | None
    may_advertise_unlimited: bool
    line: int | None = None
    valid_from: datetime.date | None = None


@dataclass
class BudgetCodeDraft:
    number: str
    name: str | None = None


@dataclass
class FundingLineDraft:
    purpose: str
    year: int
    amount: Decimal
    direction: str
    source: str
    budget_status: str
    budget_unit: BudgetCodeDraft | None = None
    cost_centre: BudgetCodeDraft | None = None
    product: BudgetCodeDraft | None = None
    account_group: BudgetCodeDraft | None = None
    item: int | None = None
    position_decision: int | None = None
    funded_posts: Decimal | None = None
    line: int | None = None
    # Index (in Draft.funding_lines) of the line this amount is a part of.
    part_of: int | None = None


@dataclass
class SectionDraft:
    heading: str
    body: str
    line: int | None = None


@dataclass
class Draft:
    """Everything read from one Vorlage; `None` where the text does not say."""

    number: int | None = None
    year: int | None = None
    suffix: str | None = None
    date: datetime.date | None = None
    department: str | None = None
    department_short: str | None = None
    file_reference: str | None = None
    title: str | None = None
    paper_type: str | None = None
    paper_type_key: str | None = None
    paper_type_note: str = ""
    consultations: list[ConsultationDraft] = field(default_factory=list)
    items: list[ItemDraft] = field(default_factory=list)
    referenced_papers: list[CitedPaper] = field(default_factory=list)
    position_decisions: list[PositionDecisionDraft] = field(default_factory=list)
    funding_lines: list[FundingLineDraft] = field(default_factory=list)
    signed_by_name: str | None = None
    signed_by_office: str | None = None
    co_signing_departments: list[DepartmentName] = field(default_factory=list)
    sections: list[SectionDraft] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    # Source line (1-based) of each header field, for the preview.
    lines: dict[str, int] = field(default_factory=dict)
    truncated: bool = False

    @property
    def reference(self):
        if self.number is None or self.year is None:
            return None
        base = f"{self.number}/{self.year}"
        return f"{base} {self.suffix}" if self.suffix else base

    @property
    def is_public(self):
        """Public unless every step of the Beratungsfolge is non-public."""
        marks = [c.public for c in self.consultations if c.public is not None]
        return not marks or any(marks)

    @property
    def ok(self):
        return not self.errors

    def warn(self, message, line=None):
        self.warnings.append(Problem(message, line))

    def fail(self, message, line=None):
        self.errors.append(Problem(message, line))

    def as_json(self):
        """The stable interface of `import_vorlagen --format json` (docs/import.md)."""

        def code(value):
            return asdict(value) if value else None

        def iso(value):
            return value.isoformat() if value else None

        return {
            "number": self.number,
            "year": self.year,
            "suffix": self.suffix or None,
            "date": iso(self.date),
            "department": self.department,
            "file_reference": self.file_reference,
            "title": self.title,
            "paper_type": self.paper_type,
            "consultations": [
                {
                    "committee": c.committee,
                    "role": c.role,
                    "public": c.public,
                    "date": iso(c.date),
                }
                for c in self.consultations
            ],
            "items": [{"number": i.number, "text": i.text} for i in self.items],
            "referenced_papers": [p.reference for p in self.referenced_papers],
            "position_decisions": [
                {
                    "item": d.item,
                    "action": d.action,
                    "granted_by": d.granted_by,
                    "old_until": iso(d.old_until),
                    "new_until": iso(d.new_until),
                    "function": d.function,
                    "share_percent": _num(d.share_percent),
                    "pay_scheme": d.pay_scheme,
                    "pay_grade": d.pay_grade,
                    "department": d.department,
                    "may_advertise_unlimited": d.may_advertise_unlimited,
                    "valid_from": iso(d.valid_from),
                }
                for d in self.position_decisions
            ],
            "funding_lines": [
                {
                    "purpose": f.purpose,
                    "year": f.year,
                    "amount": _num(f.amount),
                    "direction": f.direction,
                    "source": f.source,
                    "budget_status": f.budget_status,
                    "budget_unit": code(f.budget_unit),
                    "cost_centre": code(f.cost_centre),
                    "product": code(f.product),
                    "account_group": code(f.account_group),
                    "item": f.item,
                    "funded_posts": _num(f.funded_posts),
                    "part_of": f.part_of,
                }
                for f in self.funding_lines
            ],
            "signed_by": (
                {"name": self.signed_by_name, "office": self.signed_by_office}
                if self.signed_by_name
                else None
            ),
            "co_signing_departments": [
                d.short_name or d.name for d in self.co_signing_departments
            ],
        }


def _num(value):
    return None if value is None else f"{value:.2f}"


# ---------------------------------------------------------------------------
# What the format looks like
# ---------------------------------------------------------------------------

DATE = r"\d{1,2}\.\s?\d{1,2}\.\s?\d{4}"
ROLE = (
    r"(?:Beratung und Beschlu(?:ss|ß)fassung|Einbringung|Vorberatung|Beratung"
    r"|Beschlu(?:ss|ß)fassung|Kenntnisnahme|Anhörung|Information)"
)
PUBLIC = r"(?:nicht[\s-]?öffentlich|nichtöffentlich|öffentlich)"
# The committee ends in a non-space: with `\S.*?\s*`, each position of a long
# run of spaces would hand the whole run to `\s*` again (quadratic).
ROW_RE = re.compile(
    rf"^(?P<committee>\S(?:.*?\S)?)\s*(?P<role>{ROLE})\s*(?P<public>{PUBLIC})"
    rf"\s*(?P<date>{DATE})?$",
    re.IGNORECASE,
)
ROLE_RE = re.compile(rf"^{ROLE}$", re.IGNORECASE)
PUBLIC_RE = re.compile(rf"^{PUBLIC}$", re.IGNORECASE)
DATE_ONLY_RE = re.compile(rf"^{DATE}$")
ROLE_KEYS = {
    "einbringung": "introduction",
    "vorberatung": "preliminary",
    "beratung": "deliberation",
    "anhörung": "deliberation",
    "beschlussfassung": "decision",
    "beratung und beschlussfassung": "decision",
    "kenntnisnahme": "information",
    "information": "information",
}

REFERENCE_RE = re.compile(
    r"^(?:G[zZ]\.?:[^\n]*?)?GRDrs\.?\s*(?:Nr\.?\s*)?(\d{1,5})\s*/\s*(\d{4})\s*(.*)$",
    re.IGNORECASE,
)
SUFFIX_RE = re.compile(
    r"^(?:\d{1,2}\.\s*)?(?:Ergänzung|Neufassung|Nachtrag|Änderung)"
    r"(?:\s+[A-Z0-9]{1,2})?$"
)
US_DATE_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
DE_DATE_RE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
TYPES = [
    (r"Beschlu(?:ss|ß)vorlage", "beschlussvorlage", True),
    (r"Mitteilungsvorlage", "mitteilungsvorlage", True),
    (r"Informationsvorlage", "mitteilungsvorlage", True),
    (r"Stellungnahme", "stellungnahme", False),
    (r"Antrag", "antrag", False),
    (r"Anfrage", "anfrage", False),
    (r"Bericht", "bericht", False),
]
HEADER_TOKENS = re.compile(
    r"^(?:Vorlagean)?(?:zur)?(?:Sitzungsart)?(?:Sitzungstermin)?$"
)

# Headings of the text sections, as printed on a line of their own.
HEADINGS = [
    ("Beschlussantrag", r"Beschlu(?:ss|ß)antrag"),
    ("Kurzfassung der Begründung", r"Kurzfassung der Begründung"),
    ("Kurzfassung des Berichts", r"Kurzfassung des Berichts"),
    ("Begründung", r"Begründung"),
    ("Bericht", r"Bericht"),
    ("Sachverhalt", r"Sachverhalt"),
    ("Ausblick", r"Ausblick"),
    ("Finanzielle Auswirkungen", r"Finanzielle Auswirkungen"),
    ("Personelle Auswirkungen", r"Personelle Auswirkungen"),
    ("Klimarelevanz", r"Klimarelevanz"),
    ("Beteiligte Stellen", r"Beteiligte Stellen"),
    ("Mitzeichnung der beteiligten Stellen", r"Mitzeichnung der beteiligten Stellen"),
    ("Vorliegende Anträge/Anfragen", r"Vorliegende Anträge/Anfragen"),
    ("Erledigte Anträge/Anfragen", r"Erledigte Anträge/Anfragen"),
    ("Anlagen", r"Anlagen?"),
]
# One alternation: the first heading (in the order above) that matches the line.
HEADING_RE = re.compile(
    "^(?:"
    + "|".join(f"(?P<h{k}>{rx})" for k, (_name, rx) in enumerate(HEADINGS))
    + r")\s*:?$"
)
HEADING_NAMES = {f"h{k}": name for k, (name, _rx) in enumerate(HEADINGS)}
NOT_A_TEXT_SECTION = {"Beschlussantrag", "Anlagen"}
END_MARK = "zum Seitenanfang"

# The city's Referate and their short names, as the papers use them; a list of
# co-signing Referate is split along these names ("Wirtschaft, Finanzen und
# Beteiligungen und Allgemeine Verwaltung, Kultur und Recht").
REFERATE = {
    "Allgemeine Verwaltung, Kultur und Recht": "AKR",
    "Allgemeine Verwaltung und Krankenhaus": "AK",
    "Wirtschaft, Finanzen und Beteiligungen": "WFB",
    "Soziales und gesellschaftliche Integration": "SI",
    "Soziales, Jugend und Gesundheit": "SJG",
    "Jugend und Bildung": "JB",
    "Sicherheit, Ordnung und Sport": "SOS",
    "Recht, Sicherheit und Ordnung": "RSO",
    "Kultur, Bildung und Sport": "KBS",
    "Städtebau und Umwelt": "StU",
    "Städtebau, Wohnen und Umwelt": "SWU",
    "Technik": "T",
    "Oberbürgermeister": "OB",
}
REFERAT_NAMES = sorted(REFERATE, key=len, reverse=True)
# A full name, not followed by a letter or digit; the longest names first.
REFERAT_NAME_RE = re.compile(
    "(?:" + "|".join(re.escape(name) for name in REFERAT_NAMES) + r")(?![^\W_])"
)
REFERAT_SEPARATOR_RE = re.compile(r"\s*(?:(?:,|und\b|sowie\b)\s*)?")
REFERAT_SHORT_RE = re.compile(r"([A-Z][A-Za-z]{0,4})(?=$|[\s,])")
SHORT_TO_REFERAT = {short: name for name, short in REFERATE.items()}

AMOUNT = (
    r"(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d+))?\s*"
    r"(?P<unit>TEUR|T€|Tsd\.?\s*(?:EUR|€)|Mio\.?\s*(?:EUR|€)|EUR|€)"
)
AMOUNT_RE = re.compile(AMOUNT)
AMOUNT_LINE_RE = re.compile(rf"^(?:rd\.\s*)?{AMOUNT}$")
YEAR_LINE_RE = re.compile(r"^(?:19|20)\d{2}$")
BULLET_RE = re.compile(r"^[·•▪\-–*]\s+(.*)$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
SPLIT_TOTAL_RE = re.compile(
    rf"\b(?:insgesamt|zusammen|in\s+Summe)\s+(?:rd\.\s*|ca\.\s*)?{AMOUNT}"
)
# The purpose is bounded: unbounded, each position of a long sentence without a
# comma would be tried as its start and read on to the end (quadratic).
SPLIT_PART_RE = re.compile(
    r"(?P<purpose>(?:[^,;]|(?<=\d),(?=\d)){0,300}?)"
    r"\s+in\s+Höhe\s+von\s+(?:rd\.\s*|ca\.\s*)?" + AMOUNT
)
# A table row with its amounts on the same line: "Sachkosten 3.505 TEUR 3.505 TEUR".
GLUED_ROW_RE = re.compile(rf"^(?P<p>.*?\D)\s+(?P<a>(?:{AMOUNT}\s*)+)$")
# Longer lines are prose, not table rows (and would cost the row pattern time).
MAX_ROW = 500
UNIT_LINE_RE = re.compile(r"^(?:THH|Teilhaushalt)\s*(\d{2,4})\b\s*[-–]?\s*(.*)$")

CITE_RE = re.compile(
    r"(?:\bGRDrs(?:en)?\.?|\bGemeinderatsdrucksachen?)[\s-]*(?:Nr\.?\s*)?"
    r"(?P<first>\d{1,5}\s*/\s*\d{4})"
    r"(?P<more>(?:\s*(?:,|und|sowie|bzw\.)\s*(?:GRDrs\.?\s*)?\d{1,5}\s*/\s*\d{4}\b)*)"
    r"(?P<suffix>\s+(?:\d\.\s*)?(?:Ergänzung|Neufassung)\b(?:\s[A-Z](?![\wÄÖÜäöüß]))?)?"
    r"(?:\s*,?\s*[„“\"»](?P<title>[^„“”\"«»\n]{3,500})[“”\"«])?",
    re.IGNORECASE,
)
REF_NUMBER_RE = re.compile(r"(\d{1,5})\s*/\s*(\d{4})")
# "1. Die Verwaltung …": the start of an item of the Beschlussantrag.
ITEM_NUMBER_RE = re.compile(r"(?:^|\s)(\d+)\.\s+(?=[A-ZÄÖÜ„\"])")
# An amount starts where no digit stands before it: otherwise each digit of a long
# run of digits would be tried as a start, each reading the run to its end.
AMOUNT_START = r"(?<!\d)"
UNLIMITED_RE = re.compile(r"unbefristet\s+ausgeschrieben")
VALID_UNTIL_RE = re.compile(
    rf"Ermächtigung\s+gilt\s+(?:zunächst\s+)?bis\s+(?:zum\s+)?({DATE})"
)

# "die zu erwartende Landeserstattung für das Jahr 2020 in Höhe von rd. 3.270 TEUR".
# The gaps are bounded: unbounded, every "die Erstattung" of a long text without a
# full stop would read on to its end (quadratic).
REVENUE_PROSE_RE = re.compile(
    r"(?:die|der|das|eine?n?)\s+(?P<purpose>(?:zu erwartenden?\s+)?"
    r"(?:Landeserstattung|Landeszuschuss|Landesförderung|Bundeszuschuss"
    r"|Bundesförderung|Erstattung|Zuweisung)\w*)"
    r"(?P<mid>[^.]{0,500}?)(?:für\s+das\s+Jahr|im\s+Jahr)\s+(?P<year>\d{4})"
    r"[^.]{0,500}?(?:in\s+Höhe\s+von\s+)?(?:rd\.\s*|ca\.\s*)?"
    rf"{AMOUNT_START}{AMOUNT}",
)
NOT_BUDGETED_RE = re.compile(r"nicht\s+veranschlagt|noch\s+keine")


def _fold(text):
    return text.casefold().replace("ß", "ss").strip()


def _squash(text):
    return " ".join(text.split())


def _join_lines(lines):
    """Join wrapped lines; "Integrations-" + "management" is one word again.

    The pieces are joined once at the end: adding each line to the text so far
    copies it again and again (quadratic; 490,000 lines took half a minute).
    """
    pieces = []
    for line in lines:
        last = pieces[-1] if pieces else ""
        first_word = line.split(" ", 1)[0]
        if (
            last.endswith("-")
            and line[:1].islower()
            and last[-2:-1].isalpha()
            and first_word not in ("und", "oder", "bzw.", "sowie")
        ):
            pieces[-1] = last[:-1]
        elif pieces:
            pieces.append(" ")
        pieces.append(line)
    return _squash("".join(pieces))


def parse_amount(match):
    """Decimal euro from a match of AMOUNT: `3.505 TEUR` → 3505000.00."""
    value = Decimal(match["int"].replace(".", "") + "." + (match["frac"] or "0"))
    unit = match["unit"].replace(" ", "")
    if unit in ("TEUR", "T€") or unit.startswith("Tsd"):
        value *= 1000
    elif unit.startswith("Mio"):
        value *= 1_000_000
    return value.quantize(Decimal("0.01"))


def parse_german_date(text):
    match = re.fullmatch(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})", text.strip())
    if not match:
        return None
    try:
        return datetime.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# The parser
# ---------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Text of an uploaded file in UTF-8 or Windows-1252; ParseError for binaries."""
    if not data.strip():
        raise ParseError(_("Die Datei ist leer."))
    if b"\x00" in data[:8192]:
        raise ParseError(
            _(
                "Die Datei ist keine Textdatei. Bitte den Text der Vorlage als .txt "
                "(UTF-8 oder Windows-1252) hochladen."
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 8:
        raise ParseError(
            _(
                "Die Datei ist keine Textdatei. Bitte den Text der Vorlage als .txt "
                "(UTF-8 oder Windows-1252) hochladen."
            )
        )
    return text


def parse_vorlage(text: str) -> Draft:
    """Read a Vorlage; raises ParseError only for text that is no Vorlage at all."""
    if not isinstance(text, str) or not text.strip():
        raise ParseError(_("Der Text ist leer."))
    if len(text) > MAX_TEXT_CHARS:
        raise ParseError(
            _("Der Text ist zu lang (mehr als %(n)s Zeichen).")
            % {"n": f"{MAX_TEXT_CHARS:,}".replace(",", ".")}
        )
    return _Parser(text).parse()


class _Parser:
    def __init__(self, text):
        text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
        text = text.replace("\u00a0", " ").replace("\u202f", " ")
        # Control characters carry nothing in a Vorlage, and PostgreSQL cannot
        # store a NUL: they go, and the clerk is told.
        controls = len(CONTROL_RE.findall(text))
        if controls:
            text = CONTROL_RE.sub("", text)
        self.text = text
        self.raw = text.split("\n")
        self.lines = [line.strip() for line in self.raw]
        self.draft = Draft()
        if controls:
            self.draft.warn(
                _(
                    "%(n)s Steuerzeichen (etwa Nullzeichen) im Text wurden entfernt; "
                    "bitte prüfen, ob der Text vollständig ist."
                )
                % {"n": controls}
            )
        # Offsets of line starts, to turn a match position into a line number.
        self.starts = [0]
        for line in self.raw[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def line_of(self, offset):
        return bisect.bisect_right(self.starts, offset)

    def next_nonempty(self, index, limit=None):
        end = len(self.lines) if limit is None else min(limit, len(self.lines))
        for i in range(index, end):
            if self.lines[i]:
                return i
        return None

    def parse(self):
        d = self.draft
        ref_index = self._header()
        body_start = self._title_and_type(ref_index)
        body_start = self._consultations(body_start)
        self._sections(body_start)
        self._citations(ref_index)
        self._position_decisions()
        self._funding()
        self._required_fields()
        return d

    # -- header ------------------------------------------------------------

    def _header(self):
        d = self.draft
        ref_index = None
        for i, line in enumerate(self.lines[:60]):
            # The number stands at the start of its line (or glued to the Gz).
            match = REFERENCE_RE.match(line)
            if match:
                ref_index = i
                break
        if ref_index is None:
            raise ParseError(
                _(
                    "Das ist keine Vorlage: im Kopf steht keine Drucksachennummer "
                    "(„GRDrs Nummer/Jahr“)."
                )
            )
        number, year = int(match[1]), int(match[2])
        if number < 1 or not 1900 <= year <= 2999:
            raise ParseError(
                _("Die Drucksachennummer „%(ref)s“ im Kopf ist nicht plausibel.")
                % {"ref": f"{number}/{year}"}
            )
        d.number, d.year = number, year
        d.lines["reference"] = ref_index + 1
        rest = match[3].strip()
        if rest and SUFFIX_RE.match(rest):
            d.suffix = rest
            d.lines["suffix"] = ref_index + 1

        # Department line(s) and Gz above the number.
        gz_index = None
        dept_lines = []
        for i in range(ref_index + 1):
            line = self.lines[i]
            gz = re.match(r"^G[zZ]\.?\s*:\s*(.*)$", line)
            if gz:
                gz_index = i
                value = re.split(r"GRDrs", gz[1], flags=re.IGNORECASE)[0].strip()
                if value:
                    d.file_reference = value
                else:
                    # Empty Gz, or the value stands on the next line.
                    nxt = self.next_nonempty(i + 1, ref_index)
                    if nxt is not None and nxt < ref_index:
                        d.file_reference = self.lines[nxt]
                    else:
                        d.file_reference = ""
                d.lines["file_reference"] = i + 1
                break
            if i == ref_index or not line or line.startswith("Landeshauptstadt"):
                continue
            dept_lines.append((i, line))
        if gz_index is None:
            d.warn(_("Keine Zeile „Gz:“ (Aktenzeichen) im Kopf gefunden."))
        if dept_lines:
            first_index, name = dept_lines[0]
            for _i, line in dept_lines[1:]:
                # A name wrapped over two lines continues in lower case or after
                # a hyphen, comma or "und".
                if line[:1].islower() or re.search(r"(?:-|,|\bund|\bfür)$", name):
                    name = f"{name} {line}" if not name.endswith("-") else name + line
            d.department = name
            d.lines["department"] = first_index + 1
            bare = re.sub(r"^Referat\s+", "", name)
            d.department_short = REFERATE.get(bare)
        return ref_index

    def _title_and_type(self, ref_index):
        d = self.draft
        i = ref_index + 1
        # Suffix on its own line, then "Stuttgart," and the date (month first).
        date_index = None
        for j in range(ref_index + 1, min(ref_index + 16, len(self.lines))):
            line = self.lines[j]
            if not line:
                continue
            gz = re.match(r"^G[zZ]\.?\s*:\s*(.*)$", line)
            if gz and d.file_reference is None:
                # The Gz printed below the number instead of above it.
                d.file_reference = gz[1].strip()
                d.lines["file_reference"] = j + 1
                d.warnings = [w for w in d.warnings if "Gz:" not in w.message]
                i = j + 1
                continue
            if d.suffix is None and SUFFIX_RE.match(line):
                d.suffix = line
                d.lines["suffix"] = j + 1
                i = j + 1
                continue
            us = US_DATE_RE.search(line)
            de = DE_DATE_RE.search(line)
            if us or de:
                date_index = j
                self._header_date(line, us, de, j)
                i = j + 1
                break
            if line.startswith("Stuttgart"):
                i = j + 1
                continue
            break
        if date_index is None:
            d.fail(_("Kein Datum im Kopf gefunden (erwartet: Monat/Tag/Jahr)."))
        if d.suffix is None:
            d.suffix = ""

        # The title runs up to the paper type.
        type_index = None
        for j in range(i, min(i + 25, len(self.lines))):
            line = self.lines[j]
            if self._paper_type(line, j):
                type_index = j
                break
            if (
                HEADING_RE.match(line)
                or HEADER_TOKENS.match(line.replace(" ", ""))
                and line
            ):
                break
        end = type_index if type_index is not None else None
        title_lines = []
        first = None
        for j in range(i, end if end is not None else len(self.lines)):
            line = self.lines[j]
            if not line:
                if title_lines and end is None:
                    break
                continue
            if first is None:
                first = j
            title_lines.append(line)
        if title_lines:
            d.title = _join_lines(title_lines)
            d.lines["title"] = first + 1
        if type_index is None:
            d.fail(
                _(
                    "Die Art der Vorlage (z. B. „Beschlussvorlage“) wurde nicht "
                    "gefunden."
                )
            )
            return (first or i) + len(title_lines)
        return type_index + 1

    def _header_date(self, line, us, de, index):
        d = self.draft
        d.lines["date"] = index + 1
        if us:
            month, day, year = int(us[1]), int(us[2]), int(us[3])
            printed = us[0]
        else:
            day, month, year = int(de[1]), int(de[2]), int(de[3])
            printed = de[0]
        try:
            d.date = datetime.date(year, month, day)
        except ValueError:
            d.fail(
                _(
                    "Das Datum „%(date)s“ im Kopf ist kein gültiges Datum "
                    "(gedruckt als Monat/Tag/Jahr)."
                )
                % {"date": printed},
                index + 1,
            )
            return
        if d.year and not d.year <= year <= d.year + 1:
            d.warn(
                _(
                    "Das Datum %(date)s passt nicht zum Jahr der "
                    "Drucksachennummer %(y)s."
                )
                % {"date": f"{d.date:%d.%m.%Y}", "y": d.year},
                index + 1,
            )

    def _paper_type(self, line, index):
        d = self.draft
        for rx, key, may_have_note in TYPES:
            match = re.match(rf"^({rx})(.*)$", line)
            if not match:
                continue
            rest = match[2]
            glued = re.search(r"Vorlage\s*an", rest)
            if glued:
                rest = rest[: glued.start()]
            rest = rest.strip()
            if rest and not (may_have_note and re.match(r"^(?:zu[mr]?|für)\b", rest)):
                continue
            d.paper_type = _squash(f"{match[1]} {rest}")
            d.paper_type_key = key
            d.paper_type_note = rest
            d.lines["paper_type"] = index + 1
            return True
        return False

    # -- Beratungsfolge ----------------------------------------------------

    def _consultations(self, start):
        d = self.draft
        i = start
        n = len(self.lines)
        # Skip blank lines and the header row(s) "Vorlage an / zur / Sitzungsart …".
        saw_header = False
        while i < n:
            line = self.lines[i]
            compact = line.replace(" ", "")
            if not line:
                i += 1
                continue
            if HEADER_TOKENS.match(compact):
                saw_header = True
                i += 1
                continue
            break
        rows = []
        block = []
        while i < n:
            line = self.lines[i]
            if not line:
                if block or rows:
                    # A blank line between the column blocks does not end them.
                    nxt = self.next_nonempty(i + 1, i + 4)
                    ahead = self.lines[nxt] if nxt is not None else ""
                    if not (
                        ROLE_RE.match(ahead)
                        or PUBLIC_RE.match(ahead)
                        or DATE_ONLY_RE.match(ahead)
                        or (ROW_RE.match(ahead) and not ROLE_RE.match(ahead))
                    ):
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
        if not saw_header and not rows and not block:
            if d.paper_type_key in ("beschlussvorlage", "mitteilungsvorlage"):
                d.warn(_("Keine Beratungsfolge gefunden."), start + 1)
            return start
        # Text right after the type that is not a Beratungsfolge.
        if (
            not saw_header
            and block
            and not rows
            and not any(ROLE_RE.match(line) for _i, line in block)
        ):
            d.warn(_("Keine Beratungsfolge gefunden."), start + 1)
            return start
        for index, row in rows:
            d.consultations.append(
                ConsultationDraft(
                    committee=_squash(row["committee"]),
                    role=row["role"],
                    public=self._public(row["public"]),
                    date=self._row_date(row["date"], index),
                    line=index + 1,
                )
            )
        if block:
            self._column_block(block)
        if not d.consultations:
            d.warn(_("Die Beratungsfolge konnte nicht gelesen werden."), start + 1)
        return i

    @staticmethod
    def _public(text):
        return not _fold(text).replace(" ", "").replace("-", "").startswith("nicht")

    def _row_date(self, text, index):
        if not text:
            return None
        value = parse_german_date(text)
        if value is None:
            self.draft.warn(
                _("Sitzungstermin „%(date)s“ ist kein gültiges Datum.")
                % {"date": text},
                index + 1,
            )
        return value

    def _column_block(self, block):
        d = self.draft
        committees, roles, publics, dates = [], [], [], []
        for index, line in block:
            if ROLE_RE.match(line):
                roles.append((index, line))
            elif PUBLIC_RE.match(line):
                publics.append((index, line))
            elif DATE_ONLY_RE.match(line):
                dates.append((index, line))
            elif roles or publics or dates:
                d.warn(
                    _("Unerwartete Zeile in der Beratungsfolge: „%(line)s“")
                    % {"line": line},
                    index + 1,
                )
            else:
                committees.append((index, line))
        count = len(roles)
        if len(committees) > count:
            # A committee name wrapped over two lines.
            joined = []  # (index, [lines of the name])
            for index, line in committees:
                if joined and (
                    line[:1].islower()
                    or re.search(r"(?:-|\bund|\bfür)$", joined[-1][1][-1])
                ):
                    joined[-1][1].append(line)
                else:
                    joined.append((index, [line]))
            committees = [(index, " ".join(lines)) for index, lines in joined]
        if not (len(committees) == count == len(publics)) or len(dates) > count:
            d.warn(
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
        elif len(dates) < count:
            d.warn(
                _(
                    "Nur %(d)s Termine für %(r)s Beratungen: die Termine sind der "
                    "Reihe nach zugeordnet, bitte prüfen."
                )
                % {"d": len(dates), "r": count},
                dates[0][0] + 1 if dates else block[0][0] + 1,
            )
        for k in range(min(len(committees), count, len(publics))):
            index, name = committees[k]
            date = self._row_date(dates[k][1], dates[k][0]) if k < len(dates) else None
            d.consultations.append(
                ConsultationDraft(
                    committee=_squash(name),
                    role=roles[k][1],
                    public=self._public(publics[k][1]),
                    date=date,
                    line=index + 1,
                )
            )

    # -- sections, items, signer -------------------------------------------

    def _sections(self, start):
        d = self.draft
        heads = []
        for i in range(start, len(self.lines)):
            heading = HEADING_RE.match(self.lines[i])
            if heading:
                heads.append((i, HEADING_NAMES[heading.lastgroup]))
        end_of_text = len(self.lines)
        for i in range(len(self.lines) - 1, start - 1, -1):
            if self.lines[i] == END_MARK:
                end_of_text = i
                break
        bodies = {}
        for k, (i, name) in enumerate(heads):
            stop = heads[k + 1][0] if k + 1 < len(heads) else end_of_text
            if name == "Anlagen":
                # The last "Anlagen" closes the paper; a line "Anlage" in the text
                # before it is not where the signature stands.
                bodies[name] = (i, stop)
            else:
                bodies.setdefault(name, (i, stop))
        self._signer(heads, bodies)
        complete = any(name == "Anlagen" for _i, name in heads) or (
            end_of_text < len(self.lines)
        )
        if not complete:
            d.truncated = True
            last = self.next_nonempty_back(len(self.lines) - 1)
            d.warn(
                _(
                    "Der Text bricht ab (kein Abschnitt „Anlagen“ und kein Textende): "
                    "was danach folgen würde – Unterschrift, Mitzeichnung, Anlagen – "
                    "fehlt und wurde nicht übernommen."
                ),
                (last or 0) + 1,
            )
        for name, (i, stop) in bodies.items():
            body = "\n".join(self.raw[i + 1 : stop]).strip()
            if name == "Beschlussantrag":
                self._items(i + 1, stop)
                continue
            if name in NOT_A_TEXT_SECTION or body in ("", "---"):
                continue
            d.sections.append(SectionDraft(name, body, i + 1))
        d.sections.sort(key=lambda s: s.line)
        if "Beschlussantrag" not in bodies and d.paper_type_key == "beschlussvorlage":
            d.warn(_("Kein Beschlussantrag gefunden."))
        self._co_signers(bodies)

    def next_nonempty_back(self, index):
        for i in range(index, -1, -1):
            if self.lines[i]:
                return i
        return None

    def _items(self, first, stop):
        d = self.draft
        block = "\n".join(self.raw[first:stop])
        offset0 = self.starts[first] if first < len(self.starts) else len(self.text)
        starts = []
        # The numbers 1, 2, 3 … in turn; other numbers in the text are skipped.
        number = 1
        for match in ITEM_NUMBER_RE.finditer(block):
            if match[1] == str(number):
                starts.append((number, match.start(), match.end()))
                number += 1
        if not starts:
            text = _squash(block)
            if text:
                d.items.append(ItemDraft(1, text, first + 1))
                d.warn(
                    _(
                        "Der Beschlussantrag hat keine Ziffern; er ist als Ziffer 1 "
                        "übernommen."
                    ),
                    first + 1,
                )
            return
        ends = [begin for _n, begin, _e in starts[1:]] + [len(block)]
        for (num, begin, text_start), end in zip(starts, ends, strict=True):
            text = _squash(block[text_start:end])
            line = self.line_of(offset0 + begin + (1 if block[begin].isspace() else 0))
            d.items.append(ItemDraft(num, text, line))
        last = d.items[-1]
        if (
            d.truncated
            and stop == len(self.lines)
            and not last.text.endswith((".", ":", "!", "?", "“", ")"))
        ):
            d.warn(
                _(
                    "Ziff. %(n)s bricht mitten im Satz ab; übernommen ist nur der "
                    "vorhandene Text."
                )
                % {"n": last.number},
                last.line,
            )

    def _signer(self, heads, bodies):
        d = self.draft
        if "Anlagen" not in bodies:
            return
        anlagen = bodies["Anlagen"][0]
        previous = max((i for i, _n in heads if i < anlagen), default=None)
        candidates = []
        for i in range(anlagen - 1, (previous or 0), -1):
            line = self.lines[i]
            if not line:
                if candidates:
                    break
                continue
            if line == "---":
                break
            candidates.append((i, line))
        # Collected upwards; in reading order again.
        candidates = [
            (i, line)
            for i, line in reversed(candidates)
            if line not in ("i. V.", "i.V.")
        ]
        if len(candidates) >= 2:
            (i, name), (_j, office) = candidates[-2], candidates[-1]
            d.signed_by_name, d.signed_by_office = name, office
            d.lines["signed_by"] = i + 1
            # The signature is not part of the section it follows.
            for hi, hname in heads:
                if hi == previous:
                    start, stop = bodies.get(hname, (hi, anlagen))
                    if stop == anlagen:
                        bodies[hname] = (start, candidates[0][0])
                    break
        else:
            d.warn(_("Keine Unterschrift (Name und Amt) vor „Anlagen“ gefunden."))

    def _co_signers(self, bodies):
        d = self.draft
        span = bodies.get("Beteiligte Stellen") or bodies.get(
            "Mitzeichnung der beteiligten Stellen"
        )
        if not span:
            if not d.truncated and d.paper_type_key == "beschlussvorlage":
                d.warn(_("Kein Abschnitt „Beteiligte Stellen“ gefunden."))
            return
        i, stop = span
        text = _squash(" ".join(self.lines[i + 1 : stop]))
        if not text or text.rstrip(".").casefold() in ("---", "keine", "entfällt"):
            return
        match = re.search(
            r"(?:^|\.\s+)(?:Die|Das|Der)?\s*(?P<who>[^.]*?)\s+(?:hat|haben)\s+die\s+"
            r"Vorlage\s+(?P<neg>nicht\s+)?mitgezeichnet",
            text,
        )
        if not match:
            d.warn(
                _("Mitzeichnung nicht erkannt: „%(text)s“") % {"text": text[:200]},
                i + 2,
            )
            return
        if match["neg"]:
            d.warn(_("Nicht mitgezeichnet: „%(who)s“") % {"who": match["who"]}, i + 2)
            return
        who = match["who"].strip()
        referate = re.match(r"^(?:Referate?|Referaten)\s+(.*)$", who)
        if referate:
            d.co_signing_departments = self._split_referate(referate[1], i + 2)
        else:
            names = re.split(r",\s*(?:die|das|der)\s+|\s+und\s+(?:die|das|der)\s+", who)
            d.co_signing_departments = [DepartmentName(_squash(n)) for n in names if n]

    def _split_referate(self, text, line):
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
            else:
                short = REFERAT_SHORT_RE.match(text, pos)
                if short and short[1] in SHORT_TO_REFERAT:
                    name = SHORT_TO_REFERAT[short[1]]
                    found.append(DepartmentName(f"Referat {name}", short[1]))
                    pos = short.end()
                    continue
                rest = text[pos:].strip()
                self.draft.warn(
                    _(
                        "Mitzeichnende Stellen nicht sicher getrennt: „%(rest)s“ ist "
                        "als eine Stelle übernommen."
                    )
                    % {"rest": rest},
                    line,
                )
                found.append(DepartmentName(f"Referat {rest}"))
                break
        return found

    # -- cited papers --------------------------------------------------------

    def _citations(self, ref_index):
        d = self.draft
        seen = {}
        skip_until = (
            self.starts[ref_index + 1] if ref_index + 1 < len(self.starts) else 0
        )
        for match in CITE_RE.finditer(self.text, skip_until):
            refs = [match["first"]] + REF_NUMBER_RE.findall(match["more"] or "")
            line = self.line_of(match.start())
            for k, ref in enumerate(refs):
                if isinstance(ref, tuple):
                    number, year = int(ref[0]), int(ref[1])
                else:
                    number, year = (int(x) for x in REF_NUMBER_RE.match(ref).groups())
                if number < 1 or not 1900 <= year <= 2999:
                    continue
                last = k == len(refs) - 1
                suffix = _squash(match["suffix"] or "") if last else ""
                title = _squash(match["title"]) if last and match["title"] else None
                key = (number, year, suffix)
                if key == (d.number, d.year, d.suffix):
                    continue
                if key in seen:
                    if title and not seen[key].title:
                        seen[key].title = title
                    continue
                seen[key] = CitedPaper(number, year, suffix, title, line)
                d.referenced_papers.append(seen[key])

    # -- position decisions --------------------------------------------------

    def _position_decisions(self):
        d = self.draft
        for item in d.items:
            text = item.text
            pos = 0
            # Said once for the whole item, read once (not once per decision).
            unlimited = bool(UNLIMITED_RE.search(text))
            for verb in re.finditer(
                rf"\bwird\s+(?:bis\s+(?:zum\s+)?{DATE}\s+)?(?:[\w-]+\s+){{0,4}}?"
                r"(verlängert|entfristet)\b",
                text,
            ):
                span = text[pos : verb.end()]
                pos = verb.end()
                if not re.search(r"Ermächtigung|Stelle", span):
                    continue
                self._decision(item, span, verb[1], unlimited)

            self._creation(item)

    @cached_property
    def _valid_until(self):
        """([item number], [match]) of the items that say how long an
        authorisation is valid, read once for all the items that create one."""
        numbers, dates = [], []
        for item in self.draft.items:
            found = VALID_UNTIL_RE.search(item.text)
            if found and (not numbers or item.number > numbers[-1]):
                numbers.append(item.number)
                dates.append(found)
        return numbers, dates

    def _creation(self, item):
        """`Das Sozialamt wird … ermächtigt, … Personal für … 50 % … einzustellen`."""
        d = self.draft
        match = re.search(
            r"(?:^|\.\s)(?:Das|Der|Die)\s+(?P<dept>[A-ZÄÖÜ][\w-]*(?:\s+[\w-]+){0,3}?)"
            r"\s+wird\b[^.]*?\bermächtigt\b[^.]*?\bPersonal\s+für\s+(?P<f>.{1,300}?)"
            r"\s+mit\s+einem\s+Beschäftigungsumfang\s+von\s+"
            r"(?P<share>\d{1,3}(?:,\d+)?)\s*%"
            r"(?P<rest>(?:[^.]|(?<=\d)\.){0,1000}?)\beinzustellen",
            item.text,
        )
        if not match:
            return
        rest = match["rest"]
        grade = re.search(
            r"(?:Entgeltgruppe|EG)\s*(?P<eg>\d{1,2}[a-c]?)"
            r"(?:\s+(?P<scheme>TVöD(?:-[A-Z]+)?|TV-L|TV-V|TV-N))?",
            rest,
        )
        share = Decimal(match["share"].replace(",", "."))
        start = re.search(rf"\bab\s+(?:dem\s+)?({DATE})", rest)
        until = re.search(rf"\bbis\s+(?:zum\s+)?({DATE})", rest)
        if until is None:
            # "Die Ermächtigung gilt zunächst bis zum 31.12.2019." in a later item.
            numbers, dates = self._valid_until
            k = bisect.bisect_right(numbers, item.number)
            until = dates[k] if k < len(dates) else None
        scheme = grade["scheme"] if grade else None
        decision = PositionDecisionDraft(
            item=item.number,
            action="created",
            granted_by=None,
            old_until=None,
            new_until=parse_german_date(until[1]) if until else None,
            function=_squash(match["f"]),
            share_percent=share if 0 < share <= 100 else None,
            pay_scheme=("TVöD" if scheme and scheme.startswith("TVöD") else scheme),
            pay_grade=f"EG {grade['eg']}" if grade else None,
            department=_squash(match["dept"]),
            may_advertise_unlimited="unbefristet" in rest,
            line=item.line,
            valid_from=parse_german_date(start[1]) if start else None,
        )
        missing = [
            label
            for label, value in [
                (_("Stellenanteil"), decision.share_percent),
                (_("Entgeltgruppe"), decision.pay_grade),
                (_("Tarif"), decision.pay_scheme),
                (_("Befristung"), decision.new_until),
            ]
            if not value
        ]
        if missing:
            d.warn(
                _("Ziff. %(n)s: neue Stelle erkannt, aber nicht gefunden: %(missing)s.")
                % {"n": item.number, "missing": ", ".join(missing)},
                item.line,
            )
        d.position_decisions.append(decision)

    def _decision(self, item, span, verb, unlimited):
        d = self.draft
        granted = re.search(r"GRDrs\.?\s*(\d{1,5}\s*/\s*\d{4})", span)
        plain = re.sub(r"[„“\"»][^„“”\"«»]*[“”\"«]", "", span)
        decision = PositionDecisionDraft(
            item=item.number,
            action="extended" if verb == "verlängert" else "made_permanent",
            granted_by=granted[1].replace(" ", "") if granted else None,
            old_until=None,
            new_until=None,
            function=None,
            share_percent=None,
            pay_scheme=None,
            pay_grade=None,
            department=None,
            may_advertise_unlimited=unlimited,
            line=item.line,
        )
        old = re.search(
            rf"(?:Ermächtigung|Stelle)\w*\s+bis\s+(?:zum\s+)?({DATE})", plain
        )
        if old:
            decision.old_until = parse_german_date(old[1])
        new = re.search(rf"\bbis\s+(?:zum\s+)?({DATE})\s+(?:verlängert)", plain)
        if new:
            decision.new_until = parse_german_date(new[1])
        function = re.search(
            r"\bfür\s+(?:die\s+|den\s+|das\s+|eine[nr]?\s+)?(?P<f>.{1,300}?),\s*"
            r"(?P<share>\d{1,3}(?:,\d+)?)\s*%",
            plain,
        )
        if function:
            decision.function = _squash(function["f"])
            share = Decimal(function["share"].replace(",", "."))
            # A share outside (0, 100] is not a share of a post; say so below.
            decision.share_percent = share if 0 < share <= 100 else None
            tail = plain[function.end() :]
            grade = re.match(
                r"\s*(?:in\s+)?(?:der\s+)?(?:(?:EG|Entgeltgruppe)\s*(?P<eg>\d{1,2}[a-c]?)"
                r"|(?P<other>[ASBW])\s?(?P<num>\d{1,2}))"
                r"(?:\s+(?P<scheme>TVöD(?:-[A-Z]+)?|TV-L|TV-V|TV-N))?",
                tail,
            )
            if grade:
                if grade["eg"]:
                    decision.pay_grade = f"EG {grade['eg']}"
                else:
                    decision.pay_grade = f"{grade['other']} {grade['num']}"
                scheme = grade["scheme"]
                if scheme:
                    decision.pay_scheme = (
                        "TVöD" if scheme.startswith("TVöD") else scheme
                    )
                elif grade["other"] in ("A", "B", "W"):
                    decision.pay_scheme = "Besoldung"
                tail = tail[grade.end() :]
            dept = re.match(
                r"\s*(?:beim|bei\s+der|bei\s+dem|im|in\s+der|in\s+dem)\s+"
                r"(?P<d>[A-ZÄÖÜ][^,]*?)\s*(?:,|\bwird\b)",
                tail,
            )
            if dept:
                decision.department = _squash(dept["d"])
        missing = [
            label
            for label, value in [
                (_("bewilligende Drucksache"), decision.granted_by),
                (_("bisherige Befristung"), decision.old_until),
                (
                    "neue Befristung",
                    decision.new_until or decision.action == "made_permanent",
                ),
                (_("Funktion"), decision.function),
                (_("Stellenanteil"), decision.share_percent),
                (_("Entgeltgruppe"), decision.pay_grade),
                (_("Tarif"), decision.pay_scheme),
                (_("Dienststelle"), decision.department),
            ]
            if not value
        ]
        if missing:
            d.warn(
                _(
                    "Ziff. %(n)s: Stellenentscheidung erkannt, aber nicht gefunden: "
                    "%(missing)s."
                )
                % {"n": item.number, "missing": ", ".join(missing)},
                item.line,
            )
        d.position_decisions.append(decision)

    # -- funding -------------------------------------------------------------

    def _funding(self):
        d = self.draft
        section = next(
            (s for s in d.sections if s.heading == "Finanzielle Auswirkungen"), None
        )
        if section is None:
            return
        first = section.line  # heading line (1-based) → body starts after it
        stop = next(
            (s.line - 1 for s in d.sections if s.line > section.line),
            len(self.lines),
        )
        if d.signed_by_name:
            stop = min(stop, d.lines.get("signed_by", stop + 1) - 1)
        indices = list(range(first, min(stop, len(self.lines))))
        self._funding_tables(indices)
        self._funding_prose(indices)
        self._link_funding()
        self._funded_posts()
        self._funding_splits()
        self._revenue_units()

    def _classify(self, i):
        line = self.lines[i]
        if not line:
            return "blank"
        if YEAR_LINE_RE.match(line):
            return "year"
        if AMOUNT_LINE_RE.match(line):
            return "amount"
        if UNIT_LINE_RE.match(line) and len(line) < 60:
            return "unit"
        if BULLET_RE.match(line):
            return "bullet"
        if self.raw[i][:1].isspace():
            return "indented"
        return "text"

    def _funding_tables(self, indices):
        kinds = {i: self._classify(i) for i in indices}
        k = 0
        while k < len(indices):
            i = indices[k]
            if kinds[i] != "text":
                k += 1
                continue
            # A run of text lines is an intro when it ends with a colon.
            run = [i]
            while (
                k + len(run) < len(indices) and kinds[indices[k + len(run)]] == "text"
            ):
                run.append(indices[k + len(run)])
            intro = _squash(" ".join(self.lines[j] for j in run))
            k += len(run)
            if not intro.endswith(":"):
                continue
            body = []
            seen_amount = False
            while k < len(indices):
                j = indices[k]
                kind = kinds[j]
                if kind == "amount":
                    seen_amount = True
                elif kind == "text" and (seen_amount or self.lines[j].endswith(":")):
                    break
                body.append(j)
                k += 1
            self._funding_table(run, intro, body, kinds)

    def _funding_table(self, run, intro, body, kinds):
        d = self.draft
        line = run[0] + 1
        if re.search(r"noch\s+keine|nicht\s+veranschlagt|noch\s+nicht", intro):
            status = "not_budgeted"
        elif "Änderungsliste" in intro:
            status = "change_list"
        elif re.search(r"veranschlagt|vorgesehen|eingeplant|enthalten", intro):
            status = "budgeted"
        else:
            status = "not_budgeted"
            d.warn(
                _(
                    "Haushaltsstand der Beträge nicht erkannt; als „noch nicht "
                    "veranschlagt“ übernommen, bitte prüfen."
                ),
                line,
            )
        units = {
            m[1]: _squash(m[2]).strip(" -–")
            for m in re.finditer(
                r"(?:Teilhaushalt(?:en)?|THH|und)\s+(\d{2,4})\s*[-–]\s*"
                r"([A-ZÄÖÜ][\wäöüß\- ]*?)\s*(?:[-–]\s*)?"
                r"(?=\s*(?:,|:|und\s+\d|noch\b|folgende\b|sind\b|ist\b|werden\b"
                r"|wird\b|$))",
                intro,
            )
        }
        codes = {
            "cost_centre": re.search(r"Amtsbereich\s+(\d+)\s*[-–]\s*([^,]+)", intro),
            "product": re.search(
                r"(?:Schlüssel)?[Pp]rodukt\s+([\d.]+(?:-\d+)?)\s*(?:[-–,]\s*([^,]+))?",
                intro,
            ),
            "account_group": re.search(
                r"Kontengruppe\s+(\d+)\s*[-–]\s*([^,:]+)", intro
            ),
        }
        years = [int(self.lines[j]) for j in body if kinds[j] == "year"]
        amounts = [
            (j, parse_amount(AMOUNT_LINE_RE.match(self.lines[j])))
            for j in body
            if kinds[j] == "amount"
        ]
        purposes = []  # (line index, text, unit number)
        unit = next(iter(units)) if len(units) == 1 else None
        has_bullets = any(kinds[j] == "bullet" for j in body)
        for j in body:
            kind = kinds[j]
            text = self.lines[j]
            if kind == "unit":
                unit = UNIT_LINE_RE.match(text)[1]
            elif kind == "bullet":
                purposes.append([j, [BULLET_RE.match(text)[1]], unit])
            elif kind == "indented" and has_bullets and purposes:
                purposes[-1][1].append(text)
            elif kind in ("text", "indented") and not has_bullets:
                glued = GLUED_ROW_RE.match(text) if len(text) <= MAX_ROW else None
                if glued:
                    purposes.append([j, [glued["p"]], unit])
                    amounts.extend(
                        (j, parse_amount(m)) for m in AMOUNT_RE.finditer(glued["a"])
                    )
                else:
                    purposes.append([j, [text], unit])
        purposes = [[j, ", ".join(parts), unit] for j, parts, unit in purposes]
        if not amounts:
            return
        if not years or not purposes or len(amounts) != len(years) * len(purposes):
            d.warn(
                _(
                    "Beträge der Tabelle nicht eindeutig zuzuordnen (%(p)s Zwecke, "
                    "%(y)s Jahre, %(a)s Beträge); nicht übernommen."
                )
                % {"p": len(purposes), "y": len(years), "a": len(amounts)},
                line,
            )
            return
        glued_rows = not {a[0] for a in amounts}.isdisjoint(p[0] for p in purposes)
        for p, (j, purpose, unit_number) in enumerate(purposes):
            for y, year in enumerate(years):
                if glued_rows:
                    amount = amounts[p * len(years) + y][1]
                else:
                    # Printed column by column: all amounts of a year, then the next.
                    amount = amounts[y * len(purposes) + p][1]
                d.funding_lines.append(
                    FundingLineDraft(
                        purpose=_squash(purpose),
                        year=year,
                        amount=amount,
                        direction="expense",
                        source="city",
                        budget_status=status,
                        budget_unit=(
                            BudgetCodeDraft(unit_number, units.get(unit_number))
                            if unit_number
                            else None
                        ),
                        cost_centre=_code(codes["cost_centre"]),
                        product=_code(codes["product"]),
                        account_group=_code(codes["account_group"]),
                        line=j + 1,
                    )
                )

    def _funding_prose(self, indices):
        d = self.draft
        text = "\n".join(self.raw[i] for i in indices)
        offset0 = self.starts[indices[0]] if indices else 0
        seen = {(f.year, f.amount) for f in d.funding_lines if f.direction == "revenue"}
        # Where the text says "not budgeted", found once; each match then asks
        # whether one lies in its sentence (instead of searching the sentence).
        negations = [m.span() for m in NOT_BUDGETED_RE.finditer(text)]
        negation_starts = [start for start, _end in negations]
        sentence_start = 0
        searched_to = 0
        for match in REVENUE_PROSE_RE.finditer(text):
            # The last full stop before the match; looked for only since the
            # previous match, so the text is read once.
            dot = text.rfind(".", searched_to, match.start())
            if dot >= 0:
                sentence_start = dot + 1
            searched_to = match.start()
            purpose = match["purpose"]
            amount = parse_amount(match)
            year = int(match["year"])
            if (year, amount) in seen:
                continue
            seen.add((year, amount))
            if "Land" in purpose:
                source = "state"
            elif "Bund" in purpose:
                source = "federal"
            else:
                source = "third_party"
            k = bisect.bisect_left(negation_starts, sentence_start)
            status = (
                "not_budgeted"
                if k < len(negations) and negations[k][1] <= match.end()
                else "budgeted"
            )
            d.funding_lines.append(
                FundingLineDraft(
                    purpose=purpose[0].upper() + purpose[1:],
                    year=year,
                    amount=amount,
                    direction="revenue",
                    source=source,
                    budget_status=status,
                    line=self.line_of(offset0 + match.start()),
                )
            )

    def _link_funding(self):
        """Tie each line to its position decision and item, where the text allows."""
        d = self.draft
        money_items = [
            i.number
            for i in d.items
            if re.search(r"Finanzierung|Finanzielle Auswirkungen|Mittel\b", i.text)
        ]
        decisions = {}  # (share, grade) → indices of the decisions
        for k, pd in enumerate(d.position_decisions):
            decisions.setdefault((pd.share_percent, pd.pay_grade), []).append(k)
        for line in d.funding_lines:
            match = re.search(
                r"(\d{1,3}(?:,\d+)?)\s*%\s*(?:in\s+)?(?:EG|Entgeltgruppe)\s*(\d{1,2}[a-c]?)",
                line.purpose,
            )
            if match:
                share = Decimal(match[1].replace(",", "."))
                grade = f"EG {match[2]}"
                hits = decisions.get((share, grade), [])
                if len(hits) == 1:
                    line.position_decision = hits[0]
                    line.item = d.position_decisions[hits[0]].item
                    continue
            if len(money_items) == 1:
                line.item = money_items[0]

    def _funded_posts(self):
        """`3.270 TEUR zur Finanzierung von 51,1 Stellen`: posts an amount pays for."""
        posts, purposes = {}, {}
        for match in re.finditer(
            rf"{AMOUNT_START}{AMOUNT}\s+(?:zur\s+)?Finanzierung\s+(?:von|der)\s+"
            r"(?P<posts>\d{1,4}(?:,\d{1,2})?)\s+(?:Vollzeit)?[Ss]tellen"
            r"(?:\s+(?P<what>für\s+(?:das|die|den)\s+[A-ZÄÖÜ][\wäöüß-]+))?",
            self.text,
        ):
            amount = parse_amount(match)
            posts.setdefault(amount, Decimal(match["posts"].replace(",", ".")))
            if match["what"]:
                purposes.setdefault(amount, match["what"])
        for line in self.draft.funding_lines:
            if line.amount in posts and line.direction == "revenue":
                line.funded_posts = posts[line.amount]
                what = purposes.get(line.amount)
                if what and " für " not in line.purpose:
                    line.purpose = f"{line.purpose} {what}"

    def _funding_splits(self):
        """`… in Höhe von 3.270 TEUR, zuzüglich … in Höhe von 235 TEUR, insgesamt
        3.505 TEUR`: the parts of a year's total, saved as lines `part_of` it."""
        d = self.draft
        text = self.text
        # The first line of each year and amount that is a total, not a part.
        totals = {}
        for k, f in enumerate(d.funding_lines):
            if f.direction == "expense" and f.part_of is None:
                totals.setdefault((f.year, f.amount), k)
        split = {
            (f.part_of, f.amount) for f in d.funding_lines if f.part_of is not None
        }
        # The sentence of a total starts after the last full stop or line break,
        # and after the previous total: looked for since the previous total only,
        # so the text is read once however many totals it names.
        start = -1
        searched_to = 0
        for match in SPLIT_TOTAL_RE.finditer(text):
            start = max(
                start,
                text.rfind(". ", searched_to, match.start()),
                text.rfind("\n", searched_to, match.start()),
            )
            searched_to = match.end()
            sentence = text[start + 1 : match.start()]
            start = match.end() - 1
            parts = list(SPLIT_PART_RE.finditer(sentence))
            if len(parts) < 2:
                continue
            line = self.line_of(start + 1)
            total = parse_amount(match)
            amounts = [parse_amount(p) for p in parts]
            year = re.search(r"(?:im|für\s+das)\s+Jahr\s+((?:19|20)\d{2})", sentence)
            if sum(amounts) != total:
                d.warn(
                    _(
                        "Die Teilbeträge ergeben nicht die genannte Summe "
                        "%(total)s €; Aufteilung nicht übernommen."
                    )
                    % {"total": f"{total:,.2f}"},
                    line,
                )
                continue
            whole = totals.get((int(year[1]), total)) if year else None
            if whole is None:
                d.warn(
                    _(
                        "Aufteilung einer Summe gefunden, aber kein Betrag dieses "
                        "Jahres in den Finanziellen Auswirkungen passt dazu; nicht "
                        "übernommen."
                    ),
                    line,
                )
                continue
            parent = d.funding_lines[whole]
            for part, amount in zip(parts, amounts, strict=True):
                purpose = _split_purpose(part["purpose"])
                if not purpose or (whole, amount) in split:
                    continue
                split.add((whole, amount))
                posts = re.search(
                    r"(\d{1,4}(?:,\d{1,2})?)\s+(?:Vollzeit)?[Ss]tellen", purpose
                )
                d.funding_lines.append(
                    replace(
                        parent,
                        purpose=purpose,
                        amount=amount,
                        funded_posts=(
                            Decimal(posts[1].replace(",", ".")) if posts else None
                        ),
                        position_decision=None,
                        line=line,
                        part_of=whole,
                    )
                )

    def _revenue_units(self):
        """A refund for posts goes to the budget unit of the lines paying for them."""
        lines = self.draft.funding_lines
        units_by_posts = {}  # funded posts → {unit number: unit} of the expenses
        for f in lines:
            if f.direction == "expense" and f.budget_unit:
                units_by_posts.setdefault(f.funded_posts, {})[f.budget_unit.number] = (
                    f.budget_unit
                )
        for revenue in lines:
            if revenue.direction != "revenue" or revenue.budget_unit:
                continue
            if revenue.funded_posts is None:
                continue
            units = units_by_posts.get(revenue.funded_posts, {})
            if len(units) == 1:
                revenue.budget_unit = BudgetCodeDraft(**asdict(*units.values()))

    # -- what a paper cannot be saved without --------------------------------

    def _required_fields(self):
        d = self.draft
        if not d.title:
            d.fail(_("Kein Betreff (Titel) gefunden."))
        if not d.department:
            d.fail(_("Keine federführende Dienststelle im Kopf gefunden."))


def _split_purpose(text):
    """`, zuzüglich des städtischen Zuschusses für die Sachkosten` → what it pays."""
    text = _squash(text).strip(" ,;")
    finance = re.search(r"\bzur\s+(Finanzierung\b.*)", text)
    if finance:
        text = finance[1]
    text = re.sub(r"^(?:zuzüglich|zzgl\.|sowie|und|plus)\s+", "", text)
    if text.startswith("des "):
        # Genitive after "zuzüglich des": "städtischen Zuschusses" is
        # "städtischer Zuschuss" as a purpose of its own.
        text = re.sub(r"^des\s+(\w+)en\s+([A-ZÄÖÜ]\w+?)e?s\b", r"\1er \2", text)
    text = re.sub(r"^(?:des|der|die|den|dem|das)\s+", "", text)
    text = re.sub(r"\s+(?:im|für\s+das)\s+Jahr\s+\d{4}$", "", text)
    return text[:1].upper() + text[1:]


def _code(match):
    if not match:
        return None
    name = match.group(2) if match.lastindex and match.lastindex >= 2 else None
    return BudgetCodeDraft(match[1], _squash(name) if name else None)
