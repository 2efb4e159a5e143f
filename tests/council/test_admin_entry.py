"""A clerk enters a whole Vorlage, GRDrs 692/2018, on one admin page."""

import datetime

import pytest
from django.urls import reverse

from council.models import Committee, Consultation, Department, Paper, PaperReference

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:council_paper_add")


def formset_data(response, rows):
    """Management forms of every inline on the page, with `rows` filled in by prefix."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        filled = rows.get(prefix, [])
        data[f"{prefix}-TOTAL_FORMS"] = len(filled)
        data[f"{prefix}-INITIAL_FORMS"] = 0
        for index, row in enumerate(filled):
            for field, value in row.items():
                data[f"{prefix}-{index}-{field}"] = value
    return data


def paper_692(response, **changes):
    si = Department.objects.get(short_name="SI")
    committee = {c.slug: c.pk for c in Committee.objects.all()}
    data = {
        "number": 692,
        "year": 2018,
        "paper_type": Paper.Type.DECISION,
        "title": "Pakt für Integration - Erfüllung neuer, zusätzlicher Aufgaben",
        "date": "14.11.2018",
        "file_reference": "SI",
        "department": si.pk,
        "is_public": "on",
    }
    steps = [
        ("sozial-und-gesundheitsausschuss", "preliminary", "19.11.2018"),
        ("verwaltungsausschuss", "preliminary", "21.11.2018"),
        ("gemeinderat", "decision", "22.11.2018"),
    ]
    rows = {
        "items": [
            {
                "number": n,
                "text": f"Ziffer {n}",
                "outcome": "as_proposed",
                "implementation": "open",
            }
            for n in (1, 2, 3)
        ],
        "consultations": [
            {
                "order": order,
                "committee": committee[slug],
                "role": role,
                "is_public": "on",
                "date": day,
                "result": "open",
            }
            for order, (slug, role, day) in enumerate(steps, start=1)
        ],
        "references_made": [
            {"to_paper": Paper.objects.get(number=532).pk, "kind": "cites"}
        ],
    }
    data.update(formset_data(response, rows))
    data.update(changes)
    return data


@pytest.fixture
def without_692(db):
    """What a clerk finds before entering 692/2018: departments, committees, 532."""
    Department.objects.create(
        name="Referat Soziales und gesellschaftliche Integration",
        short_name="SI",
        kind=Department.Kind.REFERAT,
    )
    for slug in ("sozial-und-gesundheitsausschuss", "verwaltungsausschuss"):
        Committee.objects.create(name=slug, slug=slug, kind=Committee.Kind.COMMITTEE)
    Committee.objects.create(
        name="Gemeinderat", slug="gemeinderat", kind=Committee.Kind.COUNCIL
    )
    Paper.objects.create(number=532, year=2017, is_stub=True)


def test_clerk_enters_692_2018_with_items_beratungsfolge_and_reference(
    without_692, clerk_client
):
    page = clerk_client.get(ADD_URL)
    response = clerk_client.post(ADD_URL, paper_692(page))
    assert response.status_code == 302, response.context["errors"]

    paper = Paper.objects.get(number=692, year=2018)
    assert paper.date == datetime.date(2018, 11, 14)
    assert paper.items.count() == 3
    assert [c.date for c in paper.consultations.all()] == [
        datetime.date(2018, 11, 19),
        datetime.date(2018, 11, 21),
        datetime.date(2018, 11, 22),
    ]
    assert (
        Paper.objects.with_state(None).get(pk=paper.pk).state
        == Paper.State.IN_CONSULTATION
    )
    assert PaperReference.objects.filter(from_paper=paper).count() == 1


def test_a_duplicate_reference_is_refused_with_a_message_and_nothing_saved(
    demo, clerk_client
):
    before = (Paper.objects.count(), Consultation.objects.count())
    page = clerk_client.get(ADD_URL)
    response = clerk_client.post(ADD_URL, paper_692(page))
    assert response.status_code == 200
    assert "gibt es schon" in response.text
    assert (Paper.objects.count(), Consultation.objects.count()) == before


def test_two_steps_with_the_same_order_are_refused(without_692, clerk_client):
    page = clerk_client.get(ADD_URL)
    data = paper_692(page, **{"consultations-1-order": 1})
    response = clerk_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert not Paper.objects.filter(number=692, year=2018).exists()
