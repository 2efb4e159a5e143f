"""The start page combines council, positions and funding."""

import datetime
import re

import pytest

from tests.factories import (
    ConsultationFactory,
    PaperFactory,
    PositionDecisionFactory,
    ResolutionItemFactory,
    adopted_paper,
)

pytestmark = pytest.mark.django_db


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ").split())


def test_the_start_page_shows_the_latest_papers_and_consultations(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    page = text_of(response.text)
    assert "GRDrs 949/2019 · 13.11.2019 · beschlossen" in page
    assert "05.12.2019 · Gemeinderat (Beschlussfassung): GRDrs 949/2019" in page
    assert 'href="/drucksachen/2019/949/"' in response.text
    assert "Keine überfälligen Ziffern." in page


def test_the_start_page_counts_positions_expiring_within_a_year(client):
    soon = datetime.date.today() + datetime.timedelta(days=100)
    for _ in range(2):
        PositionDecisionFactory(paper=adopted_paper(), valid_until=soon)
    PositionDecisionFactory(
        paper=adopted_paper(), valid_until=soon + datetime.timedelta(days=400)
    )
    html = client.get("/").text
    assert "2 Stellen laufen bis zum" in text_of(html)
    assert 'href="/stellen/?ablauf_in_monaten=12"' in html


def test_the_start_page_lists_overdue_items(client):
    paper = adopted_paper()
    ResolutionItemFactory(paper=paper, number=2, due_date=datetime.date(2020, 3, 1))
    html = client.get("/").text
    assert f'href="{paper.get_absolute_url()}#ziffer-2"' in html
    assert "fällig seit 01.03.2020" in text_of(html)


def test_the_start_page_counts_overdue_items_up_to_a_cap(client, monkeypatch):
    from portal import views

    monkeypatch.setattr(views, "OVERDUE_COUNT_CAP", 2)
    paper = adopted_paper()
    for number in (1, 2):
        ResolutionItemFactory(
            paper=paper, number=number, due_date=datetime.date(2020, 3, 1)
        )
    assert "Alle 2 überfälligen Ziffern" in text_of(client.get("/").text)
    ResolutionItemFactory(paper=paper, number=3, due_date=datetime.date(2020, 3, 1))
    assert "Mehr als 2 überfällige Ziffern" in text_of(client.get("/").text)


def test_the_start_page_hides_non_public_papers(client):
    PaperFactory(title="Geheimsache", is_public=False)
    ConsultationFactory(
        paper=PaperFactory(title="Offen"), is_public=False, result_note="x"
    )
    page = client.get("/").text
    assert "Geheimsache" not in page


@pytest.mark.parametrize("rows", [1, 50])
def test_the_start_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        paper = adopted_paper(date=datetime.date(2020, 1, 1))
        ResolutionItemFactory(paper=paper, due_date=datetime.date(2020, 2, 1))
        PositionDecisionFactory(paper=paper, valid_until=datetime.date.today())
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200


def test_a_missing_page_explains_itself_in_german(client):
    response = client.get("/drucksachen/1999/1/")
    assert response.status_code == 404
    assert "<title>Seite nicht gefunden" in response.text
    assert 'href="/drucksachen/"' in response.text


def test_the_start_pages_counts_are_kept_per_audience_day_and_data_version(
    client, clerk, settings, monkeypatch
):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from council import control

    settings.RATSREGISTER_DERIVED_CACHE = True
    caches[settings.RATSREGISTER_PAGE_CACHE_ALIAS].clear()
    soon = datetime.date.today() + datetime.timedelta(days=100)
    for _ in range(2):
        PositionDecisionFactory(paper=adopted_paper(), valid_until=soon)

    def expiring():
        page = text_of(client.get("/").text)
        return re.search(r"(\d+) Stellen? l(?:äuft|aufen) bis", page).group(1)

    assert expiring() == "2"
    with CaptureQueriesContext(connection) as queries:
        assert expiring() == "2"
    assert not [q for q in queries if q["sql"].upper().startswith("SELECT COUNT(")]

    # Resting on a non-public decision: counted for a clerk, not for the public.
    PositionDecisionFactory(paper=adopted_paper(is_public=False), valid_until=soon)
    assert expiring() == "2"
    client.force_login(clerk)
    assert expiring() == "3"
    client.logout()
    # A write moves the data version, a new day starts another count.
    PositionDecisionFactory(paper=adopted_paper(), valid_until=soon)
    assert expiring() == "3"
    later = datetime.date.today() + datetime.timedelta(days=200)
    monkeypatch.setattr(control, "today", lambda: later)
    assert expiring() == "0"
