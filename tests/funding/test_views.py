"""/finanzen/: funding by year and budget unit, with the deciding papers."""

import re

import pytest

from tests.factories import FundingLineFactory, PaperFactory

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
    paper = PaperFactory()
    for year in range(rows):
        FundingLineFactory(paper=paper, year=2000 + year)
    with django_assert_max_num_queries(4):
        assert client.get("/finanzen/").status_code == 200
