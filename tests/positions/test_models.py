import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from council.models import Consultation, Paper, ResolutionItem
from council.visibility import FULL_RECORD
from positions.models import Position, PositionDecision
from tests.factories import (
    PositionDecisionFactory,
    PositionFactory,
    ResolutionItemFactory,
    adopted_paper,
)
from tests.helpers import assert_rejected

pytestmark = pytest.mark.django_db

Action = PositionDecision.Action
END_2019 = datetime.date(2019, 12, 31)
END_2021 = datetime.date(2021, 12, 31)


@pytest.mark.parametrize("share", ["0", "-50", "100.01", "150"])
def test_share_of_a_full_time_post_lies_in_zero_to_hundred(share):
    position = PositionFactory.build(share_percent=Decimal(share))
    position.department.save()
    position.department_id = position.department.pk
    assert_rejected(position, "größer als 0 % und höchstens 100 %")


@pytest.mark.parametrize("share", ["0.5", "50", "100"])
def test_shares_up_to_a_full_post_are_accepted(share):
    PositionFactory(share_percent=Decimal(share)).full_clean()


def test_valid_until_is_not_before_valid_from():
    decision = PositionDecisionFactory.build(
        position=PositionFactory(),
        paper=adopted_paper(),
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2019, 12, 31),
    )
    assert_rejected(decision, "darf nicht vor „gültig ab“ liegen")


def test_an_extension_must_end_later_than_the_expiry_it_extends():
    decision = PositionDecisionFactory.build(
        position=PositionFactory(),
        paper=adopted_paper(),
        action=Action.EXTENDED,
        extends_until=END_2021,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=END_2019,
    )
    assert_rejected(decision, "muss später enden als die Befristung")


def test_an_extension_takes_over_the_current_expiry_and_starts_the_day_after():
    position = PositionFactory()
    PositionDecisionFactory(
        position=position, paper=adopted_paper(), valid_until=END_2019
    )
    extension = PositionDecision(
        position=position,
        paper=adopted_paper(),
        action=Action.EXTENDED,
        valid_until=END_2021,
    )
    extension.full_clean()
    assert extension.extends_until == END_2019
    assert extension.valid_from == datetime.date(2020, 1, 1)


def test_an_extension_that_would_shorten_the_current_expiry_is_refused():
    position = PositionFactory()
    PositionDecisionFactory(
        position=position, paper=adopted_paper(), valid_until=END_2021
    )
    extension = PositionDecision(
        position=position,
        paper=adopted_paper(),
        action=Action.EXTENDED,
        valid_until=END_2019,
    )
    with pytest.raises(ValidationError, match="muss später enden"):
        extension.full_clean()


def test_an_item_of_another_paper_is_refused():
    decision = PositionDecisionFactory.build(
        position=PositionFactory(),
        paper=adopted_paper(),
        resolution_item=ResolutionItemFactory(),
    )
    with pytest.raises(ValidationError, match="anderen Drucksache"):
        decision.full_clean()


def test_extension_moves_expiry_to_later_date():
    position = PositionFactory()
    PositionDecisionFactory(
        position=position, paper=adopted_paper(), valid_until=END_2019
    )
    assert (
        Position.objects.with_expiry(FULL_RECORD).get(pk=position.pk).current_expiry
        == END_2019
    )
    PositionDecisionFactory(
        position=position,
        paper=adopted_paper(),
        action=Action.EXTENDED,
        extends_until=END_2019,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=END_2021,
    )
    assert (
        Position.objects.with_expiry(FULL_RECORD).get(pk=position.pk).current_expiry
        == END_2021
    )
    assert (
        Position.objects.with_expiry(FULL_RECORD).get(pk=position.pk).expiry == END_2021
    )


def test_an_extension_still_in_consultation_does_not_count_yet():
    position = PositionFactory()
    PositionDecisionFactory(
        position=position, paper=adopted_paper(), valid_until=END_2019
    )
    pending = adopted_paper()
    pending.consultations.update(result=Consultation.Result.OPEN)
    PositionDecisionFactory(
        position=position,
        paper=pending,
        action=Action.EXTENDED,
        extends_until=END_2019,
        valid_until=END_2021,
    )
    assert (
        Position.objects.with_expiry(FULL_RECORD).get(pk=position.pk).expiry == END_2019
    )


def test_a_rejected_item_does_not_extend_the_position():
    position = PositionFactory()
    PositionDecisionFactory(
        position=position, paper=adopted_paper(), valid_until=END_2019
    )
    paper = adopted_paper()
    item = ResolutionItemFactory(
        paper=paper, number=1, outcome=ResolutionItem.Outcome.REJECTED
    )
    PositionDecisionFactory(
        position=position,
        paper=paper,
        resolution_item=item,
        action=Action.EXTENDED,
        extends_until=END_2019,
        valid_until=END_2021,
    )
    assert (
        Position.objects.with_expiry(FULL_RECORD).get(pk=position.pk).current_expiry
        == END_2019
    )


def test_made_permanent_has_no_expiry_but_is_in_force():
    position = PositionFactory()
    PositionDecisionFactory(
        position=position, paper=adopted_paper(), valid_until=END_2019
    )
    PositionDecisionFactory(
        position=position,
        paper=adopted_paper(),
        action=Action.MADE_PERMANENT,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=None,
    )
    annotated = (
        Position.objects.with_expiry(FULL_RECORD)
        .with_history(FULL_RECORD)
        .get(pk=position.pk)
    )
    assert annotated.expiry is None
    assert annotated.current_decision.action == Action.MADE_PERMANENT


def test_expiring_between_selects_by_current_expiry():
    soon, later = PositionFactory(), PositionFactory()
    PositionDecisionFactory(position=soon, paper=adopted_paper(), valid_until=END_2019)
    PositionDecisionFactory(position=later, paper=adopted_paper(), valid_until=END_2021)
    found = Position.objects.expiring_between(
        FULL_RECORD, datetime.date(2019, 1, 1), datetime.date(2019, 12, 31)
    )
    assert list(found) == [soon]


def test_demo_positions_all_expire_on_31_12_2021(demo):
    positions = Position.objects.with_expiry(FULL_RECORD).with_history(FULL_RECORD)
    assert [p.current_expiry for p in positions] == [END_2021] * 3
    assert sorted(str(p.origin.paper) for p in positions) == [
        "GRDrs 532/2017",
        "GRDrs 532/2017",
        "GRDrs 692/2018",
    ]


def test_demo_history_runs_from_creation_to_extension(demo):
    position = (
        Position.objects.with_expiry(FULL_RECORD)
        .with_history(FULL_RECORD)
        .get(function="Verwaltungs- und Assistenzaufgaben")
    )
    steps = [
        (
            d.action,
            d.paper.reference,
            d.resolution_item and d.resolution_item.number,
            d.valid_until,
        )
        for d in position.history
    ]
    assert steps == [
        (Action.CREATED, "692/2018", 2, END_2019),
        (Action.EXTENDED, "949/2019", 5, END_2021),
    ]
    assert position.current_decision.may_advertise_unlimited


def test_the_register_reads_expiry_and_origin_in_a_fixed_number_of_queries(
    demo, django_assert_num_queries
):
    with django_assert_num_queries(2):
        rows = [
            (p.current_expiry, p.origin.paper.reference)
            for p in Position.objects.with_expiry(FULL_RECORD).with_history(FULL_RECORD)
        ]
    assert len(rows) == 3


def test_paper_state_is_unchanged_by_positions(demo):
    assert (
        Paper.objects.with_state(None).get(number=949, year=2019).state
        == Paper.State.ADOPTED
    )


def _decided_on(day):
    paper = adopted_paper(date=day - datetime.timedelta(days=20))
    paper.consultations.update(date=day)
    return paper


def test_as_of_a_day_only_papers_adopted_by_then_are_in_force():
    position = PositionFactory()
    decision = PositionDecisionFactory(
        position=position, paper=_decided_on(datetime.date(2019, 5, 2))
    )
    in_force = PositionDecision.objects.in_force
    assert list(in_force(FULL_RECORD, as_of=datetime.date(2019, 5, 1))) == []
    assert list(in_force(FULL_RECORD, as_of=datetime.date(2019, 5, 2))) == [decision]
    assert list(in_force(FULL_RECORD)) == [decision]


def test_authorised_on_a_day_needs_a_started_and_unexpired_decision():
    position = PositionFactory()
    PositionDecisionFactory(
        position=position,
        paper=_decided_on(datetime.date(2019, 5, 2)),
        valid_from=datetime.date(2019, 7, 1),
        valid_until=END_2019,
    )

    def authorised(day):
        return list(Position.objects.authorised_on(FULL_RECORD, day)) == [position]

    assert not authorised(datetime.date(2019, 6, 30))  # decided, not yet started
    assert authorised(datetime.date(2019, 7, 1))
    assert authorised(END_2019)
    assert not authorised(datetime.date(2020, 1, 1))


def test_an_unlimited_position_stays_authorised_until_it_is_abolished():
    position = PositionFactory()
    PositionDecisionFactory(
        position=position,
        paper=_decided_on(datetime.date(2019, 5, 2)),
        valid_until=None,
    )
    day = datetime.date(2030, 1, 1)
    assert Position.objects.authorised_on(FULL_RECORD, day).get().expiry is None
    PositionDecisionFactory(
        position=position,
        paper=_decided_on(datetime.date(2025, 5, 2)),
        action=Action.ABOLISHED,
        valid_from=datetime.date(2025, 12, 31),
        valid_until=None,
    )
    assert not Position.objects.authorised_on(FULL_RECORD, day).exists()
    assert Position.objects.authorised_on(
        FULL_RECORD, datetime.date(2025, 6, 1)
    ).exists()


def test_the_expiry_as_of_a_day_ignores_later_extensions(demo):
    before = Position.objects.with_expiry(FULL_RECORD, as_of=datetime.date(2019, 12, 4))
    after = Position.objects.with_expiry(FULL_RECORD, as_of=datetime.date(2019, 12, 5))
    assert {p.expiry for p in before} == {END_2019}
    assert {p.expiry for p in after} == {END_2021}


def test_share_and_grade_fall_back_to_the_position_without_a_decision_changing_them(
    demo,
):
    terms = {
        (p.share_then, p.grade_then)
        for p in Position.objects.with_terms(FULL_RECORD, datetime.date(2020, 6, 30))
    }
    assert terms == {
        (Decimal("50"), "EG 10"),
        (Decimal("100"), "EG 13"),
        (Decimal("50"), "EG 8"),
    }


@pytest.mark.parametrize("share", ["0", "120"])
def test_a_decisions_new_share_lies_in_zero_to_hundred(share):
    decision = PositionDecisionFactory.build(
        position=PositionFactory(),
        paper=adopted_paper(),
        share_percent=Decimal(share),
    )
    assert_rejected(decision, "größer als 0 % und höchstens 100 %")


def test_the_history_of_a_position_fetched_without_its_viewer_is_an_error():
    from positions.models import HistoryNotPrefetched

    position = PositionFactory()
    PositionDecisionFactory(position=position, paper=adopted_paper())
    with pytest.raises(HistoryNotPrefetched, match="with_history"):
        Position.objects.get(pk=position.pk).history  # noqa: B018
    fetched = Position.objects.with_history(None).get(pk=position.pk)
    assert [decision.position_id for decision in fetched.history] == [position.pk]
