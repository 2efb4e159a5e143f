"""An anonymous visitor finds a non-public paper nowhere on the public pages."""

import datetime
import re
from decimal import Decimal
from urllib.parse import urljoin, urlsplit

import pytest

from council.models import Consultation, PaperReference, PaperSection, ResolutionItem
from funding.models import FundingLine
from positions.models import PositionDecision
from tests.factories import PaperFactory, PositionFactory

pytestmark = pytest.mark.django_db

MARKER = "Quastenflosser"
SKIPPED_PREFIXES = ("/admin/", "/oparl/", "/static/", "/media/")


@pytest.fixture
def secret_paper(demo):
    """A non-public, adopted paper that touches every kind of public page."""
    from council.models import Committee, Paper

    paper = PaperFactory(
        number=999, year=2019, title=f"{MARKER}: Grundstücksgeschäft", is_public=False
    )
    for order, slug in enumerate(["verwaltungsausschuss", "gemeinderat"], start=1):
        Consultation.objects.create(
            paper=paper,
            order=order,
            committee=Committee.objects.get(slug=slug),
            date=datetime.date.today() + datetime.timedelta(days=order),
            role=Consultation.Role.DECISION,
            result=Consultation.Result.APPROVED,
            result_note=MARKER,
        )
    item = ResolutionItem.objects.create(
        paper=paper,
        number=1,
        text=f"{MARKER} kaufen",
        due_date=datetime.date(2020, 1, 1),
    )
    PaperSection.objects.create(paper=paper, order=1, heading=MARKER, body=MARKER)
    FundingLine.objects.create(
        paper=paper,
        resolution_item=item,
        purpose=MARKER,
        year=2020,
        amount=Decimal("1"),
        budget_status=FundingLine.BudgetStatus.BUDGETED,
    )
    PositionDecision.objects.create(
        position=PositionFactory(function=f"{MARKER}-Pflege"),
        paper=paper,
        resolution_item=item,
        action=PositionDecision.Action.CREATED,
        valid_until=datetime.date.today() + datetime.timedelta(days=30),
    )
    public = Paper.objects.get(number=949, year=2019)
    PaperReference.objects.create(
        from_paper=paper, to_paper=public, kind=PaperReference.Kind.CITES
    )
    return paper


def crawl(client, start, limit=300):
    """Every page reachable from `start` by same-site links, with its HTML."""
    seen, queue, pages = set(), [start], {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        body = response.content.decode(errors="replace")
        pages[url] = body
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="([^"#]*)', body):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path and not path.startswith(SKIPPED_PREFIXES) and path not in seen:
                queue.append(path)
    return pages


def test_the_marker_of_a_non_public_paper_is_nowhere_for_anonymous_visitors(
    client, secret_paper
):
    pages = crawl(client, "/")
    for extra in ["/drucksachen/feed/", "/gremien/kalender.ics"]:
        pages.update(crawl(client, extra, limit=1))
    assert "/drucksachen/2019/949/" in pages
    assert len(pages) > 10
    assert any(url.startswith("/stellen/") for url in pages)
    leaks = [url for url, body in pages.items() if MARKER in body]
    assert leaks == []
    # Not even counted: the secret position is the only one expiring soon.
    assert "0 Stellen laufen" in pages["/"]
    assert client.get(secret_paper.get_absolute_url()).status_code == 404


def test_searching_for_the_marker_finds_nothing(client, secret_paper):
    for query in [MARKER, "999/2019", "GRDrs 999/2019"]:
        response = client.get("/drucksachen/", {"q": query})
        assert response.status_code == 200
        assert "/drucksachen/2019/999/" not in response.text
        assert "0 Drucksachen" in " ".join(
            re.sub(r"<[^>]+>", " ", response.text).split()
        )


def test_a_permitted_user_finds_the_marker(client, secret_paper, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("berechtigt", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="view_nonpublic_paper"))
    client.force_login(user)
    response = client.get("/drucksachen/", {"q": "999/2019"})
    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert MARKER in page and "nichtöffentlich" in page
    assert MARKER in client.get("/drucksachen/feed/").text
