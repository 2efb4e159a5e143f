"""The admin page: paste or upload, preview, confirm; clear German messages."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from council.models import Paper
from demo.corpus import text as corpus_text
from importer.large_texts import short_lines
from positions.models import Position

URL = reverse("admin:paper-import")
TEXT_949 = corpus_text("grdrs_0949_2019.txt")


def preview(client, **data):
    return client.post(URL, {"preview": "1", **data})


def confirm(client, text, **data):
    """Preview `text`, then confirm it as the page does, with its signature and
    the version of the existing paper it showed."""
    form = preview(client, text=text).context.get("confirm_form")
    signature = form["signature"].value() if form is not None else ""
    version = (form["version"].value() or "") if form is not None else ""
    return client.post(
        URL,
        {"confirm": "1", "text": text, "signature": signature, "version": version}
        | data,
    )


@pytest.mark.django_db
def test_the_paper_changelist_links_to_the_import_and_keeps_the_add_button(
    clerk_client,
):
    page = clerk_client.get(reverse("admin:council_paper_changelist")).content.decode()
    assert "Vorlage aus Text importieren" in page
    assert URL in page
    assert reverse("admin:council_paper_add") in page


@pytest.mark.django_db
def test_the_import_page_is_for_staff_with_paper_permissions_only(
    client, django_user_model
):
    assert client.get(URL).status_code == 302  # to the admin login
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_paper"))
    client.force_login(user)
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_preview_shows_every_field_with_its_source_line_and_saves_nothing(
    clerk_client,
):
    response = preview(clerk_client, text=TEXT_949)

    assert response.status_code == 200
    page = response.content.decode()
    assert "GRDrs 949/2019" in page
    assert "13.11.2019" in page and "11/13/2019" in page
    assert "Sozial- und Gesundheitsausschuss" in page
    assert "05.12.2019" in page
    assert "neu: wird als Zitat angelegt" in page
    assert "3.505.000,00 €" in page
    assert "neue Stelle anlegen" in page
    # The split of the 2021 total, marked so that it is not read as more money.
    assert "Teilbetrag von 3.505.000,00 € (2021), zählt nicht doppelt" in page
    assert "(51,1 Stellen)" in page
    assert Paper.objects.count() == 0


@pytest.mark.django_db
def test_confirm_saves_everything_and_opens_the_saved_paper(clerk_client):
    response = confirm(clerk_client, TEXT_949)

    paper = Paper.objects.get(number=949, year=2019)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:council_paper_change", args=[paper.pk]
    )
    assert Paper.objects.filter(is_stub=True).count() == 3
    assert Position.objects.count() == 3
    follow = clerk_client.get(response["Location"])
    assert "wurde aus dem Text übernommen" in follow.content.decode()


@pytest.mark.django_db
def test_an_upload_in_windows_1252_is_read(clerk_client):
    upload = SimpleUploadedFile(
        "vorlage.txt", TEXT_949.encode("cp1252", errors="replace")
    )
    response = preview(clerk_client, file=upload)
    assert "Beschlußvorlage" in response.content.decode()


@pytest.mark.django_db
def test_an_existing_paper_gets_a_message_a_diff_and_only_an_update(clerk_client, demo):
    text = TEXT_949.replace("Verlängerung des", "Fortführung des")
    page = preview(clerk_client, text=text).content.decode()
    assert "GRDrs 949/2019 ist schon erfasst" in page
    assert 'id="diff"' in page and "Fortführung des" in page
    assert "erkannt:" in page  # the positions of the demo are matched

    refused = confirm(clerk_client, text)
    assert refused.status_code == 200
    assert "ist schon erfasst" in refused.content.decode()
    assert Paper.objects.get(number=949, year=2019).title.startswith(
        "Pakt für Integration - Verlängerung"
    )

    positions = {
        f"position_{k}": str(
            Position.objects.get(pay_grade=grade, share_percent=share).pk
        )
        for k, (grade, share) in enumerate(
            [("EG 10", 50), ("EG 13", 100), ("EG 8", 50)]
        )
    }
    updated = confirm(clerk_client, text, update="on", **positions)
    assert updated.status_code == 302
    assert Paper.objects.filter(number=949, year=2019).count() == 1
    assert "Fortführung des" in Paper.objects.get(number=949, year=2019).title
    assert Position.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Bitte den Text einer Vorlage einfügen"),
        (
            {"text": "Sehr geehrte Damen und Herren,\nanbei die Unterlagen."},
            "keine Vorlage",
        ),
        ({"text": "\u2603\U0001f600\u202e\ufffd\U00010348" * 50}, "keine Vorlage"),
        ({"text": "GRDrs 1/2020\u0000"}, "Nullzeichen sind nicht erlaubt"),
        (
            {"text": TEXT_949.replace("11/13/2019", "13/45/2019")},
            "„13/45/2019“ im Kopf ist kein gültiges Datum",
        ),
    ],
)
def test_bad_text_gets_a_clear_german_message_and_nothing_is_saved(
    clerk_client, data, message
):
    response = preview(clerk_client, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    confirm = clerk_client.post(URL, {"confirm": "1", "text": data["text"]})
    assert confirm.status_code == 200
    assert Paper.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "keine Textdatei"),
        (b"", "Die übertragene Datei ist leer"),
        (b"x" * (20 * 1024 * 1024), "zu groß"),
    ],
)
def test_bad_uploads_get_a_clear_german_message(clerk_client, content, message):
    upload = SimpleUploadedFile("vorlage.txt", content)
    response = preview(clerk_client, file=upload)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Paper.objects.count() == 0


@pytest.mark.django_db
def test_the_preview_of_an_existing_paper_needs_a_bounded_number_of_queries(
    clerk_client, demo, django_assert_max_num_queries
):
    # 30, and 4 for the version of the paper the preview shows (its rows of six
    # kinds and its co-signers; the confirm compares it).
    with django_assert_max_num_queries(34):
        response = preview(clerk_client, text=TEXT_949)
    assert "ist schon erfasst" in response.content.decode()


@pytest.mark.django_db
def test_the_preview_of_a_megabyte_of_short_lines_lists_a_page_of_them(clerk_client):
    # Issue 10's paste: one row per line made a page of 61 MB.
    response = preview(clerk_client, text=short_lines(490_000))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="zeile-2000"' in page and 'id="zeile-2001"' not in page
    assert "488000 Zeilen ohne Hinweis ausgelassen" in page
    # The text itself travels once, in the confirm form.
    assert len(response.content) < 2 * len(short_lines(490_000))
