"""Every public page: a title and a heading that say where you are, landmarks, a skip
link and a label for every field, in German."""

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/drucksachen/",
    "/drucksachen/?q=Integration&jahr=2019",
    "/drucksachen/2019/949/",
    "/drucksachen/2017/532/",
    "/drucksachen/2019/341/",
    "/gremien/",
    "/gremien/gemeinderat/",
    "/beschlusskontrolle/",
    "/finanzen/",
    "/sitzungen/",
    "/stellen/",
]


class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.labels, self.fields = [], set(), []
        self.h1, self.title, self._in = [], "", None
        # A chart's <title> names the chart, not the page.
        self._svg = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "svg":
            self._svg += 1
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            self.fields.append(attrs)
        if tag in ("h1", "title") and not self._svg:
            self._in = tag

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg -= 1
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "h1":
            self.h1.append(data)
        elif self._in == "title":
            self.title += data


def outline(html):
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_title_heading_landmarks_and_labels(client, demo, path):
    response = client.get(path)
    assert response.status_code == 200
    page = outline(response.text)
    tags = [tag for tag, _ in page.tags]
    assert ("html", {"lang": "de"}) in page.tags
    assert tags.count("h1") == 1
    heading = " ".join("".join(page.h1).split())
    title = " ".join(page.title.split())
    assert heading and title.endswith("· Ratsregister")
    # The title names the page the heading names (the reference of a paper suffices).
    assert title.split(" – ")[0].split(" · ")[0] in heading or heading in title
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in tags
    assert re.search(
        r'<a class="skip-link" href="#inhalt">Zum Inhalt springen</a>', (response.text)
    )
    assert 'id="inhalt"' in response.text
    for field in page.fields:
        assert field.get("id") in page.labels, field


def test_german_dates_and_amounts_throughout(client, demo):
    html = client.get("/drucksachen/2019/949/").text
    assert "13.11.2019" in html and "2019-11-13</" not in html
    assert "3.505.000,00\xa0€" in html
    assert "3505000" not in html


def test_the_paper_list_s_old_year_parameter_leads_to_the_german_one(client, demo):
    response = client.get("/drucksachen/?q=Integration&year=2019")
    assert response.status_code == 301
    assert response["Location"] == "/drucksachen/?q=Integration&jahr=2019"
