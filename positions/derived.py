"""What positions stores derived: the decision in force of every position and
whether and since when each decision is in force, for the record and for the public
(PostgreSQL only, kept by the triggers of positions/standing.py)."""

import datetime

from django.db.models import Exists, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce

from council.models import FULL_RECORD, Consultation
from operations import derived

from . import standing
from .models import DecisionStanding, Position, PositionDecision, PositionStanding

DECISION_FIELDS = (
    "position_id",
    "paper_date",
    "paper_public",
    "record_in_force",
    "record_adopted_on",
    "public_in_force",
    "public_adopted_on",
    "record_from",
    "record_until",
    "public_from",
    "public_until",
)
POSITION_FIELDS = (
    "record_decision_id",
    "record_expiry",
    "public_decision_id",
    "public_expiry",
    "has_public_decision",
    "record_last_expiry",
    "public_last_expiry",
)


def _adopted_on(viewer):
    """The day of the first approving Beschlussfassung `viewer` may see (or the
    paper's date where the step has none), as in_force(as_of=…) counts it."""
    return Subquery(
        Consultation.objects.visible_to(viewer)
        .filter(
            paper=OuterRef("paper"),
            role=Consultation.Role.DECISION,
            result__in=Consultation.Result.approving(),
        )
        .order_by()
        .values("paper")
        .annotate(on=Min(Coalesce("date", "paper__date")))
        .values("on")
    )


def derived_decisions():
    """{decision pk: tuple of DECISION_FIELDS} computed from the source rows."""
    with standing.deriving():
        in_force = {
            view: set(
                PositionDecision.objects.in_force(viewer).values_list("pk", flat=True)
            )
            for view, viewer in (("record", FULL_RECORD), ("public", None))
        }
        rows = PositionDecision.objects.annotate(
            record_on=_adopted_on(FULL_RECORD), public_on=_adopted_on(None)
        ).values_list(
            "pk",
            "position_id",
            "paper__date",
            "paper__is_public",
            "record_on",
            "public_on",
            "effective_from",
            "expiry",
        )
        facts, result = [], {}
        for pk, position, paper_date, public, record_on, public_on, *dates in rows:
            record, seen = pk in in_force["record"], pk in in_force["public"]
            result[pk] = [
                position,
                paper_date,
                public,
                record,
                record_on if record else None,
                seen,
                public_on if seen else None,
            ]
            facts.append((pk, position, paper_date, *dates))
        periods = {view: authorised_periods(facts, result, view) for view in VIEWS}
        return {
            pk: (
                *row,
                *periods["record"].get(pk, NO_PERIOD),
                *periods["public"].get(pk, NO_PERIOD),
            )
            for pk, row in result.items()
        }


VIEWS = ("record", "public")
NO_PERIOD = (None, None)


def authorised_periods(facts, rows, view):
    """{decision pk: (from, until)}: while each decision in force is its
    position's current one and the position is authorised (until exclusive,
    None open), as charts.authorised_share() decides day by day."""
    in_force, adopted = (3, 4) if view == "record" else (5, 6)
    by_position = {}
    for pk, position, paper_date, effective_from, expiry in facts:
        if rows[pk][in_force]:
            by_position.setdefault(position, []).append(
                (pk, paper_date, effective_from, expiry, rows[pk][adopted])
            )

    def newest_key(decision):
        pk, paper_date, effective_from = decision[:3]

        def later(day):
            return (day is None, -day.toordinal() if day else 0)

        return (*later(paper_date), *later(effective_from), -pk)

    periods = {}
    for decisions in by_position.values():
        decisions.sort(key=newest_key)
        starts = [
            max(on, start) for _pk, _p, start, _e, on in decisions if on and start
        ]
        first_day = min(starts) if starts else None
        superseded = None
        for pk, _paper_date, _start, expiry, on in decisions:
            if on is not None and first_day is not None:
                ends = [superseded]
                if expiry is not None and expiry < datetime.date.max:
                    ends.append(expiry + datetime.timedelta(days=1))
                ends = [day for day in ends if day is not None]
                periods[pk] = (max(on, first_day), min(ends) if ends else None)
            if on is not None:
                superseded = on if superseded is None else min(superseded, on)
    return periods


def derived_positions():
    """{position pk: tuple of POSITION_FIELDS} computed from the source rows."""
    with standing.deriving():
        expiries = dict(PositionDecision.objects.values_list("pk", "expiry"))
        last = {view: {} for view in VIEWS}
        for view, viewer in (("record", FULL_RECORD), ("public", None)):
            for position, expiry in PositionDecision.objects.in_force(
                viewer
            ).values_list("position_id", "expiry"):
                if expiry is not None:
                    known = last[view].get(position)
                    last[view][position] = max(known or expiry, expiry)
        public_decisions = PositionDecision.objects.filter(
            position=OuterRef("pk"), paper__is_public=True
        )
        rows = (
            Position.objects.with_nonpublic_basis(None)
            .annotate(has_public=Exists(public_decisions))
            .values_list("pk", "basis_decision_id", "seen_decision_id", "has_public")
        )
        return {
            pk: (
                record,
                expiries.get(record),
                seen,
                expiries.get(seen),
                has_public,
                last["record"].get(pk),
                last["public"].get(pk),
            )
            for pk, record, seen, has_public in rows
        }


def stored(model, key, fields):
    return {
        row[0]: tuple(row[1:])
        for row in model.objects.values_list(key, *fields).order_by(key)
    }


def differing(stored_rows, derived_rows):
    """Keys whose stored row differs from the derived (or is missing), sorted;
    a position without any decision may have no row."""
    keys = set(stored_rows) | set(derived_rows)
    return sorted(k for k in keys if stored_rows.get(k) != derived_rows.get(k))


def empty_position(row):
    return row == (None, None, None, None, False, None, None)


@derived.check("positions.standing", "Wirksame Entscheidung je Stelle")
def standings(connection):
    if connection.vendor != "postgresql":
        # SQLite keeps no standing; its querysets derive every value.
        return []
    findings = [
        f"Trigger {name} fehlt, der Stand der Stellen veraltet"
        for name in sorted(
            standing.expected_triggers() - standing.installed_triggers(connection)
        )
    ]
    decisions = differing(
        stored(DecisionStanding, "decision_id", DECISION_FIELDS), derived_decisions()
    )
    positions_stored = stored(PositionStanding, "position_id", POSITION_FIELDS)
    positions_derived = {
        pk: row
        for pk, row in derived_positions().items()
        if pk in positions_stored or not empty_position(row)
    }
    positions = differing(positions_stored, positions_derived)
    findings += derived.rows_differ("Stand veraltet: Stellenentscheidung", decisions)
    findings += derived.rows_differ("Stand veraltet: Stelle", positions)
    return findings
