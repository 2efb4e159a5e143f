"""The odd requests of issue 10 that answered with a server error, one test each.

Found by sending 18,246 odd requests to a production-like installation; each is
replayed exactly as it was found (the fuzz test next to this one looks further).
"""

import json

import pytest
from django.urls import reverse

from council.models import Paper

pytestmark = pytest.mark.django_db

PAPER_LIST = "/oparl/v1/body/08111000/paper"
PAPERS_ADMIN = reverse("admin:council_paper_changelist")
POSITIONS_ADMIN = reverse("admin:positions_position_changelist")
PLAN_REQUESTS_ADMIN = reverse("admin:positions_positionplanrequest_changelist")
CALENDAR_TOKENS_ADMIN = reverse("admin:positions_calendartoken_changelist")


def test_superscript_digits_as_year_of_the_funding_overview_show_every_year(
    client, demo
):
    response = client.get("/finanzen/?jahr=%C2%B2%C2%B2%C2%B2%C2%B2")  # ²²²²
    assert response.status_code == 200
    assert response.context["selected_year"] is None
    assert client.get("/finanzen/?jahr=2021").context["selected_year"] == 2021


@pytest.mark.parametrize("year", ["0", "1899", "3000", "99999999999999999999", "-1"])
def test_a_year_outside_the_funding_years_shows_every_year(client, demo, year):
    response = client.get("/finanzen/", {"jahr": year})
    assert response.status_code == 200
    assert response.context["selected_year"] is None


def test_a_nul_in_the_calendar_address_finds_no_page(client, demo):
    response = client.get("/stellen/kalender/%00.ics")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.text


@pytest.mark.parametrize("token", ["abc", "ä" * 40, "x" * 101, "a.b" * 10])
def test_a_calendar_address_that_cannot_be_a_token_is_not_found(client, token):
    assert client.get(f"/stellen/kalender/{token}.ics").status_code == 404


@pytest.mark.parametrize(
    "moment",
    [
        "2019-02-28T00:00:00+23:59",
        "9999-12-31T23:59:59.999999-23:59",
        "9999-12-31T23:59:59.999999-12:00",
        "0001-01-01T00:00:00+14:00",
        "0001-01-01T00:00:00",
    ],
)
def test_an_oparl_date_filter_beyond_the_representable_answers_an_oparl_400(
    client, demo, moment
):
    response = client.get(PAPER_LIST, {"modified_since": moment})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    error = json.loads(response.content)
    assert error["type"] == "https://schema.oparl.org/1.1/Error"
    assert "modified_since" in error["message"]


def test_an_oparl_date_filter_with_the_largest_offsets_is_still_read(client, demo):
    for moment in ("2019-02-28T00:00:00+14:00", "9999-12-31T12:00:00+14:00"):
        response = client.get(PAPER_LIST, {"created_until": moment})
        assert response.status_code == 200, moment


def test_a_nul_in_an_oparl_address_answers_the_oparl_404_object(client):
    response = client.get("/oparl/v1/body/08111000/paper%00")
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"
    error = json.loads(response.content)
    assert error["type"].endswith("/Error")
    assert "Nullzeichen" in error["message"]


@pytest.mark.parametrize("export", ["", "export.csv"])
def test_the_register_as_of_the_last_day_there_is_within_a_month_answers(
    hr_client, demo, export
):
    response = hr_client.get(
        f"/stellen/{export}", {"stand_am": "9999-12-31", "ablauf_in_monaten": "1"}
    )
    assert response.status_code == 200
    old = {"as_of": "9999-12-31", "within_months": "1"}
    moved = hr_client.get(f"/stellen/{export}", old, follow=True)
    assert moved.redirect_chain[0][1] == 301
    assert moved.status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "0005-06-30"])
def test_the_register_as_of_the_first_years_there_are_draws_its_charts(
    hr_client, demo, day
):
    # Found by the fuzz test: the chart's eight years began before year 1.
    response = hr_client.get("/stellen/", {"stand_am": day})
    assert response.status_code == 200
    assert "Bewilligte Vollzeitäquivalente je Dienststelle" in response.text


def test_an_unknown_committee_in_the_paper_admin_goes_back_to_the_list(
    admin_client, demo
):
    response = admin_client.get(PAPERS_ADMIN, {"committee": "abc"})
    assert response.status_code == 302
    assert response["Location"] == f"{PAPERS_ADMIN}?e=1"
    assert admin_client.get(response["Location"]).status_code == 200


def test_an_unknown_expiry_year_in_the_position_admin_goes_back_to_the_list(
    admin_client, demo
):
    response = admin_client.get(POSITIONS_ADMIN, {"expiry_year": "abc"})
    assert response.status_code == 302
    assert response["Location"] == f"{POSITIONS_ADMIN}?e=1"


def test_the_list_filters_of_the_admin_still_filter_by_what_they_offer(
    admin_client, demo
):
    paper = Paper.objects.get(number=949, year=2019)
    committee = paper.consultations.first().committee
    by_committee = admin_client.get(PAPERS_ADMIN, {"committee": committee.pk})
    assert paper in by_committee.context["cl"].result_list
    by_state = admin_client.get(PAPERS_ADMIN, {"state": "adopted"})
    assert by_state.status_code == 200
    offered = next(
        spec.lookup_choices
        for spec in admin_client.get(POSITIONS_ADMIN).context["cl"].filter_specs
        if getattr(spec, "parameter_name", None) == "expiry_year"
    )
    by_year = admin_client.get(POSITIONS_ADMIN, {"expiry_year": offered[0][0]})
    assert by_year.context["cl"].result_count > 0


@pytest.mark.parametrize(
    ("url", "query"),
    [
        (PAPERS_ADMIN, "state=%00"),
        (POSITIONS_ADMIN, "pay_grade=%00"),
        (PAPERS_ADMIN, "q=%00"),
    ],
)
def test_a_nul_in_an_admin_query_is_a_bad_request_in_german(admin_client, url, query):
    response = admin_client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert "Nullzeichen" in response.text


@pytest.mark.parametrize(
    "query",
    [
        "date__year=2147483648",
        "date__year=9999",
        "date__year=1",
        "date__year=2019&date__month=99999999999",
        "date__year=2019&date__month=12&date__day=-1",
    ],
)
def test_a_date_drill_down_beyond_the_calendar_goes_back_to_the_list(
    admin_client, query
):
    response = admin_client.get(f"{PAPERS_ADMIN}?{query}")
    assert response.status_code == 302
    assert response["Location"] == f"{PAPERS_ADMIN}?e=1"


def test_the_date_drill_down_still_narrows_the_list(admin_client, demo):
    response = admin_client.get(PAPERS_ADMIN, {"date__year": "2019"})
    assert response.status_code == 200
    assert {p.date.year for p in response.context["cl"].result_list} == {2019}


# Found by the fuzz test (tests/fuzz/test_fuzz.py), on SQLite: its driver cannot
# pass a number beyond 64 bits, and Django converts a moment to UTC before.
@pytest.mark.parametrize(
    ("url", "query"),
    [
        (PLAN_REQUESTS_ADMIN, "department=99999999999999999999"),
        (PLAN_REQUESTS_ADMIN, "department__exact=-99999999999999999999"),
        (PLAN_REQUESTS_ADMIN, "department__in=1,99999999999999999999"),
        (PLAN_REQUESTS_ADMIN, "id=9223372036854775808"),
        (CALENDAR_TOKENS_ADMIN, "revoked_at__gte=0001-01-01T00:00:00%2B14:00"),
        (CALENDAR_TOKENS_ADMIN, "revoked_at__lt=9999-12-31T23:59:59-12:00"),
        # PostgreSQL takes offsets up to 15:59 only.
        (CALENDAR_TOKENS_ADMIN, "revoked_at=0001-01-01T00:00:00-16:00"),
        # Without an offset, a moment is Django's warning, not a filter link.
        (CALENDAR_TOKENS_ADMIN, "revoked_at__gte=2020-01-01"),
    ],
)
def test_an_admin_lookup_no_database_can_take_goes_back_to_the_list(
    admin_client, url, query
):
    response = admin_client.get(f"{url}?{query}")
    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"


def test_the_admins_own_date_filter_links_still_filter(admin_client):
    changelist = admin_client.get(CALENDAR_TOKENS_ADMIN).context["cl"]
    links = [
        choice["query_string"]
        for spec in changelist.filter_specs
        for choice in spec.choices(changelist)
    ]
    assert any("revoked_at__gte" in link for link in links)
    for link in links:
        assert admin_client.get(f"{CALENDAR_TOKENS_ADMIN}{link}").status_code == 200


@pytest.mark.parametrize("path", ["/drucksachen/", "/stellen/", PAPERS_ADMIN])
def test_an_address_longer_than_gunicorn_takes_is_refused_in_german(admin_client, path):
    # gunicorn refuses a request line over 4,094 bytes; the site does the same
    # for runserver and the test client, with its own page.
    response = admin_client.get(path, {"q": "x" * 4000})
    assert response.status_code == 414
    assert "Die Adresse ist zu lang" in response.text


def test_an_overlong_oparl_address_gets_an_oparl_error_with_cors(client):
    response = client.get(PAPER_LIST, {"modified_since": "x" * 4000})
    assert response.status_code == 414
    assert response["Access-Control-Allow-Origin"] == "*"
    assert json.loads(response.content)["type"].endswith("/Error")


def test_a_query_string_of_4000_bytes_is_still_answered(client, demo):
    response = client.get("/drucksachen/", {"q": "x" * 3998})  # q= and 3,998
    assert response.status_code == 200
    assert "höchstens 200 Zeichen" in response.text
