"""The interface is stateless JSON for any client: headers, caching, errors, files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from council.models import Attachment, Paper
from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db

SYSTEM = "/oparl/v1/system"
PAPERS = "/oparl/v1/body/08111000/paper"


def test_answers_are_utf8_json_with_cors(client, demo):
    paper = Paper.objects.get(number=949, year=2019)
    response = client.get(f"/oparl/v1/paper/{paper.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    # Raw UTF-8, no \\u escapes and no byte order mark.
    assert "Pakt für Integration".encode() in response.content
    assert not response.content.startswith(b"\xef\xbb\xbf")


def test_errors_are_oparl_error_objects_with_cors(client):
    response = client.get("/oparl/v1/gibt-es-nicht")
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"
    error = response.json()
    assert error["type"] == "https://schema.oparl.org/1.1/Error"
    assert error["message"]
    assert client.get("/oparl/v1/paper/999999").status_code == 404
    assert client.get("/oparl/v1/body/00000000/paper").status_code == 404


def test_the_interface_is_read_only(client):
    response = client.post(SYSTEM, {})
    assert response.status_code == 405
    assert response.json()["type"] == "https://schema.oparl.org/1.1/Error"


def test_no_cookie_and_no_session_even_for_a_logged_in_clerk(client, clerk, demo):
    anonymous = client.get(PAPERS)
    assert anonymous.cookies == {}
    client.force_login(clerk)
    response = client.get(PAPERS)
    assert response.cookies == {}
    assert "Cookie" not in response.get("Vary", "")
    # The answer is the anonymous one, whoever asks.
    assert response.content == anonymous.content


def test_a_clerk_who_may_see_non_public_papers_gets_only_public_ones(
    client, django_user_model
):
    from django.contrib.auth.models import Permission

    hidden = PaperFactory(is_public=False)
    boss = django_user_model.objects.create_user(username="boss", password="pw")
    boss.user_permissions.add(Permission.objects.get(codename="view_nonpublic_paper"))
    client.force_login(boss)
    assert client.get(f"/oparl/v1/paper/{hidden.pk}").status_code == 404
    assert client.get(PAPERS).json()["data"] == []


def test_conditional_get_with_etag_answers_304(client, demo):
    first = client.get(PAPERS)
    etag = first["ETag"]
    assert etag
    again = client.get(PAPERS, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    other = client.get(PAPERS + "?limit=1", HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200


def test_conditional_get_with_last_modified_answers_304_until_a_change(client):
    paper = PaperFactory()
    url = f"/oparl/v1/paper/{paper.pk}"
    first = client.get(url)
    last_modified = first["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    paper.title = "Geändert"
    paper.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed.json()["name"] == "Geändert"


@pytest.fixture
def attachment(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return Attachment.objects.create(
        paper=PaperFactory(),
        number=1,
        title="Anlage 1",
        file=SimpleUploadedFile("anlage.pdf", b"%PDF-1.4 Inhalt"),
    )


def test_a_file_is_served_inline_and_as_download(client, attachment):
    file = client.get(f"/oparl/v1/file/{attachment.pk}").json()
    assert file["mimeType"] == "application/pdf"
    assert file["paper"] == [f"http://testserver/oparl/v1/paper/{attachment.paper_id}"]

    inline = client.get(file["accessUrl"])
    assert inline.status_code == 200
    assert b"".join(inline.streaming_content) == b"%PDF-1.4 Inhalt"
    assert inline["Content-Disposition"].startswith("inline")
    assert inline["Access-Control-Allow-Origin"] == "*"
    assert (
        client.get(file["accessUrl"], HTTP_IF_NONE_MATCH=inline["ETag"]).status_code
        == 304
    )

    download = client.get(file["downloadUrl"])
    assert download["Content-Disposition"].startswith("attachment")


def test_a_deleted_file_answers_410_and_its_stub(client, attachment):
    pk = attachment.pk
    attachment.delete()
    assert client.get(f"/oparl/v1/file/{pk}/access").status_code == 410
    stub = client.get(f"/oparl/v1/file/{pk}").json()
    assert stub["deleted"] is True


def test_a_non_public_attachment_is_not_a_file(client, attachment):
    attachment.is_public = False
    attachment.save()
    assert client.get(f"/oparl/v1/file/{attachment.pk}").status_code == 200
    assert client.get(f"/oparl/v1/file/{attachment.pk}").json()["deleted"] is True
    assert client.get(f"/oparl/v1/file/{attachment.pk}/access").status_code == 410
    paper = client.get(f"/oparl/v1/paper/{attachment.paper_id}").json()
    assert "auxiliaryFile" not in paper


def test_a_url_with_a_trailing_slash_redirects_to_the_canonical_one(client):
    paper = PaperFactory()
    response = client.get(f"/oparl/v1/paper/{paper.pk}/")
    assert response.status_code == 301
    assert response["Location"] == f"/oparl/v1/paper/{paper.pk}"
    listed = client.get(PAPERS + "/?limit=5")
    assert listed["Location"] == PAPERS + "?limit=5"


def test_a_browser_may_revalidate_across_origins(client):
    response = client.options(SYSTEM)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]
    assert "ETag" in client.get(SYSTEM)["Access-Control-Expose-Headers"]


def test_signers_spelled_alike_are_one_person_and_any_name_is_one():
    from council.models import Person

    first = Person.objects.for_name("Dr. Alexandra Sußmann")
    assert Person.objects.for_name("DR.  ALEXANDRA SUSSMANN") == first
    assert Person.objects.for_name("王芳") != first
    assert Person.objects.count() == 2


def test_stamps_are_listed_read_only_in_the_admin(admin_client):
    paper = PaperFactory()
    pk = paper.pk
    paper.delete()
    response = admin_client.get("/admin/oparl/stamp/?kind=paper")
    assert response.status_code == 200
    assert f">{pk}<".encode() in response.content
    assert admin_client.get("/admin/oparl/stamp/add/").status_code == 403


def test_head_answers_the_headers_without_a_body(client):
    response = client.head(SYSTEM)
    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"] == client.get(SYSTEM)["ETag"]


def test_ids_use_the_configured_base_url_whatever_host_was_asked(client, settings):
    settings.OPARL_BASE_URL = "https://ratsregister.example.org/"
    paper = PaperFactory()
    data = client.get(f"/oparl/v1/paper/{paper.pk}").json()
    assert data["id"] == f"https://ratsregister.example.org/oparl/v1/paper/{paper.pk}"
    assert data["web"].startswith("https://ratsregister.example.org/drucksachen/")
    listed = client.get(PAPERS).json()
    assert listed["links"]["self"] == "https://ratsregister.example.org" + PAPERS
