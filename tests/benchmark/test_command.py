"""The benchmark command: measures every page, refuses a database with data."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmark.management.commands.benchmark import is_transaction_control
from benchmark.urls import BASE_VIEW_PATH
from benchmark.volume import generate_volume
from council.models import Paper

pytestmark = pytest.mark.django_db

PAGES = [
    "Startseite",
    "Drucksachen, Seite 1",
    "Drucksachen, Jahr und Art",
    "Drucksachen, gefiltert",
    "Volltextsuche häufiges Wort „Integrationsmanagement“",
    "Volltextsuche seltenes Wort „Leuzebad“",
    "Tippfehler „Integrationsmanagment“",
    "Drucksache (meiste Ziffern)",
    "Stelle (längste Kette)",
    "Stellen, Ablauf in 12 Monaten",
    "Admin: Drucksachen",
    "Admin: Drucksache (meiste Ziffern)",
    "Drucksache, nichtöffentlich",
    "Gremium",
    "Beschlusskontrolle",
    "Finanzen",
    "Stellen",
    "Stellen, gefiltert",
    "Export CSV",
    "Export XLSX",
    "OParl Drucksachen, Seite 1",
    "OParl Drucksache",
]


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("benchmark", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_command_measures_every_page_counts_queries_and_compares_with_the_base():
    # The small data set of issue 12 for CI: 2,000 papers.
    report = json.loads(run("--papers", "2000", "--repeat", "1", "--format", "json"))
    pages = {page["page"] for page in report["pages"]}
    assert set(PAGES) <= pages
    assert any(page.startswith("OParl Drucksachen, letzte Seite") for page in pages)
    assert any(page.startswith("OParl Drucksachen, tiefe Seite") for page in pages)
    assert any(page.startswith("Suche nach Nummer") for page in pages)
    for page in report["pages"]:
        if page["page"].startswith("Suche nach Nummer"):
            # A search for a paper's number may lead straight to the paper.
            assert page["status"] in (200, 302), page
        else:
            assert page["status"] == 200, page
            assert page["bytes"] > 0, page
        assert page["queries"] > 0, page
    assert {page["user"] for page in report["pages"]} == {
        "anonymous",
        "clerk",
        "hr",
        "admin",
    }
    # Each page measured beside the base-template view, with its target of #12.
    targets = {}
    for page in report["pages"]:
        assert page["base_median_ms"] > 0, page
        assert page["ratio_median"] == pytest.approx(
            page["median_ms"] / page["base_median_ms"], rel=0.05, abs=0.1
        )
        assert page["ratio_p95"] > 0
        if page["target_ratio"] is not None:
            assert page["meets_target"] == (
                page["ratio_median"] <= page["target_ratio"]
            )
        targets[page["page"]] = page["target_ratio"]
    assert targets["Drucksache (meiste Ziffern)"] == 5
    assert targets["Drucksachen, Seite 1"] == 10
    assert targets["Finanzen"] == 10
    assert targets["Tippfehler „Integrationsmanagment“"] == 20
    assert targets["Admin: Drucksachen"] == 20
    assert targets["Export CSV"] is None


def test_command_removes_what_it_generated_unless_asked_to_keep_it():
    # One page is enough to see what happens to the data.
    run("--scale", "0.005", "--repeat", "1", "--only", "Startseite")
    assert not Paper.objects.exists()
    run("--scale", "0.005", "--repeat", "1", "--only", "Startseite", "--keep")
    assert Paper.objects.exists()


def test_text_output_is_a_table_with_a_row_per_page_and_its_ratio_to_the_base():
    output = run("--scale", "0.005", "--repeat", "1")
    assert "Median ms" in output and "p95 ms" in output
    assert "× Basis p50" in output and "Ziel" in output and "≤ 5×" in output
    assert "Ziele erfüllt" in output
    assert "gerendert:" in output and "wie ausgeliefert" in output
    for label in PAGES:
        assert label in output


def test_the_base_template_view_renders_the_site_frame_without_a_query(
    client, settings
):
    settings.ROOT_URLCONF = "benchmark.urls"
    settings.RATSREGISTER_PAGE_CACHE = False
    client.get(BASE_VIEW_PATH)
    # Only the transaction every request runs in (ATOMIC_REQUESTS).
    with CaptureQueriesContext(connection) as queries:
        response = client.get(BASE_VIEW_PATH)
    assert response.status_code == 200
    assert b"site-header" in response.content
    assert [q["sql"] for q in queries if not is_transaction_control(q["sql"])] == []


def test_pages_are_also_measured_as_served_from_the_page_cache(settings):
    settings.RATSREGISTER_PAGE_CACHE = True
    report = json.loads(
        run(
            "--scale", "0.005", "--repeat", "2",
            "--only", "Startseite|Drucksachen, Seite 1", "--format", "json",
        )
    )  # fmt: skip
    by_user = {page["user"]: page for page in report["pages"]}
    anonymous, clerk = by_user["anonymous"], by_user["clerk"]
    # Rendered, every page: more than the one query of the data version.
    assert anonymous["queries"] > 1
    # As served: from the cache, with a verdict of its own.
    assert anonymous["served_from_cache"] is True
    assert anonymous["served_meets_target"] == (
        anonymous["served_ratio_median"] <= anonymous["target_ratio"]
    )
    # A signed-in reader too, from what was kept for readers with the same rights.
    assert clerk["queries"] > anonymous["queries"]
    assert clerk["served_from_cache"] is True
    assert clerk["served_meets_target"] == (
        clerk["served_ratio_median"] <= clerk["target_ratio"]
    )
    # The yardstick stays the bare render without a query (checked by the
    # command on every page): the report exists, every page answered.
    assert {page["status"] for page in report["pages"]} == {200}


def test_without_the_page_cache_served_is_rendered(settings):
    settings.RATSREGISTER_PAGE_CACHE = False
    report = json.loads(
        run(
            "--scale", "0.005", "--repeat", "1",
            "--only", "Startseite", "--format", "json",
        )
    )  # fmt: skip
    [page] = report["pages"]
    assert page["served_from_cache"] is False
    assert page["served_median_ms"] == page["median_ms"]
    assert page["served_meets_target"] == page["meets_target"]


def test_the_site_itself_has_no_base_template_view(client):
    assert client.get(BASE_VIEW_PATH).status_code == 404


def test_command_refuses_a_database_that_already_holds_papers():
    generate_volume(scale=0.005)
    before = Paper.objects.count()
    with pytest.raises(CommandError, match="enthält schon Daten"):
        run("--scale", "0.005", "--repeat", "1")
    assert Paper.objects.count() == before


def test_use_existing_measures_the_data_as_it_is_and_deletes_nothing():
    generate_volume(scale=0.005)
    before = Paper.objects.count()
    output = run("--use-existing", "--repeat", "1", "--only", "Startseite")
    assert "Startseite" in output
    assert Paper.objects.count() == before


def test_use_existing_on_an_empty_database_says_there_is_nothing_to_measure():
    with pytest.raises(CommandError, match="keine Drucksachen"):
        run("--use-existing")
