"""A protocol (Niederschrift) read as a whole: its parts, checked against each other.

`read_protocol(text)` is a pure function: text in, a `ProtocolDraft` with warnings
and errors out. Errors are what recording cannot do without (the committee, the
meeting date); warnings what a clerk should look at (an item without a paper has
nothing to record). Only text that is no protocol at all raises `ReadError`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from operations import formats

from .dates import settle
from .decision import Decision, Deliberation, read_decision
from .document import looks_like_paper
from .earlier_consultations import EarlierConsultation, read_earlier_consultations
from .outcomes import Result, map_result
from .pages import without_furniture
from .protocol_basis import Basis, read_basis
from .protocol_header import ProtocolHeader, is_protocol, read_protocol_header
from .references import PaperRef
from .text import Problem, ReadError, prepare, shorten


@dataclass
class ProtocolDraft:
    """Everything read from one protocol; `None` where the text does not say."""

    header: ProtocolHeader
    earlier_consultations: list[EarlierConsultation] = field(default_factory=list)
    basis: Basis | None = None
    deliberation: Deliberation = field(default_factory=Deliberation)
    meeting_date: datetime.date | None = None
    # What the meeting decided: from the decision, else from a marker such as
    # "- Zurückstellung -" under the subject; None where the text does not say.
    result: Result | None = None
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    @property
    def committee(self) -> str | None:
        return self.header.committee

    @property
    def papers(self) -> list[PaperRef]:
        return self.header.papers

    @property
    def public(self) -> bool | None:
        return self.header.public

    @property
    def decision(self) -> Decision | None:
        return self.deliberation.decision

    def as_json(self):
        """The stable interface of `import_niederschriften --format json`."""

        def iso(value):
            return value.isoformat() if value else None

        head = self.header
        return {
            "committee": head.committee,
            "meeting_date": iso(self.meeting_date),
            "public": head.public,
            "minutes_number": head.minutes_number,
            "top": head.top,
            "papers": [str(paper) for paper in head.papers],
            "file_reference": head.file_reference,
            "subject": head.subject,
            "previous_consultations": [
                {
                    "committee": step.committee,
                    "date": iso(step.date),
                    "public": step.public,
                    "number": step.number,
                    "result": step.result_text,
                }
                for step in self.earlier_consultations
            ],
            "result": self.decision.sentence if self.decision else None,
        }


def read_protocol(text: str) -> ProtocolDraft:
    """Read a protocol; raises ReadError only for text that is no protocol."""
    lines, removed = prepare(text)
    if not is_protocol(lines):
        if looks_like_paper(lines):
            raise ReadError(
                _(
                    "Der Text ist eine Vorlage (GRDrs), keine Niederschrift; bitte "
                    "als Vorlage einlesen (import_vorlagen)."
                )
            )
        raise ReadError(
            _(
                "Der Text ist keine Niederschrift: am Anfang fehlen „Protokoll:“ "
                "oder „Niederschrift Nr.“ und „TOP:“."
            )
        )
    head = read_protocol_header(lines)
    # The body without page numbers and repeated heads; `numbers` names each of
    # its lines as printed.
    body, numbers = without_furniture(lines, head.next)
    earlier = read_earlier_consultations(body, 0)
    basis = read_basis(body, earlier.next)
    deliberation = read_decision(body, earlier.next)
    _renumber(numbers, earlier, basis, deliberation)
    draft = ProtocolDraft(
        header=head.value,
        earlier_consultations=earlier.value,
        basis=basis.value,
        deliberation=deliberation.value,
        warnings=[*removed, *head.warnings, *earlier.warnings, *basis.warnings],
    )
    _check(draft, head.value, len(lines))
    draft.warnings.extend(deliberation.warnings)
    return draft


def _renumber(numbers, earlier, basis, deliberation):
    """Line numbers of the body's readers as the lines of the whole text."""

    def line(n):
        return numbers[n - 1] if n and n <= len(numbers) else n

    for problem in [*earlier.warnings, *basis.warnings, *deliberation.warnings]:
        problem.line = line(problem.line)
    for step in earlier.value:
        step.line = line(step.line)
    if basis.value is not None:
        basis.value.line = line(basis.value.line)
    decision = deliberation.value.decision
    if decision is not None:
        decision.line = line(decision.line)
    for mention in deliberation.value.mentioned_changes:
        mention.line = line(mention.line)


def _check(draft: ProtocolDraft, head: ProtocolHeader, line_count: int):
    """What only the parts together tell: the meeting date, papers, the result."""
    line = head.lines.get

    if not head.committee:
        draft.errors.append(Problem(_("Das Gremium der Niederschrift fehlt."), 1))
    earlier = [step.date for step in draft.earlier_consultations if step.date]
    if draft.basis and draft.basis.date:
        earlier.append(draft.basis.date)
    draft.meeting_date, problems = settle(
        head.meeting_date,
        not_before=max(earlier, default=None),
        what=_("Der Sitzungstermin"),
        line=line("date"),
    )
    draft.warnings.extend(problems)
    if draft.meeting_date is None:
        draft.errors.append(
            Problem(_("Ohne gültigen Sitzungstermin kann nichts erfasst werden."))
        )
    if not head.papers:
        # An item without a paper (a report, a motion): read, nothing to record.
        draft.warnings.append(
            Problem(
                _(
                    "Die Niederschrift nennt keine Drucksache; es gibt nichts, bei "
                    "dem ihr Ergebnis erfasst werden könnte."
                ),
                line("paper"),
            )
        )
    elif draft.meeting_date:
        for paper in head.papers:
            if draft.meeting_date.year < paper.year:
                draft.warnings.append(
                    Problem(
                        _(
                            "Der Sitzungstermin %(date)s liegt vor dem Jahr der "
                            "Drucksache %(paper)s."
                        )
                        % {"date": formats.date(draft.meeting_date), "paper": paper},
                        line("date"),
                    )
                )
    if draft.basis and draft.basis.papers and head.papers:
        named = set(head.papers)
        for cited in draft.basis.papers:
            if cited not in named:
                draft.warnings.append(
                    Problem(
                        _(
                            "Die Beratungsunterlage nennt GRDrs %(cited)s, der Kopf "
                            "%(head)s; erfasst wird die Drucksache aus dem Kopf."
                        )
                        % {
                            "cited": cited,
                            "head": ", ".join(str(p) for p in head.papers),
                        },
                        draft.basis.line,
                    )
                )
    _result(draft, head, line_count)


def _result(draft, head, line_count):
    decision = draft.decision
    marker = map_result(head.subject_marker) if head.subject_marker else None
    if decision is None:
        if marker is not None:
            draft.result = marker
            draft.warnings.append(
                Problem(
                    _(
                        "Kein Beschluss im Text; das Ergebnis „%(result)s“ folgt aus "
                        "„- %(marker)s -“ im Betreff."
                    )
                    % {"result": marker.label, "marker": head.subject_marker},
                    head.lines.get("subject"),
                )
            )
        else:
            draft.warnings.append(
                Problem(
                    _(
                        "Der Text endet vor dem Beschluss (kein „… stellt fest:“ und "
                        "kein Beschlusssatz); das Ergebnis dieser Sitzung bleibt "
                        "offen."
                    ),
                    line_count,
                )
            )
    else:
        draft.result = decision.result
        if decision.result is None:
            draft.warnings.append(
                Problem(
                    _(
                        "Der Beschluss „%(text)s“ entspricht keinem bekannten "
                        "Ergebnis; er wird nur als Anmerkung übernommen."
                    )
                    % {"text": shorten(decision.sentence)},
                    decision.line,
                )
            )
        if decision.own_wording:
            draft.warnings.append(
                Problem(
                    _(
                        "Der Beschluss gibt einen eigenen Wortlaut der Ziffern; "
                        "erfasst als „zugestimmt“. Bitte mit dem Beschlussantrag "
                        "vergleichen und geänderte Ziffern als „geändert "
                        "beschlossen“ markieren."
                    ),
                    decision.line,
                )
            )
        if not decision.announced:
            draft.warnings.append(
                Problem(
                    _(
                        "Kein „… stellt fest:“ vor dem Beschluss; als Beschluss "
                        "gelesen: „%(text)s“."
                    )
                    % {"text": shorten(decision.sentence)},
                    decision.line,
                )
            )
        if marker is not None and marker != decision.result:
            draft.warnings.append(
                Problem(
                    _(
                        "Der Betreff sagt „- %(marker)s -“, der Beschluss etwas "
                        "anderes; bitte prüfen."
                    )
                    % {"marker": head.subject_marker},
                    decision.line,
                )
            )
        if decision.item_votes:
            draft.warnings.append(
                Problem(
                    _(
                        "Der Beschluss nennt verschiedene Stimmenzahlen je Ziffer "
                        "(%(items)s); sie werden bei den Ziffern erfasst, nicht als "
                        "Abstimmung über die ganze Vorlage."
                    )
                    % {"items": ", ".join(str(n) for n in sorted(decision.item_votes))},
                    decision.line,
                )
            )
        elif decision.votes.several:
            draft.warnings.append(
                Problem(
                    _(
                        "Der Beschluss nennt verschiedene Stimmenzahlen (je Ziffer?); "
                        "sie werden nicht übernommen."
                    ),
                    decision.line,
                )
            )
    for mention in draft.deliberation.mentioned_changes:
        change = mention.change
        draft.warnings.append(
            Problem(
                _(
                    "Ziffer %(number)s laut Beratung %(change)s („%(printed)s“); "
                    "bitte das Ergebnis dieser Ziffer prüfen."
                )
                % {
                    "number": change.number,
                    "change": change.change,
                    "printed": shorten(change.printed),
                },
                mention.line,
            )
        )
