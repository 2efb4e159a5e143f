"""The positions register /stellen/ and a position's page, read by the public and HR."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from council.models import Consultation, Paper
from council.visibility import FULL_RECORD
from positions.models import Position, PositionDecision
from tests.factories import (
    DepartmentFactory,
    PositionDecisionFactory,
    PositionFactory,
    adopted_paper,
)
from tests.helpers import SESSION_RENEWAL

pytestmark = pytest.mark.django_db

URL = "/stellen/"
END_2019 = datetime.date(2019, 12, 31)
END_2021 = datetime.date(2021, 12, 31)


def functions(response):
    return sorted(row.position.function for row in response.context["rows"])


def origins(response):
    return sorted(
        row.origin.paper.reference for row in response.context["rows"] if row.origin
    )


def test_the_register_answers_at_the_contract_address():
    assert reverse("positions:position-list") == URL
    assert reverse("positions:position-detail", kwargs={"pk": 7}) == "/stellen/7/"


def test_the_public_register_lists_the_demo_positions_expiring_31_12_2021(demo, client):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert [row.expiry for row in response.context["rows"]] == [END_2021] * 3
    assert html.count("31.12.2021") == 3
    assert "Verwaltungs- und Assistenzaufgaben" in html
    assert "EG 13 TVöD" in html
    assert origins(response) == ["532/2017", "532/2017", "692/2018"]
    assert 'href="/drucksachen/2017/532/"' in html


def test_the_demo_register_sums_to_two_full_time_equivalents(demo, client):
    response = client.get(URL)
    assert response.context["total_count"] == 3
    assert response.context["total_fte"] == "2,0"
    assert "2,0 Vollzeitäquivalente" in response.content.decode()


def test_expiring_within_24_months_of_2020_01_01_lists_exactly_the_three_positions(
    demo, hr_client
):
    response = hr_client.get(URL, {"stand_am": "2020-01-01", "ablauf_in_monaten": "24"})
    assert len(response.context["rows"]) == 3
    assert {row.expiry for row in response.context["rows"]} == {END_2021}
    within_12 = hr_client.get(
        URL, {"stand_am": "2020-01-01", "ablauf_in_monaten": "12"}
    )
    assert within_12.context["rows"] == []


def test_as_of_30_06_2019_shows_532_2017_and_692_2018_with_the_old_expiry(
    demo, hr_client
):
    response = hr_client.get(URL, {"stand_am": "2019-06-30"})
    rows = response.context["rows"]
    assert [row.expiry for row in rows] == [END_2019] * 3
    assert sorted(row.expiry_decision.paper.reference for row in rows) == [
        "532/2017",
        "532/2017",
        "692/2018",
    ]
    assert response.context["total_fte"] == "2,0"
    assert "Stand 30.06.2019" in response.content.decode()


def test_as_of_a_day_before_692_2018_was_decided_only_the_two_older_positions_count(
    demo, hr_client
):
    response = hr_client.get(URL, {"stand_am": "2018-11-21"})
    assert origins(response) == ["532/2017", "532/2017"]
    assert response.context["total_fte"] == "1,5"


def test_as_of_after_every_expiry_lists_nothing(demo, hr_client):
    response = hr_client.get(URL, {"stand_am": "2022-01-01"})
    assert response.context["rows"] == []
    assert "Keine Stelle entspricht dem Filter." in response.content.decode()


def decided(day):
    paper = adopted_paper(date=day - datetime.timedelta(days=20))
    paper.consultations.update(date=day)
    return paper


def test_as_of_shows_the_share_and_grade_then_in_force():
    position = PositionFactory(share_percent=Decimal("50"), pay_grade="EG 9")
    PositionDecisionFactory(
        position=position,
        paper=decided(datetime.date(2018, 5, 1)),
        valid_until=END_2019,
    )
    PositionDecisionFactory(
        position=position,
        paper=decided(datetime.date(2019, 11, 1)),
        action=PositionDecision.Action.EXTENDED,
        extends_until=END_2019,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=END_2021,
        share_percent=Decimal("100"),
        pay_grade="EG 11",
    )
    then = Position.objects.authorised_on(FULL_RECORD, datetime.date(2019, 6, 30)).get()
    later = Position.objects.authorised_on(
        FULL_RECORD, datetime.date(2020, 6, 30)
    ).get()
    assert (then.share_then, then.grade_then, then.expiry) == (
        Decimal("50"),
        "EG 9",
        END_2019,
    )
    assert (later.share_then, later.grade_then, later.expiry) == (
        Decimal("100"),
        "EG 11",
        END_2021,
    )


def test_hr_filters_by_department_grade_kind_and_pay_scheme(demo, hr_client):
    jobcenter = Position.objects.get(pay_grade="EG 10").department
    assert len(hr_client.get(URL, {"dienststelle": jobcenter.pk}).context["rows"]) == 1
    assert functions(hr_client.get(URL, {"entgeltgruppe": "EG 8"})) == [
        "Verwaltungs- und Assistenzaufgaben"
    ]
    assert len(hr_client.get(URL, {"art": "authorisation"}).context["rows"]) == 3
    assert hr_client.get(URL, {"art": "planned"}).context["rows"] == []
    assert len(hr_client.get(URL, {"tarif": "TVöD"}).context["rows"]) == 3
    assert hr_client.get(URL, {"tarif": "TV-L"}).context["rows"] == []


def test_hr_filters_by_expiry_between_two_dates_and_by_state(demo, hr_client):
    between = {"ablauf_ab": "2021-12-01", "ablauf_bis": "2021-12-31"}
    assert len(hr_client.get(URL, between).context["rows"]) == 3
    before = {"ablauf_bis": "2021-12-30"}
    assert hr_client.get(URL, before).context["rows"] == []
    assert len(hr_client.get(URL, {"befristung": "expired"}).context["rows"]) == 3
    assert hr_client.get(URL, {"befristung": "unlimited"}).context["rows"] == []
    active_then = {"stand_am": "2020-06-30", "befristung": "active"}
    assert len(hr_client.get(URL, active_then).context["rows"]) == 3


def test_an_unlimited_position_is_found_by_the_state_filter(hr_client):
    position = PositionFactory()
    PositionDecisionFactory(position=position, paper=adopted_paper(), valid_until=None)
    response = hr_client.get(URL, {"befristung": "unlimited"})
    assert [row.position for row in response.context["rows"]] == [position]
    assert "unbefristet" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"stand_am": "30.13.2019"},
        {"ablauf_in_monaten": "viele"},
        {"ablauf_in_monaten": "-3"},
        {"ablauf_ab": "\x00"},
        {"dienststelle": "999999"},
        {"befristung": "kaputt"},
        {"stand_am": "9999-99-99"},
    ],
)
def test_bad_filter_input_gets_a_german_message_not_a_server_error(
    demo, hr_client, query
):
    response = hr_client.get(URL, query)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


OLD_NAMES = {
    "department": "dienststelle",
    "kind": "art",
    "within_months": "ablauf_in_monaten",
    "as_of": "stand_am",
    "expires_after": "ablauf_ab",
    "expires_before": "ablauf_bis",
    "pay_scheme": "tarif",
    "pay_grade": "entgeltgruppe",
    "state": "befristung",
}


@pytest.mark.parametrize(("old", "new"), OLD_NAMES.items())
def test_the_english_parameter_names_of_before_redirect_to_the_german_ones(
    hr_client, old, new
):
    response = hr_client.get(URL, {old: "x", "seite": "2"})
    assert response.status_code == 301
    assert response["Location"] == f"{URL}?seite=2&{new}=x"
    # A value given under the German name wins over the old one.
    both = hr_client.get(URL, {old: "alt", new: "neu"})
    assert both["Location"] == f"{URL}?{new}=neu"


def test_hr_sees_the_hr_columns_and_the_public_does_not(demo, client, hr_user):
    public = client.get(URL).content.decode()
    for heading in (
        "Befristung beruht auf",
        "Jahreskosten",
        "Folgebeschluss in Beratung",
        "unbefristet ausschreibbar",
        "export.csv",
        "Kalender",
        'name="stand_am"',
    ):
        assert heading not in public
    client.force_login(hr_user)
    hr = client.get(URL).content.decode()
    assert "Befristung beruht auf" in hr
    assert "34.450,00" in hr  # the funding line of Ziff. 3 names the cost
    assert 'href="/drucksachen/2019/949/#ziffer-3"' in hr
    assert 'name="stand_am"' in hr


def test_a_clerk_without_the_hr_permission_sees_the_public_register(demo, clerk_client):
    response = clerk_client.get(URL)
    assert response.context["is_hr"] is False
    assert "Jahreskosten" not in response.content.decode()


def test_hr_sees_a_follow_up_still_in_consultation(demo, hr_client):
    position = Position.objects.get(pay_grade="EG 8")
    pending = adopted_paper(year=2021, number=4711)
    pending.consultations.update(result=Consultation.Result.OPEN)
    PositionDecisionFactory(
        position=position,
        paper=pending,
        action=PositionDecision.Action.EXTENDED,
        extends_until=END_2021,
        valid_until=datetime.date(2023, 12, 31),
    )
    rows = {r.position.pk: r for r in hr_client.get(URL).context["rows"]}
    assert rows[position.pk].pending_follow_up is True
    assert rows[position.pk].expiry == END_2021
    assert sum(row.pending_follow_up for row in rows.values()) == 1


def _position_on_a_nonpublic_paper(marker):
    position = PositionFactory(function=f"Geheimstelle {marker}")
    PositionDecisionFactory(
        position=position,
        paper=adopted_paper(is_public=False, title=f"Vorlage {marker}"),
        valid_until=END_2021,
    )
    return position


def test_anonymous_visitors_never_see_a_position_resting_only_on_a_nonpublic_paper(
    demo, client
):
    position = _position_on_a_nonpublic_paper("Zwiebelturm")
    assert "Zwiebelturm" not in client.get(URL).content.decode()
    assert client.get(position.get_absolute_url()).status_code == 404


def test_a_nonpublic_extension_does_not_reveal_its_paper_to_anonymous_visitors(
    demo, client
):
    position = Position.objects.get(pay_grade="EG 8")
    secret = adopted_paper(
        is_public=False,
        title="Vorlage Zwiebelturm",
        number=4712,
        date=datetime.date(2021, 6, 1),
    )
    PositionDecisionFactory(
        position=position,
        paper=secret,
        action=PositionDecision.Action.EXTENDED,
        extends_until=END_2021,
        valid_until=datetime.date(2023, 12, 31),
    )
    for url in (URL, position.get_absolute_url()):
        html = client.get(url).content.decode()
        assert secret.reference not in html
        assert "Zwiebelturm" not in html
        # Neither the new date nor the old one as if it were current.
        assert "31.12.2023" not in html
        assert "nichtöffentlich beschlossen" in html
    assert "Ein weiterer Beschluss zu dieser Stelle ist nichtöffentlich." in html


def test_hr_without_the_permission_sees_no_position_known_only_from_closed_papers(
    demo, hr_client
):
    position = _position_on_a_nonpublic_paper("Zwiebelturm")
    html = hr_client.get(URL).content.decode()
    assert "Zwiebelturm" not in html
    assert hr_client.get(position.get_absolute_url()).status_code == 404


def test_hr_with_the_permission_sees_positions_on_nonpublic_papers(
    demo, hr_client, hr_user
):
    hr_user.user_permissions.add(
        Permission.objects.get(codename="view_nonpublic_paper")
    )
    position = _position_on_a_nonpublic_paper("Zwiebelturm")
    html = hr_client.get(URL).content.decode()
    assert "Geheimstelle Zwiebelturm" in html
    page = hr_client.get(position.get_absolute_url()).content.decode()
    assert Paper.objects.get(title="Vorlage Zwiebelturm").reference in page


def test_the_position_page_shows_the_timeline_from_532_2017_to_949_2019_ziff_3(
    demo, client
):
    position = Position.objects.get(pay_grade="EG 10")
    response = client.get(position.get_absolute_url())
    html = response.content.decode()
    steps = re.findall(r'<li class="timeline-step">(.*?)</li>', html, flags=re.S)
    assert len(steps) == 2
    assert "geschaffen" in steps[0] and "/drucksachen/2017/532/" in steps[0]
    assert "bis 31.12.2019" in steps[0]
    assert "verlängert" in steps[1] and "/drucksachen/2019/949/#ziffer-3" in steps[1]
    assert "bis 31.12.2021" in steps[1]
    assert "<svg" in html and html.count('<rect class="bar"') == 2
    assert '<dd class="current-expiry">31.12.2021</dd>' in html
    assert "<title>Koordinierende Steuerungsfunktion" in html


def test_an_unknown_position_is_404(client):
    assert client.get("/stellen/999999/").status_code == 404


# The register's charts (positions/charts.py): the filtered positions (expiry,
# share, department) and their decisions in force.
CHART_QUERIES = 2


def _many_positions(count):
    department = DepartmentFactory(name="Amt für Zählung")
    paper = adopted_paper(date=datetime.date(2019, 1, 1))
    for n in range(count):
        PositionDecisionFactory(
            position=PositionFactory(department=department, function=f"Stelle {n}"),
            paper=paper,
            valid_until=END_2021,
        )


@pytest.mark.parametrize("extra", [0, 50])
def test_the_public_register_runs_a_fixed_number_of_queries(
    demo, client, django_assert_num_queries, extra
):
    _many_positions(extra)
    # One more than rows alone need: the sums of the whole filter, in SQL; and one
    # for when the rows shown last changed (the audit trail); and the charts. The
    # departments of the filter (remembered in production).
    with django_assert_num_queries(7 + CHART_QUERIES):
        response = client.get(URL)
    assert len(response.context["rows"]) == min(3 + extra, 50)
    assert response.context["total_count"] == 3 + extra


@pytest.mark.parametrize("extra", [0, 50])
def test_the_hr_register_runs_a_fixed_number_of_queries(
    demo, hr_client, django_assert_num_queries, extra
):
    _many_positions(extra)
    # 15 + when the rows shown last changed (the audit trail) + the charts.
    with django_assert_num_queries(16 + CHART_QUERIES + SESSION_RENEWAL):
        response = hr_client.get(URL, {"stand_am": "2020-06-30"})
    assert len(response.context["rows"]) == min(3 + extra, 50)
    assert response.context["total_count"] == 3 + extra


def _sixty_positions_with_shares():
    """60 positions in one department: 30 full-time, 30 half-time (45 FTE)."""
    department = DepartmentFactory(name="Amt für Zählung")
    paper = adopted_paper(date=datetime.date(2019, 1, 1))
    for n in range(60):
        PositionDecisionFactory(
            position=PositionFactory(
                department=department,
                function=f"Stelle {n:02d}",
                share_percent=Decimal("100") if n % 2 else Decimal("50"),
            ),
            paper=paper,
            valid_until=END_2021,
        )
    return department


def test_the_register_shows_50_positions_a_page_and_the_rest_on_page_2(client):
    _sixty_positions_with_shares()
    first = client.get(URL)
    second = client.get(URL, {"seite": "2"})
    assert len(first.context["rows"]) == 50
    assert functions(second) == [f"Stelle {n:02d}" for n in range(50, 60)]
    assert not set(functions(first)) & set(functions(second))
    assert "Seite 2 von 2" in second.content.decode()
    assert 'href="?seite=2"' in first.content.decode()


def test_the_sums_cover_the_whole_filter_on_every_page(client):
    _sixty_positions_with_shares()
    for page in ("1", "2"):
        response = client.get(URL, {"seite": page})
        assert response.context["total_count"] == 60
        assert response.context["total_fte"] == "45,0"
        html = response.content.decode()
        assert "60 Stellen" in html
        assert "45,0 Vollzeitäquivalente" in html


def test_the_page_links_and_exports_keep_the_filter(hr_client):
    department = _sixty_positions_with_shares()
    DepartmentFactory(name="Anderes Amt")
    response = hr_client.get(URL, {"dienststelle": department.pk, "seite": "2"})
    html = response.content.decode()
    assert len(response.context["rows"]) == 10
    assert response.context["total_count"] == 60
    assert f'href="?dienststelle={department.pk}&amp;seite=1"' in html
    # The export takes the whole filter, never only one page.
    assert f"export.csv?dienststelle={department.pk}" in html
    assert "seite=2" not in html.split("export.csv", 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("page", ["0", "3", "abc", "-1", "99999999999999999999"])
def test_a_bad_page_number_is_404_never_a_server_error(client, page):
    _sixty_positions_with_shares()
    assert client.get(URL, {"seite": page}).status_code == 404


def test_last_names_the_last_page(client):
    _sixty_positions_with_shares()
    response = client.get(URL, {"seite": "last"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 10


def test_the_position_page_runs_a_fixed_number_of_queries(
    demo, hr_client, django_assert_max_num_queries
):
    position = Position.objects.get(pay_grade="EG 10")
    with django_assert_max_num_queries(16 + SESSION_RENEWAL):
        assert hr_client.get(position.get_absolute_url()).status_code == 200


def test_everyone_may_list_the_positions_expiring_within_the_next_months(client):
    from django.utils import timezone

    today = timezone.localdate()
    soon, later = PositionFactory(function="Bald"), PositionFactory(function="Später")
    for position, days in ((soon, 30), (later, 400)):
        PositionDecisionFactory(
            position=position,
            paper=adopted_paper(date=today - datetime.timedelta(days=60)),
            valid_until=today + datetime.timedelta(days=days),
        )
    response = client.get(URL, {"ablauf_in_monaten": "12"})
    assert functions(response) == ["Bald"]


def test_hr_filters_by_a_grade_a_decision_changed_the_position_to(hr_client):
    position = PositionFactory(pay_grade="EG 9")
    PositionDecisionFactory(
        position=position,
        paper=adopted_paper(date=datetime.date(2019, 1, 1)),
        valid_from=datetime.date(2019, 1, 1),
        pay_grade="EG 11",
    )
    response = hr_client.get(URL, {"entgeltgruppe": "EG 11"})
    assert [row.grade for row in response.context["rows"]] == ["EG 11"]
    assert hr_client.get(URL, {"entgeltgruppe": "EG 9"}).context["rows"] == []


def test_the_public_position_page_runs_a_fixed_number_of_queries(
    demo, client, django_assert_num_queries
):
    position = Position.objects.get(pay_grade="EG 10")
    # Position with the history its visitor may see, the decisions in force, the
    # number of non-public ones, when it last changed: with more decisions the
    # count stays the same.
    with django_assert_num_queries(7):
        assert client.get(position.get_absolute_url()).status_code == 200


def test_the_registers_sums_are_kept_per_filter_audience_and_version(
    client, clerk, demo, settings
):
    """Sums and charts over the whole filter are kept under the data version
    (Register.kept): each filter and each audience its own, a write ends them."""
    settings.RATSREGISTER_DERIVED_CACHE = True
    caches[settings.RATSREGISTER_PAGE_CACHE_ALIAS].clear()

    def fte(url):
        tfoot = re.search(r"<tfoot>.*?</tfoot>", client.get(url).text, re.S).group()
        return re.search(r"([\d,]+) Vollzeitäquivalente", tfoot).group(1)

    social = Position.objects.filter(department__name="Sozialamt").first().department
    filtered = f"{URL}?dienststelle={social.pk}"
    assert (fte(URL), fte(filtered), fte(URL)) == ("2,0", "1,5", "2,0")
    charts = client.get(URL).context["fte_chart"].rows

    # Resting on a non-public decision only: a clerk counts it, the public not.
    hidden = PositionFactory(department=social, share_percent=Decimal(100))
    PositionDecisionFactory(position=hidden, paper=adopted_paper(is_public=False))
    assert fte(URL) == "2,0"
    client.force_login(clerk)
    assert fte(URL) == "3,0"
    client.logout()
    assert fte(URL) == "2,0"

    # A write moves the version: the public's sum and chart follow it.
    position = Position.objects.filter(department=social).exclude(pk=hidden.pk)[0]
    position.share_percent -= Decimal(50)
    position.save()
    assert fte(URL) == "1,5"
    assert client.get(URL).context["fte_chart"].rows != charts


def test_hrs_grade_choices_are_kept_until_a_write(hr_client, demo, settings):
    """The grades offered are read over every position and decision once per
    data version (18 ms at 100,000 papers), not on each page."""
    settings.RATSREGISTER_DERIVED_CACHE = True
    caches[settings.RATSREGISTER_PAGE_CACHE_ALIAS].clear()

    def grades():
        form = hr_client.get(URL).context["filter"].form
        return [value for value, _label in form.fields["entgeltgruppe"].choices]

    offered = grades()
    assert "EG 10" in offered
    with CaptureQueriesContext(connection) as queries:
        assert grades() == offered
    assert not [q for q in queries if "UNION" in q["sql"]]

    PositionFactory(pay_grade="EG 15Ü")
    assert grades() == sorted([*offered, "EG 15Ü"])


@pytest.mark.parametrize("kept", [False, True], ids=["computed", "kept"])
def test_the_department_filter_offers_only_departments_with_a_position_one_may_see(
    client, clerk, demo, settings, kept
):
    # Kept per audience and data version (departments_with_positions), or not.
    settings.RATSREGISTER_DERIVED_CACHE = kept
    caches[settings.RATSREGISTER_PAGE_CACHE_ALIAS].clear()
    secret = DepartmentFactory(name="Amt für Personalsachen")
    hidden = PositionFactory(department=secret)
    PositionDecisionFactory(position=hidden, paper=adopted_paper(is_public=False))

    def offered():
        field = client.get(URL).context["filter"].form.fields["dienststelle"]
        return {label for _key, label in field.widget.choices}

    assert "Sozialamt" in offered()
    assert secret.name not in offered()
    client.force_login(clerk)
    assert secret.name in offered()
    client.logout()
    assert secret.name not in offered()
    # A write moves the version: a department's first public position counts.
    PositionDecisionFactory(
        position=PositionFactory(department=secret), paper=adopted_paper()
    )
    assert secret.name in offered()
