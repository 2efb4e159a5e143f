"""The admin's paper list counted as the public's (council.selectors.counted):
from the planner's estimate when long, labelled "etwa"; exact when short or on
SQLite."""

import pytest
from django.db import connection

from council import selectors
from council.models import Paper
from tests.factories import DepartmentFactory, PaperFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers():
    department = DepartmentFactory()
    return PaperFactory.create_batch(4, department=department)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate")
def test_a_long_list_shows_its_estimated_size_in_thousands(admin_client, monkeypatch):
    # In one statement: saving 1,200 papers one by one took a minute.
    Paper.objects.bulk_create(
        PaperFactory.build_batch(1200, department=DepartmentFactory())
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE council_paper")
    monkeypatch.setattr(selectors, "ESTIMATE_FROM", 1000)
    response = admin_client.get("/admin/council/paper/")
    assert "etwa 1.000 Drucksachen" in response.content.decode()


def test_a_short_list_is_counted_exactly(admin_client, papers):
    response = admin_client.get("/admin/council/paper/")
    html = response.content.decode()
    assert "4 Drucksachen" in html
    assert "etwa" not in html


def test_filters_that_can_match_nothing_count_none_without_a_query(
    django_assert_num_queries,
):
    # Django compiles such a queryset to no SQL at all (EmptyResultSet); the
    # admin's fuzz test found one through the paper list's filters.
    with django_assert_num_queries(0):
        assert selectors.counted(Paper.objects.filter(pk__in=[])) == (0, False)


LONG_LISTS = [
    "/admin/council/paper/",
    "/admin/council/consultation/",
    "/admin/council/resolutionitem/",
    "/admin/council/papersection/",
    "/admin/funding/fundingline/",
    "/admin/positions/positiondecision/",
    "/admin/oparl/stamp/",
]


@pytest.mark.parametrize("url", LONG_LISTS)
def test_a_long_admin_list_counts_once_and_reads_no_dates_of_every_row(
    admin_client, papers, url
):
    """The admin lists of tables that run to 100,000s of rows: one count (the
    planner's estimate when long), not a second of the whole table beside a
    filtered one, and no date hierarchy, whose days or years were a DISTINCT
    over every row (the OParl stamps: 580 ms at 100,000 papers)."""
    from django.test.utils import CaptureQueriesContext

    # A search makes it a filtered list, which Django would count twice.
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url, {"q": "1"})
    assert response.status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    assert len([q for q in sql if "COUNT(*)" in q]) == 1, sql
    assert not [q for q in sql if "DATE_TRUNC" in q or "django_date_trunc" in q]
    assert not [q for q in sql if "DISTINCT" in q], sql
    # Django's date hierarchy is a <nav class="toplinks">.
    assert "toplinks" not in response.content.decode()
