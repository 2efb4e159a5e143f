"""Position decisions in the items of a Beschlussantrag.

`Die mit GRDrs 532/2017 „…“ beschlossene Ermächtigung bis 31.12.2019 für …, 50 % in
EG 10 TVöD beim Jobcenter, wird bis 31.12.2021 verlängert` (extended; `… wird
entfristet`: made permanent), and `Das Sozialamt wird … ermächtigt, … Personal für …
mit einem Beschäftigungsumfang von 50 % … einzustellen` (created).
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal

from django.utils.translation import gettext as _

from positions.models import PayScheme, PositionDecision

from .paper_draft import Code, ItemDraft, PositionDecisionDraft, problem
from .paper_source import DATE, parse_german_date
from .text import Problem, Read, squash

UNLIMITED_RE = re.compile(r"unbefristet\s+ausgeschrieben")
VALID_UNTIL_RE = re.compile(
    rf"Ermächtigung\s+gilt\s+(?:zunächst\s+)?bis\s+(?:zum\s+)?({DATE})"
)
VERB_RE = re.compile(
    rf"\bwird\s+(?:bis\s+(?:zum\s+)?{DATE}\s+)?(?:[\w-]+\s+){{0,4}}?"
    r"(verlängert|entfristet)\b"
)
ABOUT_A_POST_RE = re.compile(r"Ermächtigung|Stelle")
CREATION_RE = re.compile(
    r"(?:^|\.\s)(?:Das|Der|Die)\s+(?P<dept>[A-ZÄÖÜ][\w-]*(?:\s+[\w-]+){0,3}?)"
    r"\s+wird\b[^.]*?\bermächtigt\b[^.]*?\bPersonal\s+für\s+(?P<f>.{1,300}?)"
    r"\s+mit\s+einem\s+Beschäftigungsumfang\s+von\s+"
    r"(?P<share>\d{1,3}(?:,\d+)?)\s*%"
    r"(?P<rest>(?:[^.]|(?<=\d)\.){0,1000}?)\beinzustellen"
)
CREATION_GRADE_RE = re.compile(
    r"(?:Entgeltgruppe|EG)\s*(?P<eg>\d{1,2}[a-c]?)"
    r"(?:\s+(?P<scheme>TVöD(?:-[A-Z]+)?|TV-L|TV-V|TV-N))?"
)
FROM_RE = re.compile(rf"\bab\s+(?:dem\s+)?({DATE})")
UNTIL_RE = re.compile(rf"\bbis\s+(?:zum\s+)?({DATE})")
GRANTED_RE = re.compile(r"GRDrs\.?\s*(\d{1,5}\s*/\s*\d{4})")
QUOTED_RE = re.compile(r"[„“\"»][^„“”\"«»]*[“”\"«]")
OLD_UNTIL_RE = re.compile(rf"(?:Ermächtigung|Stelle)\w*\s+bis\s+(?:zum\s+)?({DATE})")
NEW_UNTIL_RE = re.compile(rf"\bbis\s+(?:zum\s+)?({DATE})\s+(?:verlängert)")
FUNCTION_RE = re.compile(
    r"\bfür\s+(?:die\s+|den\s+|das\s+|eine[nr]?\s+)?(?P<f>.{1,300}?),\s*"
    r"(?P<share>\d{1,3}(?:,\d+)?)\s*%"
)
GRADE_RE = re.compile(
    r"\s*(?:in\s+)?(?:der\s+)?(?:(?:EG|Entgeltgruppe)\s*(?P<eg>\d{1,2}[a-c]?)"
    r"|(?P<other>[ASBW])\s?(?P<num>\d{1,2}))"
    r"(?:\s+(?P<scheme>TVöD(?:-[A-Z]+)?|TV-L|TV-V|TV-N))?"
)
DEPARTMENT_RE = re.compile(
    r"\s*(?:beim|bei\s+der|bei\s+dem|im|in\s+der|in\s+dem)\s+"
    r"(?P<d>[A-ZÄÖÜ][^,]*?)\s*(?:,|\bwird\b)"
)


def read_position_decisions(
    items: list[ItemDraft],
) -> Read[list[PositionDecisionDraft]]:
    decisions: list[PositionDecisionDraft] = []
    warnings: list[Problem] = []
    valid_until = _valid_until(items)
    for item in items:
        text = item.text
        pos = 0
        # Said once for the whole item, read once (not once per decision).
        unlimited = bool(UNLIMITED_RE.search(text))
        for verb in VERB_RE.finditer(text):
            span = text[pos : verb.end()]
            pos = verb.end()
            if not ABOUT_A_POST_RE.search(span):
                continue
            decisions.append(_decision(item, span, verb[1], unlimited, warnings))
        created = _creation(item, valid_until, warnings)
        if created:
            decisions.append(created)
    return Read(decisions, warnings)


def _valid_until(items):
    """([item number], [match]) of the items that say how long an
    authorisation is valid, read once for all the items that create one."""
    numbers, dates = [], []
    for item in items:
        found = VALID_UNTIL_RE.search(item.text)
        if found and (not numbers or item.number > numbers[-1]):
            numbers.append(item.number)
            dates.append(found)
    return numbers, dates


def _scheme(name):
    """The PayScheme a printed scheme names ("TVöD-SuE" is TVöD); one that is no
    PayScheme ("TV-V") as printed, for the import to decide."""
    if name and name.startswith(PayScheme.TVOED):
        return PayScheme.TVOED
    return PayScheme(name) if name in PayScheme.values else name


def _creation(item, valid_until, warnings):
    """`Das Sozialamt wird … ermächtigt, … Personal für … 50 % … einzustellen`."""
    match = CREATION_RE.search(item.text)
    if not match:
        return None
    rest = match["rest"]
    grade = CREATION_GRADE_RE.search(rest)
    share = Decimal(match["share"].replace(",", "."))
    start = FROM_RE.search(rest)
    until = UNTIL_RE.search(rest)
    if until is None:
        # "Die Ermächtigung gilt zunächst bis zum 31.12.2019." in a later item.
        numbers, dates = valid_until
        k = bisect.bisect_right(numbers, item.number)
        until = dates[k] if k < len(dates) else None
    decision = PositionDecisionDraft(
        item=item.number,
        action=PositionDecision.Action.CREATED,
        granted_by=None,
        old_until=None,
        new_until=parse_german_date(until[1]) if until else None,
        function=squash(match["f"]),
        share_percent=share if 0 < share <= 100 else None,
        pay_scheme=_scheme(grade["scheme"]) if grade else None,
        pay_grade=f"EG {grade['eg']}" if grade else None,
        department=squash(match["dept"]),
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
        warnings.append(
            problem(
                Code.NEW_POSITION_INCOMPLETE,
                _("Ziff. %(n)s: neue Stelle erkannt, aber nicht gefunden: %(missing)s.")
                % {"n": item.number, "missing": ", ".join(missing)},
                item.line,
            )
        )
    return decision


def _decision(item, span, verb, unlimited, warnings):
    granted = GRANTED_RE.search(span)
    plain = QUOTED_RE.sub("", span)
    decision = PositionDecisionDraft(
        item=item.number,
        action=(
            PositionDecision.Action.EXTENDED
            if verb == "verlängert"
            else PositionDecision.Action.MADE_PERMANENT
        ),
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
    old = OLD_UNTIL_RE.search(plain)
    if old:
        decision.old_until = parse_german_date(old[1])
    new = NEW_UNTIL_RE.search(plain)
    if new:
        decision.new_until = parse_german_date(new[1])
    function = FUNCTION_RE.search(plain)
    if function:
        decision.function = squash(function["f"])
        share = Decimal(function["share"].replace(",", "."))
        # A share outside (0, 100] is not a share of a post; say so below.
        decision.share_percent = share if 0 < share <= 100 else None
        tail = plain[function.end() :]
        grade = GRADE_RE.match(tail)
        if grade:
            if grade["eg"]:
                decision.pay_grade = f"EG {grade['eg']}"
            else:
                decision.pay_grade = f"{grade['other']} {grade['num']}"
            if grade["scheme"]:
                decision.pay_scheme = _scheme(grade["scheme"])
            elif grade["other"] in ("A", "B", "W"):
                decision.pay_scheme = PayScheme.CIVIL_SERVANT
            tail = tail[grade.end() :]
        dept = DEPARTMENT_RE.match(tail)
        if dept:
            decision.department = squash(dept["d"])
    missing = [
        label
        for label, value in [
            (_("bewilligende Drucksache"), decision.granted_by),
            (_("bisherige Befristung"), decision.old_until),
            (
                _("neue Befristung"),
                decision.new_until
                or decision.action == PositionDecision.Action.MADE_PERMANENT,
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
        warnings.append(
            problem(
                Code.POSITION_INCOMPLETE,
                _(
                    "Ziff. %(n)s: Stellenentscheidung erkannt, aber nicht gefunden: "
                    "%(missing)s."
                )
                % {"n": item.number, "missing": ", ".join(missing)},
                item.line,
            )
        )
    return decision
