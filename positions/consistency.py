"""Consistency warnings about positions: contradictions and gaps in their decisions.

A contradiction means the recorded decisions cannot all be right (a clerk must fix
the data); a gap is a fact HR should know about (days without authorisation, an
unfunded year, an expiry nobody followed up).

The functions read the positions' prefetched history (see `positions_for_checks`), so
checking a register costs a fixed number of queries. Like every derived fact, the
findings are computed for a viewer from the decisions that viewer may see: a warning
never names a paper its reader may not know.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from operations import formats

from .models import Position, PositionDecision

Action = PositionDecision.Action
CONTRADICTION = "contradiction"
GAP = "gap"


@dataclass(frozen=True)
class Finding:
    position: Position
    kind: str
    message: str

    @property
    def is_contradiction(self):
        return self.kind == CONTRADICTION


def _day(value):
    return formats.date(value)


def positions_for_checks(user, queryset=None):
    """Positions with everything the checks read for `user`, prefetched once."""
    queryset = Position.objects.visible_to(user) if queryset is None else queryset
    return queryset.with_expiry(user).for_consistency_checks(user)


def in_force_ids(positions, user):
    """The ids of the decisions in force for `user`, by the queryset's one rule."""
    return set(
        PositionDecision.objects.in_force(user)
        .filter(position__in=[p.pk for p in positions])
        .values_list("pk", flat=True)
    )


def _end(decision):
    return decision.expiry or datetime.date.max


def _overlap(a, b):
    start_a = a.effective_from or datetime.date.min
    start_b = b.effective_from or datetime.date.min
    return start_a <= _end(b) and start_b <= _end(a)


def findings_for(position, in_force, today):
    """The findings about one position (history prefetched, `in_force` ids known)."""
    decisions = [d for d in position.history if d.pk in in_force]
    found = []

    def add(kind, message):
        found.append(Finding(position, kind, message))

    for index, decision in enumerate(decisions):
        previous = decisions[index - 1] if index else None
        if decision.action == Action.EXTENDED and previous is not None:
            before = previous.expiry
            if before is None and previous.action == Action.MADE_PERMANENT:
                add(
                    CONTRADICTION,
                    _(
                        "%(paper)s verlängert bis %(until)s, obwohl die Stelle seit "
                        "%(earlier)s unbefristet ist."
                    )
                    % {
                        "paper": decision.paper,
                        "until": _day(decision.valid_until),
                        "earlier": previous.paper,
                    },
                )
            elif before is not None and decision.valid_until < before:
                add(
                    CONTRADICTION,
                    _(
                        "%(paper)s soll verlängern, verkürzt aber die Befristung vom "
                        "%(before)s auf den %(until)s."
                    )
                    % {
                        "paper": decision.paper,
                        "before": _day(before),
                        "until": _day(decision.valid_until),
                    },
                )
            extended = decision.extends_until or before
            decided = decision.decided_on
            if extended and decided and decided > extended:
                add(
                    GAP,
                    _(
                        "Die Verlängerung durch %(paper)s wurde erst am %(decided)s "
                        "beschlossen, nach Ablauf am %(expiry)s: %(days)s Tage ohne "
                        "Bewilligung."
                    )
                    % {
                        "paper": decision.paper,
                        "decided": _day(decided),
                        "expiry": _day(extended),
                        "days": (decided - extended).days - 1,
                    },
                )
        for other in decisions[:index]:
            if not _overlap(decision, other):
                continue
            if (
                decision.share_percent is not None
                and other.share_percent is not None
                and decision.share_percent != other.share_percent
            ) or (
                decision.pay_grade
                and other.pay_grade
                and decision.pay_grade != other.pay_grade
            ):
                add(
                    CONTRADICTION,
                    _(
                        "%(first)s und %(second)s gelten für dieselben Tage, nennen "
                        "aber verschiedene Stellenanteile oder Entgeltgruppen."
                    )
                    % {"first": other.paper, "second": decision.paper},
                )
        found.extend(_funding_gaps(position, decision))

    expiry = position.current_expiry
    if expiry and expiry < today and not position.has_pending_follow_up:
        add(
            GAP,
            _("Abgelaufen am %(expiry)s, und kein Folgebeschluss ist in Beratung.")
            % {"expiry": _day(expiry)},
        )
    return found


def _funding_gaps(position, decision):
    if decision.effective_from is None or decision.action == Action.ABOLISHED:
        return []
    first = decision.effective_from.year
    last = decision.expiry.year if decision.expiry else first
    lines = [line for line in decision.paper.funding_lines.all() if line.position_id]
    own = {line.year for line in lines if line.position_id == position.pk}
    others = {line.year for line in lines if line.position_id != position.pk}
    return [
        Finding(
            position,
            GAP,
            _(
                "%(paper)s bewilligt die Stelle für %(year)s und nennt Finanzmittel "
                "für andere Stellen, aber keine für diese."
            )
            % {"paper": decision.paper, "year": year},
        )
        for year in sorted(others - own)
        if first <= year <= last
    ]


def check_positions(positions, user, today=None):
    """{position pk: [Finding, …]} for positions from `positions_for_checks(user)`."""
    today = today or timezone.localdate()
    positions = list(positions)
    in_force = in_force_ids(positions, user)
    return {p.pk: findings_for(p, in_force, today) for p in positions}
