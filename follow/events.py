"""What counts as news, read from the audit trail for one viewer.

Every event comes from a version the viewer may see (`audit_trail.visible_to`),
compared with the viewer's previous visible version of the same row, so that a
step that was closed and is public now is news to the public when it becomes
public, and a hidden value never shows. Nothing is recomputed by comparing
pages. Two facts have no version of their own: a new meeting (meetings are not
in the trail; their `created` stamp is the record of it) and a position coming
within the reminder window (a matter of today's date, announced once per
decision like the expiry reminders).

Only the versions of what is followed are read (`Followed`): after a bulk load
or an import of past years the window holds every version, and reading them all
took the digest 145 s for the public at 100,000 papers (issue 12).
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from council.models import (
    Committee,
    Consultation,
    Meeting,
    Paper,
    PaperReference,
)
from operations import formats
from positions.models import Position, PositionDecision

# A version committed after the previous run read the trail, but dated before
# its end (a transaction that began earlier), is still found; the record of what
# was sent keeps it from being sent twice.
MARGIN = datetime.timedelta(minutes=5)

# The key of a reminder (a position's expiry within the window), announced once
# for good: its record is kept and always looked up.
REMINDER = "expiry:"

# What a step's version tells, compared with the viewer's version before it.
CONSULTATION_COLUMNS = (
    "history_id",
    "history_date",
    "id",
    "paper_id",
    "committee_id",
    "meeting_id",
    "date",
    "role",
    "result",
    "minutes_number",
)


@dataclass(frozen=True)
class Followed:
    """What the events are read for: the keys of followed papers, committees and
    positions (a committee's feed: that committee)."""

    papers: frozenset = frozenset()
    committees: frozenset = frozenset()
    positions: frozenset = frozenset()


@dataclass
class Event:
    key: str  # what is recorded as sent: once per person
    date: datetime.datetime
    text: str
    url: str  # the page that shows it (a path)
    papers: set = field(default_factory=set)  # followed papers it concerns
    committees: set = field(default_factory=set)
    positions: set = field(default_factory=set)


# The order in which events are told: by date, equal dates by key.
CHRONOLOGICAL = attrgetter("date", "key")


def _earlier(model, viewer):
    """Versions of the same row before the outer one that `viewer` may see."""
    return model.audit_trail.visible_to(viewer).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(
            history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")
        ),
        id=OuterRef("id"),
    )


def _window(model, viewer, since, until):
    return (
        model.audit_trail.visible_to(viewer)
        .filter(history_date__gt=since, history_date__lte=until)
        .exclude(history_type="-")
    )


def _day(value):
    return formats.date(value)


def paper_label(paper):
    title = f" – {paper.title}" if paper.title else ""
    return f"GRDrs {paper.reference}{title}"


class Collector:
    """The events of one window for one viewer (None: the anonymous public) about
    what is `followed` (saved searches find their papers among all new ones)."""

    def __init__(self, viewer, since, until, followed):
        self.viewer, self.since, self.until = viewer, since, until
        self.followed = followed
        self.events = []
        self._papers = {}

    def papers(self, ids):
        """The papers among `ids` the viewer may see, with their state for it."""
        wanted = set(ids) - set(self._papers)
        if wanted:
            for paper in (
                Paper.objects.visible_to(self.viewer)
                .with_state(self.viewer)
                .filter(pk__in=wanted)
                .only("pk", "number", "year", "suffix", "title", "is_stub")
            ):
                self._papers[paper.pk] = paper
            for pk in wanted - set(self._papers):
                self._papers[pk] = None
        return {pk: self._papers[pk] for pk in ids if self._papers.get(pk)}

    def collect(self, newest=None):
        """All kinds (`newest`: of steps and meetings the newest that many, for a
        feed that shows no more)."""
        scheduled = self.consultations(newest)
        self.meetings(newest)
        self.references()
        self.new_versions_of_papers()
        self.decisions()
        self.extensions_in_consultation(scheduled)
        return self.events

    @cached_property
    def extensions(self):
        """{paper: the followed positions it extends}: a step of such a paper is
        news to the positions' followers (extensions_in_consultation)."""
        extensions = {}
        if self.followed.positions:
            for paper_id, position_id in (
                PositionDecision.objects.visible_to(self.viewer)
                .filter(
                    position_id__in=self.followed.positions,
                    action=PositionDecision.Action.EXTENDED,
                )
                .values_list("paper_id", "position_id")
            ):
                extensions.setdefault(paper_id, set()).add(position_id)
        return extensions

    def consultations(self, newest=None):
        """A step gets a date or a meeting (agenda of the committee), a result,
        a protocol (Niederschrift)."""
        papers = self.followed.papers | set(self.extensions)
        committees = self.followed.committees
        if not papers and not committees:
            return []
        versions = _window(Consultation, self.viewer, self.since, self.until).filter(
            Q(paper_id__in=papers) | Q(committee_id__in=committees)
        )
        earlier = _earlier(Consultation, self.viewer).order_by(
            "-history_date", "-history_id"
        )
        versions = versions.annotate(
            previous_id=Subquery(earlier.values("history_id")[:1])
        ).values(*CONSULTATION_COLUMNS, "previous_id")
        if newest is None:
            return self._consultation_events(list(versions))
        # Newest first, a batch at a time, until `newest` events are told: a
        # version may tell nothing (no change, a paper the viewer may not see).
        # After a bulk load the window holds every step: reading them all made
        # the council's feed take 9 s at 100,000 papers (issue 12).
        versions = versions.order_by("-history_date", "-history_id")
        batch, told, scheduled = 4 * newest, len(self.events), []
        while True:
            rows = list(versions[:batch])
            scheduled += self._consultation_events(rows)
            if len(rows) < batch or len(self.events) - told >= newest:
                return scheduled
            last = rows[-1]
            versions = versions.filter(
                Q(history_date__lt=last["history_date"])
                | Q(
                    history_date=last["history_date"],
                    history_id__lt=last["history_id"],
                )
            )

    def _consultation_events(self, versions):
        """The events of `versions` (rows of CONSULTATION_COLUMNS and the viewer's
        previous version's id); the scheduled steps among them."""
        previous = {
            row["history_id"]: row
            for row in Consultation.audit_trail.visible_to(self.viewer)
            .filter(
                history_id__in=[v["previous_id"] for v in versions if v["previous_id"]]
            )
            .values(*CONSULTATION_COLUMNS)
        }
        papers = self.papers({v["paper_id"] for v in versions})
        committees = {
            c.pk: c
            for c in Committee.objects.filter(
                pk__in={v["committee_id"] for v in versions}
            )
        }
        meetings = {
            m.pk: m
            for m in Meeting.objects.visible_to(self.viewer).filter(
                pk__in={v["meeting_id"] for v in versions if v["meeting_id"]}
            )
        }
        # A paper's address once, not for each of its steps' events.
        urls = {pk: paper.get_absolute_url() for pk, paper in papers.items()}
        roles = dict(Consultation.Role.choices)
        results = dict(Consultation.Result.choices)
        scheduled = []
        for v in versions:
            paper = papers.get(v["paper_id"])
            if paper is None:
                continue
            before = previous.get(v["previous_id"])
            name = str(committees[v["committee_id"]])
            base = f"consultation:{v['history_id']}"
            meeting = meetings.get(v["meeting_id"])
            # Only a meeting the viewer may see tells a date; a step in a closed
            # meeting without its own date tells none.
            day = v["date"] or (meeting.date if meeting else None)
            if day and (
                before is None
                or (v["date"], v["meeting_id"])
                != (before["date"], before["meeting_id"])
            ):
                event = Event(
                    key=f"{base}:termin",
                    date=v["history_date"],
                    text=_(
                        "GRDrs %(ref)s: Beratung im Gremium %(committee)s "
                        "(%(role)s) am %(day)s"
                    )
                    % {
                        "ref": paper.reference,
                        "committee": name,
                        "role": roles.get(v["role"], v["role"]),
                        "day": _day(day),
                    },
                    url=urls[paper.pk],
                    papers={paper.pk},
                    committees={v["committee_id"]},
                )
                self.events.append(event)
                scheduled.append(event)
            if v["result"] != Consultation.Result.OPEN and (
                before is None or before["result"] != v["result"]
            ):
                self.events.append(
                    Event(
                        key=f"{base}:ergebnis",
                        date=v["history_date"],
                        text=_(
                            "GRDrs %(ref)s: Ergebnis im Gremium %(committee)s: "
                            "%(result)s"
                        )
                        % {
                            "ref": paper.reference,
                            "committee": name,
                            "result": results.get(v["result"], v["result"]),
                        },
                        url=urls[paper.pk],
                        papers={paper.pk},
                    )
                )
            if v["minutes_number"] and (
                before is None or before["minutes_number"] != v["minutes_number"]
            ):
                self.events.append(
                    Event(
                        key=f"{base}:niederschrift",
                        date=v["history_date"],
                        text=_(
                            "GRDrs %(ref)s: Niederschrift Nr. %(number)s "
                            "(%(committee)s)"
                        )
                        % {
                            "ref": paper.reference,
                            "number": v["minutes_number"],
                            "committee": name,
                        },
                        url=urls[paper.pk],
                        papers={paper.pk},
                    )
                )
        return scheduled

    def meetings(self, newest=None):
        """A committee gets a new meeting (meetings have no versions; the row's
        creation is its record)."""
        if not self.followed.committees:
            return
        meetings = Meeting.objects.visible_to(self.viewer).filter(
            created__gt=self.since,
            created__lte=self.until,
            committee_id__in=self.followed.committees,
        )
        if newest is not None:
            meetings = meetings.order_by("-created", "-pk")[:newest]
        for meeting in meetings.select_related("committee"):
            time = (
                _(" um %(time)s Uhr") % {"time": meeting.start_time.strftime("%H:%M")}
                if meeting.start_time
                else ""
            )
            self.events.append(
                Event(
                    key=f"meeting:{meeting.pk}",
                    date=meeting.created,
                    text=_("Neue Sitzung: %(committee)s am %(day)s%(time)s")
                    % {
                        "committee": meeting.committee,
                        "day": _day(meeting.date),
                        "time": time,
                    },
                    url=meeting.committee.get_absolute_url(),
                    committees={meeting.committee_id},
                )
            )

    def references(self):
        """A paper gets a new Ergänzung/Neufassung or a new citing paper."""
        if not self.followed.papers:
            return
        versions = list(
            _window(PaperReference, self.viewer, self.since, self.until)
            .filter(history_type="+", to_paper_id__in=self.followed.papers)
            .values(
                "history_id", "history_date", "from_paper_id", "to_paper_id", "kind"
            )
        )
        papers = self.papers(
            {v["from_paper_id"] for v in versions}
            | {v["to_paper_id"] for v in versions}
        )
        for v in versions:
            source, target = (
                papers.get(v["from_paper_id"]),
                papers.get(v["to_paper_id"]),
            )
            if source is None or target is None:
                continue
            if v["kind"] == PaperReference.Kind.SUPPLEMENTS:
                text = _("GRDrs %(ref)s: neue Ergänzung/Neufassung %(other)s")
            else:
                text = _("GRDrs %(ref)s %(relation)s %(other)s")
            self.events.append(
                Event(
                    key=f"reference:{v['history_id']}",
                    date=v["history_date"],
                    text=text
                    % {
                        "ref": target.reference,
                        "relation": PaperReference.INVERSE_LABELS[v["kind"]],
                        "other": paper_label(source),
                    },
                    url=source.get_absolute_url(),
                    papers={target.pk},
                )
            )

    def new_papers(self, *conditions):
        """Papers new to the viewer in the window, of those whose version meets
        `conditions`: their first visible version that is more than a citation
        stub. {pk: date}."""
        earlier = _earlier(Paper, self.viewer).filter(is_stub=False)
        return dict(
            _window(Paper, self.viewer, self.since, self.until)
            .filter(~Exists(earlier), *conditions, is_stub=False)
            .values_list("id", "history_date")
        )

    def new_versions_of_papers(self):
        """A new paper of the same number and year (Ergänzung, Neufassung)."""
        if not self.followed.papers:
            return
        followed = Paper.objects.visible_to(self.viewer).filter(
            pk__in=self.followed.papers
        )
        # A new paper with a suffix beside a followed one of its number and year.
        dates = self.new_papers(
            ~Q(suffix=""),
            Exists(
                followed.filter(
                    number=OuterRef("number"), year=OuterRef("year")
                ).exclude(pk=OuterRef("id"))
            ),
        )
        new = self.papers(dates)
        pairs = {(p.number, p.year) for p in new.values()}
        if not pairs:
            return
        same = Q()
        for number, year in pairs:
            same |= Q(number=number, year=year)
        siblings = {}
        for pk, number, year in (
            Paper.objects.visible_to(self.viewer)
            .filter(same)
            .values_list("pk", "number", "year")
        ):
            siblings.setdefault((number, year), set()).add(pk)
        for paper in new.values():
            others = siblings.get((paper.number, paper.year), set()) - {paper.pk}
            if not paper.suffix or not others:
                continue
            self.events.append(
                Event(
                    key=f"new-paper:{paper.pk}",
                    date=dates[paper.pk],
                    text=_("Neue Fassung: %(paper)s") % {"paper": paper_label(paper)},
                    url=paper.get_absolute_url(),
                    papers=others,
                )
            )

    def search_hits(self, query, matching):
        """A saved search finds a paper new to the viewer (in CHRONOLOGICAL
        order: not part of `events`)."""
        dates = self.new_papers(
            Q(id__in=matching(query, self.viewer).values("pk")),
        )
        found = self.papers(dates)
        events = [
            Event(
                key=f"new-paper:{paper.pk}",
                date=dates[paper.pk],
                text=_("Neu: %(paper)s") % {"paper": paper_label(paper)},
                url=paper.get_absolute_url(),
            )
            for paper in found.values()
        ]
        return sorted(events, key=CHRONOLOGICAL)

    def decisions(self):
        """A position gets a new decision (for the public: once its paper is
        public); an extension on a paper in consultation says so."""
        if not self.followed.positions:
            return
        earlier = _earlier(PositionDecision, self.viewer)
        versions = list(
            _window(PositionDecision, self.viewer, self.since, self.until)
            .filter(~Exists(earlier), position_id__in=self.followed.positions)
            .values(
                "history_id",
                "history_date",
                "id",
                "position_id",
                "paper_id",
                "action",
                "valid_until",
            )
        )
        papers = self.papers({v["paper_id"] for v in versions})
        actions = dict(PositionDecision.Action.choices)
        for v in versions:
            paper = papers.get(v["paper_id"])
            if paper is None:
                continue
            values = {
                "action": actions.get(v["action"], v["action"]),
                "ref": paper.reference,
                "until": _day(v["valid_until"]) if v["valid_until"] else "",
            }
            if (
                v["action"] == PositionDecision.Action.EXTENDED
                and paper.state == Paper.State.IN_CONSULTATION
            ):
                text = _("Verlängerung in Beratung: GRDrs %(ref)s (bis %(until)s)")
            elif v["valid_until"]:
                text = _(
                    "Neue Entscheidung: %(action)s durch GRDrs %(ref)s, "
                    "befristet bis %(until)s"
                )
            else:
                text = _("Neue Entscheidung: %(action)s durch GRDrs %(ref)s")
            self.events.append(
                Event(
                    key=f"decision:{v['id']}",
                    date=v["history_date"],
                    text=text % values,
                    url=paper.get_absolute_url(),
                    positions={v["position_id"]},
                )
            )

    def extensions_in_consultation(self, scheduled):
        """A step of a paper that extends a position is scheduled: the
        extension is in consultation."""
        for event in scheduled:
            for pk in event.papers:
                event.positions |= self.extensions.get(pk, set())

    def expiries(self, positions, today, within_days):
        """Followed positions whose expiry (as the viewer sees it) lies within
        the reminder window: once per deciding decision."""
        end = today + datetime.timedelta(days=within_days)
        rows = (
            Position.objects.visible_to(self.viewer)
            .with_expiry(self.viewer)
            .filter(pk__in=list(positions), expiry__range=(today, end))
            .values_list("pk", "expiry", "expiry_decision_id")
        )
        now = timezone.now()
        for pk, expiry, decision_id in rows:
            self.events.append(
                Event(
                    key=f"{REMINDER}{decision_id}",
                    date=now,
                    text=_("Die Befristung endet am %(day)s (in %(days)s Tagen).")
                    % {"day": _day(expiry), "days": (expiry - today).days},
                    url=Position(pk=pk).get_absolute_url(),
                    positions={pk},
                )
            )
