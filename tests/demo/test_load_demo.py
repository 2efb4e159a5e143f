import datetime

import pytest
from django.apps import apps
from django.core.management import call_command

from council.models import Consultation, Paper, PaperReference
from positions.models import PositionPlanRequest

pytestmark = pytest.mark.django_db


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for app in ("council", "positions", "funding")
        for model in apps.get_app_config(app).get_models()
    }


def test_loading_the_demo_twice_changes_no_row_count():
    call_command("load_demo")
    first = row_counts()
    call_command("load_demo")
    assert row_counts() == first
    assert first["council.Paper"] == 4


def test_949_2019_has_its_header_and_beratungsfolge(demo):
    paper = Paper.objects.get(number=949, year=2019)
    assert paper.paper_type == Paper.Type.DECISION
    assert paper.date == datetime.date(2019, 11, 13)
    assert paper.department.short_name == "SI"
    assert paper.file_reference == "SI"
    assert (paper.signed_by_name, paper.signed_by_office) == (
        "Dr. Alexandra Sußmann",
        "Bürgermeisterin",
    )
    assert sorted(d.short_name for d in paper.co_signing_departments.all()) == [
        "AKR",
        "WFB",
    ]
    steps = [
        (c.committee.name, c.role, c.is_public, c.date)
        for c in paper.consultations.all()
    ]
    Role = Consultation.Role
    assert steps == [
        (
            "Sozial- und Gesundheitsausschuss",
            Role.PRELIMINARY,
            True,
            datetime.date(2019, 11, 25),
        ),
        ("Verwaltungsausschuss", Role.PRELIMINARY, True, datetime.date(2019, 12, 4)),
        ("Gemeinderat", Role.DECISION, True, datetime.date(2019, 12, 5)),
    ]


def test_949_2019_has_all_six_items_and_its_text_sections(demo):
    paper = Paper.objects.get(number=949, year=2019)
    items = list(paper.items.all())
    assert [item.number for item in items] == [1, 2, 3, 4, 5, 6]
    assert items[1].text.startswith("Die Umsetzung des Pakts für Integration")
    assert "wird bis 31.12.2021 verlängert" in items[2].text
    sections = {s.heading: s.body for s in paper.sections.all()}
    assert sections["Finanzielle Auswirkungen"].startswith(
        "Im Haushaltsplanentwurf 2020/2021 sind im Teilhaushalt 500"
    )
    assert sections["Ausblick"].startswith("Mitte des Jahres 2021")
    assert sections["Begründung"].endswith("über den weiteren Bedarf zu entscheiden.")
    assert [s.heading for s in paper.sections.all()] == [
        "Begründung",
        "Ausblick",
        "Finanzielle Auswirkungen",
        "Beteiligte Stellen",
    ]


def test_949_2019_extends_532_2017_and_692_2018_and_cites_341_2019(demo):
    made = {
        (r.to_paper.reference, r.kind)
        for r in PaperReference.objects.filter(from_paper__number=949)
    }
    assert made == {
        ("532/2017", PaperReference.Kind.EXTENDS),
        ("692/2018", PaperReference.Kind.EXTENDS),
        ("341/2019", PaperReference.Kind.CITES),
    }
    stub = Paper.objects.get(number=341, year=2019)
    assert stub.is_stub
    assert stub.title.startswith("Fortsetzen von Maßnahmen")


def test_position_plan_requests_are_settled_by_items_4_and_5(demo):
    requests = [
        (r.request_number, r.list_number, r.settled_by.number, r.budget)
        for r in PositionPlanRequest.objects.select_related("settled_by")
    ]
    assert requests == [
        (8, 3290, 4, "Doppelhaushalt 2020/2021"),
        (9, 3295, 5, "Doppelhaushalt 2020/2021"),
    ]
