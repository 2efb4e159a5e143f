"""What recording a protocol would do, for the clerk's preview.

The preview is the recording itself, rolled back: `protocol_plan(draft, user)` runs
`protocol_import` inside a savepoint, reads what it wrote and rolls everything
back (rows, audit trail, OParl stamps). What the clerk sees is thus exactly what
confirming writes, and there is one piece of code that decides it, not two that
could disagree. A clerk who may not see all of what the protocol touches
(a non-public paper, step or session) is refused before anything runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from council.models import Consultation, Meeting, Paper, ResolutionItem
from council.visibility import FULL_RECORD, can_see_nonpublic

from .protocols import ProtocolImportError, protocol_import
from .reading.protocol import ProtocolDraft
from .services import find_committee

Result = Consultation.Result
Outcome = ResolutionItem.Outcome


@dataclass
class StepPlan:
    """One consultation of a paper's Beratungsfolge, before and after recording."""

    order: int
    committee: str
    role: str
    date: object
    public: bool
    result: str
    result_before: str | None
    result_note: str
    votes_yes: int | None
    votes_no: int | None
    votes_abstain: int | None
    vote_note: str
    minutes_number: str
    agenda_number: str
    meeting: str | None
    meeting_new: bool = False
    # The step of the protocol's own meeting.
    this_meeting: bool = False
    # Not in the Beratungsfolge before: recording adds it.
    inserted: bool = False
    changed: bool = False


@dataclass
class ItemPlan:
    """An item the protocol names as changed, for the clerk to mark its outcome."""

    paper: str
    number: int
    text: str
    outcome_before: str
    # What confirming records unless the clerk chooses otherwise.
    outcome: str
    # Where the protocol says so: "Sozial- und Gesundheitsausschuss: ergänzten
    # Beschlussantragsziffer 5".
    mentions: list[str] = field(default_factory=list)
    # The register has this item (an excerpt or a stub may lack it).
    known: bool = True
    # Its own vote, where the decision voted item by item (after recording).
    votes_yes: int | None = None
    votes_no: int | None = None
    votes_abstain: int | None = None
    vote_note: str = ""

    @property
    def field_name(self):
        return item_field_name(self.paper, self.number)


@dataclass
class PaperPlan:
    reference: str
    title: str
    exists: bool
    stub: bool
    url: str | None = None
    steps: list[StepPlan] = field(default_factory=list)
    items: list[ItemPlan] = field(default_factory=list)


@dataclass
class ProtocolPlan:
    draft: ProtocolDraft
    papers: list[PaperPlan] = field(default_factory=list)
    committee_new: bool = False
    meeting_new: bool = False
    # Papers not in the register: recorded only as stubs, if the clerk agrees.
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Recording would fail: nothing can be confirmed.
    errors: list[str] = field(default_factory=list)
    # The clerk may not see what this protocol touches.
    refused: str | None = None
    # A digest of the rows the preview showed (audit of a stale confirm).
    version: str = ""

    @property
    def items(self):
        """The changed items the clerk can mark (those the register has)."""
        return [item for paper in self.papers for item in paper.items if item.known]


def item_field_name(reference, number):
    """The confirm form's field of an item ("item_532-2017_5")."""
    key = "".join(c if c.isalnum() else "-" for c in str(reference))
    return f"item_{key}_{number}"


def _existing_papers(draft):
    found = {}
    for ref in draft.papers:
        paper = Paper.objects.filter(
            number=ref.number, year=ref.year, suffix=ref.suffix
        ).first()
        if paper is not None:
            found[str(ref)] = paper
    return found


def refusal(draft, papers, user):
    """A German message if `user` may not see everything the protocol touches."""
    if can_see_nonpublic(user):
        return None
    pks = [paper.pk for paper in papers.values()]
    visible = set(
        Paper.objects.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True)
    )
    steps = Consultation.objects.filter(paper__in=pks)
    hidden_steps = steps.count() != steps.visible_to(user).count()
    if (
        len(visible) != len(pks)
        or hidden_steps
        or draft.public is not True
        or any(e.public is False for e in draft.earlier_consultations)
    ):
        return _(
            "Die Niederschrift betrifft nichtöffentliche Sitzungen oder Drucksachen. "
            "Nur wer nichtöffentliche Einträge sehen darf, kann sie erfassen."
        )
    return None


def state_version(papers):
    """A digest of the rows recording would change, as they are now.

    A confirm whose preview showed other rows (someone recorded a result in
    between) is refused and previewed anew.
    """
    pks = sorted(paper.pk for paper in papers.values())
    rows = [
        list(Paper.objects.filter(pk__in=pks).values_list("pk", "modified")),
        list(
            Consultation.objects.filter(paper__in=pks)
            .order_by("pk")
            .values_list("pk", "modified")
        ),
        list(
            ResolutionItem.objects.filter(paper__in=pks)
            .order_by("pk")
            .values_list("pk", "modified")
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def _mentions(draft):
    """{item number: [where the protocol names it as changed]}."""
    mentions: dict[int, list[str]] = {}
    for earlier in draft.earlier_consultations:
        for change in earlier.changed_items:
            mentions.setdefault(change.number, []).append(
                f"{earlier.committee}: {change.printed}"
            )
    if draft.decision is not None:
        for change in draft.decision.changed_items:
            mentions.setdefault(change.number, []).append(
                _("Beschluss: %(text)s") % {"text": change.printed}
            )
    for mention in draft.deliberation.mentioned_changes:
        change = mention.change
        mentions.setdefault(change.number, []).append(
            _("Beratung (Zeile %(line)s): %(text)s")
            % {"line": mention.line, "text": change.printed}
        )
    if draft.decision is not None:
        for number in draft.decision.item_votes:
            mentions.setdefault(number, []).append(_("Beschluss: eigene Abstimmung"))
    return mentions


def protocol_plan(
    draft: ProtocolDraft, user=None, *, item_outcomes=None, create_stubs=True
) -> ProtocolPlan:
    """What confirming `draft` records, without saving anything.

    `user`: the clerk who would confirm (what they may see, whom the trail would
    name); None for the system, which sees the full record.
    """
    plan = ProtocolPlan(draft)
    papers = _existing_papers(draft)
    plan.refused = refusal(draft, papers, FULL_RECORD if user is None else user)
    if plan.refused:
        return plan
    plan.missing = [str(ref) for ref in draft.papers if str(ref) not in papers]
    plan.version = state_version(papers)
    if draft.errors:
        plan.errors = [problem.message for problem in draft.errors]
        return plan
    plan.committee_new = (
        bool(draft.committee) and find_committee(draft.committee) is None
    )
    before_steps = {
        step.pk: step for step in Consultation.objects.filter(paper__in=papers.values())
    }
    before_items = {
        (item.paper_id, item.number): item
        for item in ResolutionItem.objects.filter(paper__in=papers.values())
    }
    dates = {draft.meeting_date} | {
        e.date for e in draft.earlier_consultations if e.date is not None
    }
    meetings_before = set(
        Meeting.objects.filter(date__in=dates).values_list("pk", flat=True)
    )
    mentions = _mentions(draft)
    try:
        with transaction.atomic():
            record = protocol_import(
                draft=draft,
                item_outcomes=item_outcomes,
                create_stubs=create_stubs,
                user=user,
            )
            plan.notes = list(record.notes)
            plan.meeting_new = record.meeting_created
            for ref, paper, step in zip(
                draft.papers, record.papers, record.consultations, strict=True
            ):
                plan.papers.append(
                    _paper_plan(
                        ref,
                        paper,
                        step,
                        before_steps,
                        before_items,
                        meetings_before,
                        mentions,
                        stub=paper in record.stubs_created,
                    )
                )
            transaction.set_rollback(True)
    except ProtocolImportError as exc:
        plan.errors = exc.messages
    return plan


def _paper_plan(
    ref, paper, current, before_steps, before_items, meetings_before, mentions, stub
):
    result = PaperPlan(
        reference=str(ref),
        title=paper.title,
        exists=not stub,
        stub=stub,
        url=None if stub else paper.get_absolute_url(),
    )
    steps = Consultation.objects.filter(paper=paper).select_related(
        "committee", "meeting"
    )
    for step in steps.order_by("order"):
        before = before_steps.get(step.pk)
        after = _step_values(step)
        result.steps.append(
            StepPlan(
                order=step.order,
                committee=step.committee.name,
                role=step.get_role_display(),
                date=step.date,
                public=step.is_public,
                result=step.get_result_display(),
                result_before=(
                    Result(before.result).label if before is not None else None
                ),
                result_note=step.result_note,
                votes_yes=step.votes_yes,
                votes_no=step.votes_no,
                votes_abstain=step.votes_abstain,
                vote_note=step.vote_note,
                minutes_number=step.minutes_number,
                agenda_number=step.agenda_number,
                meeting=str(step.meeting) if step.meeting_id else None,
                meeting_new=bool(step.meeting_id)
                and step.meeting_id not in meetings_before,
                this_meeting=step.pk == current.pk,
                inserted=before is None and not stub,
                changed=before is None or _step_values(before) != after,
            )
        )
    if stub:
        return result
    items = {
        item.number: item
        for item in ResolutionItem.objects.filter(paper=paper, number__in=mentions)
    }
    for number in sorted(mentions):
        item = items.get(number)
        before = before_items.get((paper.pk, number))
        result.items.append(
            ItemPlan(
                paper=str(ref),
                number=number,
                text=item.text if item else "",
                outcome_before=(
                    before.outcome if before is not None else Outcome.AS_PROPOSED
                ),
                outcome=item.outcome if item else Outcome.AS_PROPOSED,
                mentions=mentions[number],
                known=item is not None,
                votes_yes=item.votes_yes if item else None,
                votes_no=item.votes_no if item else None,
                votes_abstain=item.votes_abstain if item else None,
                vote_note=item.vote_note if item else "",
            )
        )
    return result


STEP_FIELDS = (
    "order",
    "date",
    "is_public",
    "result",
    "result_note",
    "votes_yes",
    "votes_no",
    "votes_abstain",
    "vote_note",
    "minutes_number",
    "agenda_number",
    "meeting_id",
)


def _step_values(step):
    return tuple(getattr(step, name) for name in STEP_FIELDS)
