"""The findings of issue 15, one test each: search by bare number and short year,
no control characters echoed, case-insensitive suffixes, the printed tables of
"Finanzielle Auswirkungen", the admin's filter headings, a favicon, one page width,
and local settings without collectstatic."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from council.models import Paper
from council.templatetags.paper_text import text_blocks
from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def another_949(demo):
    return PaperFactory(number=949, year=2017, title="Eine ältere Nummer 949")


def test_a_bare_number_finds_the_papers_of_that_number_newest_first(
    client, another_949
):
    html = client.get("/drucksachen/", {"q": "949"}).text
    assert "2 Drucksachen" in html
    assert html.index("949/2019") < html.index("949/2017")
    assert "532/2017" not in html


@pytest.mark.parametrize("typed", ["949/19", "Drs. 949/2019", "GRDrs. 949/19"])
def test_short_years_and_prefixes_open_the_paper(client, demo, typed):
    response = client.get("/drucksachen/", {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == "/drucksachen/2019/949/"


def test_the_admin_search_finds_a_bare_number_and_a_short_year(
    admin_client, another_949
):
    found = admin_client.get("/admin/council/paper/", {"q": "949"})
    assert {paper.reference for paper in found.context["cl"].result_list} == {
        "949/2019",
        "949/2017",
    }
    found = admin_client.get("/admin/council/paper/", {"q": "Drs. 949/19"})
    assert [paper.reference for paper in found.context["cl"].result_list] == [
        "949/2019"
    ]


@pytest.mark.parametrize("typed", ["\x00", "Integration\x00", "a\x01b\x1b[31m"])
def test_control_characters_are_not_shown_back(client, demo, typed):
    response = client.get("/drucksachen/", {"q": typed})
    assert response.status_code == 200
    for char in "\x00\x01\x1b":
        assert char not in response.text


def test_a_suffix_in_another_case_redirects_to_the_canonical_address(client, demo):
    PaperFactory(number=648, year=2020, suffix="Neufassung")
    response = client.get("/drucksachen/2020/648/neufassung/")
    assert response.status_code == 301
    assert response["Location"] == "/drucksachen/2020/648/Neufassung/"
    assert client.get("/drucksachen/2020/648/Neufassung/").status_code == 200
    assert client.get("/drucksachen/2020/648/Ergaenzung/").status_code == 404


def test_a_hidden_paper_is_not_revealed_by_a_suffix_redirect(client, demo):
    PaperFactory(number=649, year=2020, suffix="Neufassung", is_public=False)
    assert client.get("/drucksachen/2020/649/neufassung/").status_code == 404


def test_finanzielle_auswirkungen_shows_the_printed_tables(client, demo):
    html = client.get("/drucksachen/2019/949/").text
    section = html.split(">Finanzielle Auswirkungen</h3>", 1)[1].split("</section>")[0]
    assert '<table class="text-table">' in section
    assert '<th scope="col" class="num">2020</th>' in section
    assert '<td class="num">3.505 TEUR</td>' in section
    # What does not read as rows keeps its printed layout.
    assert '<pre class="printed">' in section
    assert "<p>2020</p>" not in section and "<p>3.505 TEUR</p>" not in section


def test_a_table_needs_a_label_and_one_amount_per_year():
    blocks = text_blocks("Text davor.\n\n2020\n2021\nZweck\n1 EUR\n2 EUR\n\nDanach.")
    assert blocks == [
        ("text", "Text davor."),
        ("table", ["2020", "2021"], [("Zweck", ["1 EUR", "2 EUR"])]),
        ("text", "Danach."),
    ]
    assert text_blocks("2020\n2021\nZweck\n1 EUR")[0][0] == "pre"


def test_the_admin_filters_are_headed_by_their_names(admin_client, demo):
    html = admin_client.get("/admin/council/paper/").text
    assert "Nach federführende" not in html
    assert "Federführende Dienststelle" in html


def test_every_page_names_a_favicon(client, demo):
    assert 'rel="icon" href="/static/img/favicon.svg"' in client.get("/").text
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"


def test_the_header_names_the_body_and_shows_a_logo_if_set(client, demo, settings):
    settings.RATSREGISTER_BODY_NAME = "Stadt Musterhausen"
    settings.RATSREGISTER_LOGO = "img/favicon.svg"
    html = client.get("/drucksachen/").text
    header = html.split("</header>")[0]
    assert "Stadt Musterhausen" in header
    assert '<img class="brand-logo" src="/static/img/favicon.svg"' in header
    # The menu is a disclosure that works without JavaScript.
    assert '<details class="nav-menu">' in header and "<summary>" in header


def test_the_positions_register_has_the_page_width_of_every_page():
    css = (Path(settings.BASE_DIR) / "static" / "css").glob("*.css")
    widths = [
        line
        for path in css
        for line in path.read_text().splitlines()
        if "main {" in line
    ]
    assert all("max-width: 96rem" not in line for line in widths)


def test_local_settings_serve_static_files_without_collectstatic(tmp_path):
    # A fresh interpreter: the local settings with DEBUG off and no STATIC_ROOT.
    script = (
        "import django; django.setup();"
        "from django.templatetags.static import static;"
        "from django.test import Client;"
        "print(static('css/site.css'));"
        "response = Client().get('/static/css/site.css');"
        "print(response.status_code)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "False",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/static/css/site.css", "200"]


def test_the_reference_reader_keeps_its_older_readings():
    assert Paper.split_reference("949/2019") == (949, 2019, "")
    assert Paper.split_reference("949") == (None, None, "")
    assert Paper.split_number("Drs. 949") == 949
    assert Paper.split_number("949/2019") is None
