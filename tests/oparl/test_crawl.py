"""A harvester that starts at /oparl/v1/system and follows every URL finds it all."""

from collections import deque

import pytest

from council.models import Paper

from .conftest import validate

pytestmark = pytest.mark.django_db

API = "http://testserver/oparl/v1/"
CONTENT_PROPERTIES = {"accessUrl", "downloadUrl"}


def urls_in(value, prop=None):
    """Every URL of the interface inside an object, with the property it sits in."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from urls_in(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from urls_in(item, prop)
    elif isinstance(value, str) and value.startswith(API):
        yield prop, value


def crawl(harvester):
    """Breadth-first over objects and list links; returns {id: object}."""
    objects, visited = {}, set()
    queue = deque([API + "system"])
    while queue:
        url = queue.popleft()
        if url in visited:
            continue
        visited.add(url)
        document = harvester.get(url)
        if "data" in document and "links" in document:
            # An external list: its entries, then every link a client may follow.
            for entry in document["data"]:
                validate(entry)
                objects.setdefault(entry["id"], entry)
            found = urls_in(document["data"])
            # `web` leads to the HTML pages, not to the interface.
            queue.extend(u for u in document["links"].values() if u.startswith(API))
        else:
            validate(document)
            assert document["id"] == url, "an object's id is its canonical URL"
            objects[url] = document
            found = urls_in(document)
        for prop, found_url in found:
            # A type URI of ours answers its JSON schema, not an object.
            if prop in CONTENT_PROPERTIES or prop == "type":
                continue
            queue.append(found_url)
    return objects, visited


def test_crawl_from_system_reaches_949_2019_with_its_consultations_and_relations(
    harvester, demo
):
    objects, visited = crawl(harvester)

    papers = {
        o["reference"]: o for o in objects.values() if o["type"].endswith("Paper")
    }
    assert {"949/2019", "532/2017", "692/2018", "341/2019"} <= set(papers)
    paper = papers["949/2019"]
    consultations = paper["consultation"]
    committees = [objects[c["organization"][0]]["name"] for c in consultations]
    assert committees == [
        "Sozial- und Gesundheitsausschuss",
        "Verwaltungsausschuss",
        "Gemeinderat",
    ]
    assert [c["authoritative"] for c in consultations] == [False, False, True]
    assert consultations[-1]["role"] == "Beschlussfassung"
    assert papers["532/2017"]["id"] in paper["relatedPaper"]
    assert papers["692/2018"]["id"] in paper["relatedPaper"]
    assert paper["id"] in papers["532/2017"]["relatedPaper"]
    assert objects[paper["underDirectionOf"][0]]["name"] == (
        "Referat Soziales und gesellschaftliche Integration"
    )
    assert objects[paper["originatorPerson"][0]]["name"] == "Dr. Alexandra Sußmann"

    # Embedded objects fetched on their own carry the way back.
    for consultation in consultations:
        alone = harvester.get(consultation["id"])
        assert alone["paper"] == paper["id"]
        agenda_item = harvester.get(alone["agendaItem"])
        assert agenda_item["meeting"] == alone["meeting"]
        assert agenda_item["consultation"] == consultation["id"]
        meeting = objects[alone["meeting"]]
        assert agenda_item["id"] in [a["id"] for a in meeting["agendaItem"]]

    # The crawl went through every list of the body, and everything it met was
    # public: 13 consultations of four papers, none of them hidden.
    body = next(o for o in objects.values() if o["type"].endswith("/Body"))
    for list_property in ("organization", "person", "meeting", "paper"):
        assert body[list_property] in visited
    assert len(papers) == Paper.objects.count()
    kinds = {o["type"].rsplit("/", 1)[1] for o in objects.values()}
    assert kinds >= {
        "System",
        "Body",
        "Organization",
        "Person",
        "Meeting",
        "AgendaItem",
        "Paper",
        "Consultation",
    }


def test_crawl_never_meets_a_non_public_paper(harvester, demo):
    Paper.objects.filter(number=692, year=2018).update(is_public=False)
    objects, visited = crawl(harvester)
    references = {o.get("reference") for o in objects.values()}
    assert "692/2018" not in references
    hidden = Paper.objects.get(number=692, year=2018)
    assert not any(f"/paper/{hidden.pk}" in url for url in visited)
    assert all(
        f"/paper/{hidden.pk}" not in url
        for o in objects.values()
        for _, url in urls_in(o)
    )


def test_every_web_link_leads_to_a_page_a_visitor_can_open(client, harvester, demo):
    objects, _ = crawl(harvester)
    pages = {url.split("#")[0] for obj in objects.values() for url in _web_links(obj)}
    assert "http://testserver/drucksachen/2019/949/" in pages
    assert "http://testserver/gremien/gemeinderat/" in pages
    for url in sorted(pages):
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200, url


def _web_links(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "web" and isinstance(item, str):
                yield item
            else:
                yield from _web_links(item)
    elif isinstance(value, list):
        for item in value:
            yield from _web_links(item)
