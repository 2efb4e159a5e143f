"""Each object's JSON kept under its OParl stamp, and each list's size and page
starts kept under the data version: a harvester's pages without re-serialising.

An object's `modified` moves, in the transaction of every change that alters its
JSON, by the triggers of oparl/triggers.py (tests/oparl/test_sync.py checks that
no change is missed). So the JSON rendered for (kind, key, modified) is the JSON
of that object until `modified` moves again: an entry is never stale, it is just
never asked for again. The stamp is read no later than the rows the JSON is made
of (in the same statement as the object's own row, before its related rows), so
what is kept under a stamp is never older than that stamp.

A list's size and the first key of each of its pages are kept under the data
version of operations/pagecache.py, which every write moves in its own
transaction, read before the list is counted: a deep page starts at its key
through the index instead of skipping all rows before it, and the list is
counted once per version, not once per page.

What else goes into an object's JSON is in the context of every key: the
address the URLs are built on, the language of the labels, the body's AGS and
the source of the code that writes it (a new release never reads the JSON of
the last from a shared cache such as Redis).

Objects on PostgreSQL only: SQLite's stamps are precise to the millisecond, so
two changes within one could leave one `modified` (there every object is
rendered every time, as before; the lists' page starts are kept on both).
"""

import datetime
import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils.translation import get_language

from . import conf

# The modules whose code shapes an object's JSON.
SOURCES = (
    "oparl/serializers.py",
    "oparl/queries.py",
    "oparl/receivers.py",
    "oparl/textfile.py",
    "oparl/views.py",
    "council/models.py",
    "positions/models.py",
    "funding/models.py",
)


def objects_enabled():
    return bool(conf.get("OPARL_OBJECT_CACHE")) and connection.vendor == "postgresql"


def lists_enabled():
    return bool(conf.get("OPARL_OBJECT_CACHE"))


def store():
    alias = conf.get("OPARL_CACHE_ALIAS")
    return caches[alias if alias in settings.CACHES else "default"]


@cache
def code_version():
    digest = hashlib.sha256()
    for name in SOURCES:
        path = Path(settings.BASE_DIR) / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def context(serializer):
    """What an object's JSON depends on beyond its rows, as a short digest."""
    parts = [
        code_version(),
        serializer.absolute("/"),
        get_language() or "",
        str(conf.get("OPARL_BODY_AGS")),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def object_key(context, kind, pk, modified):
    moment = modified.astimezone(datetime.UTC).isoformat()
    return f"oparl:{context}:{kind.key}:{pk}:{moment}"


def get_objects(keys):
    """{key: JSON text} of the keys kept."""
    if not keys:
        return {}
    return store().get_many(keys)


def set_objects(entries):
    if entries:
        store().set_many(entries, conf.get("OPARL_CACHE_SECONDS"))


def list_key(version, request, limit):
    """The list at this address (its filters), with this page size, at `version`."""
    query = sorted(
        (name, value)
        for name, value in request.GET.items()
        if name not in ("page", "limit")
    )
    text = f"{version}|{request.path}|{limit}|{query}"
    return "oparl-list:" + hashlib.sha256(text.encode()).hexdigest()[:32]


def get_list(key):
    return store().get(key) if key else None


def set_list(key, value):
    if key:
        store().set(key, value, conf.get("OPARL_CACHE_SECONDS"))
