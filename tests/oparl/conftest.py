"""Helpers of the OParl tests: a harvester's view of /oparl/v1/ and schema checks.

The schemas and examples in schema/ and examples/ are the official OParl 1.1 files
(CC BY-SA 4.0, the OParl project), copied so that the tests need nothing outside
the project.
"""

import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.db import connection
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

HERE = Path(__file__).parent
SCHEMA_DIR = HERE / "schema"
EXAMPLE_DIR = HERE / "examples"
TYPE_PREFIX = "https://schema.oparl.org/1.1/"
# Seconds may carry a fraction: `modified` is given at full precision.
DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}:\d{2}$"
)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

FORMATS = jsonschema.FormatChecker()

# The sync property (test_sync.py): examples x rounds edit sequences. 50 x 4 = 200
# on PostgreSQL, the database of production and CI; a sample on SQLite.
# OPARL_SYNC_PROFILE=full or quick overrides the choice by database.
SYNC_EXAMPLES = {"full": 50, "quick": 6}
SYNC_ROUNDS = 4
SYNC_PROFILE = "oparl-sync-" + (
    os.environ.get("OPARL_SYNC_PROFILE")
    or ("full" if connection.vendor == "postgresql" else "quick")
)
for _name, _examples in SYNC_EXAMPLES.items():
    hypothesis_settings.register_profile(
        f"oparl-sync-{_name}",
        max_examples=_examples,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


@FORMATS.checks("url")
def is_url(value):
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@FORMATS.checks("date-time")
def is_oparl_date_time(value):
    return bool(DATE_TIME.match(value))


@FORMATS.checks("date")
def is_date(value):
    return bool(DATE.match(value))


def load_schema(type_name):
    return json.loads((SCHEMA_DIR / f"{type_name}.json").read_text(encoding="utf-8"))


SCHEMAS = {path.stem: load_schema(path.stem) for path in SCHEMA_DIR.glob("*.json")}


# Our own types (oparl/vendor.py) live under the interface, their schemas too.
VENDOR_PREFIX = "/oparl/v1/schema/"
VENDOR_KEY = "ratsregister:"


def type_name(obj):
    if VENDOR_PREFIX in obj["type"]:
        return obj["type"].rsplit("/", 1)[1]
    assert obj["type"].startswith(TYPE_PREFIX), obj["type"]
    return obj["type"].removeprefix(TYPE_PREFIX)


def schema_of(name):
    if name in SCHEMAS:
        return SCHEMAS[name]
    from oparl import vendor

    class Types:
        def vendor_type(self, name):
            return "http://testserver" + VENDOR_PREFIX + name

    return vendor.schema(name, Types())


def validate(obj, expected_type=None, ours=True):
    """Validate an OParl object and, recursively, the objects embedded in it.

    The schemas name the type of an embedded object with their own keyword
    `schema`, which jsonschema ignores; this follows it. `ours` adds the rules of
    the specification text that the schemas do not carry.
    """
    name = type_name(obj)
    if expected_type:
        assert name == expected_type, (name, expected_type, obj["id"])
    schema = schema_of(name)
    assert schema is not None, obj["type"]
    jsonschema.Draft4Validator(schema, format_checker=FORMATS).validate(obj)
    if ours and not obj.get("deleted"):
        # The specification text (not the schemas) wants both on every object.
        assert "created" in obj and "modified" in obj, obj["id"]
    for prop, spec in schema["properties"].items():
        if prop not in obj:
            continue
        value = obj[prop]
        if spec.get("type") == "array" and "schema" in spec.get("items", {}):
            embedded_type = spec["items"]["schema"].removesuffix(".json")
            for item in value:
                validate(item, embedded_type, ours)
        elif spec.get("type") == "object" and "schema" in spec:
            validate(value, spec["schema"].removesuffix(".json"), ours)
    for prop, value in obj.items():
        # Our embedded objects: each with its own id and one of our types.
        if prop.startswith(VENDOR_KEY) and isinstance(value, list | dict):
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, dict):
                    assert VENDOR_PREFIX in item.get("type", ""), (obj["id"], prop)
                    validate(item, None, ours)
    if ours:
        # Optional properties without a value are left out.
        required = schema.get("required", []) + ["legislativeTerm"]
        for prop, value in obj.items():
            if prop not in required:
                assert value not in (None, "", [], {}), (obj["id"], prop)
    return name


class Harvester:
    """Fetches OParl URLs as a client would, through Django's test client."""

    def __init__(self, client):
        self.client = client

    def response(self, url, **extra):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return self.client.get(path, **extra)

    def get(self, url, status=200):
        response = self.response(url)
        assert response.status_code == status, (url, response.content[:500])
        assert response["Content-Type"].startswith("application/json")
        return json.loads(response.content.decode("utf-8"))

    def system(self):
        return self.get("http://testserver/oparl/v1/system")

    def body(self):
        bodies = self.get(self.system()["body"])
        return bodies["data"][0]

    def all_of(self, list_url):
        """Every entry of an external list, following `next` to the end."""
        entries, url = [], list_url
        while url:
            page = self.get(url)
            entries.extend(page["data"])
            url = page["links"].get("next")
        return entries


@pytest.fixture
def harvester(client):
    return Harvester(client)
