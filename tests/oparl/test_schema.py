"""Every object type the interface produces validates against the official schemas."""

import json

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from council.models import Attachment, Meeting, Paper

from .conftest import EXAMPLE_DIR, validate

pytestmark = pytest.mark.django_db


def _examples():
    for path in sorted(EXAMPLE_DIR.glob("*.json")):
        marks = []
        if path.stem == "Meeting-01":
            # The official example's agenda items leave out the required `order`,
            # which shows that the validator does check embedded objects.
            marks = [pytest.mark.xfail(raises=jsonschema.ValidationError, strict=True)]
        yield pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize("path", list(_examples()))
def test_official_examples_pass_the_validator_the_tests_use(path):
    example = json.loads(path.read_text(encoding="utf-8"))
    validate(example, path.stem.split("-")[0], ours=False)


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
