"""Optimistic concurrency: a change form saved after someone else saved the same
record (or one of its inline rows) is refused with what changed in between, and
neither edit is lost."""

import threading
import time

import pytest
from django.db import connection

import audit.concurrency
from audit.concurrency import EDIT_VERSION, read_version
from council.models import Paper
from positions.models import Position

from .helpers import change_url, form_data

pytestmark = pytest.mark.django_db

TITLE_A = "Integrationsmanagement – Titel von A"
TITLE_B = "Integrationsmanagement – Titel von B"
ITEM_A = "Ziffer 1 in der Fassung von A."


@pytest.fixture
def two_clerks(clerk, django_user_model, client):
    from django.contrib.auth.models import Group
    from django.test import Client

    from accounts.roles import CLERKS

    other = django_user_model.objects.create_user(
        "clerk_b", password="pw", is_staff=True, first_name="Berta", last_name="B."
    )
    other.groups.add(Group.objects.get(name=CLERKS))
    a, b = Client(), Client()
    a.force_login(clerk)
    b.force_login(other)
    return a, b


def item_text_key(data, number=1):
    for key, value in data.items():
        if (
            key.startswith("items-")
            and key.endswith("-number")
            and value == str(number)
        ):
            return key.removesuffix("-number") + "-text"
    raise KeyError(number)


def paper_949():
    return Paper.objects.get(number=949, year=2019)


def test_a_stale_form_is_refused_and_both_edits_survive(demo, two_clerks):
    a, b = two_clerks
    paper = paper_949()
    url = change_url(paper)
    form_a = form_data(a.get(url).text)
    form_b = form_data(b.get(url).text)
    assert read_version(paper, form_a[EDIT_VERSION]) == read_version(
        paper, form_b[EDIT_VERSION]
    )

    key = item_text_key(form_a)
    old_item = form_a[key]
    assert a.post(url, {**form_a, "title": TITLE_A, key: ITEM_A}).status_code == 302

    refused = b.post(url, {**form_b, "title": TITLE_B})
    assert refused.status_code == 200
    page = refused.text
    assert "Während Sie diese Seite bearbeitet haben, hat clerk am" in page
    assert "Nichts wurde gespeichert" in page
    conflicts = refused.context["edit_conflicts"]
    assert [(c.field, c.theirs, c.yours) for c in conflicts] == [
        ("Betreff", TITLE_A, TITLE_B),
        ("Text", ITEM_A, old_item),
    ]
    assert conflicts[1].row == "Beschlussantrag-Ziffer „GRDrs 949/2019, Ziff. 1“"
    paper.refresh_from_db()
    assert paper.title == TITLE_A
    assert paper.items.get(number=1).text == ITEM_A

    # The form comes back with B's title and A's item text, and a new version:
    # saving it again keeps both edits.
    again = form_data(page)
    assert again["title"] == TITLE_B
    assert again[key] == ITEM_A
    assert read_version(paper, again[EDIT_VERSION]) != read_version(
        paper, form_b[EDIT_VERSION]
    )
    assert b.post(url, again).status_code == 302
    paper.refresh_from_db()
    assert (paper.title, paper.items.get(number=1).text) == (TITLE_B, ITEM_A)


def test_a_change_of_an_inline_row_alone_makes_the_form_stale(demo, two_clerks):
    a, b = two_clerks
    paper = paper_949()
    url = change_url(paper)
    form_a, form_b = form_data(a.get(url).text), form_data(b.get(url).text)
    key = item_text_key(form_a, 2)
    assert a.post(url, {**form_a, key: ITEM_A}).status_code == 302
    refused = b.post(url, {**form_b, "title": TITLE_B})
    assert refused.status_code == 200
    assert [c.field for c in refused.context["edit_conflicts"]] == ["Text"]
    assert paper_949().title != TITLE_B


def test_a_form_without_its_version_is_refused_and_offered_again(demo, clerk_client):
    paper = paper_949()
    url = change_url(paper)
    data = form_data(clerk_client.get(url).text)
    del data[EDIT_VERSION]
    refused = clerk_client.post(url, {**data, "title": TITLE_B})
    assert refused.status_code == 200
    assert "Diese Seite ist veraltet" in refused.text
    assert paper_949().title != TITLE_B
    assert clerk_client.post(url, form_data(refused.text)).status_code == 302
    assert paper_949().title == TITLE_B


def test_a_position_and_its_decisions_are_guarded_alike(demo, two_clerks):
    a, b = two_clerks
    position = Position.objects.get(pay_grade="EG 10")
    url = change_url(position)
    form_a, form_b = form_data(a.get(url).text), form_data(b.get(url).text)
    until = next(k for k in form_a if k.endswith("-valid_until") and form_a[k])
    saved = a.post(url, {**form_a, until: "31.12.2022"})
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    refused = b.post(url, {**form_b, "function": "Neue Funktion"})
    assert refused.status_code == 200
    [change] = refused.context["edit_conflicts"]
    assert (change.field, change.theirs) == ("Befristet bis", "31.12.2022")
    assert "Neue Funktion" not in Position.objects.get(pk=position.pk).function


def test_every_domain_change_form_carries_its_version(demo, clerk_client):
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"council", "positions", "funding"}:
            continue
        if not isinstance(model_admin, audit.concurrency.ConcurrencyMixin):
            raise AssertionError(f"{model._meta.label} has no concurrency check")
        obj = model._default_manager.first()
        if obj is None:
            continue
        page = clerk_client.get(change_url(obj))
        if page.status_code == 200:
            assert f'name="{EDIT_VERSION}"' in page.text, model._meta.label


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_two_clerks_saving_at_the_same_moment_do_not_overwrite_each_other(
    migrated_groups, demo, two_clerks, monkeypatch
):
    """Two real sessions on PostgreSQL: A's save holds the record; B's save, sent
    meanwhile from the same stale form, waits for it and is then refused.

    (The tables are flushed afterwards, groups included: `migrated_groups` takes
    its copy for the browser tests before that.)"""
    a, b = two_clerks
    paper = paper_949()
    url = change_url(paper)
    form_a, form_b = form_data(a.get(url).text), form_data(b.get(url).text)
    key = item_text_key(form_a)

    a_checked, waited = threading.Event(), {}
    real_lock, real_compare = audit.concurrency.lock, audit.concurrency.compare

    def lock(obj, rows):
        started = time.monotonic()
        real_lock(obj, rows)
        waited[threading.current_thread().name] = time.monotonic() - started

    def compare(then, parts):
        found = real_compare(then, parts)
        if threading.current_thread().name == "A":
            # A has checked its version and not yet written: the worst moment
            # for B to save. A's transaction stays open meanwhile.
            a_checked.set()
            time.sleep(1.0)
        return found

    monkeypatch.setattr(audit.concurrency, "lock", lock)
    monkeypatch.setattr(audit.concurrency, "compare", compare)
    responses = {}

    def save(name, client, data):
        try:
            if name == "B":
                assert a_checked.wait(10)
            responses[name] = client.post(url, data)
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=save,
            name="A",
            args=("A", a, {**form_a, "title": TITLE_A, key: ITEM_A}),
        ),
        threading.Thread(
            target=save, name="B", args=("B", b, {**form_b, "title": TITLE_B})
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert responses["A"].status_code == 302
    assert responses["B"].status_code == 200
    assert waited["B"] > 0.5  # B waited for A's transaction to end
    assert "Nichts wurde gespeichert" in responses["B"].text
    paper.refresh_from_db()
    assert paper.title == TITLE_A
    assert paper.items.get(number=1).text == ITEM_A
