"""The stored decision in force (positions/standing.py) equals the derived one after
any sequence of edits of its sources.

Random edits of consultations (result, role, publicity, date, paper; new and
deleted), papers (date, publicity), items (outcome), decisions (paper, item,
position, dates; new and deleted) and positions (new, deleted), through save() and
through QuerySet.update(); after each sequence the stored rows must equal what the
querysets derive from the source rows (positions/derived.py, as `manage.py
verify_derived` compares them). PostgreSQL only: SQLite stores nothing and derives
every value.
"""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from council.models import Consultation, Paper, ResolutionItem
from positions import derived
from positions.models import (
    DecisionStanding,
    Position,
    PositionDecision,
    PositionStanding,
)
from tests.factories import (
    CommitteeFactory,
    DepartmentFactory,
    PaperFactory,
    PositionFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite stores no standing; its querysets derive every value",
    ),
]

# Full count: the test runs on PostgreSQL only, the database of production and CI.
EXAMPLES = 40

DAYS = [None] + [
    datetime.date(2019, 1, 1) + datetime.timedelta(days=90 * n) for n in range(8)
]
RESULTS = [value for value, _label in Consultation.Result.choices]
OUTCOMES = [value for value, _label in ResolutionItem.Outcome.choices]


def build():
    department = DepartmentFactory()
    committee = CommitteeFactory()
    papers = [
        PaperFactory(department=department, is_public=index != 3) for index in range(5)
    ]
    for index, paper in enumerate(papers[:4]):
        Consultation.objects.create(
            paper=paper,
            order=1,
            committee=committee,
            role=Consultation.Role.DECISION,
            result=Consultation.Result.APPROVED,
            date=DAYS[index + 1],
            is_public=index != 2,
        )
    items = [
        ResolutionItem.objects.create(paper=paper, number=1, text="Zustimmung.")
        for paper in papers
    ]
    positions = [PositionFactory(department=department) for _ in range(3)]
    for index, (paper, item) in enumerate(zip(papers, items, strict=True)):
        PositionDecision.objects.create(
            position=positions[index % 3],
            paper=paper,
            resolution_item=item if index % 2 else None,
            action=PositionDecision.Action.CREATED,
            valid_until=datetime.date(2022 + index, 12, 31),
        )
    return committee


def pick(queryset, index):
    rows = list(queryset.order_by("pk"))
    return rows[index % len(rows)] if rows else None


def change(model, obj, via_update, **values):
    if obj is None:
        return
    if via_update:
        model.objects.filter(pk=obj.pk).update(**values)
    else:
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()


def apply(edit, committee):
    kind, index, choice, via_update = edit
    consultation = pick(Consultation.objects.all(), index)
    paper = pick(Paper.objects.all(), index)
    decision = pick(PositionDecision.objects.all(), index)
    if kind == "result":
        change(
            Consultation,
            consultation,
            via_update,
            result=RESULTS[choice % len(RESULTS)],
        )
    elif kind == "role":
        role = [Consultation.Role.DECISION, Consultation.Role.DELIBERATION][choice % 2]
        change(Consultation, consultation, via_update, role=role)
    elif kind == "step_public":
        change(Consultation, consultation, via_update, is_public=bool(choice % 2))
    elif kind == "step_date":
        change(Consultation, consultation, via_update, date=DAYS[choice % len(DAYS)])
    elif kind == "step_paper":
        target = pick(Paper.objects.all(), choice)
        change(Consultation, consultation, via_update, paper=target, order=50 + choice)
    elif kind == "step_new" and paper is not None:
        Consultation.objects.create(
            paper=paper,
            order=100 + choice,
            committee=committee,
            role=Consultation.Role.DECISION,
            result=RESULTS[choice % len(RESULTS)],
            date=DAYS[choice % len(DAYS)],
            is_public=bool(choice % 3),
        )
    elif kind == "step_delete" and consultation is not None:
        consultation.delete()
    elif kind == "paper_date":
        change(Paper, paper, via_update, date=DAYS[choice % len(DAYS)])
    elif kind == "paper_public":
        change(Paper, paper, via_update, is_public=bool(choice % 2))
    elif kind == "outcome":
        item = pick(ResolutionItem.objects.all(), index)
        change(
            ResolutionItem, item, via_update, outcome=OUTCOMES[choice % len(OUTCOMES)]
        )
    elif kind == "decision_paper":
        target = pick(Paper.objects.all(), choice)
        change(PositionDecision, decision, via_update, paper=target)
    elif kind == "decision_item":
        item = pick(ResolutionItem.objects.all(), choice) if choice % 3 else None
        change(PositionDecision, decision, via_update, resolution_item=item)
    elif kind == "decision_dates":
        start = DAYS[choice % len(DAYS)]
        until = None if choice % 4 == 0 else datetime.date(2020 + choice % 9, 6, 30)
        if start and until and until < start:
            start, until = until, start
        change(
            PositionDecision,
            decision,
            via_update,
            action=PositionDecision.Action.CREATED,
            extends_until=None,
            valid_from=start,
            valid_until=until,
        )
    elif kind == "abolish":
        change(
            PositionDecision,
            decision,
            via_update,
            action=PositionDecision.Action.ABOLISHED,
            extends_until=None,
            valid_until=None,
            valid_from=DAYS[1 + choice % (len(DAYS) - 1)],
        )
    elif kind == "decision_position":
        target = pick(Position.objects.all(), choice)
        change(PositionDecision, decision, via_update, position=target)
    elif kind == "decision_new" and paper is not None:
        position = pick(Position.objects.all(), choice)
        if position is not None:
            PositionDecision.objects.create(
                position=position,
                paper=paper,
                action=PositionDecision.Action.CREATED,
                valid_until=datetime.date(2020 + choice % 9, 12, 31),
            )
    elif kind == "decision_delete" and decision is not None:
        decision.delete()
    elif kind == "position_new":
        PositionFactory(department=Position.objects.first().department)
    elif kind == "position_delete":
        position = pick(Position.objects.all(), index)
        if position is not None and Position.objects.count() > 1:
            position.delete()


EDITS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "result",
                "role",
                "step_public",
                "step_date",
                "step_paper",
                "step_new",
                "step_delete",
                "paper_date",
                "paper_public",
                "outcome",
                "decision_paper",
                "decision_item",
                "decision_dates",
                "abolish",
                "decision_position",
                "decision_new",
                "decision_delete",
                "position_new",
                "position_delete",
            ]
        ),
        st.integers(0, 20),
        st.integers(0, 20),
        st.booleans(),
    ),
    min_size=1,
    max_size=12,
)


def assert_stored_equals_derived():
    decisions = derived.differing(
        derived.stored(DecisionStanding, "decision_id", derived.DECISION_FIELDS),
        derived.derived_decisions(),
    )
    stored_positions = derived.stored(
        PositionStanding, "position_id", derived.POSITION_FIELDS
    )
    derived_positions = {
        pk: row
        for pk, row in derived.derived_positions().items()
        if pk in stored_positions or not derived.empty_position(row)
    }
    assert decisions == []
    assert derived.differing(stored_positions, derived_positions) == []


@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(edits=EDITS)
def test_stored_decision_in_force_equals_the_derived_after_random_edits(edits):
    with transaction.atomic():
        committee = build()
        assert_stored_equals_derived()
        for edit in edits:
            try:
                with transaction.atomic():
                    apply(edit, committee)
            except IntegrityError:
                # An edit the constraints refuse changes nothing.
                pass
        assert_stored_equals_derived()
        transaction.set_rollback(True)


def test_verify_derived_finds_a_stale_standing(db):
    from operations import derived as checks

    build()
    check = next(c for c in checks.checks() if c.name == "positions.standing")
    assert check.run(connection) == []
    PositionStanding.objects.update(public_expiry=datetime.date(1999, 1, 1))
    assert any("Stand veraltet: Stelle" in f for f in check.run(connection))
