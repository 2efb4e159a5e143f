"""The Beschlusskontrolle's pages (council/control.py): read in two parts, the
overdue items and then the others, yet in the order of `control_items`, and
counted no further than a cap."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser

from council import control
from council.models import ResolutionItem
from tests.factories import ResolutionItemFactory, adopted_paper

pytestmark = pytest.mark.django_db

ON = datetime.date(2024, 6, 1)
DUE_DATES = [
    None,
    datetime.date(2020, 1, 1),
    datetime.date(2024, 5, 31),
    ON,
    datetime.date(2030, 1, 1),
]


@pytest.fixture
def items():
    """20 items of four adopted papers: every due date (none, overdue, today,
    later) with every state of implementation, several on the same day."""
    papers = [
        adopted_paper(number=number, year=year)
        for number, year in [(1, 2020), (2, 2020), (1, 2021), (7, 2019)]
    ]
    states = itertools.cycle(ResolutionItem.Implementation.values)
    for number, due in enumerate(DUE_DATES * 4, start=1):
        ResolutionItemFactory(
            paper=papers[number % 4],
            number=number,
            due_date=due,
            implementation=next(states),
        )


@pytest.mark.parametrize("per_page", [1, 3, 7, 50])
def test_the_pages_follow_the_order_of_control_items(items, per_page):
    user = AnonymousUser()
    expected = [item.pk for item in control.control_items(user, ON)]
    assert len(expected) == 20
    assert any(item.is_overdue for item in control.control_items(user, ON))
    paginator = control.ControlPaginator(
        control.control_items(user, ON), per_page, on=ON
    )
    pages = [
        item.pk
        for number in paginator.page_range
        for item in paginator.page(number).object_list
    ]
    assert pages == expected
    assert paginator.count == 20 and not paginator.is_capped


def test_the_overdue_filter_pages_only_overdue_items(items):
    user = AnonymousUser()
    overdue = control.control_items(user, ON).filter(is_overdue=True)
    paginator = control.ControlPaginator(overdue, 2, on=ON)
    pages = [i.pk for n in paginator.page_range for i in paginator.page(n)]
    assert pages == [item.pk for item in overdue] and pages


def test_a_long_list_is_counted_and_paged_up_to_the_cap(items):
    user = AnonymousUser()
    expected = [item.pk for item in control.control_items(user, ON)]
    paginator = control.ControlPaginator(
        control.control_items(user, ON), 4, on=ON, cap=10
    )
    assert paginator.is_capped and paginator.count == 10
    assert paginator.num_pages == 3
    pages = [i.pk for n in paginator.page_range for i in paginator.page(n)]
    assert pages == expected[:10]


def test_the_page_says_more_than_the_cap(client, items, monkeypatch):
    monkeypatch.setattr(control, "today", lambda: ON)
    monkeypatch.setattr(control, "CONTROL_ITEMS_CAP", 5)
    html = client.get("/beschlusskontrolle/").text
    assert "Mehr als 5 Ziffern" in html
    assert html.count('class="card-ref"') == 5
    monkeypatch.setattr(control, "CONTROL_ITEMS_CAP", 20)
    assert "20 Ziffern" in client.get("/beschlusskontrolle/").text
