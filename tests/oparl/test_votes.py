"""Vote counts a protocol gave, in OParl: `ratsregister:` properties of the
consultation, its agenda item and the items voted on one by one."""

import pytest

from council.models import Consultation, Paper
from importer.protocols import protocol_import
from importer.reading import read_protocol

from .conftest import validate

pytestmark = pytest.mark.django_db

API = "http://testserver/oparl/v1/"

# 949/2019's council step (05.12.2019), decided item by item.
PROTOCOL_949 = """Protokoll: Gemeinderat der Landeshauptstadt StuttgartNiederschrift Nr.
TOP:
402
7
VerhandlungDrucksache:
949/2019
GZ:
SI
Sitzungstermin: 05.12.2019
Sitzungsart: öffentlich
Vorsitz: OB Kuhn
Berichterstattung:-
Protokollführung: Frau Sabbagh fr
Betreff: Pakt für Integration

OB Kuhn stellt fest:

Der Gemeinderat beschließt Ziffer 1 einstimmig und Ziffer 2 bei 0 Nein-Stimmen
und 4 Enthaltungen mehrheitlich wie beantragt.
"""


def test_votes_of_a_recorded_protocol_are_ratsregister_properties(harvester, demo):
    paper = Paper.objects.get(number=949, year=2019, suffix="")
    protocol_import(draft=read_protocol(PROTOCOL_949))
    step = paper.consultations.get(committee__slug="gemeinderat")
    assert step.vote_note == "je Ziffer abgestimmt"

    consultation = harvester.get(f"{API}consultation/{step.pk}")
    validate(consultation, "Consultation")
    assert consultation["ratsregister:minutesNumber"] == "402"
    assert consultation["ratsregister:agendaNumber"] == "7"
    assert consultation["ratsregister:voteNote"] == "je Ziffer abgestimmt"
    assert "ratsregister:votesNo" not in consultation

    agenda_item = harvester.get(f"{API}agenda-item/{step.pk}")
    validate(agenda_item, "AgendaItem")
    assert agenda_item["number"] == "7"
    assert agenda_item["ratsregister:minutesNumber"] == "402"

    paper_json = harvester.get(f"{API}paper/{paper.pk}")
    validate(paper_json, "Paper")
    items = {
        item["ratsregister:number"]: item
        for item in paper_json["ratsregister:resolutionItems"]
    }
    assert items[1]["ratsregister:voteNote"] == "einstimmig"
    assert "ratsregister:votesNo" not in items[1]
    # Nobody against is a count, and it is published as 0.
    assert (
        items[2]["ratsregister:votesNo"],
        items[2]["ratsregister:votesAbstain"],
        items[2]["ratsregister:voteNote"],
    ) == (0, 4, "mehrheitlich")
    assert "ratsregister:votesYes" not in items[2]
    assert "ratsregister:voteNote" not in items[3]


def test_counts_of_a_whole_vote_are_on_the_consultation_and_its_agenda_item(
    harvester, demo
):
    step = Consultation.objects.filter(
        is_public=True, paper__is_public=True, meeting__is_public=True
    ).first()
    step.votes_yes, step.votes_no, step.votes_abstain = 35, 20, 5
    step.vote_note = "mehrheitlich"
    step.minutes_number, step.agenda_number = "184/E", "5"
    step.save()

    consultation = harvester.get(f"{API}consultation/{step.pk}")
    validate(consultation, "Consultation")
    agenda_item = harvester.get(f"{API}agenda-item/{step.pk}")
    validate(agenda_item, "AgendaItem")
    for obj in (consultation, agenda_item):
        assert (
            obj["ratsregister:votesYes"],
            obj["ratsregister:votesNo"],
            obj["ratsregister:votesAbstain"],
            obj["ratsregister:voteNote"],
            obj["ratsregister:minutesNumber"],
        ) == (35, 20, 5, "mehrheitlich", "184/E")


def test_the_resolution_item_schema_describes_its_votes(harvester):
    schema = harvester.get(f"{API}schema/ResolutionItem")
    for name in ("votesYes", "votesNo", "votesAbstain", "voteNote"):
        assert "ratsregister:" + name in schema["properties"]
