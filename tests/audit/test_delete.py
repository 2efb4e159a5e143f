"""Deleting a paper that others cite, or that a position decision rests on, is
refused with a message naming them, as far as the clerk may see them."""

import pytest
from django.urls import reverse

from council.models import Paper
from tests.visibility.conftest import MARKER

pytestmark = pytest.mark.django_db


def delete_url(paper):
    return reverse("admin:council_paper_delete", args=[paper.pk])


def test_deleting_a_cited_paper_is_refused_naming_the_papers_and_positions(
    demo, clerk_client
):
    paper = Paper.objects.get(number=532, year=2017)
    page = clerk_client.get(delete_url(paper)).text
    assert "geschützten" in page  # Django's German refusal
    assert "GRDrs 949/2019 „Pakt für Integration - Verlängerung" in page
    assert "bezieht sich darauf (setzt Beschluss fort)" in page
    assert "Stelle „Koordinierende Steuerungsfunktion" in page
    assert "geschaffen durch GRDrs 532/2017" in page
    assert 'name="post"' not in page  # no confirm button

    clerk_client.post(delete_url(paper), {"post": "yes"})
    assert Paper.objects.filter(pk=paper.pk).exists()


def test_a_clerk_without_the_permission_sees_hidden_citations_only_as_such(
    canary, roles, client
):
    # 949/2019 is cited by the non-public 9001/2020, and decisions rest on it.
    paper = Paper.objects.get(number=949, year=2019)
    client.force_login(roles["clerk_without"])
    page = client.get(delete_url(paper)).text
    assert "nichtöffentliche Einträge" in page
    assert "9001/2020" not in page and MARKER not in page
    assert "Stelle „" in page  # the public decisions on it are named
    client.post(delete_url(paper), {"post": "yes"})
    assert Paper.objects.filter(pk=paper.pk).exists()

    client.force_login(roles["clerk"])
    assert "GRDrs 9001/2020" in client.get(delete_url(paper)).text
