"""The admin's paper list: its unfiltered size from the planner's statistics
when long, labelled "etwa"; exact when short, filtered or on SQLite."""

import pytest
from django.db import connection

from council import admin_paging
from tests.factories import DepartmentFactory, PaperFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers():
    department = DepartmentFactory()
    return PaperFactory.create_batch(4, department=department)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_class")
def test_a_long_unfiltered_list_shows_its_estimated_size(
    admin_client, papers, monkeypatch
):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE council_paper")
    monkeypatch.setattr(admin_paging, "ESTIMATE_FROM", 3)
    response = admin_client.get("/admin/council/paper/")
    assert "etwa 4 Drucksachen" in response.content.decode()
    filtered = admin_client.get("/admin/council/paper/", {"is_public__exact": "1"})
    assert "etwa" not in filtered.content.decode()
    assert "4 Drucksachen" in filtered.content.decode()


def test_a_short_list_is_counted_exactly(admin_client, papers):
    response = admin_client.get("/admin/council/paper/")
    html = response.content.decode()
    assert "4 Drucksachen" in html
    assert "etwa" not in html
