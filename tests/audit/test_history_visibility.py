"""The history respects the visibility rule: who may not see non-public records
never sees a version of one, nor a value a record had while it was non-public,
nor when something hidden changed."""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from audit import history
from council.models import Committee, Consultation, Paper, ResolutionItem
from council.visibility import FULL_RECORD, audience
from positions.models import Position
from tests.visibility.conftest import MARKER

from .helpers import history_url

pytestmark = pytest.mark.django_db

SECRET = f"Geheimplan {MARKER}"


def published_after_a_closed_phase():
    """949/2019, made non-public, edited in secret, then published again."""
    paper = Paper.objects.get(number=949, year=2019)
    item = paper.items.get(number=1)
    paper.is_public = False
    paper.save()
    paper.title = SECRET
    paper.save()
    item.text = f"Ziffer {SECRET}"
    item.save()
    paper.title = "Pakt für Integration (veröffentlicht)"
    paper.is_public = True
    paper.save()
    item.text = "Ziffer nach der Veröffentlichung"
    item.save()
    return paper, item


def test_versions_of_a_closed_phase_are_hidden_from_who_may_not_see_them(
    canary, roles, client
):
    paper, item = published_after_a_closed_phase()
    without, clerk = roles["clerk_without"], roles["clerk"]

    assert not Paper.audit_trail.visible_to(without).filter(title=SECRET).exists()
    assert Paper.audit_trail.visible_to(clerk).filter(title=SECRET).exists()
    hidden = ResolutionItem.audit_trail.visible_to(without).filter(id=item.pk)
    assert not hidden.filter(text__contains=MARKER).exists()
    assert hidden.filter(text="Ziffer nach der Veröffentlichung").exists()

    client.force_login(without)
    page = client.get(history_url(paper)).text
    assert MARKER not in page
    # Compared with the last state this clerk could see, not the hidden one.
    assert "Pakt für Integration - Verlängerung" in page
    assert "→ Pakt für Integration (veröffentlicht)" in page
    assert "→ Ziffer nach der Veröffentlichung" in page

    client.force_login(clerk)
    assert SECRET in client.get(history_url(paper)).text


def test_the_history_of_a_non_public_record_is_not_reachable_without_permission(
    canary, roles, client
):
    client.force_login(roles["clerk_without"])
    for record in (canary["paper"], canary["depublished"], canary["created"]):
        response = client.get(history_url(record))
        assert response.status_code == 302, record
        assert MARKER not in client.get(response.url).text


def test_non_public_steps_and_attachments_of_a_public_paper_stay_out_of_its_history(
    canary, roles, client
):
    client.force_login(roles["clerk_without"])
    for key in ("withdrawn", "public"):
        page = client.get(history_url(canary[key])).text
        assert "Rückzug" not in page
        assert "Anlage „" not in page
        assert MARKER not in page
        assert "02.02.2020" not in page
    # A permitted clerk sees them.
    client.force_login(roles["clerk"])
    assert f"Rückzug {MARKER}" in client.get(history_url(canary["withdrawn"])).text


def test_a_position_history_leaves_out_decisions_on_non_public_papers(
    canary, roles, client
):
    extended = canary["extended"]
    client.force_login(roles["clerk_without"])
    page = client.get(history_url(extended)).text
    assert "9001/2020" not in page and "30.06.2029" not in page
    client.force_login(roles["clerk"])
    assert "30.06.2029" in client.get(history_url(extended)).text


def test_last_changed_is_the_newest_change_its_viewer_may_see(canary, roles, client):
    public = canary["withdrawn"]  # public paper, closed and withdrawn step
    step = Consultation.objects.get(paper=public)
    public_change = Paper.audit_trail.filter(id=public.pk).first().history_date
    step.result_note = f"Neu {MARKER}"
    step.save()
    hidden_change = Consultation.audit_trail.filter(id=step.pk).first().history_date
    assert hidden_change > public_change

    anonymous = Paper.objects.filter(pk=public.pk).last_changed(None)
    assert anonymous == public_change
    permitted = Paper.objects.filter(pk=public.pk).last_changed(roles["member"])
    assert permitted == hidden_change

    page = client.get(public.get_absolute_url()).text
    assert "zuletzt geändert am" in page


def test_pages_say_when_what_they_show_last_changed(demo, client):
    then = datetime.datetime(2024, 5, 17, 10, 0, tzinfo=datetime.UTC)
    for model in apps.get_models():
        if hasattr(model, "audit_trail"):
            model.audit_trail.update(history_date=then)
    paper = Paper.objects.get(number=949, year=2019)
    position = paper.position_decisions.first().position
    pages = [
        "/drucksachen/",
        paper.get_absolute_url(),
        "/gremien/gemeinderat/",
        "/stellen/",
        position.get_absolute_url(),
    ]
    for url in pages:
        assert "zuletzt geändert am 17. Mai 2024" in client.get(url).text, url

    item = paper.items.get(number=2)
    item.implementation = ResolutionItem.Implementation.DONE
    item.save()
    today = date_format(timezone.localdate(), "j. F Y")
    assert f"zuletzt geändert am {today}" in client.get(paper.get_absolute_url()).text
    # The list shows papers and their steps, not items.
    assert "zuletzt geändert am 17. Mai 2024" in client.get("/drucksachen/").text


def test_the_sql_of_last_changed_is_the_same_for_readers_of_one_audience(demo, roles):
    """newest_of compiles the subqueries once per audience and reuses them: sound
    only if every reader of an audience gets the same SQL compiled fresh."""
    paper = Paper.objects.get(number=949, year=2019)
    readers = [*roles.values(), FULL_RECORD]
    reads = {
        "paper": lambda user: Paper.objects.filter(pk=paper.pk).last_changed(user),
        "paper list": lambda user: Paper.objects.filter(
            pk=paper.pk
        ).last_changed_in_list(user),
        "committee": lambda user: Committee.objects.filter(
            slug="gemeinderat"
        ).last_changed(user),
        "positions": lambda user: Position.objects.all().last_changed(user),
    }
    for name, read in reads.items():
        sql_by_audience = {}
        for user in readers:
            history._COMPILED_NEWEST.clear()
            with CaptureQueriesContext(connection) as queries:
                fresh = read(user)
            sql = queries[-1]["sql"]
            assert sql_by_audience.setdefault(audience(user), sql) == sql, (name, user)
            # Compiled once, read again from what was kept: the same answer.
            assert read(user) == fresh, (name, user)
        # Both audiences that see more than the public differ from it.
        assert len(set(sql_by_audience.values())) > 1, name
