"""Committee pages and the Beschlusskontrolle."""

import datetime

import pytest

from council.models import Consultation, Department, ResolutionItem
from tests.council.test_views import element, text_of
from tests.factories import (
    CommitteeFactory,
    ConsultationFactory,
    PaperFactory,
    ResolutionItemFactory,
    adopted_paper,
)

pytestmark = pytest.mark.django_db


def test_the_committee_list_names_every_committee(client, demo):
    response = client.get("/gremien/")
    page = text_of(response.text)
    assert "Gemeinderat (Gemeinderat)" in page
    assert "Sozial- und Gesundheitsausschuss (Ausschuss)" in page
    assert 'href="/gremien/verwaltungsausschuss/"' in response.text
    assert 'href="/gremien/kalender.ics"' in response.text


def test_a_committee_page_lists_its_consultations_by_date(client, demo):
    html = client.get("/gremien/gemeinderat/").text
    past = text_of(element(html, "vergangen"))
    assert (
        past.index("05.12.2019") < past.index("22.11.2018") < past.index("28.09.2017")
    )
    assert "GRDrs 949/2019" in past
    assert "Beschlussfassung zugestimmt" in past
    assert "<title>Gemeinderat" in html


def test_an_upcoming_consultation_is_listed_as_upcoming(client):
    committee = CommitteeFactory(name="Bauausschuss", slug="bau")
    paper = PaperFactory(title="Neue Brücke")
    ConsultationFactory(
        paper=paper, committee=committee, order=1, date=datetime.date(2999, 1, 5)
    )
    html = client.get("/gremien/bau/").text
    assert "Neue Brücke" in text_of(element(html, "kuenftig"))
    assert "05.01.2999" in html


def test_an_unknown_committee_answers_404(client, demo):
    assert client.get("/gremien/stadtrat-von-atlantis/").status_code == 404


def test_a_committee_page_hides_non_public_consultations(client):
    committee = CommitteeFactory(slug="va")
    ConsultationFactory(committee=committee, paper=PaperFactory(title="Offen A"))
    ConsultationFactory(
        committee=committee, paper=PaperFactory(title="Geheim B"), is_public=False
    )
    ConsultationFactory(
        committee=committee, paper=PaperFactory(title="Geheim C", is_public=False)
    )
    page = client.get("/gremien/va/").text
    assert "Offen A" in page
    assert "Geheim B" not in page and "Geheim C" not in page


@pytest.mark.parametrize("rows", [1, 50])
def test_a_committee_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, rows
):
    committee = CommitteeFactory(slug="ja")
    for _ in range(rows):
        ConsultationFactory(committee=committee, paper=PaperFactory())
    with django_assert_max_num_queries(6):
        assert client.get("/gremien/ja/").status_code == 200


def test_the_calendar_has_one_event_per_public_consultation(client, demo):
    import icalendar

    response = client.get("/gremien/kalender.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 10
    summaries = [str(event["SUMMARY"]) for event in events]
    assert "Gemeinderat: GRDrs 949/2019 (Beschlussfassung)" in summaries
    gr = next(e for e in events if "Gemeinderat: GRDrs 949/2019" in str(e["SUMMARY"]))
    assert gr.decoded("DTSTART") == datetime.date(2019, 12, 5)
    assert str(gr["URL"]).endswith("/drucksachen/2019/949/")


def test_the_calendar_can_be_narrowed_to_one_committee(client, demo):
    import icalendar

    response = client.get("/gremien/kalender.ics", {"gremium": "gemeinderat"})
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 3
    assert all(str(e["SUMMARY"]).startswith("Gemeinderat:") for e in events)


def test_the_calendar_leaves_out_non_public_consultations(client):
    import icalendar

    ConsultationFactory(paper=PaperFactory(title="Geheim"), is_public=False)
    ConsultationFactory(paper=PaperFactory(title="Offen"))
    response = client.get("/gremien/kalender.ics")
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["DESCRIPTION"]) for e in events] == ["Offen"]


def test_the_control_list_shows_the_items_of_adopted_papers(client, demo):
    html = client.get("/beschlusskontrolle/").text
    page = text_of(html)
    assert "GRDrs 949/2019, Ziff. 3" in page
    assert 'href="/drucksachen/2019/949/#ziffer-3"' in html
    assert "GRDrs 341/2019" not in page


def _control_items():
    department = Department.objects.create(name="Tiefbauamt", kind=Department.Kind.AMT)
    paper = adopted_paper(title="Straßen")
    overdue = ResolutionItemFactory(
        paper=paper, number=1, due_date=datetime.date(2020, 1, 1)
    )
    later = ResolutionItemFactory(
        paper=paper,
        number=2,
        due_date=datetime.date(2999, 1, 1),
        responsible_department=department,
    )
    done = ResolutionItemFactory(
        paper=paper,
        number=3,
        due_date=datetime.date(2020, 1, 1),
        implementation=ResolutionItem.Implementation.DONE,
    )
    return department, overdue, later, done


def test_the_control_list_puts_overdue_items_first(client):
    _control_items()
    html = client.get("/beschlusskontrolle/").text
    assert html.index("#ziffer-1") < html.index("#ziffer-2")
    assert html.index("#ziffer-1") < html.index("#ziffer-3")
    assert text_of(html).count("überfällig") >= 2  # the filter label and one badge


def test_the_control_list_filters(client):
    department, overdue, later, done = _control_items()
    html = client.get("/beschlusskontrolle/", {"ueberfaellig": "on"}).text
    assert "#ziffer-1" in html and "#ziffer-2" not in html and "#ziffer-3" not in html
    html = client.get("/beschlusskontrolle/", {"dienststelle": department.pk}).text
    assert "#ziffer-2" in html and "#ziffer-1" not in html
    html = client.get("/beschlusskontrolle/", {"umsetzung": "done"}).text
    assert "#ziffer-3" in html and "#ziffer-1" not in html


def test_the_control_list_s_old_parameter_names_redirect_to_the_german_ones(client):
    department, overdue, later, done = _control_items()
    for old, new, value in [
        ("overdue", "ueberfaellig", "on"),
        ("department", "dienststelle", department.pk),
        ("implementation", "umsetzung", "done"),
    ]:
        response = client.get("/beschlusskontrolle/", {old: value})
        assert response.status_code == 301
        assert response["Location"] == f"/beschlusskontrolle/?{new}={value}"


def test_the_control_list_reports_invalid_filters(client):
    _control_items()
    response = client.get("/beschlusskontrolle/", {"dienststelle": "x\x00"})
    assert response.status_code == 200
    assert "#ziffer-1" in response.text
    assert "Nullzeichen sind nicht erlaubt" in text_of(response.text)
    other = client.get("/beschlusskontrolle/", {"dienststelle": "x"})
    assert "Bitte eine gültige Auswahl treffen" in text_of(other.text)
    moved = client.get("/beschlusskontrolle/", {"department": "x\x00"}, follow=True)
    assert moved.redirect_chain[0][1] == 301
    assert moved.status_code == 200
    assert "#ziffer-1" in moved.text


def test_the_control_list_hides_items_of_non_public_papers(client):
    paper = adopted_paper(is_public=False)
    ResolutionItemFactory(paper=paper, text="Geheimer Auftrag")
    assert "Geheimer Auftrag" not in client.get("/beschlusskontrolle/").text


@pytest.mark.parametrize("rows", [1, 50])
def test_the_control_list_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, rows
):
    paper = adopted_paper()
    for number in range(1, rows + 1):
        ResolutionItemFactory(paper=paper, number=number)
    with django_assert_max_num_queries(6):
        assert client.get("/beschlusskontrolle/").status_code == 200


def test_consultation_results_count_for_the_control_list(client):
    paper = PaperFactory()
    ConsultationFactory(paper=paper, order=1, result=Consultation.Result.REJECTED)
    ResolutionItemFactory(paper=paper, text="Abgelehnter Auftrag")
    assert "Abgelehnter Auftrag" not in client.get("/beschlusskontrolle/").text


@pytest.mark.parametrize("slug", ["\x00", "ä" * 300, "a b", "<x>"])
def test_an_odd_committee_in_the_calendar_gives_an_empty_calendar(client, demo, slug):
    import icalendar

    response = client.get("/gremien/kalender.ics", {"gremium": slug})
    assert response.status_code == 200
    assert icalendar.Calendar.from_ical(response.content).walk("VEVENT") == []


def test_the_committee_list_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    for _ in range(50):
        CommitteeFactory()
    with django_assert_max_num_queries(3):
        assert client.get("/gremien/").status_code == 200


def test_a_permitted_user_sees_non_public_consultations_marked(
    client, django_user_model
):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("ratsmitglied", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="view_nonpublic_paper"))
    client.force_login(user)
    committee = CommitteeFactory(slug="va")
    ConsultationFactory(
        committee=committee, paper=PaperFactory(title="Geheim B"), is_public=False
    )
    html = client.get("/gremien/va/").text
    assert "Geheim B" in html and "nichtöffentlich" in html


@pytest.mark.parametrize("rows", [1, 50])
def test_the_calendar_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        ConsultationFactory(paper=PaperFactory())
    # The next dates and the most recent, each with their meetings.
    with django_assert_max_num_queries(5):
        assert client.get("/gremien/kalender.ics").status_code == 200


def test_the_calendar_holds_the_next_dates_filled_up_with_the_most_recent(
    client, monkeypatch
):
    import icalendar

    from council import calendar

    monkeypatch.setattr(calendar, "CALENDAR_SIZE", 4)
    today = datetime.date.today()
    for days in (-30, -3, -2, 5, 1, 400):
        ConsultationFactory(
            paper=PaperFactory(title=f"Tag {days}"),
            date=today + datetime.timedelta(days=days),
        )

    def titles():
        response = client.get("/gremien/kalender.ics")
        events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        return [str(event["DESCRIPTION"]) for event in events]

    assert titles() == ["Tag -2", "Tag 1", "Tag 5", "Tag 400"]
    for days in (2, 3, 4):
        ConsultationFactory(
            paper=PaperFactory(title=f"Tag {days}"),
            date=today + datetime.timedelta(days=days),
        )
    assert titles() == ["Tag 1", "Tag 2", "Tag 3", "Tag 4"]


def test_a_committee_page_shows_its_past_consultations_a_page_at_a_time(client):
    committee = CommitteeFactory(slug="ja")
    for day in range(1, 61):
        ConsultationFactory(
            committee=committee,
            paper=PaperFactory(title=f"Vorgang {day:02d}"),
            date=datetime.date(2019, 1, 1) + datetime.timedelta(days=day),
        )
    first = client.get("/gremien/ja/")
    page = text_of(first.text)
    assert "Seite 1" in page
    assert "Vorgang 60" in page and "Vorgang 10" not in page
    assert 'href="?seite=2#vergangen"' in first.text
    second = client.get("/gremien/ja/", {"seite": 2}).text
    assert "Vorgang 10" in text_of(second) and "Vorgang 60" not in text_of(second)
    assert 'href="?seite=1#vergangen"' in second and "?seite=3" not in second
    # Beyond the last page or not a page at all: a page, not an error.
    assert "Keine weiteren Beratungen" in client.get("/gremien/ja/?seite=9").text
    assert "Vorgang 60" in client.get("/gremien/ja/?seite=x").text
    assert client.get("/gremien/ja/?seite=99999999999999999999").status_code == 200


def test_a_committee_page_shows_the_next_fifty_upcoming_consultations(client):
    committee = CommitteeFactory(slug="ja")
    future = datetime.date.today() + datetime.timedelta(days=10)
    for day in range(55):
        ConsultationFactory(
            committee=committee,
            paper=PaperFactory(),
            date=future + datetime.timedelta(days=day),
        )
    html = client.get("/gremien/ja/").text
    upcoming = html[html.index('id="kuenftig"') : html.index('id="vergangen"')]
    assert upcoming.count("<tr>") == 51  # the heading and fifty
    assert "Die nächsten 50 Beratungen" in text_of(upcoming)
    assert 'href="/sitzungen/?gremium=ja"' in upcoming


# The committee, the next upcoming consultations and a page of the past ones
# (meetings in the same query, no COUNT), when it last changed; the savepoints.
COMMITTEE_QUERIES = 6


@pytest.mark.parametrize("rows", [1, 120])
def test_a_committee_page_runs_the_same_queries_at_any_volume(
    client, django_assert_num_queries, rows
):
    committee = CommitteeFactory(slug="ja")
    for index in range(rows):
        ConsultationFactory(
            committee=committee,
            paper=PaperFactory(),
            date=datetime.date(2019, 1, 1) + datetime.timedelta(days=index),
        )
    with django_assert_num_queries(COMMITTEE_QUERIES):
        assert client.get("/gremien/ja/").status_code == 200
    with django_assert_num_queries(COMMITTEE_QUERIES):
        assert client.get("/gremien/ja/", {"seite": "2"}).status_code == 200


# The count, the page of items (papers and departments joined), the departments of
# the filter form; the savepoints of ATOMIC_REQUESTS.
ITEM_LIST_QUERIES = 5


@pytest.mark.parametrize("rows", [1, 60])
def test_the_control_list_runs_the_same_queries_at_any_volume(
    client, django_assert_num_queries, rows
):
    for number in range(1, rows + 1):
        ResolutionItemFactory(
            paper=adopted_paper(), number=number, due_date=datetime.date(2001, 1, 1)
        )
    with django_assert_num_queries(ITEM_LIST_QUERIES):
        assert client.get("/beschlusskontrolle/").status_code == 200
    with django_assert_num_queries(ITEM_LIST_QUERIES):
        response = client.get("/beschlusskontrolle/", {"ueberfaellig": "on"})
    assert response.context["paginator"].count == rows


def test_a_committee_with_thousands_of_consultations_stays_under_200_kb(client):
    committee = CommitteeFactory(slug="ja")
    papers = [
        PaperFactory(title="Ein Betreff, wie Vorlagen ihn haben, recht lang " * 3)
        for _ in range(60)
    ]
    for index in range(300):
        ConsultationFactory(
            committee=committee,
            paper=papers[index % 60],
            order=index // 60 + 1,
            date=datetime.date(2010, 1, 1) + datetime.timedelta(days=index),
        )
    for day in range(60):
        ConsultationFactory(
            committee=committee,
            paper=papers[day],
            order=9,
            date=datetime.date.today() + datetime.timedelta(days=day + 1),
        )
    for page in ("1", "3"):
        response = client.get("/gremien/ja/", {"seite": page})
        assert response.status_code == 200
        assert len(response.content) < 200_000, (page, len(response.content))
