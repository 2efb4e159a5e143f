"""The Atom feed of new papers."""

import xml.etree.ElementTree as ET

import pytest

from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    root = ET.fromstring(response.content)
    return [
        (entry.findtext(f"{ATOM}title"), entry.find(f"{ATOM}link").get("href"))
        for entry in root.iter(f"{ATOM}entry")
    ]


def test_the_feed_lists_the_entered_papers(client, demo):
    response = client.get("/drucksachen/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    found = entries(response)
    titles = [title for title, _ in found]
    assert any(
        title.startswith("GRDrs 949/2019: Pakt für Integration") for title in titles
    )
    assert "http://testserver/drucksachen/2019/949/" in [link for _, link in found]
    # A paper known only by citation is not news.
    assert not any("341/2019" in title for title in titles)


def test_the_feed_leaves_out_non_public_papers(client):
    PaperFactory(title="Geheimsache", is_public=False)
    PaperFactory(title="Offene Sache")
    titles = [title for title, _ in entries(client.get("/drucksachen/feed/"))]
    assert len(titles) == 1 and titles[0].endswith("Offene Sache")


@pytest.mark.parametrize("rows", [1, 50])
def test_the_feed_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        PaperFactory()
    with django_assert_max_num_queries(3):
        client.get("/drucksachen/feed/")
