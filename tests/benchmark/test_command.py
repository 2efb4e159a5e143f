"""The benchmark command: measures every page, refuses a database with data."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from benchmark.volume import generate_volume
from council.models import Paper

pytestmark = pytest.mark.django_db

PAGES = [
    "Startseite",
    "Drucksachen, Seite 1",
    "Drucksachen, gefiltert",
    "Volltextsuche „Integrationsmanagement“",
    "Tippfehler „Integrationsmanagment“",
    "Drucksache (meiste Ziffern)",
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


def test_command_measures_every_page_with_status_200_and_counts_queries():
    report = json.loads(run("--scale", "0.005", "--repeat", "1", "--format", "json"))
    pages = {page["page"] for page in report["pages"]}
    assert set(PAGES) <= pages
    assert any(page.startswith("OParl Drucksachen, letzte Seite") for page in pages)
    for page in report["pages"]:
        assert page["status"] == 200, page
        assert page["queries"] > 0, page
        assert page["bytes"] > 0, page
    assert {page["user"] for page in report["pages"]} == {"anonymous", "clerk", "hr"}


def test_command_removes_what_it_generated_unless_asked_to_keep_it():
    run("--scale", "0.005", "--repeat", "1")
    assert not Paper.objects.exists()
    run("--scale", "0.005", "--repeat", "1", "--keep")
    assert Paper.objects.exists()


def test_text_output_is_a_table_with_a_row_per_page():
    output = run("--scale", "0.005", "--repeat", "1")
    assert "Median ms" in output and "p95 ms" in output
    for label in PAGES:
        assert label in output


def test_command_refuses_a_database_that_already_holds_papers():
    generate_volume(scale=0.005)
    before = Paper.objects.count()
    with pytest.raises(CommandError, match="enthält schon Daten"):
        run("--scale", "0.005", "--repeat", "1")
    assert Paper.objects.count() == before


def test_use_existing_measures_the_data_as_it_is_and_deletes_nothing():
    generate_volume(scale=0.005)
    before = Paper.objects.count()
    output = run("--use-existing", "--repeat", "1")
    assert "Startseite" in output
    assert Paper.objects.count() == before


def test_use_existing_on_an_empty_database_says_there_is_nothing_to_measure():
    with pytest.raises(CommandError, match="keine Drucksachen"):
        run("--use-existing")
