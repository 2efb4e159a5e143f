"""The confirm step saves exactly what was previewed, once, with German messages."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from council.models import Paper
from importer import services
from importer.forms import preview_signature

from .test_views import TEXT_949, URL, confirm, preview

CHANGED = "nach der Vorschau verändert"


def post_confirm(client, text, signature, **data):
    return client.post(
        URL, {"confirm": "1", "text": text, "signature": signature, **data}
    )


def signature_of(response):
    return response.context["confirm_form"]["signature"].value()


@pytest.mark.django_db
def test_a_text_changed_after_the_preview_is_refused_and_previewed_anew(
    clerk_client,
):
    previewed = signature_of(preview(clerk_client, text=TEXT_949))
    changed = TEXT_949.replace("Verlängerung des", "Abschaffung des", 1)

    refused = post_confirm(clerk_client, changed, previewed)

    assert refused.status_code == 200
    assert CHANGED in refused.text
    assert not Paper.objects.filter(is_stub=False).exists()
    # The page now previews what was sent, signed for it: that can be confirmed.
    assert "Abschaffung des" in refused.text
    saved = post_confirm(clerk_client, changed, signature_of(refused))
    assert saved.status_code == 302
    assert "Abschaffung des" in Paper.objects.get(number=949, year=2019).title


@pytest.mark.django_db
@pytest.mark.parametrize("signature", ["", "x" * 43, "nonsense:with:colons"])
def test_a_confirm_without_the_previews_signature_saves_nothing(
    clerk_client, signature
):
    response = post_confirm(clerk_client, TEXT_949, signature)
    assert response.status_code == 200
    assert CHANGED in response.text
    assert not Paper.objects.exists()


@pytest.mark.django_db
def test_a_preview_signed_for_another_clerk_is_refused(clerk_client, django_user_model):
    someone = django_user_model.objects.create_superuser("other", password="pw")
    response = post_confirm(
        clerk_client, TEXT_949, preview_signature(TEXT_949, someone)
    )
    assert CHANGED in response.text
    assert not Paper.objects.exists()


@pytest.mark.django_db
def test_the_signature_does_not_hold_the_clerks_choices(clerk_client):
    # Update and positions are chosen on the preview page itself.
    response = confirm(clerk_client, TEXT_949, update="on")
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_paper_saved_meanwhile_by_someone_else_gets_a_german_message(
    clerk_client, demo, monkeypatch
):
    # As if the other clerk's paper had been saved after this import looked.
    find_paper = services.find_paper

    def not_yet(number, year, suffix):
        if (number, year, suffix or "") == (949, 2019, ""):
            return None
        return find_paper(number, year, suffix)

    monkeypatch.setattr(services, "find_paper", not_yet)
    titles = list(Paper.objects.values_list("title", flat=True))

    response = confirm(clerk_client, TEXT_949.replace("Verlängerung", "Ende", 1))

    assert response.status_code == 200
    assert "soeben von jemand anderem gespeichert" in response.text
    assert "duplicate" not in response.text.lower()
    assert "UNIQUE" not in response.text
    assert list(Paper.objects.values_list("title", flat=True)) == titles


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two connections writing at once: PostgreSQL (SQLite locks the file)",
)
@pytest.mark.django_db(transaction=True)
def test_two_clerks_confirming_the_same_import_at_once_save_it_once(
    django_user_model, monkeypatch
):
    clients = []
    for name in ("clerk-a", "clerk-b"):
        client = Client()
        client.force_login(django_user_model.objects.create_superuser(name, "pw"))
        clients.append(client)
    signatures = [signature_of(preview(client, text=TEXT_949)) for client in clients]

    # Both requests have found no paper 949/2019 before either writes: the race.
    barrier = threading.Barrier(2, timeout=30)
    write = services._write

    def write_together(*args, **kwargs):
        barrier.wait()
        return write(*args, **kwargs)

    monkeypatch.setattr(services, "_write", write_together)
    responses = [None, None]

    def confirm_as(k):
        try:
            responses[k] = post_confirm(clients[k], TEXT_949, signatures[k])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm_as, args=(k,)) for k in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(r.status_code for r in responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200)
    assert "GRDrs 949/2019 wurde soeben von jemand anderem gespeichert" in (
        refused.text
    )
    assert "duplicate key" not in refused.text
    assert Paper.objects.filter(number=949, year=2019).count() == 1
