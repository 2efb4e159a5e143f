"""The demo data, loaded once per test session and copied into each test that asks.

`load_demo()` reads the demo texts and saves row by row through the ORM, with a
version in the audit trail for each save: about a second, and nearly 200 tests ask
for it. The session loads it once in a transaction that is rolled back, keeps the
rows it wrote, and each test inserts those rows again with one bulk insert per table
(inside the test's own transaction, so they vanish with it).

The copy is exact for every table the loader writes, audit versions included. On
PostgreSQL it includes the tables that database triggers fill (the OParl stamps,
the decisions in force) and is inserted with the triggers off: the rows are
already what the triggers made of the original, and firing them again for every
row cost more than the inserts themselves. The data version of the page cache
moves as for any write. On SQLite the triggers fill those tables from the copy.
The rows keep their primary keys; the snapshot is taken with every key sequence
moved far up first, so rows a test makes before it asks for the demo cannot collide
with them. If a test made rows that collide anyway (same natural key), the copy is
undone and the loader runs for real.
"""

from functools import cached_property

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models.sql import InsertQuery

from demo.loader import load_demo

# Keys of the snapshot start above this; no test makes that many rows itself.
KEY_BASE = 1_000_000

# Tables filled by database triggers, not by the loader (oparl/triggers.py).
# Copied with the triggers off on PostgreSQL, left to the triggers on SQLite.
TRIGGER_FILLED = {
    "oparl.stamp",
    # The decision in force of every position (positions/standing.py).
    "positions.decisionstanding",
    "positions.positionstanding",
}


class Snapshot(list):
    """(model, rows) pairs, with the INSERT statements that copy them back.

    The statements are compiled once: building a model instance for each row and
    compiling the bulk inserts cost as much again as running them, for each of
    the hundreds of tests that ask for a copy.
    """

    @cached_property
    def statements(self):
        return [
            statement
            for model, rows in self
            for statement in _insert_statements(model, [model(**row) for row in rows])
        ]


def _models():
    """The tables a snapshot copies."""
    copies_derived = _triggers_off()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.label_lower in TRIGGER_FILLED and not copies_derived:
            continue
        yield model


def _triggers_off():
    """Whether a copy goes in with the triggers off: on PostgreSQL (as a
    superuser, which the tests connect as)."""
    return connection.vendor == "postgresql"


def _keys(model):
    return set(model._base_manager.values_list("pk", flat=True))


def _move_sequences_up():
    """Let the next key of every table be above KEY_BASE (rolled back with the
    snapshot's transaction on SQLite; PostgreSQL's sequences simply stay up)."""
    with connection.cursor() as cursor:
        for model in _models():
            pk = model._meta.pk
            if not pk.get_internal_type().endswith("AutoField"):
                continue
            table = model._meta.db_table
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), "
                    "GREATEST(%s, (SELECT last_value FROM pg_sequences WHERE "
                    "schemaname = current_schema() AND sequencename = "
                    "split_part(pg_get_serial_sequence(%s, %s), '.', 2))))",
                    [table, pk.column, KEY_BASE, table, pk.column],
                )
            elif connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                    [table, KEY_BASE],
                )


def take(build=load_demo):
    """Run `build` (the demo's loader, or a test's own rows) in a transaction
    that is rolled back; return the rows it wrote."""
    with transaction.atomic():
        _move_sequences_up()
        before = {model: _keys(model) for model in _models()}
        build()
        snapshot = Snapshot()
        for model, known in before.items():
            fields = [f.attname for f in model._meta.concrete_fields]
            rows = [
                row
                for row in model._base_manager.order_by("pk").values(*fields)
                if row[model._meta.pk.attname] not in known
            ]
            if rows:
                snapshot.append((model, rows))
        transaction.set_rollback(True)
    return snapshot


def rows():
    """Every row of the copied tables as it is now, in the form restore() takes."""
    snapshot = Snapshot()
    for model in _models():
        fields = [f.attname for f in model._meta.concrete_fields]
        found = list(model._base_manager.order_by("pk").values(*fields))
        if found:
            snapshot.append((model, found))
    return snapshot


def insert(snapshot):
    """Insert the snapshot's rows (into tables that do not hold them yet)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if not _triggers_off():
            for sql, params in snapshot.statements:
                cursor.execute(sql, params)
            return
        cursor.execute("SET LOCAL session_replication_role = replica")
        for sql, params in snapshot.statements:
            cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")
        # What fires once per statement (the page cache's data version) fires
        # for an empty DELETE as for the inserts.
        for model, _rows in snapshot[:1]:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE false")


def restore(snapshot):
    """Insert the snapshot's rows; run the loader where they collide."""
    try:
        insert(snapshot)
    except IntegrityError:
        load_demo()


def _insert_statements(model, objs):
    """The SQL that inserts rows as they are, like loaddata's raw saves: bulk_create
    would stamp `auto_now` fields anew, and the audit trail would then see a
    change."""
    fields = model._meta.concrete_fields
    size = connection.ops.bulk_batch_size(fields, objs) or len(objs)
    for start in range(0, len(objs), size):
        query = InsertQuery(model)
        query.insert_values(fields, objs[start : start + size], raw=True)
        yield from query.get_compiler(connection=connection).as_sql()
