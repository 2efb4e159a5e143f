"""Every page asks the database as often with a few rows as with many (issue 12):
the pages are measured on a small register, which then grows to three times its
size (papers, steps, items, meetings, references, positions, funding lines), and
each page's count of queries must not move. The admin's change page of a paper
is measured for a small paper and for one with five times the rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from council.models import Committee, Consultation, Meeting, Paper, PaperReference
from funding.models import BudgetUnit, FundingLine
from tests.factories import (
    CommitteeFactory,
    DepartmentFactory,
    PositionDecisionFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def grow(committee, department, unit, count, start):
    """`count` more papers, each with steps in meetings, items, a section,
    a reference, a position decision and funding lines (one a breakdown)."""
    papers = []
    for n in range(start, start + count):
        paper = Paper.objects.create(
            number=n,
            year=2020 + n % 3,
            paper_type=Paper.Type.DECISION,
            title=f"Integrationsmanagement Vorlage {n}",
            date=TODAY - datetime.timedelta(days=n),
            department=department,
            is_public=n % 5 != 0,
        )
        papers.append(paper)
        shift = 1 if n % 2 else -1
        meeting = Meeting.objects.create(
            committee=committee, date=TODAY + datetime.timedelta(days=shift * n)
        )
        for order, role in enumerate(
            [Consultation.Role.PRELIMINARY, Consultation.Role.DECISION], start=1
        ):
            Consultation.objects.create(
                paper=paper,
                order=order,
                committee=committee,
                meeting=meeting,
                date=meeting.date,
                role=role,
                result=Consultation.Result.APPROVED,
            )
        for number in (1, 2):
            paper.items.create(
                number=number,
                text=f"Dem Integrationsmanagement wird zugestimmt ({number}).",
                responsible_department=department,
                due_date=TODAY - datetime.timedelta(days=number),
            )
        paper.sections.create(order=1, heading="Begründung", body="Integration")
        if len(papers) > 1:
            PaperReference.objects.create(
                from_paper=paper, to_paper=papers[-2], kind=PaperReference.Kind.CITES
            )
        position = PositionFactory(department=department)
        PositionDecisionFactory(
            position=position,
            paper=paper,
            resolution_item=paper.items.first(),
            valid_until=TODAY + datetime.timedelta(days=100 + n),
        )
        line = FundingLine.objects.create(
            paper=paper,
            resolution_item=paper.items.first(),
            purpose="Personalkosten",
            budget_unit=unit,
            year=2021,
            amount=Decimal("1000.00"),
            budget_status=FundingLine.BudgetStatus.BUDGETED,
            position=position,
        )
        FundingLine.objects.create(
            paper=paper,
            purpose="davon Sachkosten",
            budget_unit=unit,
            year=2021,
            amount=Decimal("100.00"),
            budget_status=FundingLine.BudgetStatus.BUDGETED,
            part_of=line,
        )
    return papers


def pages(paper, committee):
    return {
        "start": "/",
        "papers": "/drucksachen/",
        "papers, filtered": "/drucksachen/?jahr=2021&art=beschlussvorlage",
        "search": "/drucksachen/?q=Integrationsmanagement",
        "paper": paper.get_absolute_url(),
        "committee": committee.get_absolute_url(),
        "control": "/beschlusskontrolle/",
        "funding": "/finanzen/",
        "register": "/stellen/",
        "oparl papers": "/oparl/v1/body/08111000/paper",
    }


def counts(client, urls):
    found = {}
    for name, url in urls.items():
        client.get(url)  # the first request of a process reads more
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        found[name] = len(queries)
    return found


@pytest.fixture
def register():
    committee = CommitteeFactory(
        name="Gemeinderat", slug="gemeinderat", kind=Committee.Kind.COUNCIL
    )
    department = DepartmentFactory(name="Sozialamt", short_name="SOZ")
    unit = BudgetUnit.objects.create(number="500", name="Sozialamt")
    return committee, department, unit


@pytest.mark.parametrize("viewer", ["anonymous", "clerk"])
def test_no_page_asks_more_queries_when_the_register_grows(
    client, clerk, register, viewer
):
    committee, department, unit = register
    papers = grow(committee, department, unit, 3, start=1)
    if viewer == "clerk":
        client.force_login(clerk)
    # The same paper's page at both sizes: its own rows do not grow.
    urls = pages(papers[1], committee)
    small = counts(client, urls)
    grow(committee, department, unit, 6, start=100)
    assert counts(client, urls) == small, small


def test_the_admin_asks_as_often_for_a_large_paper_as_for_a_small_one(
    admin_client, register
):
    committee, department, unit = register
    small_paper = grow(committee, department, unit, 2, start=1)[-1]
    large_paper = grow(committee, department, unit, 2, start=50)[-1]
    # Five times the rows on the large paper's change page.
    for number in range(3, 11):
        item = large_paper.items.create(number=number, text="Weitere Ziffer")
        FundingLine.objects.create(
            paper=large_paper,
            resolution_item=item,
            purpose="Sachkosten",
            budget_unit=unit,
            year=2022,
            amount=Decimal("10.00"),
            budget_status=FundingLine.BudgetStatus.BUDGETED,
        )
    for order in range(3, 11):
        meeting = Meeting.objects.create(
            committee=CommitteeFactory(), date=TODAY + datetime.timedelta(days=order)
        )
        Consultation.objects.create(
            paper=large_paper,
            order=order,
            committee=meeting.committee,
            meeting=meeting,
            date=meeting.date,
            role=Consultation.Role.DELIBERATION,
        )
    small = counts(
        admin_client,
        {
            "changelist": "/admin/council/paper/",
            "change": f"/admin/council/paper/{small_paper.pk}/change/",
        },
    )
    grow(committee, department, unit, 4, start=200)
    large = counts(
        admin_client,
        {
            "changelist": "/admin/council/paper/",
            "change": f"/admin/council/paper/{large_paper.pk}/change/",
        },
    )
    assert large == small, small
