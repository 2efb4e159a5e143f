"""/finanzen/: funding by year and budget unit, with the deciding papers."""

import re
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import FundingLineFactory, PaperFactory, ResolutionItemFactory

pytestmark = pytest.mark.django_db


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ").split())


def test_the_overview_sums_by_year_and_budget_unit(client, demo):
    response = client.get("/finanzen/")
    assert response.status_code == 200
    page = text_of(response.text)
    # THH 500 in 2020: 3.505.000 + 85.800 + 26.200, all expense; the status differs.
    assert (
        "THH 500 – Sozialamt Aufwand veranschlagt im Haushaltsplanentwurf "
        "3.505.000,00 €" in page
    )
    assert "THH 500 – Sozialamt Aufwand noch nicht veranschlagt 112.000,00 €" in page
    assert "THH 500 – Sozialamt Ertrag noch nicht veranschlagt 3.270.000,00 €" in page
    assert "THH 290 – Jobcenter Aufwand noch nicht veranschlagt 34.450,00 €" in page


def test_the_overview_links_to_the_deciding_items(client, demo):
    html = client.get("/finanzen/").text
    assert 'href="/drucksachen/2019/949/#ziffer-6"' in html
    assert 'href="/drucksachen/2019/949/#ziffer-3"' in html


def test_breakdowns_are_not_counted_twice(client, demo):
    page = text_of(client.get("/finanzen/").text)
    assert "6.775.000,00 €" not in page  # 3.505.000 + 3.270.000 in 2021


def test_the_overview_leaves_out_non_public_papers(client):
    FundingLineFactory(paper=PaperFactory(is_public=False), purpose="Geheimgeld")
    FundingLineFactory(purpose="Offengeld")
    page = client.get("/finanzen/").text
    assert "Offengeld" in page and "Geheimgeld" not in page


@pytest.mark.parametrize("rows", [1, 50])
def test_the_overview_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, rows
):
    # Lines on items of several papers: each links to its item's anchor.
    for index in range(rows):
        item = ResolutionItemFactory(number=1)
        FundingLineFactory(paper=item.paper, resolution_item=item, year=2000 + index)
    # 5 + the expense per year by budget status for the chart.
    with django_assert_max_num_queries(6):
        response = client.get("/finanzen/")
    assert response.status_code == 200
    assert response.text.count("#ziffer-1") == rows


def test_the_lines_come_a_page_at_a_time_and_the_sums_cover_all(client):
    paper = PaperFactory()
    FundingLineFactory.create_batch(150, paper=paper, year=2021, amount=10)
    first = text_of(client.get("/finanzen/").text)
    assert "Seite 1 von 2" in first
    assert "1.500,00 €" in first  # the sum of all 150 lines, not of the page
    second = client.get("/finanzen/", {"seite": 2})
    assert second.status_code == 200
    assert second.text.count("<td>Sachkosten</td>") == 50
    assert client.get("/finanzen/", {"seite": 9}).status_code == 404


def test_the_lines_can_be_limited_to_one_year(client, demo):
    html = client.get("/finanzen/", {"jahr": "2021"}).text
    lines = html[html.index('id="positionen"') :]
    assert "<caption>2021</caption>" in lines
    assert "<caption>2020</caption>" not in lines
    assert client.get("/finanzen/", {"jahr": "\x00"}).status_code == 200


def test_an_invalid_year_is_named_on_the_page_and_not_applied(client, demo):
    response = client.get("/finanzen/", {"jahr": "²²²²"})
    assert response.status_code == 200
    page = text_of(response.text)
    assert "Jahr: Bitte eine ganze Zahl eingeben." in page
    lines = response.text[response.text.index('id="positionen"') :]
    assert "<caption>2020</caption>" in lines and "<caption>2021</caption>" in lines


def test_the_budget_unit_breakdown_covers_the_newest_years_or_the_chosen_one(client):
    for year in range(2010, 2022):
        FundingLineFactory(year=year, amount=year)
    html = client.get("/finanzen/").text
    overview = html[html.index('id="uebersicht"') : html.index('id="positionen"')]
    assert [f'id="jahr-{year}"' in overview for year in (2018, 2019, 2020, 2021)] == [
        False,
        True,
        True,
        True,
    ]
    # Every year keeps its sum and a link to its breakdown.
    years = html[html.index('id="jahressummen"') : html.index('id="uebersicht"')]
    assert 'href="?jahr=2010#uebersicht"' in years
    assert "2.010,00 €" in text_of(years)
    chosen = client.get("/finanzen/", {"jahr": "2010"}).text
    overview = chosen[chosen.index('id="uebersicht"') : chosen.index('id="positionen"')]
    assert 'id="jahr-2010"' in overview and 'id="jahr-2021"' not in overview


@pytest.mark.parametrize("rows", [1, 120])
def test_the_overview_runs_the_same_queries_at_any_volume(
    client, django_assert_num_queries, rows
):
    for index in range(rows):
        FundingLineFactory(year=2000 + index % 30)
    # Sums per year, budget unit and status (with the lines' count for the pages;
    # the breakdown of the newest years and the chart of the expense per year read
    # them too), the page of lines; the savepoint pair of ATOMIC_REQUESTS.
    with django_assert_num_queries(4):
        assert client.get("/finanzen/").status_code == 200
    with django_assert_num_queries(4):
        assert (
            client.get("/finanzen/", {"jahr": "2000", "seite": "1"}).status_code == 200
        )


MAX_PAGE_BYTES = 200_000  # issue 12: no page over 200 KB of HTML


def test_twenty_years_of_forty_budget_units_stay_under_200_kb(client):
    from decimal import Decimal

    from funding.models import BudgetUnit, FundingLine

    paper = PaperFactory()
    units = BudgetUnit.objects.bulk_create(
        BudgetUnit(number=str(100 + 10 * n), name=f"Teilhaushalt Amt Nummer {n}")
        for n in range(40)
    )
    FundingLine.objects.bulk_create(
        FundingLine(
            paper=paper,
            purpose="Personal- und Sachkosten der Maßnahme im Haushaltsjahr",
            year=year,
            amount=Decimal("123456.78"),
            budget_unit=unit,
            direction=direction,
            budget_status=status,
        )
        for year in range(2005, 2025)
        for unit in units
        for direction in FundingLine.Direction.values
        for status in FundingLine.BudgetStatus.values
    )
    for query in ({}, {"jahr": "2010"}, {"seite": "20"}):
        response = client.get("/finanzen/", query)
        assert response.status_code == 200
        assert len(response.content) < MAX_PAGE_BYTES, (query, len(response.content))


@pytest.fixture
def kept_sums(settings):
    """The sums kept under the data version, as in production."""
    settings.RATSREGISTER_DERIVED_CACHE = True
    caches[settings.RATSREGISTER_PAGE_CACHE_ALIAS].clear()


@pytest.mark.usefixtures("kept_sums")
def test_the_sums_are_kept_until_the_next_write(client):
    line = FundingLineFactory(year=2031, amount=Decimal("1234.00"))
    assert "1.234,00 €" in text_of(client.get("/finanzen/").text)
    with CaptureQueriesContext(connection) as first:
        client.get("/finanzen/")
    # Kept: the second request reads the version, not the lines' sums.
    assert not any("SUM(" in query["sql"] for query in first.captured_queries)
    line.amount = Decimal("4321.00")
    line.save()
    page = text_of(client.get("/finanzen/").text)
    assert "4.321,00 €" in page and "1.234,00 €" not in page


@pytest.mark.usefixtures("kept_sums")
def test_kept_sums_are_kept_for_each_audience(client, clerk):
    FundingLineFactory(
        paper=PaperFactory(is_public=False), year=2031, amount=Decimal("999.00")
    )
    FundingLineFactory(year=2031, amount=Decimal("1.00"))
    client.force_login(clerk)
    assert "1.000,00 €" in text_of(client.get("/finanzen/").text)
    client.logout()
    page = text_of(client.get("/finanzen/").text)
    assert "1,00 €" in page and "1.000,00 €" not in page and "999,00" not in page
