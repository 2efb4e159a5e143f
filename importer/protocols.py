"""Record what a protocol says, as a clerk would by hand, in one transaction.

`protocol_import(draft=…)` finds the paper (or makes a stub), finds or makes the
meeting, and sets the result of the paper's consultation in that meeting (result,
decision sentence, vote counts, minutes number and TOP) and of the earlier
consultations the protocol names, where the paper's Beratungsfolge has them.
Everything else follows from those rows: the paper's state, the position
decisions in force and the Beschlusskontrolle read the same consultations as
after a hand-entered result. Every row is saved with `save()`, so the audit trail
records each change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from audit.history import acting_as
from council.models import Committee, Consultation, Meeting, Paper, ResolutionItem
from operations import formats

from .reading.outcomes import Votes
from .reading.protocol import ProtocolDraft
from .reading.references import PaperRef

# The committee look-ups and the batch memo of the paper import, shared so that a
# batch reads the committees once and a failed import forgets what it made.
from .services import _forget, _get_committee, find_committee, import_batch

logger = logging.getLogger(__name__)

Result = Consultation.Result
Role = Consultation.Role


class ProtocolImportError(Exception):
    """The protocol cannot be recorded; the messages are for the clerk."""

    def __init__(self, messages):
        if isinstance(messages, str):
            messages = [messages]
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass
class ProtocolRecord:
    """What recording did, for the clerk and the command's report."""

    # None for an item without a paper: nothing was recorded.
    meeting: Meeting | None
    meeting_created: bool = False
    papers: list[Paper] = field(default_factory=list)
    stubs_created: list[Paper] = field(default_factory=list)
    # The consultation of each paper in this meeting.
    consultations: list[Consultation] = field(default_factory=list)
    earlier_updated: list[Consultation] = field(default_factory=list)
    items_changed: list[ResolutionItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def protocol_import(
    *, draft: ProtocolDraft, item_outcomes=None, create_stubs=True, user=None
) -> ProtocolRecord:
    """Record `draft` with everything it names, or nothing.

    item_outcomes maps an item number (or a pair of the paper as printed,
    "532/2017", and an item number) to a ResolutionItem.Outcome the clerk chose;
    without it, items the decision names as changed become "geändert beschlossen"
    (or "abgelehnt" where struck out). A paper not in the register becomes a stub
    with the protocol's subject, unless create_stubs is False. Every row written
    gets its version in the audit trail for `user` (else the account "system"),
    "Import aus Niederschrift".
    """
    try:
        return _protocol_import(
            draft=draft,
            item_outcomes=item_outcomes,
            create_stubs=create_stubs,
            user=user,
        )
    except IntegrityError as exc:
        # Raised out of the atomic block: its savepoint is rolled back.
        logger.info("Protocol import collided: %s", exc)
        raise ProtocolImportError(
            _(
                "Die Niederschrift konnte nicht erfasst werden, weil gleichzeitig "
                "jemand anderes dieselbe Drucksache geändert hat. Bitte erneut "
                "versuchen."
            )
        ) from exc


@transaction.atomic
def _protocol_import(*, draft, item_outcomes, create_stubs, user):
    if draft.errors:
        raise ProtocolImportError([e.message for e in draft.errors])
    # Committees are read once per import (or once per batch of imports); the
    # batch records for "system" unless told whom, so the actor comes inside it.
    with import_batch(), acting_as(user, reason=_("Import aus Niederschrift")):
        try:
            return _record(draft, item_outcomes, create_stubs)
        except ValidationError as exc:
            _forget()
            raise ProtocolImportError(exc.messages) from exc
        except DatabaseError as exc:
            _forget()
            if isinstance(exc, IntegrityError):
                raise
            # The database's own text is English and technical: logged, not shown.
            logger.exception("Protocol import failed")
            raise ProtocolImportError(
                _(
                    "Die Niederschrift konnte wegen eines Datenbankfehlers nicht "
                    "erfasst werden; es wurde nichts übernommen."
                )
            ) from exc
        except BaseException:
            _forget()
            raise


def _record(draft, item_outcomes, create_stubs):
    if not draft.papers:
        # An item without a paper: nothing to record it on, not even a meeting.
        return ProtocolRecord(
            meeting=None,
            notes=[_("Die Niederschrift nennt keine Drucksache; nichts erfasst.")],
        )
    committee = _get_committee(draft.committee)
    # One meeting per committee and day, also when two clerks record at once.
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    public = draft.public is not False
    meeting, created = _meeting(committee, draft.meeting_date, public)
    record = ProtocolRecord(meeting=meeting, meeting_created=created)
    if draft.public is None:
        record.notes.append(
            _(
                "Ob die Sitzung öffentlich war, steht nicht im Text; sie wird als "
                "nichtöffentlich erfasst."
            )
        )
    for ref in draft.papers:
        paper, stub = _paper(ref, draft, create_stubs)
        record.papers.append(paper)
        if stub:
            record.stubs_created.append(paper)
            record.notes.append(
                _("GRDrs %(paper)s war nicht erfasst und ist als Platzhalter angelegt.")
                % {"paper": ref}
            )
        steps = list(paper.consultations.select_related("committee"))
        if stub:
            steps = _stub_steps(paper, draft)
        step = _this_meeting(paper, steps, committee, meeting, draft, record)
        record.consultations.append(step)
        _earlier(paper, steps, step, draft, record)
        _items(paper, ref, step, draft, item_outcomes, record)
    return record


def _meeting(committee, day, public):
    meeting = (
        Meeting.objects.filter(committee=committee, date=day).order_by("pk").first()
    )
    if meeting is not None:
        return meeting, False
    return Meeting.objects.create(committee=committee, date=day, is_public=public), True


def _paper(ref: PaperRef, draft, create_stubs):
    paper = (
        Paper.objects.select_for_update()
        .filter(number=ref.number, year=ref.year, suffix=ref.suffix)
        .first()
    )
    if paper is not None:
        return paper, False
    if not create_stubs:
        raise ProtocolImportError(
            _("GRDrs %(paper)s ist nicht erfasst.") % {"paper": ref}
        )
    paper = Paper.objects.create(
        number=ref.number,
        year=ref.year,
        suffix=ref.suffix,
        title=draft.header.subject or "",
        file_reference=(draft.header.file_reference or "")[:50],
        is_stub=True,
        # A paper known only from a closed session stays closed.
        is_public=draft.public is True,
    )
    return paper, True


def _stub_steps(paper, draft):
    """A new stub's Beratungsfolge: the earlier consultations, as printed."""
    steps = []
    for order, earlier in enumerate(draft.earlier_consultations, start=1):
        steps.append(
            Consultation(
                paper=paper,
                order=order,
                committee=_get_committee(earlier.committee),
                date=earlier.date,
                role=Role.DELIBERATION,
                is_public=earlier.public is not False,
            )
        )
    for step in steps:
        step.save()
    return steps


def _role(committee, draft):
    sentence = (draft.decision.sentence if draft.decision else "").casefold()
    if "empfiehlt" in sentence or "empfehlen" in sentence:
        return Role.PRELIMINARY
    if committee.kind == Committee.Kind.COUNCIL or "beschlie" in sentence:
        return Role.DECISION
    return Role.DELIBERATION


def _matching(steps, committee, day, *, meeting=None):
    """The step of this committee on this day; else one not yet dated."""
    same = [s for s in steps if s.committee_id == committee.pk]
    for step in same:
        if step.date == day or (meeting is not None and step.meeting_id == meeting.pk):
            return step
    for step in same:
        if step.date is None:
            return step
    return None


def _this_meeting(paper, steps, committee, meeting, draft, record):
    step = _matching(steps, committee, meeting.date, meeting=meeting)
    if step is None:
        # A step still open in this committee (its date moved, or it was
        # printed without one): this meeting is where it was settled.
        step = next(
            (
                s
                for s in steps
                if s.committee_id == committee.pk and s.result == Result.OPEN
            ),
            None,
        )
        if step is not None and step.date:
            record.notes.append(
                _(
                    "GRDrs %(paper)s: die Beratung im %(committee)s war für den "
                    "%(old)s vorgesehen; erfasst ist sie jetzt am %(new)s."
                )
                % {
                    "paper": paper.reference,
                    "committee": committee.name,
                    "old": formats.date(step.date),
                    "new": formats.date(meeting.date),
                }
            )
    if step is None:
        step = _insert_step(paper, steps, committee, meeting.date, draft)
        record.notes.append(
            _(
                "GRDrs %(paper)s: die Beratungsfolge hatte keine Beratung im "
                "%(committee)s am %(date)s; sie ist ergänzt (%(role)s)."
            )
            % {
                "paper": paper.reference,
                "committee": committee.name,
                "date": formats.date(meeting.date),
                "role": step.get_role_display(),
            }
        )
    decision = draft.decision
    step.meeting = meeting
    step.date = meeting.date
    step.is_public = draft.public is not False
    step.minutes_number = draft.header.minutes_number or ""
    step.agenda_number = draft.header.top or ""
    if draft.result is not None:
        _note_overwrite(paper, step, draft.result, record)
        step.result = draft.result
    if decision is not None:
        step.result_note = decision.sentence
        if decision.item_votes:
            # Voted item by item: the counts belong to the items (_items).
            _votes(step, Votes(note=_("je Ziffer abgestimmt")))
        else:
            _votes(step, decision.votes)
    elif draft.result is not None and draft.header.subject_marker:
        step.result_note = draft.header.subject_marker
    step.clean_fields(exclude=["paper", "committee", "meeting"])
    step.save()
    return step


def _insert_step(paper, steps, committee, day, draft):
    """A new step in date order; the later steps move down by one."""
    later = sorted(
        (s for s in steps if s.date is not None and s.date > day),
        key=lambda s: s.order,
    )
    if later:
        order = later[0].order
        # From the end, so that no two steps ever share an order.
        for step in sorted(
            (s for s in steps if s.order >= order), key=lambda s: -s.order
        ):
            step.order += 1
            step.save(update_fields=["order", "modified"])
    else:
        last = paper.consultations.aggregate(last=Max("order"))["last"] or 0
        order = last + 1
    step = Consultation(
        paper=paper,
        order=order,
        committee=committee,
        date=day,
        role=_role(committee, draft),
    )
    steps.append(step)
    return step


def _note_overwrite(paper, step, result, record):
    if step.pk and step.result not in (Result.OPEN, result):
        record.notes.append(
            _(
                "GRDrs %(paper)s, %(committee)s: das erfasste Ergebnis "
                "„%(old)s“ ist durch „%(new)s“ aus der Niederschrift ersetzt."
            )
            % {
                "paper": paper.reference,
                "committee": step.committee.name,
                "old": Result(step.result).label,
                "new": result.label,
            }
        )


def _votes(step, votes):
    """The counts of `votes` on a consultation or an item (the same fields)."""
    if votes.several:
        return
    step.votes_yes, step.votes_no, step.votes_abstain = (
        votes.yes,
        votes.no,
        votes.abstain,
    )
    step.vote_note = votes.note[:60]


def _earlier(paper, steps, current, draft, record):
    for earlier in draft.earlier_consultations:
        committee = find_committee(earlier.committee)
        step = None
        if committee is not None and earlier.date is not None:
            step = _matching(
                [s for s in steps if s.pk != current.pk], committee, earlier.date
            )
        if step is None:
            record.notes.append(
                _(
                    "GRDrs %(paper)s: die Beratung im %(committee)s am %(date)s "
                    "steht nicht in der Beratungsfolge; ihr Ergebnis ist nicht "
                    "erfasst."
                )
                % {
                    "paper": paper.reference,
                    "committee": earlier.committee,
                    "date": formats.date(earlier.date) if earlier.date else "?",
                }
            )
            continue
        if earlier.public is not None:
            step.is_public = earlier.public
        meeting, _created = _meeting(committee, earlier.date, step.is_public)
        step.meeting, step.date = meeting, earlier.date
        if earlier.number:
            step.minutes_number = earlier.number[:20]
        if earlier.result is not None:
            _note_overwrite(paper, step, earlier.result, record)
            step.result = earlier.result
        if earlier.result_text:
            step.result_note = earlier.result_text
            _votes(step, earlier.votes)
        step.clean_fields(exclude=["paper", "committee", "meeting"])
        step.save()
        record.earlier_updated.append(step)


def _items(paper, ref, step, draft, item_outcomes, record):
    """Items the decision changed, where this meeting decided the paper; and the
    outcomes the clerk chose ({number: Outcome}, or {(paper, number): Outcome}
    where a protocol names several papers)."""
    outcomes = {}
    votes = {}
    if draft.decision is not None and step.role == Role.DECISION:
        for change in draft.decision.changed_items:
            if change.outcome is not None:
                outcomes[change.number] = change.outcome
        votes = draft.decision.item_votes
    for key, outcome in (item_outcomes or {}).items():
        if isinstance(key, tuple):
            reference, number = key
            if reference != str(ref):
                continue
        else:
            number = key
        outcomes[number] = outcome
    if not outcomes and not votes:
        return
    numbers = set(outcomes) | set(votes)
    items = {item.number: item for item in paper.items.filter(number__in=numbers)}
    for number in sorted(numbers):
        item = items.get(number)
        if item is None:
            record.notes.append(
                _("GRDrs %(paper)s hat keine Ziffer %(number)s.")
                % {"paper": paper.reference, "number": number}
            )
            continue
        changed = []
        outcome = outcomes.get(number)
        if outcome is not None and item.outcome != outcome:
            item.outcome = outcome
            changed.append("outcome")
        if number in votes:
            before = _vote_values(item)
            _votes(item, votes[number])
            if _vote_values(item) != before:
                changed += list(VOTE_FIELDS)
        if changed:
            item.save(update_fields=[*changed, "modified"])
            record.items_changed.append(item)


VOTE_FIELDS = ("votes_yes", "votes_no", "votes_abstain", "vote_note")


def _vote_values(row):
    return tuple(getattr(row, name) for name in VOTE_FIELDS)
