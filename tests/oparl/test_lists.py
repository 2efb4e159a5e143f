"""External lists: paging, limits, filters carried into links, bad input, queries."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from council.models import Meeting
from oparl.models import Stamp
from tests import demo_snapshot
from tests.factories import (
    CommitteeFactory,
    ConsultationFactory,
    DepartmentFactory,
    FundingLineFactory,
    PaperFactory,
    PositionDecisionFactory,
    ResolutionItemFactory,
)

pytestmark = pytest.mark.django_db

PAPERS = "http://testserver/oparl/v1/body/08111000/paper"


@pytest.fixture
def many_papers():
    department = DepartmentFactory()
    return PaperFactory.create_batch(250, department=department)


def test_paging_over_250_papers_returns_each_exactly_once(harvester, many_papers):
    first = harvester.get(PAPERS)
    assert first["pagination"] == {
        "totalElements": 250,
        "elementsPerPage": 100,
        "currentPage": 1,
        "totalPages": 3,
    }
    assert "prev" not in first["links"]
    assert first["links"]["first"] == first["links"]["self"] == PAPERS

    ids, pages, url = [], [], PAPERS
    while url:
        page = harvester.get(url)
        pages.append(page)
        ids.extend(entry["id"] for entry in page["data"])
        url = page["links"].get("next")
    assert [len(p["data"]) for p in pages] == [100, 100, 50]
    assert len(ids) == len(set(ids)) == 250
    expected = {f"http://testserver/oparl/v1/paper/{p.pk}" for p in many_papers}
    assert set(ids) == expected
    # Stable order by key, and the last page knows it is the last.
    assert ids == sorted(ids, key=lambda url: int(url.rsplit("/", 1)[1]))
    assert pages[-1]["links"]["self"] == pages[0]["links"]["last"]
    assert harvester.get(pages[-1]["links"]["prev"]) == pages[1]


def test_limit_is_honoured_up_to_the_maximum(harvester, many_papers, settings):
    page = harvester.get(PAPERS + "?limit=30")
    assert len(page["data"]) == 30
    assert page["pagination"]["totalPages"] == 9
    assert parse_qs(urlsplit(page["links"]["next"]).query) == {
        "limit": ["30"],
        "page": ["2"],
    }

    settings.OPARL_MAX_PAGE_SIZE = 120
    capped = harvester.get(PAPERS + "?limit=100000")
    assert len(capped["data"]) == 120
    assert capped["pagination"]["elementsPerPage"] == 120


def test_date_filters_are_carried_into_every_link(harvester, many_papers):
    query = (
        "?created_since=2000-01-01T00%3A00%3A00%2B01%3A00"
        "&modified_until=2999-01-01T00%3A00%3A00%2B01%3A00&limit=100&page=2"
    )
    page = harvester.get(PAPERS + query)
    assert len(page["data"]) == 100
    for name in ("first", "prev", "self", "next", "last"):
        params = parse_qs(urlsplit(page["links"][name]).query)
        assert params["created_since"] == ["2000-01-01T00:00:00+01:00"], name
        assert params["modified_until"] == ["2999-01-01T00:00:00+01:00"], name
        assert params["limit"] == ["100"], name


def test_created_and_modified_filters_select_by_time(harvester, many_papers):
    early, late = many_papers[:2]
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Stamp.objects.filter(kind=Stamp.Kind.PAPER, object_pk=early.pk).update(
        created=long_ago, modified=long_ago
    )
    cutoff = (long_ago + datetime.timedelta(days=1)).isoformat()

    until = harvester.all_of(PAPERS + "?" + _q(created_until=cutoff))
    assert [p["reference"] for p in until] == [early.reference]
    since = harvester.all_of(PAPERS + "?" + _q(modified_since=cutoff))
    assert len(since) == 249
    assert early.reference not in {p["reference"] for p in since}


def _q(**params):
    from urllib.parse import urlencode

    return urlencode(params)


@pytest.mark.parametrize(
    "query",
    [
        "created_since=gestern",
        "modified_since=2019-13-45T00:00:00%2B01:00",
        "modified_until=",
        "created_until=2019-12-05T25:00:00",
    ],
)
def test_malformed_date_gets_an_oparl_error_with_status_400(harvester, query):
    error = harvester.get(f"{PAPERS}?{query}", status=400)
    assert error["type"] == "https://schema.oparl.org/1.1/Error"
    assert "kein gültiger Zeitpunkt" in error["message"]


def test_unencoded_plus_in_a_date_is_understood(harvester, many_papers):
    page = harvester.get(PAPERS + "?modified_since=2000-01-01T00:00:00+01:00")
    assert page["pagination"]["totalElements"] == 250


@pytest.mark.parametrize("query", ["limit=0", "limit=viele", "page=-1", "page=x"])
def test_malformed_limit_or_page_gets_an_oparl_error_with_status_400(harvester, query):
    error = harvester.get(f"{PAPERS}?{query}", status=400)
    assert "ganze Zahl ab 1" in error["message"]


def test_a_page_after_the_last_answers_404(harvester, many_papers):
    error = harvester.get(PAPERS + "?page=4", status=404)
    assert error["type"] == "https://schema.oparl.org/1.1/Error"


def _rich_papers(count):
    """Papers with everything a paper can embed, so every prefetch has rows."""
    department = DepartmentFactory()
    for paper in PaperFactory.create_batch(
        count, department=department, signed_by_name="Dr. Muster"
    ):
        consultation = ConsultationFactory(paper=paper, order=1)
        consultation.meeting = Meeting.objects.create(
            committee=consultation.committee, date=consultation.date
        )
        consultation.save()
        item = ResolutionItemFactory(paper=paper, number=1)
        PositionDecisionFactory(paper=paper, resolution_item=item)
        FundingLineFactory(paper=paper, resolution_item=item)


@pytest.fixture(scope="session")
def rich_paper_rows(django_db_setup, django_db_blocker):
    """Sixty rich papers, built once per session (tests/demo_snapshot.py)."""
    with django_db_blocker.unblock():
        return demo_snapshot.take(lambda: _rich_papers(60))


@pytest.fixture
def rich_papers(db, rich_paper_rows):
    """A copy of the sixty rich papers in this test."""
    demo_snapshot.insert(rich_paper_rows)


# The data version (oparl/cache.py), the keys of the page with their stamps and
# the list's count, the papers (with state and modified as subqueries), nine
# prefetches and the public meetings of the consultations: no transaction (the
# interface only reads). Asked again: 2 (tests/oparl/test_cache.py).
PAPER_PAGE_QUERIES = 13


@pytest.mark.usefixtures("rich_papers")
@pytest.mark.parametrize("limit", [5, 50])
def test_paper_list_runs_the_same_queries_for_any_page_size(
    client, django_assert_num_queries, limit
):
    with django_assert_num_queries(PAPER_PAGE_QUERIES):
        response = client.get(f"/oparl/v1/body/08111000/paper?limit={limit}")
    assert response.status_code == 200
    assert len(response.json()["data"]) == limit


@pytest.mark.parametrize("limit", [5, 50])
def test_paper_list_with_deletions_runs_the_same_queries_for_any_page_size(
    client, django_assert_num_queries, limit
):
    for paper in PaperFactory.create_batch(3):
        paper.delete()
    _rich_papers(60)
    # One more: the tombstones on the page.
    with django_assert_num_queries(PAPER_PAGE_QUERIES + 1):
        response = client.get(
            "/oparl/v1/body/08111000/paper"
            f"?limit={limit}&modified_since=2000-01-01T00%3A00%3A00%2B01%3A00"
        )
    data = response.json()["data"]
    assert len(data) == limit
    assert [entry.get("deleted") for entry in data[:4]] == [True, True, True, None]


@pytest.mark.parametrize(
    ("list_name", "queries"),
    [
        # data version, keys (counted), objects (+ agenda items of meetings, +
        # the public meetings of the steps)
        ("meeting", 4),
        ("consultation", 4),
        ("agenda-item", 3),
        ("person", 3),
    ],
)
@pytest.mark.parametrize("limit", [2, 40])
@pytest.mark.usefixtures("rich_papers")
def test_other_lists_run_the_same_queries_for_any_page_size(
    client, django_assert_num_queries, list_name, queries, limit
):
    with django_assert_num_queries(queries):
        response = client.get(f"/oparl/v1/body/08111000/{list_name}?limit={limit}")
    assert response.status_code == 200
    assert len(response.json()["data"]) == (1 if list_name == "person" else limit)


@pytest.mark.parametrize("limit", [4, 40])
def test_organization_list_runs_the_same_queries_for_any_page_size(
    client, django_assert_num_queries, limit
):
    CommitteeFactory.create_batch(3)
    DepartmentFactory.create_batch(40)
    # data version, keys (counted), committees, departments
    with django_assert_num_queries(4):
        response = client.get(f"/oparl/v1/body/08111000/organization?limit={limit}")
    data = response.json()["data"]
    assert len(data) == limit
    assert [entry["organizationType"] for entry in data[:4]] == [
        "Gremium",
        "Gremium",
        "Gremium",
        "Verwaltungsbereich",
    ]


def test_omit_internal_leaves_embedded_objects_out_and_stays_in_the_links(
    harvester, demo
):
    body = harvester.body()
    page = harvester.get(body["paper"] + "?omit_internal=true&limit=2")
    assert all("consultation" not in paper for paper in page["data"])
    assert "omit_internal=true" in page["links"]["next"]
    meetings = harvester.get(body["meeting"] + "?omit_internal=1")
    assert all("agendaItem" not in meeting for meeting in meetings["data"])
    assert "consultation" in harvester.get(body["paper"])["data"][0]
    items = harvester.get(body["agendaItem"] + "?omit_internal=true")["data"]
    assert all(item["consultation"].startswith("http") for item in items)
    assert "ratsregister:resolutionItems" in page["data"][1]
