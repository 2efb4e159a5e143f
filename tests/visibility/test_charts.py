"""The charts of /stellen/ and /finanzen/ count what the register shows its reader:
a decision the reader may not see adds no share, no expiry and no amount."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Sum

from positions.charts import fte_by_department
from positions.models import Position
from positions.selectors import Register

from .conftest import SECRET_VALUES

pytestmark = pytest.mark.django_db


def chart_rows(chart):
    return {bar["label"]: bar["total_value"] for bar in chart.bars}


def test_a_closed_extension_reaches_no_chart_of_the_public(canary, client):
    response = client.get("/stellen/")
    expiring = chart_rows(response.context["expiry_chart"])
    fte = chart_rows(response.context["fte_chart"])
    # The closed extension runs to 30.06.2029 with 37,5 %; the public knows the
    # position as "nichtöffentlich beschlossen", without date or share: of the
    # three demo positions two expire in 2021, and on 01.01.2021 the public counts
    # 50 % + 100 % (the third's share there rests on the closed decision).
    assert sum(expiring.values()) == 2
    assert not any("2029" in label for label, value in expiring.items() if value)
    assert fte["01.01.2021"] == pytest.approx(1.5)
    assert all(value == 0 for label, value in fte.items() if label[-4:] > "2022")
    html = response.text
    assert [value for value in SECRET_VALUES if value in html] == []


def test_a_permitted_member_sees_the_closed_extension_in_the_charts(
    canary, client, roles
):
    client.force_login(roles["member"])
    response = client.get("/stellen/")
    expiring = chart_rows(response.context["expiry_chart"])
    assert sum(value for label, value in expiring.items() if "2029" in label) == 2
    fte = chart_rows(response.context["fte_chart"])
    # 37,5 % of the extended position and the created full-time one.
    assert fte["01.01.2027"] == pytest.approx(1.375)


def test_the_funding_charts_leave_out_what_the_reader_may_not_see(
    canary, client, roles
):
    # The closed paper's 123.456,78 € in 2020 (THH of the demo's first unit).
    public = client.get("/finanzen/", {"jahr": "2020"})
    client.force_login(roles["member"])
    member = client.get("/finanzen/", {"jahr": "2020"})
    public_2020 = chart_rows(public.context["year_chart"])["2020"]
    member_2020 = chart_rows(member.context["year_chart"])["2020"]
    assert member_2020 - public_2020 == Decimal("123456.78")
    assert [value for value in SECRET_VALUES if value in public.text] == []


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_the_full_time_equivalents_are_those_authorised_on_counts(canary, roles, role):
    user = roles[role] or AnonymousUser()
    chart = fte_by_department(Register(user, {}))
    for label, total in chart_rows(chart).items():
        day = datetime.datetime.strptime(label, "%d.%m.%Y").date()
        expected = (
            Position.objects.visible_to(user)
            .authorised_on(user, day)
            .aggregate(share=Sum("share_then"))["share"]
            or 0
        )
        assert total == expected / 100, label
