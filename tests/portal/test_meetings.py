"""The meetings: /sitzungen/ by committee and month, one meeting with its agenda in
TOP order, its calendars, and closed items as "nichtöffentlich" without content."""

import datetime

import icalendar
import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from council.models import Committee, Consultation, Meeting, Paper

pytestmark = pytest.mark.django_db

SECRET = "Schachtelhalm"


@pytest.fixture
def council_meeting(demo):
    """The Gemeinderat's meeting of 05.12.2019 with 949/2019 as TOP 10, a public
    TOP 2 with vote counts and a closed TOP 3 about a non-public paper."""
    meeting = Meeting.objects.get(
        committee__slug="gemeinderat", date=datetime.date(2019, 12, 5)
    )
    meeting.start_time = datetime.time(16, 30)
    meeting.location = "Großer Sitzungssaal"
    meeting.save()
    step_949 = Consultation.objects.get(paper__number=949, meeting=meeting)
    step_949.agenda_number = "10"
    step_949.votes_yes, step_949.votes_no, step_949.votes_abstain = 41, 3, 2
    step_949.save()
    department = step_949.paper.department
    public = Paper.objects.create(
        number=950,
        year=2019,
        paper_type=Paper.Type.INFORMATION,
        title="Bericht zur Schulsozialarbeit",
        date=datetime.date(2019, 11, 14),
        department=department,
    )
    Consultation.objects.create(
        paper=public,
        order=1,
        committee=meeting.committee,
        meeting=meeting,
        date=meeting.date,
        role=Consultation.Role.INFORMATION,
        result=Consultation.Result.NOTED,
        agenda_number="2",
    )
    closed = Paper.objects.create(
        number=951,
        year=2019,
        paper_type=Paper.Type.DECISION,
        title=f"Grundstück {SECRET}",
        date=datetime.date(2019, 11, 15),
        department=department,
        is_public=False,
    )
    Consultation.objects.create(
        paper=closed,
        order=1,
        committee=meeting.committee,
        meeting=meeting,
        date=meeting.date,
        role=Consultation.Role.DECISION,
        result=Consultation.Result.APPROVED,
        result_note=f"Ergebnis {SECRET}",
        agenda_number="3",
        is_public=False,
    )
    return meeting


@pytest.fixture
def member(django_user_model):
    user = django_user_model.objects.create_user("mitglied", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="view_nonpublic_paper"))
    return user


def rows(html):
    body = html.split('class="agenda', 1)[1].split("</table>", 1)[0]
    return body.split("<tr")[2:]


def test_the_meeting_page_lists_the_agenda_in_top_order_with_votes(
    client, council_meeting
):
    html = client.get(council_meeting.get_absolute_url()).text
    assert "Sitzung am 05.12.2019" in html
    assert "16:30" in html and "Großer Sitzungssaal" in html
    agenda = rows(html)
    assert [row.split("</td>", 1)[0].rsplit(">", 1)[1] for row in agenda] == [
        "2",
        "3",
        "10",
    ]
    assert "GRDrs 950/2019" in agenda[0] and "zur Kenntnis genommen" in agenda[0]
    assert "GRDrs 949/2019" in agenda[2] and "Beschlussfassung" in agenda[2]
    assert "41 Ja-Stimmen" in agenda[2] and "3 Nein-Stimmen" in agenda[2]
    assert "2 Enthaltungen" in agenda[2]


def test_a_closed_item_shows_as_nichtoeffentlich_without_content(
    client, council_meeting
):
    html = client.get(council_meeting.get_absolute_url()).text
    closed = rows(html)[1]
    assert "nichtöffentlich" in closed
    assert SECRET not in html and "951/2019" not in html
    assert "Ergebnis" not in closed


def test_a_permitted_member_sees_the_closed_item(client, council_meeting, member):
    client.force_login(member)
    html = client.get(council_meeting.get_absolute_url()).text
    assert f"Grundstück {SECRET}" in html and "GRDrs 951/2019" in html


def test_a_closed_meeting_does_not_exist_for_the_public(client, demo, member):
    closed = Meeting.objects.create(
        committee=Committee.objects.get(slug="gemeinderat"),
        date=datetime.date(2019, 12, 19),
        location=f"Raum {SECRET}",
        is_public=False,
    )
    assert client.get(closed.get_absolute_url()).status_code == 404
    assert client.get(f"/sitzungen/{closed.pk}.ics").status_code == 404
    assert SECRET not in client.get("/sitzungen/").text
    assert SECRET not in client.get("/gremien/gemeinderat/sitzungen.ics").text
    client.force_login(member)
    assert SECRET in client.get(closed.get_absolute_url()).text


def test_the_meeting_list_has_upcoming_and_past_meetings(client, demo, settings):
    Meeting.objects.create(
        committee=Committee.objects.get(slug="verwaltungsausschuss"),
        date=datetime.date.today() + datetime.timedelta(days=7),
    )
    html = client.get("/sitzungen/").text
    upcoming, past = html.split('id="anstehend"')[1].split('id="vergangen"')
    assert "Verwaltungsausschuss" in upcoming
    assert "05.12.2019" in past and "25.11.2019" in past
    # Newest first.
    assert (
        past.index("05.12.2019") < past.index("04.12.2019") < past.index("25.11.2019")
    )


def test_the_meeting_list_filters_by_committee_and_month(client, demo):
    html = client.get("/sitzungen/", {"gremium": "gemeinderat"}).text
    assert "05.12.2019" in html and "04.12.2019" not in html
    html = client.get("/sitzungen/", {"monat": "2019-11"}).text
    assert "25.11.2019" in html and "05.12.2019" not in html
    assert '<option value="2019-11" selected>November 2019</option>' in html


@pytest.mark.parametrize(
    "params",
    [{"monat": "2019-13"}, {"monat": "x\x00"}, {"gremium": "nix"}, {"seite": "99"}],
)
def test_odd_meeting_filters_never_cause_a_server_error(client, demo, params):
    assert client.get("/sitzungen/", params).status_code in (200, 404)


def test_a_meeting_calendar_has_its_time_place_and_public_agenda(
    client, council_meeting
):
    response = client.get(f"/sitzungen/{council_meeting.pk}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert event["uid"] == f"sitzung-{council_meeting.pk}@ratsregister"
    assert event.decoded("dtstart").hour == 16
    assert event["location"] == "Großer Sitzungssaal"
    assert "GRDrs 949/2019" in event["description"]
    assert SECRET not in response.text and "951/2019" not in response.text


def test_a_committee_calendar_lists_its_meetings(client, demo):
    response = client.get("/gremien/gemeinderat/sitzungen.ics")
    calendar = icalendar.Calendar.from_ical(response.content)
    days = [event.decoded("dtstart") for event in calendar.walk("VEVENT")]
    assert datetime.date(2019, 12, 5) in days
    assert datetime.date(2019, 12, 4) not in days
    assert client.get("/gremien/niemand/sitzungen.ics").status_code == 404


def test_consultations_and_committee_pages_link_their_meetings(client, council_meeting):
    url = council_meeting.get_absolute_url()
    assert f'href="{url}"' in client.get("/drucksachen/2019/949/").text
    assert f'href="{url}"' in client.get("/gremien/gemeinderat/").text


def test_the_meeting_pages_run_a_fixed_number_of_queries(
    client, council_meeting, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        client.get(council_meeting.get_absolute_url())
    with django_assert_max_num_queries(8):
        client.get("/sitzungen/")


def test_a_committee_page_names_its_past_consultations_once(client, demo):
    html = client.get("/gremien/gemeinderat/").text
    assert html.count("Bisherige Beratungen") == 1


def test_a_long_agenda_is_shown_a_page_at_a_time_in_top_order(
    client, council_meeting, settings, django_assert_max_num_queries
):
    from council import agenda

    settings.RATSREGISTER_PAGE_CACHE = False
    paper = Paper.objects.get(number=950, year=2019)
    step = paper.consultations.get()
    for top in range(11, 11 + agenda.AGENDA_PAGE_SIZE):
        step.pk = None
        step.order = top
        step.agenda_number = str(top)
        step.save()
    url = council_meeting.get_absolute_url()
    with django_assert_max_num_queries(8):
        first = client.get(url).text
    numbers = [row.split("</td>", 1)[0].rsplit(">", 1)[1] for row in rows(first)]
    assert numbers == ["2", "3", "10", *map(str, range(11, 11 + 47))]
    assert "Seite 1 von 2" in first and "?seite=2" in first
    # The closed item is counted on every page, though shown on the first only.
    assert "Ein Tagesordnungspunkt wird nichtöffentlich beraten" in first
    second = client.get(f"{url}?seite=2").text
    numbers = [row.split("</td>", 1)[0].rsplit(">", 1)[1] for row in rows(second)]
    assert numbers == ["58", "59", "60"]
    assert "Ein Tagesordnungspunkt wird nichtöffentlich beraten" in second
    assert SECRET not in second
    assert client.get(f"{url}?seite=3").status_code == 404
    assert client.get(f"{url}?seite=x").status_code == 404


def test_the_meeting_list_counts_every_item_closed_ones_too_without_a_join(
    client, council_meeting
):
    # A subquery per meeting shown: a join of all consultations with GROUP BY
    # grew with the data (700 ms at 100,000 papers), for the list, its count
    # and the months offered.
    expected = council_meeting.consultations.count()
    assert expected >= 3
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sitzungen/")
    meeting = next(m for m in response.context["past"] if m.pk == council_meeting.pk)
    assert meeting.item_count == expected
    assert f"{expected} Punkte" in response.text
    assert not [q for q in queries if 'JOIN "council_consultation"' in q["sql"]]
