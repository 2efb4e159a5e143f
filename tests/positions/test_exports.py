"""HR's exports (CSV, XLSX) of the current filter and the private calendar feed."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from accounts.roles import HR
from positions.models import CalendarToken, Position
from tests.helpers import SESSION_RENEWAL

pytestmark = pytest.mark.django_db

CSV = reverse("positions:position-export", args=["csv"])
XLSX = reverse("positions:position-export", args=["xlsx"])
END_2021 = datetime.date(2021, 12, 31)
HEADINGS = [
    "Funktion",
    "Dienststelle",
    "Art",
    "Stellenanteil in %",
    "Tarif / Besoldung",
    "Entgeltgruppe",
    "befristet bis",
    "Stand",
    "Befristung beruht auf",
    "geschaffen durch",
    "unbefristet ausschreibbar",
    "Jahreskosten in EUR",
    "Jahr der Kosten",
    "Folgebeschluss in Beratung",
]
ASSISTANCE = "Verwaltungs- und Assistenzaufgaben"


def read_csv(response):
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with byte order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def filename(response):
    return response["Content-Disposition"].split("filename=")[1].strip('"')


def test_the_csv_export_opens_in_german_excel_cell_by_cell(demo, hr_client):
    response = hr_client.get(CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert rows[0] == HEADINGS
    assert len(rows) == 4
    by_function = {row[0]: row for row in rows[1:]}
    assert by_function[ASSISTANCE] == [
        ASSISTANCE,
        "Sozialamt",
        "Ermächtigung außerhalb des Stellenplans",
        "50",
        "TVöD",
        "EG 8",
        "31.12.2021",
        "befristet",
        "GRDrs 949/2019, Ziff. 5",
        "GRDrs 692/2018, Ziff. 2",
        "ja",
        "26200,00",
        "2021",
        "nein",
    ]
    planning = next(row for row in rows if row[5] == "EG 13")
    assert planning[3] == "100"
    assert planning[11] == "85800,00"
    assert planning[9] == "GRDrs 532/2017"


def test_the_csv_export_uses_a_decimal_comma_for_part_time_shares(hr_client):
    from tests.factories import PositionDecisionFactory, PositionFactory, adopted_paper

    PositionDecisionFactory(
        position=PositionFactory(share_percent=Decimal("62.5")),
        paper=adopted_paper(),
    )
    rows = read_csv(hr_client.get(CSV))
    assert rows[1][3] == "62,5"


def test_the_xlsx_export_has_real_numbers_and_dates(demo, hr_client):
    response = hr_client.get(XLSX)
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADINGS
    assert len(rows) == 4
    row = next(r for r in rows if r[0] == ASSISTANCE)
    assert row[3] == 50
    assert isinstance(row[3], (int, float))
    assert row[6] == datetime.datetime(2021, 12, 31)
    assert row[8] == "GRDrs 949/2019, Ziff. 5"
    assert row[11] == 26200
    assert row[12] == 2021
    assert sheet.cell(row=2, column=7).number_format == "DD.MM.YYYY"
    assert sheet.cell(row=2, column=12).number_format == "#,##0.00"


def test_the_exports_follow_the_filter_and_name_it_in_the_file_name(demo, hr_client):
    old = hr_client.get(CSV, {"as_of": "2019-06-30", "pay_grade": "EG 8"})
    assert old.status_code == 301
    assert old["Location"].endswith("export.csv?stand_am=2019-06-30&entgeltgruppe=EG+8")
    query = {"stand_am": "2019-06-30", "entgeltgruppe": "EG 8"}
    response = hr_client.get(CSV, query)
    assert filename(response) == "stellen_stand_am-2019-06-30_entgeltgruppe-eg-8.csv"
    rows = read_csv(response)
    assert len(rows) == 2
    assert rows[1][6] == "31.12.2019"
    assert rows[1][8] == "GRDrs 692/2018, Ziff. 2"
    xlsx = hr_client.get(XLSX, query)
    assert filename(xlsx) == "stellen_stand_am-2019-06-30_entgeltgruppe-eg-8.xlsx"
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 2
    assert filename(hr_client.get(CSV)) == "stellen.csv"


def test_an_invalid_filter_gets_a_german_message_instead_of_a_file(demo, hr_client):
    response = hr_client.get(CSV, {"stand_am": "gestern"})
    assert response.status_code == 400
    assert "Der Filter ist ungültig" in response.content.decode()


def test_an_unknown_export_format_is_404(hr_client):
    assert hr_client.get("/stellen/export.pdf").status_code == 404


@pytest.mark.parametrize("url", [CSV, XLSX])
def test_anonymous_visitors_and_clerks_cannot_export(demo, client, clerk, url):
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")
    client.force_login(clerk)
    assert client.get(url).status_code == 403


def make_token(user):
    return CalendarToken.objects.issue(user)


def feed(client, token, department=None):
    if department is None:
        url = reverse("positions:expiry-calendar", args=[token])
    else:
        url = reverse("positions:expiry-calendar-department", args=[token, department])
    return client.get(url)


def events(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def test_the_calendar_feed_has_one_all_day_event_per_position_on_31_12_2021(
    demo, client, hr_user
):
    token = make_token(hr_user)
    found = events(feed(client, token.secret))
    assert len(found) == 3
    assert {event.decoded("dtstart") for event in found} == {END_2021}
    assert {event.decoded("dtend") for event in found} == {datetime.date(2022, 1, 1)}
    position = Position.objects.get(function=ASSISTANCE)
    event = next(e for e in found if ASSISTANCE in str(e["summary"]))
    description = str(event["description"])
    assert "Sozialamt" in description
    assert "GRDrs 949/2019, Ziff. 5" in description
    assert f"http://testserver/stellen/{position.pk}/" in description
    assert str(event["url"]) == f"http://testserver/stellen/{position.pk}/"


def test_the_calendar_uids_are_stable_across_extensions(demo, client, hr_user):
    from positions.models import PositionDecision
    from tests.factories import PositionDecisionFactory, adopted_paper

    token = make_token(hr_user)
    before = {str(e["uid"]) for e in events(feed(client, token.secret))}
    position = Position.objects.get(function=ASSISTANCE)
    PositionDecisionFactory(
        position=position,
        paper=adopted_paper(year=2021, number=4711, date=datetime.date(2021, 10, 1)),
        action=PositionDecision.Action.EXTENDED,
        extends_until=END_2021,
        valid_until=datetime.date(2023, 12, 31),
    )
    after = events(feed(client, token.secret))
    assert {str(e["uid"]) for e in after} == before
    moved = next(e for e in after if ASSISTANCE in str(e["summary"]))
    assert moved.decoded("dtstart") == datetime.date(2023, 12, 31)


def test_the_department_feed_lists_only_that_departments_positions(
    demo, client, hr_user
):
    token = make_token(hr_user)
    social = Position.objects.get(function=ASSISTANCE).department
    found = events(feed(client, token.secret, social.pk))
    assert len(found) == 2
    assert all("Sozialamt" in str(e["description"]) for e in found)
    assert feed(client, token.secret, 999999).status_code == 404


def test_the_calendar_feed_holds_the_next_expiries_filled_up_with_the_last(
    demo, client, hr_user, monkeypatch
):
    from council import calendar
    from positions.models import PositionDecision
    from tests.factories import PositionDecisionFactory, PositionFactory, adopted_paper

    monkeypatch.setattr(calendar, "CALENDAR_SIZE", 3)
    today = datetime.date.today()
    for years in (1, 2):
        PositionDecisionFactory(
            position=PositionFactory(function=f"In {years} Jahren"),
            paper=adopted_paper(number=4800 + years),
            action=PositionDecision.Action.CREATED,
            valid_until=today + datetime.timedelta(days=365 * years),
        )
    token = make_token(hr_user)
    found = events(feed(client, token.secret))
    # Two to come, and one of the three of the demo that ended on 31.12.2021.
    assert [event.decoded("dtstart") for event in found] == [
        END_2021,
        today + datetime.timedelta(days=365),
        today + datetime.timedelta(days=730),
    ]


def test_a_wrong_or_revoked_token_gets_404(demo, client, hr_user):
    assert feed(client, "falsch").status_code == 404
    token = make_token(hr_user)
    assert feed(client, token.secret).status_code == 200
    token.revoke()
    assert feed(client, token.secret).status_code == 404


def test_a_token_stops_working_when_its_owner_leaves_the_personalamt(
    demo, client, hr_user
):
    token = make_token(hr_user)
    hr_user.groups.remove(Group.objects.get(name=HR))
    assert feed(client, token.secret).status_code == 404


def test_a_clerks_token_gets_no_calendar(demo, client, clerk):
    assert feed(client, make_token(clerk).secret).status_code == 404


def test_hr_makes_renews_and_revokes_its_calendar_address(demo, hr_client, hr_user):
    url = reverse("positions:calendar-token")
    hr_client.post(url, {"action": "renew"})
    first = CalendarToken.objects.get(user=hr_user)
    page = hr_client.get(url).content.decode()
    secret = re.search(r"/stellen/kalender/([-\w]+)\.ics", page)[1]
    assert CalendarToken.objects.matching(secret).get() == first
    # Shown once: only a hash is stored, and the next visit shows no address.
    assert secret not in hr_client.get(url).content.decode()
    assert secret not in str(CalendarToken.objects.values_list())
    hr_client.post(url, {"action": "renew"})
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert CalendarToken.objects.filter(user=hr_user).usable().count() == 1
    hr_client.post(url, {"action": "revoke"})
    assert not CalendarToken.objects.filter(user=hr_user).usable().exists()


def test_the_register_links_hr_to_its_calendar_page_and_holds_no_form_of_its_own(
    demo, hr_client
):
    # The address is one reader's own: the register, which all readers with the
    # same rights share from the page cache, carries neither it nor a CSRF token.
    page = hr_client.get("/stellen/").content.decode()
    assert f'href="{reverse("positions:calendar-token")}"' in page
    assert "csrfmiddlewaretoken" not in page
    calendar = hr_client.get(reverse("positions:calendar-token")).content.decode()
    assert "Private Kalender-Adresse erzeugen" in calendar


def test_anonymous_visitors_and_clerks_cannot_make_calendar_addresses(
    demo, client, clerk
):
    url = reverse("positions:calendar-token")
    assert client.post(url).status_code == 302
    assert client.get(url).status_code == 302
    client.force_login(clerk)
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 403
    assert not CalendarToken.objects.exists()


def test_a_function_text_that_looks_like_a_formula_stays_text(hr_client):
    from tests.factories import PositionDecisionFactory, PositionFactory, adopted_paper

    PositionDecisionFactory(
        position=PositionFactory(function='=HYPERLINK("http://x.example")'),
        paper=adopted_paper(),
    )
    assert read_csv(hr_client.get(CSV))[1][0] == '\'=HYPERLINK("http://x.example")'
    sheet = load_workbook(io.BytesIO(hr_client.get(XLSX).content)).active
    assert sheet.cell(row=2, column=1).data_type == "s"
    assert sheet.cell(row=2, column=1).value == '=HYPERLINK("http://x.example")'


def test_the_exports_hold_every_position_of_the_filter_not_one_page(hr_client):
    from tests.factories import (
        DepartmentFactory,
        PositionDecisionFactory,
        PositionFactory,
        adopted_paper,
    )

    department = DepartmentFactory(name="Amt für Zählung")
    paper = adopted_paper(date=datetime.date(2019, 1, 1))
    for n in range(60):
        PositionDecisionFactory(
            position=PositionFactory(department=department, function=f"Stelle {n:02d}"),
            paper=paper,
            valid_until=END_2021,
        )
    rows = read_csv(hr_client.get(CSV, {"seite": "2"}))
    assert len(rows) == 1 + 60
    # The page number of before moves to `seite` and still changes nothing.
    moved = hr_client.get(CSV, {"page": "2"}, follow=True)
    assert moved.redirect_chain[0][1] == 301
    assert len(read_csv(moved)) == 1 + 60
    sheet = load_workbook(io.BytesIO(hr_client.get(XLSX).content)).active
    assert sheet.max_row == 1 + 60


@pytest.mark.parametrize("extra", [0, 50])
@pytest.mark.parametrize("url", [CSV, XLSX])
def test_the_exports_run_a_fixed_number_of_queries(
    demo, hr_client, django_assert_num_queries, extra, url
):

    from tests.factories import (
        DepartmentFactory,
        PositionDecisionFactory,
        PositionFactory,
        adopted_paper,
    )

    department = DepartmentFactory(name="Amt für Zählung")
    paper = adopted_paper(date=datetime.date(2019, 1, 1))
    for n in range(extra):
        PositionDecisionFactory(
            position=PositionFactory(department=department, function=f"Stelle {n:02d}"),
            paper=paper,
            valid_until=END_2021,
        )
    # No consistency check in the exports: a check without its prefetch read each
    # decision's paper steps and funding lines one query at a time. One query
    # finds the departments the filter accepts (remembered in production).
    with django_assert_num_queries(11 + SESSION_RENEWAL):
        assert hr_client.get(url).status_code == 200


def cited(decision):
    return None if decision is None else decision.basis


def register_facts(row):
    """What an export's columns read of a row."""
    return {
        "position": row.position.pk,
        "share": row.share,
        "grade": row.grade,
        "expiry": row.expiry,
        "in_force": row.in_force,
        "nonpublic": row.nonpublic,
        "expiry_basis": cited(row.expiry_decision),
        "origin_basis": cited(row.origin),
        "may_advertise_unlimited": row.may_advertise_unlimited,
        "annual_cost": row.annual_cost,
        "pending_follow_up": row.pending_follow_up,
    }


@pytest.mark.parametrize("reader", ["hr", "superuser"])
def test_the_exports_say_of_every_position_what_the_register_page_says(
    hr_user, admin_user, reader
):
    """The exports read histories and costs as values, the page as model
    instances: on generated data (chains of decisions, non-public ones, funding
    lines with breakdowns and revenue) both give the same facts."""
    from benchmark.volume import generate_volume
    from positions.selectors import Register

    today = datetime.date(2026, 11, 30)
    generate_volume(scale=0.05, seed=19, today=today)
    user = hr_user if reader == "hr" else admin_user
    register = Register(user, {}, today=today)
    exported = [register_facts(row) for row in register.export_rows()]
    shown = [
        register_facts(row) for row in register.page_rows(register.page_positions())
    ]
    assert exported == shown
    assert len(exported) == Position.objects.visible_to(user).count()
    # The data holds what could differ.
    assert any(facts["annual_cost"] for facts in exported), "a cost"
    assert any(
        facts["expiry_basis"] and facts["expiry_basis"] != facts["origin_basis"]
        for facts in exported
    ), "an extension"
    if reader == "hr":
        assert any(facts["nonpublic"] for facts in exported), (
            "a row resting on a non-public decision"
        )


def test_the_exports_state_the_pages_and_the_admins_expiry_follow_one_rule():
    """A decision the reader may not see hides the rest, then whether one is
    in force decides, then the expiry: "Stand" in the exports says in a word
    what "befristet bis" on the page and in the admin's list says, or
    "befristet" beside its date."""
    from types import SimpleNamespace

    from django.contrib import admin

    from positions.exports import columns
    from positions.selectors import RegisterRow

    admin_column = admin.site._registry[Position].expiry_display

    def row(**facts):
        return RegisterRow(position=None, share=None, grade=None, **facts)

    state = next(value for heading, value, _kind in columns() if heading == "Stand")
    said = {
        # Not in force for a reader who may not see the decision in force.
        "nichtöffentlich beschlossen": row(expiry=None, in_force=False, nonpublic=True),
        "nicht wirksam": row(expiry=END_2021, in_force=False),
        "unbefristet": row(expiry=None, in_force=True),
        "befristet": row(expiry=END_2021, in_force=True),
    }
    for word, register_row in said.items():
        assert state(register_row) == word
        assert register_row.expiry_text == (
            "31.12.2021" if word == "befristet" else word
        )
        annotated = SimpleNamespace(
            rests_on_nonpublic=register_row.nonpublic,
            expiry_decision_id=1 if register_row.in_force else None,
            expiry=register_row.expiry,
        )
        assert admin_column(annotated) == register_row.expiry_text


def test_the_annual_cost_counts_expenses_of_the_year_without_breakdowns_or_revenue(
    hr_client,
):
    from funding.models import FundingLine
    from tests.factories import (
        FundingLineFactory,
        PositionDecisionFactory,
        PositionFactory,
        adopted_paper,
    )

    paper = adopted_paper(date=datetime.date(2019, 1, 1))
    position = PositionFactory()
    PositionDecisionFactory(
        position=position, paper=paper, valid_until=datetime.date(2025, 12, 31)
    )
    whole = FundingLineFactory(paper=paper, position=position, amount=Decimal(1000))
    # A breakdown of the line above and a revenue: neither is a further cost.
    FundingLineFactory(paper=paper, position=position, amount=400, part_of=whole)
    FundingLineFactory(
        paper=paper,
        position=position,
        amount=300,
        direction=FundingLine.Direction.REVENUE,
    )
    FundingLineFactory(paper=paper, position=position, year=2022, amount=500)
    in_2021 = read_csv(hr_client.get(CSV, {"stand_am": "2021-06-30"}))[1]
    assert in_2021[11:13] == ["1000,00", "2021"]
    # A year without a line: the latest year named.
    in_2023 = read_csv(hr_client.get(CSV, {"stand_am": "2023-06-30"}))
    assert in_2023[1][11:13] == ["500,00", "2022"]
