"""Every object type the interface produces validates against the official schemas."""

import datetime
import json

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from council.models import Attachment, Meeting, Paper, PaperReference

from .conftest import EXAMPLE_DIR, validate

pytestmark = pytest.mark.django_db


# The official Meeting example's agenda items leave out the required `order`.
FLAWED_EXAMPLE = "Meeting-01"


def _example(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "path",
    [p for p in sorted(EXAMPLE_DIR.glob("*.json")) if p.stem != FLAWED_EXAMPLE],
    ids=lambda path: path.stem,
)
def test_official_examples_pass_the_validator_the_tests_use(path):
    validate(_example(path), path.stem.split("-")[0], ours=False)


def test_validator_checks_embedded_objects_and_rejects_the_flawed_official_example():
    example = _example(EXAMPLE_DIR / f"{FLAWED_EXAMPLE}.json")
    with pytest.raises(jsonschema.ValidationError, match="'order' is a required"):
        validate(example, "Meeting", ours=False)


def test_validator_rejects_a_date_time_without_offset():
    with pytest.raises(jsonschema.ValidationError):
        validate(
            {
                "id": "https://example.org/paper/1",
                "type": "https://schema.oparl.org/1.1/Paper",
                "created": "2019-12-05T10:00:00",
                "modified": "2019-12-05T10:00:00",
            }
        )


@pytest.fixture
def demo_with_file_and_location(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    paper = Paper.objects.get(number=949, year=2019)
    Attachment.objects.create(
        paper=paper,
        number=1,
        title="Übersicht der Stellen",
        file=SimpleUploadedFile("uebersicht.pdf", b"%PDF-1.4 demo"),
    )
    Meeting.objects.filter(committee__slug="gemeinderat").update(
        location="Rathaus, Großer Sitzungssaal"
    )


def test_every_object_type_of_the_demo_data_validates_against_its_schema(
    harvester, demo_with_file_and_location
):
    seen = {}
    system = harvester.system()
    seen[validate(system, "System")] = 1
    body = harvester.body()
    seen[validate(body, "Body")] = 1
    for list_property, expected in [
        ("organization", "Organization"),
        ("person", "Person"),
        ("meeting", "Meeting"),
        ("paper", "Paper"),
        ("agendaItem", "AgendaItem"),
        ("consultation", "Consultation"),
        ("file", "File"),
    ]:
        entries = harvester.all_of(body[list_property])
        assert entries, list_property
        for entry in entries:
            validate(entry, expected)
            # Fetched on its own, the object is the same one, valid as well.
            alone = harvester.get(entry["id"])
            validate(alone, expected)
            assert alone["id"] == entry["id"]
            seen[expected] = seen.get(expected, 0) + 1
    location = harvester.get(harvester.all_of(body["meeting"])[-1]["location"]["id"])
    seen[validate(location, "Location")] = 1
    assert set(seen) == {
        "System",
        "Body",
        "Organization",
        "Person",
        "Meeting",
        "AgendaItem",
        "Paper",
        "Consultation",
        "File",
        "Location",
    }


def test_empty_lists_are_valid_lists(harvester, demo):
    body = harvester.body()
    for list_property in ("legislativeTermList", "membership"):
        page = harvester.get(body[list_property])
        assert page["data"] == []
        assert page["pagination"]["totalElements"] == 0
        assert "next" not in page["links"]


def test_a_supplement_is_subordinated_and_a_meeting_time_carries_its_offset(
    harvester, demo
):
    base = Paper.objects.get(number=949, year=2019)
    supplement = Paper.objects.create(
        number=949,
        year=2019,
        suffix="Ergänzung",
        paper_type=Paper.Type.DECISION,
        title="Ergänzung zur Verlängerung",
        date=base.date,
        department=base.department,
    )
    PaperReference.objects.create(
        from_paper=supplement, to_paper=base, kind=PaperReference.Kind.SUPPLEMENTS
    )
    meeting = Meeting.objects.get(committee__slug="gemeinderat", date="2019-12-05")
    meeting.start_time = datetime.time(16, 30)
    meeting.save()

    api = "http://testserver/oparl/v1/"
    base_json = harvester.get(f"{api}paper/{base.pk}")
    validate(base_json, "Paper")
    supplement_json = harvester.get(f"{api}paper/{supplement.pk}")
    validate(supplement_json, "Paper")
    assert supplement_json["reference"] == "949/2019 Ergänzung"
    assert supplement_json["superordinatedPaper"] == [base_json["id"]]
    assert base_json["subordinatedPaper"] == [supplement_json["id"]]
    assert supplement_json["web"].endswith("/drucksachen/2019/949/Erg%C3%A4nzung/")

    meeting_json = harvester.get(f"{api}meeting/{meeting.pk}")
    validate(meeting_json, "Meeting")
    # December in Stuttgart: CET.
    assert meeting_json["start"] == "2019-12-05T16:30:00+01:00"
    assert meeting_json["agendaItem"][0]["public"] is True
