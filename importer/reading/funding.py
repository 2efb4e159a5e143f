"""Funding from "Finanzielle Auswirkungen": tables, revenues in prose, split totals.

Tables are introduced by a sentence ending in `:` (years, purposes, amounts printed
column by column, `THH 290` lines and bullets); budget codes come from that
sentence, the budget status from its wording. Revenues are read from sentences
(`zu erwartende Landeserstattung für das Jahr 2020 in Höhe von rd. 3.270 TEUR`),
posts an amount finances from `3.270 TEUR zur Finanzierung von 51,1 Stellen`, and
the split of a year's total from `… in Höhe von …, zuzüglich … in Höhe von …,
insgesamt …` wherever the text gives it. Amounts become exact decimals in euro.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, replace
from decimal import Decimal

from django.utils.translation import gettext as _

from funding.models import FundingLine
from operations import formats

from .paper_draft import (
    BudgetCodeDraft,
    Code,
    FundingLineDraft,
    ItemDraft,
    PositionDecisionDraft,
    SectionDraft,
    problem,
)
from .paper_source import Source
from .text import Problem, Read, squash

FINANCIAL = "Finanzielle Auswirkungen"
AMOUNT = (
    r"(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d+))?\s*"
    r"(?P<unit>TEUR|T€|Tsd\.?\s*(?:EUR|€)|Mio\.?\s*(?:EUR|€)|EUR|€)"
)
AMOUNT_RE = re.compile(AMOUNT)
AMOUNT_LINE_RE = re.compile(rf"^(?:rd\.\s*)?{AMOUNT}$")
YEAR_LINE_RE = re.compile(r"^(?:19|20)\d{2}$")
BULLET_RE = re.compile(r"^[·•▪\-–*]\s+(.*)$")
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
# An amount starts where no digit stands before it: otherwise each digit of a long
# run of digits would be tried as a start, each reading the run to its end.
AMOUNT_START = r"(?<!\d)"

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


def parse_amount(match):
    """Decimal euro from a match of AMOUNT: `3.505 TEUR` → 3505000.00."""
    value = Decimal(match["int"].replace(".", "") + "." + (match["frac"] or "0"))
    unit = match["unit"].replace(" ", "")
    if unit in ("TEUR", "T€") or unit.startswith("Tsd"):
        value *= 1000
    elif unit.startswith("Mio"):
        value *= 1_000_000
    return value.quantize(Decimal("0.01"))


def _warn(warnings, code, message, line=None):
    warnings.append(problem(code, message, line))


def read_funding(
    src: Source,
    sections: list[SectionDraft],
    items: list[ItemDraft],
    decisions: list[PositionDecisionDraft],
    signed_by_line: int | None,
) -> Read[list[FundingLineDraft]]:
    """The lines of "Finanzielle Auswirkungen" (up to the signature), linked to
    the items and position decisions already read."""
    lines: list[FundingLineDraft] = []
    warnings: list[Problem] = []
    section = next((s for s in sections if s.heading == FINANCIAL), None)
    if section is None:
        return Read(lines, warnings)
    first = section.line  # heading line (1-based) → body starts after it
    stop = next(
        (s.line - 1 for s in sections if s.line > section.line),
        len(src.lines),
    )
    if signed_by_line is not None:
        stop = min(stop, signed_by_line - 1)
    indices = list(range(first, min(stop, len(src.lines))))
    _funding_tables(src, indices, lines, warnings)
    _funding_prose(src, indices, lines)
    _link_funding(lines, items, decisions)
    _funded_posts(src, lines)
    _funding_splits(src, lines, warnings)
    _revenue_units(lines)
    return Read(lines, warnings)


def _classify(src, i):
    line = src.lines[i]
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
    if src.raw[i][:1].isspace():
        return "indented"
    return "text"


def _funding_tables(src, indices, lines, warnings):
    kinds = {i: _classify(src, i) for i in indices}
    k = 0
    while k < len(indices):
        i = indices[k]
        if kinds[i] != "text":
            k += 1
            continue
        # A run of text lines is an intro when it ends with a colon.
        run = [i]
        while k + len(run) < len(indices) and kinds[indices[k + len(run)]] == "text":
            run.append(indices[k + len(run)])
        intro = squash(" ".join(src.lines[j] for j in run))
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
            elif kind == "text" and (seen_amount or src.lines[j].endswith(":")):
                break
            body.append(j)
            k += 1
        _funding_table(src, run, intro, body, kinds, lines, warnings)


def _funding_table(src, run, intro, body, kinds, lines, warnings):
    line = run[0] + 1
    if re.search(r"noch\s+keine|nicht\s+veranschlagt|noch\s+nicht", intro):
        status = FundingLine.BudgetStatus.NOT_BUDGETED
    elif "Änderungsliste" in intro:
        status = FundingLine.BudgetStatus.CHANGE_LIST
    elif re.search(r"veranschlagt|vorgesehen|eingeplant|enthalten", intro):
        status = FundingLine.BudgetStatus.BUDGETED
    else:
        status = FundingLine.BudgetStatus.NOT_BUDGETED
        _warn(
            warnings,
            Code.BUDGET_STATUS_UNKNOWN,
            _(
                "Haushaltsstand der Beträge nicht erkannt; als „noch nicht "
                "veranschlagt“ übernommen, bitte prüfen."
            ),
            line,
        )
    units = {
        m[1]: squash(m[2]).strip(" -–")
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
        "account_group": re.search(r"Kontengruppe\s+(\d+)\s*[-–]\s*([^,:]+)", intro),
    }
    years = [int(src.lines[j]) for j in body if kinds[j] == "year"]
    amounts = [
        (j, parse_amount(AMOUNT_LINE_RE.match(src.lines[j])))
        for j in body
        if kinds[j] == "amount"
    ]
    purposes = []  # (line index, text, unit number)
    unit = next(iter(units)) if len(units) == 1 else None
    has_bullets = any(kinds[j] == "bullet" for j in body)
    for j in body:
        kind = kinds[j]
        text = src.lines[j]
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
        _warn(
            warnings,
            Code.TABLE_AMBIGUOUS,
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
            lines.append(
                FundingLineDraft(
                    purpose=squash(purpose),
                    year=year,
                    amount=amount,
                    direction=FundingLine.Direction.EXPENSE,
                    source=FundingLine.Source.CITY,
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


def _funding_prose(src, indices, lines):
    text = "\n".join(src.raw[i] for i in indices)
    offset0 = src.starts[indices[0]] if indices else 0
    seen = {
        (f.year, f.amount)
        for f in lines
        if f.direction == FundingLine.Direction.REVENUE
    }
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
            source = FundingLine.Source.STATE
        elif "Bund" in purpose:
            source = FundingLine.Source.FEDERAL
        else:
            source = FundingLine.Source.THIRD_PARTY
        k = bisect.bisect_left(negation_starts, sentence_start)
        status = (
            FundingLine.BudgetStatus.NOT_BUDGETED
            if k < len(negations) and negations[k][1] <= match.end()
            else FundingLine.BudgetStatus.BUDGETED
        )
        lines.append(
            FundingLineDraft(
                purpose=purpose[0].upper() + purpose[1:],
                year=year,
                amount=amount,
                direction=FundingLine.Direction.REVENUE,
                source=source,
                budget_status=status,
                line=src.line_of(offset0 + match.start()),
            )
        )


def _link_funding(lines, items, decisions_read):
    """Tie each line to its position decision and item, where the text allows."""
    money_items = [
        i.number
        for i in items
        if re.search(r"Finanzierung|Finanzielle Auswirkungen|Mittel\b", i.text)
    ]
    decisions = {}  # (share, grade) → indices of the decisions
    for k, pd in enumerate(decisions_read):
        decisions.setdefault((pd.share_percent, pd.pay_grade), []).append(k)
    for line in lines:
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
                line.item = decisions_read[hits[0]].item
                continue
        if len(money_items) == 1:
            line.item = money_items[0]


def _funded_posts(src, lines):
    """`3.270 TEUR zur Finanzierung von 51,1 Stellen`: posts an amount pays for."""
    posts, purposes = {}, {}
    for match in re.finditer(
        rf"{AMOUNT_START}{AMOUNT}\s+(?:zur\s+)?Finanzierung\s+(?:von|der)\s+"
        r"(?P<posts>\d{1,4}(?:,\d{1,2})?)\s+(?:Vollzeit)?[Ss]tellen"
        r"(?:\s+(?P<what>für\s+(?:das|die|den)\s+[A-ZÄÖÜ][\wäöüß-]+))?",
        src.text,
    ):
        amount = parse_amount(match)
        posts.setdefault(amount, Decimal(match["posts"].replace(",", ".")))
        if match["what"]:
            purposes.setdefault(amount, match["what"])
    for line in lines:
        if line.amount in posts and line.direction == FundingLine.Direction.REVENUE:
            line.funded_posts = posts[line.amount]
            what = purposes.get(line.amount)
            if what and " für " not in line.purpose:
                line.purpose = f"{line.purpose} {what}"


def _funding_splits(src, lines, warnings):
    """`… in Höhe von 3.270 TEUR, zuzüglich … in Höhe von 235 TEUR, insgesamt
    3.505 TEUR`: the parts of a year's total, saved as lines `part_of` it."""
    text = src.text
    # The first line of each year and amount that is a total, not a part.
    totals = {}
    for k, f in enumerate(lines):
        if f.direction == FundingLine.Direction.EXPENSE and f.part_of is None:
            totals.setdefault((f.year, f.amount), k)
    split = {(f.part_of, f.amount) for f in lines if f.part_of is not None}
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
        line = src.line_of(start + 1)
        total = parse_amount(match)
        amounts = [parse_amount(p) for p in parts]
        year = re.search(r"(?:im|für\s+das)\s+Jahr\s+((?:19|20)\d{2})", sentence)
        if sum(amounts) != total:
            _warn(
                warnings,
                Code.SPLIT_DOES_NOT_ADD_UP,
                _(
                    "Die Teilbeträge ergeben nicht die genannte Summe "
                    "%(total)s €; Aufteilung nicht übernommen."
                )
                % {"total": formats.number(total, 2)},
                line,
            )
            continue
        whole = totals.get((int(year[1]), total)) if year else None
        if whole is None:
            _warn(
                warnings,
                Code.SPLIT_WITHOUT_TOTAL,
                _(
                    "Aufteilung einer Summe gefunden, aber kein Betrag dieses "
                    "Jahres in den Finanziellen Auswirkungen passt dazu; nicht "
                    "übernommen."
                ),
                line,
            )
            continue
        parent = lines[whole]
        for part, amount in zip(parts, amounts, strict=True):
            purpose = _split_purpose(part["purpose"])
            if not purpose or (whole, amount) in split:
                continue
            split.add((whole, amount))
            posts = re.search(
                r"(\d{1,4}(?:,\d{1,2})?)\s+(?:Vollzeit)?[Ss]tellen", purpose
            )
            lines.append(
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


def _revenue_units(lines):
    """A refund for posts goes to the budget unit of the lines paying for them."""
    units_by_posts = {}  # funded posts → {unit number: unit} of the expenses
    for f in lines:
        if f.direction == FundingLine.Direction.EXPENSE and f.budget_unit:
            units_by_posts.setdefault(f.funded_posts, {})[f.budget_unit.number] = (
                f.budget_unit
            )
    for revenue in lines:
        if revenue.direction != FundingLine.Direction.REVENUE or revenue.budget_unit:
            continue
        if revenue.funded_posts is None:
            continue
        units = units_by_posts.get(revenue.funded_posts, {})
        if len(units) == 1:
            revenue.budget_unit = BudgetCodeDraft(**asdict(*units.values()))


def _split_purpose(text):
    """`, zuzüglich des städtischen Zuschusses für die Sachkosten` → what it pays."""
    text = squash(text).strip(" ,;")
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
    return BudgetCodeDraft(match[1], squash(name) if name else None)
