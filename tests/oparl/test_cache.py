"""What oparl/cache.py keeps: each object's JSON under its stamp (PostgreSQL) and
each list's size and page starts under the data version. Asked again, a page or an
object costs a few queries and is the same to the byte; an edit, a withdrawal from
the public or a deletion shows at once."""

import pytest
from django.db import connection

from council.models import Consultation
from tests.factories import ConsultationFactory, DepartmentFactory, PaperFactory

pytestmark = pytest.mark.django_db

PAPERS = "http://testserver/oparl/v1/body/08111000/paper"
objects_kept = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="objects are kept on PostgreSQL only (SQLite's stamps: milliseconds)",
)


@pytest.fixture
def papers():
    department = DepartmentFactory()
    return PaperFactory.create_batch(30, department=department)


def paper_url(paper):
    return f"http://testserver/oparl/v1/paper/{paper.pk}"


@objects_kept
def test_a_page_asked_again_is_the_same_from_two_queries(
    client, papers, django_assert_num_queries
):
    first = client.get("/oparl/v1/body/08111000/paper?limit=10&page=2")
    # The data version, the page's keys with their stamps.
    with django_assert_num_queries(2):
        second = client.get("/oparl/v1/body/08111000/paper?limit=10&page=2")
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


@objects_kept
def test_an_object_asked_again_is_the_same_from_one_query(
    client, papers, django_assert_num_queries
):
    url = f"/oparl/v1/paper/{papers[0].pk}"
    first = client.get(url)
    # Its stamp and whether it is public.
    with django_assert_num_queries(1):
        second = client.get(url)
    assert second.content == first.content
    assert second["Last-Modified"] == first["Last-Modified"]


def test_an_edit_shows_in_the_list_and_the_object_at_once(harvester, papers):
    paper = papers[3]
    harvester.get(PAPERS + "?limit=10")
    harvester.get(paper_url(paper))
    paper.title = "Neuer Betreff der Vorlage"
    paper.save()
    assert harvester.get(PAPERS + "?limit=10")["data"][3]["name"] == paper.title
    assert harvester.get(paper_url(paper))["name"] == paper.title


def test_an_edit_of_an_embedded_step_shows_at_once(harvester, papers):
    paper = papers[0]
    step = ConsultationFactory(paper=paper, result=Consultation.Result.OPEN)
    before = harvester.get(paper_url(paper))
    harvester.get(PAPERS + "?limit=10")
    step.result = Consultation.Result.APPROVED
    step.save()
    after = harvester.get(paper_url(paper))
    assert after != before
    assert after["consultation"][0]["ratsregister:result"] == "approved"
    listed = harvester.get(PAPERS + "?limit=10")["data"][0]
    assert listed == after


def test_a_paper_taken_from_the_public_leaves_at_once(harvester, papers):
    paper = papers[2]
    harvester.get(PAPERS + "?limit=10")
    harvester.get(paper_url(paper))
    paper.is_public = False
    paper.save()
    page = harvester.get(PAPERS + "?limit=10")
    assert paper_url(paper) not in [entry["id"] for entry in page["data"]]
    assert page["pagination"]["totalElements"] == 29
    stub = harvester.get(paper_url(paper))
    assert stub["deleted"] is True
    assert "name" not in stub


def test_later_pages_start_at_their_keys_and_follow_every_write(harvester, papers):
    ids = [paper_url(p) for p in sorted(papers, key=lambda p: p.pk)]
    pages = [harvester.get(f"{PAPERS}?limit=7&page={n}") for n in (1, 2, 3, 4, 5)]
    assert [e["id"] for p in pages for e in p["data"]] == ids
    assert [len(p["data"]) for p in pages] == [7, 7, 7, 7, 2]
    assert "next" not in pages[-1]["links"]
    harvester.get(f"{PAPERS}?limit=7&page=6", status=404)

    papers[0].delete()
    newer = PaperFactory(department=papers[1].department)
    ids = [*ids[1:], paper_url(newer)]
    again = [harvester.get(f"{PAPERS}?limit=7&page={n}") for n in (3, 1, 5, 2, 4)]
    assert sorted(e["id"] for p in again for e in p["data"]) == sorted(ids)
    assert [e["id"] for e in again[0]["data"]] == ids[14:21]
    assert again[0]["pagination"]["totalElements"] == 30


def test_pages_are_the_same_with_and_without_what_is_kept(harvester, papers, settings):
    query = "?limit=8&modified_since=2000-01-01T00%3A00%3A00%2B01%3A00"
    papers[5].delete()
    kept = [harvester.get(f"{PAPERS}{query}&page={n}") for n in (2, 4, 1, 3, 2)]
    settings.OPARL_OBJECT_CACHE = False
    fresh = [harvester.get(f"{PAPERS}{query}&page={n}") for n in (2, 4, 1, 3, 2)]
    assert kept == fresh
    assert kept[2]["data"][5]["deleted"] is True
