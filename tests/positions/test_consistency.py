"""Consistency warnings: contradictions fail check_positions, gaps are only reported."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from council.models import Consultation
from council.visibility import FULL_RECORD
from positions.consistency import (
    CONTRADICTION,
    GAP,
    check_positions,
    positions_for_checks,
)
from positions.models import Position, PositionDecision
from tests.factories import (
    FundingLineFactory,
    PositionDecisionFactory,
    PositionFactory,
    adopted_paper,
)

pytestmark = pytest.mark.django_db

Action = PositionDecision.Action
END_2019 = datetime.date(2019, 12, 31)
END_2020 = datetime.date(2020, 12, 31)
END_2021 = datetime.date(2021, 12, 31)
# A reading day before every expiry below, so that "expired" does not interfere.
EARLY = datetime.date(2019, 1, 1)


def decided(day, **fields):
    paper = adopted_paper(date=day - datetime.timedelta(days=20), **fields)
    paper.consultations.update(date=day)
    return paper


def findings(position, today=EARLY):
    checked = positions_for_checks(FULL_RECORD, Position.objects.filter(pk=position.pk))
    return [
        (f.kind, f.message)
        for f in check_positions(checked, FULL_RECORD, today)[position.pk]
    ]


def kinds(position, today=EARLY):
    return [kind for kind, _message in findings(position, today)]


def check_command():
    out = io.StringIO()
    call_command("check_positions", stdout=out)
    return out.getvalue()


def test_the_demo_data_has_no_contradiction_and_check_positions_exits_zero(demo):
    output = check_command()
    assert "3 Stellen geprüft: 0 Widersprüche" in output


def test_the_demo_positions_are_reported_expired_after_2021_only(demo):
    for position in Position.objects.all():
        assert kinds(position, datetime.date(2021, 6, 30)) == []
        assert kinds(position, datetime.date(2022, 1, 1)) == [GAP]


def shortening_extension():
    position = PositionFactory(function="Kürzungsstelle")
    PositionDecisionFactory(
        position=position,
        paper=decided(datetime.date(2018, 6, 1)),
        valid_until=END_2021,
    )
    # The paper claims to extend 31.12.2019, but 31.12.2021 was in force.
    PositionDecisionFactory(
        position=position,
        paper=decided(datetime.date(2019, 6, 1)),
        action=Action.EXTENDED,
        extends_until=END_2019,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=END_2020,
    )
    return position


def test_an_extension_that_shortens_the_expiry_in_force_is_a_contradiction():
    position = shortening_extension()
    (kind, message), *rest = findings(position)
    assert kind == CONTRADICTION
    assert "verkürzt aber die Befristung vom 31.12.2021 auf den 31.12.2020" in message
    assert rest == []


def test_check_positions_exits_non_zero_on_a_contradiction():
    shortening_extension()
    with pytest.raises(CommandError, match="1 Widersprüche"):
        check_command()


def overlapping(first, second):
    position = PositionFactory(share_percent=Decimal("50"), pay_grade="EG 9")
    PositionDecisionFactory(
        position=position,
        paper=decided(datetime.date(2018, 6, 1)),
        valid_from=datetime.date(2019, 1, 1),
        valid_until=END_2020,
        **first,
    )
    PositionDecisionFactory(
        position=position,
        paper=decided(datetime.date(2019, 6, 1)),
        valid_from=datetime.date(2020, 1, 1),
        valid_until=END_2021,
        **second,
    )
    return position


@pytest.mark.parametrize(
    "first, second",
    [
        ({"share_percent": Decimal("50")}, {"share_percent": Decimal("100")}),
        ({"pay_grade": "EG 9"}, {"pay_grade": "EG 10"}),
    ],
)
def test_two_decisions_in_force_on_the_same_day_disagreeing_is_a_contradiction(
    first, second
):
    position = overlapping(first, second)
    assert kinds(position) == [CONTRADICTION]
    assert "gelten für dieselben Tage" in findings(position)[0][1]


def test_decisions_that_agree_or_do_not_overlap_are_no_contradiction():
    agreeing = overlapping({"share_percent": Decimal("50")}, {"share_percent": 50})
    assert kinds(agreeing) == []
    position = PositionFactory()
    PositionDecisionFactory(
        position=position,
        paper=decided(datetime.date(2018, 6, 1)),
        valid_until=END_2019,
        share_percent=Decimal("50"),
    )
    PositionDecisionFactory(
        position=position,
        paper=decided(datetime.date(2019, 6, 1)),
        action=Action.EXTENDED,
        extends_until=END_2019,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=END_2021,
        share_percent=Decimal("100"),
    )
    assert kinds(position) == []


def test_a_contradiction_on_a_paper_not_yet_adopted_does_not_count():
    position = shortening_extension()
    extension = position.decisions.get(action=Action.EXTENDED)
    extension.paper.consultations.update(result=Consultation.Result.OPEN)
    assert CONTRADICTION not in kinds(position)


def test_an_extension_decided_after_the_expiry_it_extends_is_a_gap():
    position = PositionFactory()
    PositionDecisionFactory(
        position=position,
        paper=decided(datetime.date(2018, 6, 1)),
        valid_until=END_2019,
    )
    PositionDecisionFactory(
        position=position,
        paper=decided(datetime.date(2020, 2, 10)),
        action=Action.EXTENDED,
        extends_until=END_2019,
        valid_until=END_2021,
    )
    ((kind, message),) = findings(position)
    assert kind == GAP
    assert "erst am 10.02.2020 beschlossen, nach Ablauf am 31.12.2019" in message
    assert "40 Tage ohne Bewilligung" in message
    # A gap is reported, but check_positions still succeeds.
    output = check_command()
    assert "erst am 10.02.2020 beschlossen" in output
    assert "0 Widersprüche" in output


def test_a_year_funded_for_other_positions_but_not_this_one_is_a_gap():
    paper = decided(datetime.date(2019, 6, 1))
    funded, unfunded = PositionFactory(), PositionFactory(function="Ohne Geld")
    for position in (funded, unfunded):
        PositionDecisionFactory(
            position=position,
            paper=paper,
            valid_from=datetime.date(2020, 1, 1),
            valid_until=END_2021,
        )
    for year in (2020, 2021):
        FundingLineFactory(paper=paper, position=funded, year=year)
    FundingLineFactory(paper=paper, position=unfunded, year=2020)
    assert kinds(funded) == []
    ((kind, message),) = findings(unfunded)
    assert kind == GAP
    assert "für 2021 und nennt Finanzmittel für andere Stellen" in message


def test_an_expired_position_without_follow_up_is_a_gap_until_one_is_in_consultation():
    position = PositionFactory()
    PositionDecisionFactory(
        position=position,
        paper=decided(datetime.date(2018, 6, 1)),
        valid_until=END_2019,
    )
    after = datetime.date(2020, 1, 1)
    assert findings(position, after) == [
        (GAP, "Abgelaufen am 31.12.2019, und kein Folgebeschluss ist in Beratung.")
    ]
    pending = adopted_paper()
    pending.consultations.update(result=Consultation.Result.OPEN)
    PositionDecisionFactory(
        position=position,
        paper=pending,
        action=Action.EXTENDED,
        extends_until=END_2019,
        valid_until=END_2021,
    )
    assert findings(position, after) == []


def test_hr_sees_the_warnings_on_the_register_and_the_position_page(
    demo, client, hr_user
):
    position = shortening_extension()
    public = client.get("/stellen/").content.decode()
    assert "Widerspruch" not in public
    client.force_login(hr_user)
    register = client.get("/stellen/").content.decode()
    assert "Widerspruch: GRDrs" in register
    page = client.get(position.get_absolute_url()).content.decode()
    assert "verkürzt aber die Befristung vom 31.12.2021" in page
