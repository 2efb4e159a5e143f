"""The audit trail: one version per change, with user, time and values, for
admin edits and commands alike; the history page shows them in German."""

import importlib
import sys
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

from audit.history import SYSTEM_USERNAME, acting_as, os_user
from council.models import Paper, ResolutionItem
from positions.models import Position, PositionDecision

from .helpers import change_url, form_data, history_url

pytestmark = pytest.mark.django_db


def paper_949():
    return Paper.objects.get(number=949, year=2019)


def test_an_admin_change_records_one_version_with_the_clerk_and_both_values(
    demo, clerk, clerk_client
):
    paper = paper_949()
    old_title = paper.title
    before = Paper.audit_trail.filter(id=paper.pk).count()
    data = form_data(clerk_client.get(change_url(paper)).text)
    data["title"] = "Integrationsmanagement 2020/2021"
    assert clerk_client.post(change_url(paper), data).status_code == 302

    versions = Paper.audit_trail.filter(id=paper.pk)
    assert versions.count() == before + 1
    newest = versions.first()
    assert newest.history_user == clerk
    assert newest.history_type == "~"
    assert (newest.prev_record.title, newest.title) == (old_title, newest.title)
    assert newest.title == "Integrationsmanagement 2020/2021"
    # The inline rows that were not touched got no version.
    item = paper.items.get(number=1)
    assert ResolutionItem.audit_trail.filter(id=item.pk).count() == 1

    page = clerk_client.get(history_url(paper)).text
    assert "Betreff:</strong> Pakt für Integration" in page
    assert "→ Integrationsmanagement 2020/2021" in page
    assert "clerk" in page


def test_a_change_of_an_inline_row_shows_on_the_history_of_its_paper(
    demo, clerk_client
):
    paper = paper_949()
    data = form_data(clerk_client.get(change_url(paper)).text)
    first = next(k for k in data if k.startswith("items-") and k.endswith("-text"))
    data[first] = "Die Landeshauptstadt führt das Integrationsmanagement fort."
    assert clerk_client.post(change_url(paper), data).status_code == 302
    page = clerk_client.get(history_url(paper)).text
    assert "Beschlussantrag-Ziffer „GRDrs 949/2019, Ziff. 1“: geändert" in page
    assert "→ Die Landeshauptstadt führt das Integrationsmanagement fort." in page


def test_values_on_the_history_page_read_as_a_clerk_reads_them(demo, clerk_client):
    position = Position.objects.get(pay_grade="EG 10")
    decision = position.decisions.get(action=PositionDecision.Action.CREATED)
    decision.may_advertise_unlimited = True
    decision.save()
    page = clerk_client.get(history_url(position)).text
    # Choices by their label, booleans as ja/nein, dates German, keys as names.
    assert "Entscheidung:</strong> — → geschaffen" in page
    assert "Unbefristet ausschreibbar:</strong> nein → ja" in page
    assert "31.12.2019" in page
    assert "Drucksache:</strong> — → GRDrs 532/2017" in page


def test_values_read_the_same_german_in_an_english_admin(demo, clerk_client):
    """One formatter (operations.formats) for the trail too: the stored share,
    with its places, and the day as the papers print them."""
    position = Position.objects.get(pay_grade="EG 10")
    position.share_percent = Decimal("37.50")
    position.save()
    page = clerk_client.get(history_url(position), HTTP_ACCEPT_LANGUAGE="en").text
    assert "37,50" in page
    assert "31.12.2019" in page


def test_a_command_records_the_account_system_with_the_command_and_os_user(
    db, monkeypatch
):
    # As `python manage.py load_demo` runs it (without closing the connection).
    monkeypatch.setattr(sys, "argv", ["manage.py", "load_demo"])
    call_command("load_demo")
    version = Paper.audit_trail.filter(number=949, year=2019).last()
    assert version.history_type == "+"
    assert version.history_user.username == SYSTEM_USERNAME
    assert version.history_change_reason == (
        f"Befehl load_demo, Systembenutzer {os_user()}"
    )
    system = get_user_model().objects.get(username=SYSTEM_USERNAME)
    assert not system.is_active and not system.has_usable_password()
    # Every paper, item and position it wrote has its version.
    assert {v.id for v in Paper.audit_trail.all()} == set(
        Paper.objects.values_list("pk", flat=True)
    )
    assert ResolutionItem.audit_trail.count() >= ResolutionItem.objects.count()


def test_a_commands_reason_is_stored_in_the_sites_language(db, monkeypatch):
    # An English page served before in the same thread left English active.
    monkeypatch.setattr(sys, "argv", ["manage.py", "load_demo"])
    with translation.override("en"):
        call_command("load_demo")
    version = Paper.audit_trail.filter(number=949, year=2019).last()
    assert version.history_change_reason == (
        f"Befehl load_demo, Systembenutzer {os_user()}"
    )


def test_acting_as_names_the_user_and_reason_of_a_block(demo, clerk):
    paper = paper_949()
    with acting_as(clerk, "Korrektur nach Rückfrage"):
        paper.file_reference = "SI 123-45"
        paper.save()
    version = Paper.audit_trail.filter(id=paper.pk).first()
    assert (version.history_user, version.history_change_reason) == (
        clerk,
        "Korrektur nach Rückfrage",
    )


def test_existing_rows_get_a_baseline_version_dated_by_their_last_change(demo):
    from django.apps import apps

    # The migration's own copy, which gave the existing rows their baseline.
    migration = importlib.import_module("council.migrations.0006_record_existing_rows")
    record_existing_rows = migration.record_existing_rows

    Paper.audit_trail.all().delete()
    Paper.audit_trail.model.co_signing_departments.model.objects.all().delete()
    record_existing_rows(apps, "council", ["Paper"])
    paper = paper_949()
    [baseline] = Paper.audit_trail.filter(id=paper.pk)
    assert baseline.history_change_reason == migration.BASELINE_REASON
    assert baseline.history_date == paper.modified
    assert baseline.history_user is None
    assert baseline.title == paper.title
    assert sorted(
        baseline.co_signing_departments.values_list("department_id", flat=True)
    ) == sorted(paper.co_signing_departments.values_list("pk", flat=True))


def test_a_save_that_changes_nothing_records_no_version(demo, clerk_client):
    paper = paper_949()
    before = Paper.audit_trail.filter(id=paper.pk).count()
    changed = Paper.objects.filter(pk=paper.pk).last_changed(None)
    data = form_data(clerk_client.get(change_url(paper)).text)
    assert clerk_client.post(change_url(paper), data).status_code == 302
    assert Paper.audit_trail.filter(id=paper.pk).count() == before
    assert Paper.objects.filter(pk=paper.pk).last_changed(None) == changed
    # Loading the demo data again changes nothing either.
    call_command("load_demo")
    assert Paper.audit_trail.filter(id=paper.pk).count() == before
