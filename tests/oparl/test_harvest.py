"""What a harvester needs of issue 11: stubs of every type, stable persons, agenda
items and meetings as OParl counts them, the text of every paper, JSON for every
answer, and a whole import and update without a warning."""

import datetime
import gzip
import hashlib
import json
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.utils import timezone

from council.models import (
    Attachment,
    Committee,
    Consultation,
    Department,
    Meeting,
    Paper,
    PaperSection,
    Person,
    ResolutionItem,
)
from funding.models import FundingLine
from positions.models import PositionDecision

from .conftest import SCHEMA_DIR, VENDOR_KEY, Harvester, type_name, validate

pytestmark = pytest.mark.django_db

API = "http://testserver/oparl/v1/"
BODY = API + "body/08111000/"


def since(moment):
    return "?" + urlencode({"modified_since": moment.isoformat(), "limit": 500})


class Client(Harvester):
    """A small harvester as portals run them (meine-stadt-transparent's way):
    lists of the body, embedded objects taken out by their id, deltas with
    modified_since, and the embedded objects a delta dropped fetched on their own."""

    LISTS = ("organization", "person", "meeting", "paper")

    def __init__(self, client):
        super().__init__(client)
        self.objects, self.warnings = {}, []

    def externalize(self, obj):
        """The object and every object embedded in it, each by its id."""
        for key, value in obj.items():
            items = [value] if isinstance(value, dict) else value
            if not isinstance(items, list) or not items:
                continue
            if not isinstance(items[0], dict):
                continue
            for item in items:
                if "id" not in item or "type" not in item:
                    self.warnings.append(
                        f"Embedded object {key} in {obj['id']} has no id or type"
                    )
                    continue
                yield from self.externalize(item)
        yield obj

    def harvest(self, modified_since=None):
        body = self.body()
        removed = set()
        for name in self.LISTS:
            url = body[name] + (since(modified_since) if modified_since else "")
            for entry in self.all_of(url):
                old = self.objects.get(entry["id"], {})
                for found in self.externalize(entry):
                    self.store(found)
                removed |= embedded_ids(old) - embedded_ids(entry)
        # Objects dropped from their parent are asked for on their own: each
        # answers, as itself (moved elsewhere) or as its stub.
        for url in removed:
            self.store(self.get(url))

    def store(self, obj):
        if obj.get("deleted"):
            self.objects.pop(obj["id"], None)
        else:
            self.objects[obj["id"]] = obj


def embedded_ids(obj):
    found = set()
    for value in obj.values():
        items = [value] if isinstance(value, dict) else value
        if isinstance(items, list):
            found |= {i["id"] for i in items if isinstance(i, dict) and "id" in i}
    return found


def test_a_whole_import_and_an_update_give_no_warning_of_a_missing_id(client, demo):
    harvester = Client(client)
    start = timezone.now()
    harvester.harvest()
    kinds = {type_name(o) for o in harvester.objects.values()}
    assert kinds >= {"Paper", "Consultation", "Meeting", "AgendaItem", "File"}
    assert "ResolutionItem" in kinds and "PaperSection" in kinds

    paper = Paper.objects.get(number=949, year=2019)
    ResolutionItem.objects.filter(paper=paper).order_by("number").last().delete()
    Consultation.objects.filter(paper=paper, meeting__isnull=False).first().delete()
    committee = Committee.objects.order_by("pk").first()
    Committee.objects.filter(pk=committee.pk).update(name="Neu benanntes Gremium")
    harvester.harvest(modified_since=start)

    assert harvester.warnings == []


def stub_of(harvester, url):
    stub = harvester.get(url)
    assert stub["deleted"] is True, url
    validate(stub)
    return stub


def test_every_type_that_can_go_answers_a_schema_valid_stub(harvester, demo):
    start = timezone.now()
    paper = Paper.objects.get(number=949, year=2019)
    attachment = Attachment.objects.create(
        paper=paper, number=9, title="Plan", file="anlagen/2019/plan.pdf"
    )
    step = Consultation.objects.filter(paper=paper, meeting__isnull=False).first()
    meeting = step.meeting
    Meeting.objects.filter(pk=meeting.pk).update(location="Rathaus")
    section = PaperSection.objects.filter(paper=paper).first()
    item = ResolutionItem.objects.filter(paper=paper).first()
    decision = PositionDecision.objects.filter(paper=paper).first()
    line = FundingLine.objects.filter(paper=paper).first()
    department = Department.objects.create(name="Neues Amt", kind=Department.Kind.AMT)
    before = {
        "paper": harvester.get(f"{API}paper/{paper.pk}"),
        "agenda": harvester.get(f"{API}agenda-item/{step.pk}"),
        "location": harvester.get(f"{API}meeting/{meeting.pk}/location"),
        "department": harvester.get(f"{API}organization/dienststelle/{department.pk}"),
    }
    person_url = before["paper"]["originatorPerson"][0]
    assert harvester.get(person_url)["name"] == "Dr. Alexandra Sußmann"

    # Going: a meeting, a file, a department; a paper with all it embeds.
    gone = {"file": attachment.pk, "department": department.pk}
    Meeting.objects.filter(pk=meeting.pk).delete()
    attachment.delete()
    department.delete()
    Paper.objects.filter(pk=paper.pk).update(is_public=False)

    urls = {
        "Paper": f"{API}paper/{paper.pk}",
        "File": f"{API}file/{gone['file']}",
        "mainFile": f"{API}paper/{paper.pk}/text",
        "Consultation": f"{API}consultation/{step.pk}",
        "AgendaItem": before["agenda"]["id"],
        "Meeting": f"{API}meeting/{meeting.pk}",
        "Location": before["location"]["id"],
        "Person": person_url,
        "Organization": before["department"]["id"],
        "ResolutionItem": f"{API}resolution-item/{item.pk}",
        "PaperSection": f"{API}paper-section/{section.pk}",
        "PositionDecision": f"{API}position-decision/{decision.pk}",
        "FundingLine": f"{API}funding-line/{line.pk}",
    }
    for name, url in urls.items():
        stub = stub_of(harvester, url)
        assert stub["id"] == url, name
        assert stub["modified"] >= start.isoformat()[:19], name
    # And in the lists, for a harvester that asks what changed.
    listed = {
        entry["id"]
        for name in ("paper", "file", "meeting", "agenda-item", "consultation")
        + ("person", "organization", "location")
        for entry in harvester.all_of(BODY + name + since(start))
        if entry.get("deleted")
    }
    assert listed >= {
        urls[n]
        for n in ("Paper", "File", "mainFile", "Consultation", "AgendaItem")
        + ("Meeting", "Location", "Person", "Organization")
    }


def test_a_person_keeps_its_id_when_the_name_is_corrected(harvester, demo):
    paper = Paper.objects.get(number=949, year=2019)
    url = harvester.get(f"{API}paper/{paper.pk}")["originatorPerson"][0]
    before = harvester.get(url)

    Person.objects.filter(pk=paper.signer_id).update(name="Dr. Alexandra Süßmann")
    paper.refresh_from_db()
    paper.signed_by_name = "Dr. Alexandra Süßmann"
    paper.save()

    after = harvester.get(url)
    assert after["name"] == "Dr. Alexandra Süßmann"
    assert after["modified"] > before["modified"]
    assert harvester.get(f"{API}paper/{paper.pk}")["originatorPerson"] == [url]
    persons = [p["id"] for p in harvester.all_of(BODY + "person")]
    assert len(persons) == len(set(persons))


def test_agenda_items_count_from_zero_in_the_order_of_their_meeting(harvester, demo):
    for meeting in harvester.all_of(BODY + "meeting"):
        items = meeting.get("agendaItem", [])
        assert [i["order"] for i in items] == list(range(len(items)))
        assert all(i["number"] for i in items)
        for item in items:
            assert harvester.get(item["id"])["order"] == item["order"]


def test_every_meeting_has_a_start_midnight_in_berlin_without_a_time(harvester, demo):
    meetings = harvester.all_of(BODY + "meeting")
    assert meetings
    for meeting in meetings:
        date = meeting["ratsregister:date"]
        stored = Meeting.objects.get(pk=meeting["id"].rsplit("/", 1)[1])
        if stored.start_time is None:
            assert meeting["start"] in (
                f"{date}T00:00:00+01:00",
                f"{date}T00:00:00+02:00",
            )
        else:
            assert meeting["start"].startswith(f"{date}T{stored.start_time:%H:%M}")


def test_the_body_lists_the_places_of_its_meetings(harvester, demo):
    Meeting.objects.update(location="Rathaus, Großer Sitzungssaal")
    places = harvester.all_of(harvester.body()["locationList"])
    assert places
    for place in places:
        validate(place, "Location")
        assert place["description"] == "Rathaus, Großer Sitzungssaal"
        assert harvester.get(place["meetings"][0])["location"]["id"] == place["id"]


def test_every_paper_has_its_text_as_a_pdf_whose_checksum_matches(client, demo):
    harvester = Harvester(client)
    paper = Paper.objects.get(number=949, year=2019)
    main = harvester.get(f"{API}paper/{paper.pk}")["mainFile"]
    validate(main, "File")
    assert main["mimeType"] == "application/pdf"
    for url in (main["accessUrl"], main["downloadUrl"]):
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        content = response.content
        assert content.startswith(b"%PDF-1.4")
        assert len(content) == main["size"]
        assert hashlib.sha512(content).hexdigest() == main["sha512Checksum"]
    heading = PaperSection.objects.filter(paper=paper).first().heading
    assert heading.encode("cp1252") in content

    # A changed section is a changed text: new checksum, later modified.
    PaperSection.objects.filter(paper=paper).update(body="Neu gefasst.")
    again = harvester.get(f"{API}paper/{paper.pk}")["mainFile"]
    assert again["sha512Checksum"] != main["sha512Checksum"]
    assert again["modified"] > main["modified"]
    texts = [f for f in harvester.all_of(BODY + "file") if f["id"] == main["id"]]
    assert texts == [{**again, "paper": [f"{API}paper/{paper.pk}"]}]


def test_our_types_are_dereferenceable_schemas(harvester, demo):
    paper = harvester.all_of(BODY + "paper")[0]
    types = {
        item["type"]
        for key, value in paper.items()
        if key.startswith(VENDOR_KEY) and isinstance(value, list)
        for item in value
        if isinstance(item, dict)
    }
    assert types
    for uri in types:
        schema = harvester.get(uri)
        assert schema["id"] == uri
        assert schema["$schema"].startswith("http://json-schema.org/draft-04/")
    official = json.loads((SCHEMA_DIR / "Paper.json").read_text(encoding="utf-8"))
    assert official["properties"]["mainFile"]


def test_the_json_is_gzipped_for_who_asks_and_pages_and_files_are_not(client, demo):
    response = client.get(BODY + "paper", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["data"]
    assert "Content-Encoding" not in client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    paper = Paper.objects.get(number=949, year=2019)
    text = client.get(f"{API}paper/{paper.pk}/text/access", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in text


def test_a_server_error_is_an_oparl_error_with_cors(client, demo):
    client.raise_request_exception = False
    with mock.patch(
        "oparl.views.ListView.render_rows", side_effect=RuntimeError("kaputt")
    ):
        response = client.get(BODY + "paper")
    assert response.status_code == 500
    assert response["Access-Control-Allow-Origin"] == "*"
    error = response.json()
    assert error["type"] == "https://schema.oparl.org/1.1/Error"
    assert "kaputt" not in error["message"]


def test_an_unencoded_plus_stays_a_plus_in_the_links(harvester, demo):
    page = harvester.get(BODY + "paper?modified_since=2000-01-01T00:00:00+01:00")
    assert "modified_since=2000-01-01T00%3A00%3A00%2B01%3A00" in page["links"]["self"]


def test_modified_until_an_objects_printed_modified_includes_it(harvester, demo):
    paper = harvester.all_of(BODY + "paper")[0]
    query = urlencode({"modified_until": paper["modified"], "limit": 500})
    assert paper["id"] in [p["id"] for p in harvester.all_of(f"{BODY}paper?{query}")]
    query = urlencode({"modified_since": paper["modified"], "limit": 500})
    assert paper["id"] in [p["id"] for p in harvester.all_of(f"{BODY}paper?{query}")]


def test_the_triggers_are_in_place_on_every_table_they_watch():
    from oparl import triggers

    assert triggers.installed() == triggers.expected_tables()


def test_a_bulk_write_moves_modified_too(harvester, demo):
    paper = Paper.objects.get(number=949, year=2019)
    before = harvester.get(f"{API}paper/{paper.pk}")["modified"]
    moment = timezone.now()
    if connection.vendor == "sqlite":
        # SQLite's clock counts milliseconds (docs/oparl.md): a write in the same
        # millisecond as `moment` is stamped with its start.
        moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    ResolutionItem.objects.filter(paper=paper).update(text="Geändert.")
    after = harvester.get(f"{API}paper/{paper.pk}")
    assert after["modified"] > before
    assert datetime.datetime.fromisoformat(after["modified"]) >= moment


def test_a_paper_signed_by_another_name_links_another_person_not_a_respelling():
    from tests.factories import PaperFactory

    paper = PaperFactory(signed_by_name="Dr. Anna Acker")
    first = paper.signer
    paper.sign("DR. ANNA ACKER")
    paper.save()
    assert paper.signer == first
    paper.sign("Bernd Bauer")
    paper.save()
    assert paper.signer != first
    assert paper.signer.name == "Bernd Bauer"
    paper.sign("")
    paper.save()
    assert paper.signer is None
