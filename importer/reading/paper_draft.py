"""What the readers of a Vorlage (paper) find, as typed parts of one `Draft`.

Choices are the models' own `TextChoices` (a consultation's role, a funding line's
direction, a position decision's action, a reference's kind), never bare strings;
warnings carry a `Code` that code acts on, never their translated text.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy

from council.models import Consultation, Paper, PaperReference
from funding.models import FundingLine
from positions.models import PayScheme, PositionDecision

from .text import Problem, fold


class Code(enum.StrEnum):
    """Every warning and error a reader of a paper may give."""

    # the text as a whole
    CONTROL_CHARACTERS = "control_characters"
    TRUNCATED = "truncated"
    # header
    NO_FILE_REFERENCE = "no_file_reference"
    NO_DATE = "no_date"
    BAD_DATE = "bad_date"
    DATE_AFTER_YEAR = "date_after_year"
    NO_TITLE = "no_title"
    NO_DEPARTMENT = "no_department"
    NO_TYPE = "no_type"
    UNKNOWN_TYPE = "unknown_type"
    NON_PUBLIC = "non_public"
    SEVERAL_DEPARTMENTS = "several_departments"
    OFFICE_LINE = "office_line"
    BUDGET_READING = "budget_reading"
    # Beratungsfolge
    NO_CONSULTATIONS = "no_consultations"
    CONSULTATIONS_UNREADABLE = "consultations_unreadable"
    CONSULTATIONS_INCOMPLETE = "consultations_incomplete"
    CONSULTATION_DATES_IN_ORDER = "consultation_dates_in_order"
    NO_PUBLIC_MARKS = "no_public_marks"
    UNEXPECTED_CONSULTATION_LINE = "unexpected_consultation_line"
    BAD_MEETING_DATE = "bad_meeting_date"
    # items, signature, co-signers
    NO_RESOLUTION = "no_resolution"
    ITEMS_WITHOUT_NUMBERS = "items_without_numbers"
    ITEM_CUT_OFF = "item_cut_off"
    NO_SIGNATURE = "no_signature"
    NO_CO_SIGNING_SECTION = "no_co_signing_section"
    CO_SIGNING_UNREADABLE = "co_signing_unreadable"
    NOT_CO_SIGNED = "not_co_signed"
    CO_SIGNERS_UNSURE = "co_signers_unsure"
    # positions and funding
    POSITION_INCOMPLETE = "position_incomplete"
    NEW_POSITION_INCOMPLETE = "new_position_incomplete"
    BUDGET_STATUS_UNKNOWN = "budget_status_unknown"
    TABLE_AMBIGUOUS = "table_ambiguous"
    SPLIT_DOES_NOT_ADD_UP = "split_does_not_add_up"
    SPLIT_WITHOUT_TOTAL = "split_without_total"


def problem(code: Code, message: str, line: int | None = None) -> Problem:
    return Problem(message, line, code)


@dataclass
class ConsultationDraft:
    committee: str
    # As printed ("Beschlußfassung"); `role_key` is what it means.
    role: str | None
    public: bool | None
    date: datetime.date | None
    line: int | None = None

    @property
    def role_key(self) -> Consultation.Role | None:
        return ROLE_KEYS.get(fold(self.role or ""))


ROLE_KEYS = {
    "einbringung": Consultation.Role.INTRODUCTION,
    "vorberatung": Consultation.Role.PRELIMINARY,
    "beratung": Consultation.Role.DELIBERATION,
    "anhörung": Consultation.Role.DELIBERATION,
    "beschlussfassung": Consultation.Role.DECISION,
    "beratung und beschlussfassung": Consultation.Role.DECISION,
    "kenntnisnahme": Consultation.Role.INFORMATION,
    "information": Consultation.Role.INFORMATION,
}


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
    # How the paper refers to it: its own base paper is SUPPLEMENTS, a paper that
    # granted one of its position decisions EXTENDS, all others CITES.
    kind: PaperReference.Kind = PaperReference.Kind.CITES

    @property
    def reference(self):
        base = f"{self.number}/{self.year}"
        return f"{base} {self.suffix}" if self.suffix else base

    @property
    def is_base(self):
        """The paper this one supplements (an Ergänzung citing its base)."""
        return self.kind == PaperReference.Kind.SUPPLEMENTS


@dataclass
class DepartmentName:
    name: str
    short_name: str | None = None


@dataclass
class PositionDecisionDraft:
    item: int
    action: PositionDecision.Action
    granted_by: str | None
    old_until: datetime.date | None
    new_until: datetime.date | None
    function: str | None
    share_percent: Decimal | None
    # A PayScheme, or a scheme no PayScheme names as printed ("TV-V").
    pay_scheme: PayScheme | str | None
    pay_grade: str | None
    department: str | None
    may_advertise_unlimited: bool
    line: int | None = None
    valid_from: datetime.date | None = None

    @property
    def action_text(self):
        """What the preview calls it: "Verlängerung", "neue Ermächtigung" …"""
        return ACTION_TEXTS.get(self.action, self.action)


ACTION_TEXTS = {
    PositionDecision.Action.EXTENDED: gettext_lazy("Verlängerung"),
    PositionDecision.Action.CREATED: gettext_lazy("neue Ermächtigung"),
    PositionDecision.Action.MADE_PERMANENT: gettext_lazy("Entfristung"),
}


@dataclass
class BudgetCodeDraft:
    number: str
    name: str | None = None


@dataclass
class FundingLineDraft:
    purpose: str
    year: int
    amount: Decimal
    direction: FundingLine.Direction
    source: FundingLine.Source
    budget_status: FundingLine.BudgetStatus
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
    # Further departments in charge of a joint paper, after the lead one.
    co_departments: list[DepartmentName] = field(default_factory=list)
    file_reference: str | None = None
    title: str | None = None
    # The paper type as printed, and what it means (None: not one the register knows).
    paper_type: str | None = None
    paper_type_key: Paper.Type | None = None
    paper_type_note: str = ""
    # "zur nichtöffentlichen Behandlung" printed in the header.
    marked_non_public: bool = False
    # "Haushalt 2024/2025", "Unterlage für die 2. Lesung" above the title.
    budget_reading: str = ""
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
        """Public unless marked non-public or every step of the Beratungsfolge is."""
        if self.marked_non_public:
            return False
        marks = [c.public for c in self.consultations if c.public is not None]
        return not marks or any(marks)

    @property
    def ok(self):
        return not self.errors

    @property
    def cited_papers(self):
        """The papers it cites, without its own base paper (that it supplements)."""
        return [
            p
            for p in self.referenced_papers
            if p.kind != PaperReference.Kind.SUPPLEMENTS
        ]

    @property
    def supplements(self):
        """Its base paper, for an Ergänzung or Neufassung: "412/2020"."""
        if not self.suffix or self.number is None:
            return None
        return f"{self.number}/{self.year}"

    def warn(self, message, line=None, code=None):
        self.warnings.append(Problem(message, line, code))

    def fail(self, message, line=None, code=None):
        self.errors.append(Problem(message, line, code))

    def codes(self):
        """The codes of all warnings and errors, for code (and tests) to act on."""
        return {p.code for p in [*self.warnings, *self.errors]}

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
            "co_departments": [d.name for d in self.co_departments],
            "file_reference": self.file_reference,
            "title": self.title,
            "paper_type": self.paper_type,
            "public": self.is_public,
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
            "supplements": self.supplements,
            "position_decisions": [
                {
                    "item": d.item,
                    "action": str(d.action),
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
                    "direction": str(f.direction),
                    "source": str(f.source),
                    "budget_status": str(f.budget_status),
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
