"""Imports leave their trail too, and the update path refuses a paper changed
after its preview was made."""

import sys

import pytest
from django.core.management import call_command

from audit.history import os_user
from council.models import Consultation, Paper, ResolutionItem
from funding.models import FundingLine
from tests.importer.test_views import TEXT_949, URL, preview

pytestmark = pytest.mark.django_db

IMPORTED = "Import aus Text"


def confirm_data(response, **data):
    form = response.context["confirm_form"]
    fields = {name: form[name].value() for name in form.fields}
    return {
        "confirm": "1",
        **{k: v for k, v in fields.items() if v not in (None, False)},
        **data,
    }


def test_an_import_records_one_version_per_row_with_the_clerk(clerk, clerk_client):
    previewed = preview(clerk_client, text=TEXT_949)
    assert clerk_client.post(URL, confirm_data(previewed)).status_code == 302

    paper = Paper.objects.get(number=949, year=2019)
    [version] = Paper.audit_trail.filter(id=paper.pk)
    assert (version.history_type, version.history_user) == ("+", clerk)
    assert version.history_change_reason == IMPORTED
    assert version.title == paper.title
    # The co-signers belong to that one version.
    assert sorted(
        version.co_signing_departments.values_list("department_id", flat=True)
    ) == sorted(paper.co_signing_departments.values_list("pk", flat=True))
    for model in (ResolutionItem, Consultation, FundingLine):
        rows = model.objects.filter(paper=paper)
        versions = model.audit_trail.filter(paper=paper)
        assert rows.count() == versions.count() > 0, model
        assert {v.history_user for v in versions} == {clerk}
        assert {v.history_change_reason for v in versions} == {IMPORTED}


def test_the_import_command_records_the_account_system(tmp_path, monkeypatch):
    source = tmp_path / "grdrs_0949_2019.txt"
    source.write_text(TEXT_949, encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["manage.py", "import_vorlagen", str(source)])
    call_command("import_vorlagen", str(source), verbosity=0)
    version = Paper.audit_trail.get(number=949, year=2019)
    assert version.history_user.username == "system"
    assert version.history_change_reason == (
        f"{IMPORTED} (Befehl import_vorlagen, Systembenutzer {os_user()})"
    )


def test_an_update_from_a_preview_made_before_a_change_is_refused(demo, clerk_client):
    paper = Paper.objects.get(number=949, year=2019)
    text = TEXT_949.replace("Verlängerung des", "Fortsetzung des", 1)
    previewed = preview(clerk_client, text=text)
    assert previewed.context["plan"].conflict

    # Someone saves the paper after the preview was made.
    paper.file_reference = "SI 50-12"
    paper.save()

    refused = clerk_client.post(URL, confirm_data(previewed, update="on"))
    assert refused.status_code == 200
    page = refused.text
    assert "nachdem die Vorschau erstellt wurde" in page
    assert "Aktenzeichen (Gz): jetzt „SI 50-12“" in page
    paper.refresh_from_db()
    assert "Fortsetzung" not in paper.title
    assert paper.file_reference == "SI 50-12"

    # The page is a preview of the paper as it is now: that can be confirmed.
    saved = clerk_client.post(URL, confirm_data(refused, update="on"))
    assert saved.status_code == 302
    paper.refresh_from_db()
    assert "Fortsetzung" in paper.title


def test_an_update_from_a_current_preview_goes_through(demo, clerk_client):
    text = TEXT_949.replace("Verlängerung des", "Fortsetzung des", 1)
    previewed = preview(clerk_client, text=text)
    saved = clerk_client.post(URL, confirm_data(previewed, update="on"))
    assert saved.status_code == 302
    assert "Fortsetzung" in Paper.objects.get(number=949, year=2019).title
