"""A backup of the demo data, restored into an empty database, is the same data."""

import contextlib
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from demo.loader import load_demo
from operations import backup

# Dumps are read by other processes (pg_dump) or other connections: the demo must
# be committed. serialized_rollback puts back the groups of the data migrations.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGE = "/drucksachen/2019/949/"


def row_counts(conn):
    tables = backup.table_names(conn)
    with conn.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@contextlib.contextmanager
def serving_from(conn):
    """Requests in this block read the database of `conn` instead of the test's."""
    original = connections["default"]
    connections["default"] = conn
    try:
        yield
    finally:
        connections["default"] = original
        conn.close()


def restored_copy(client, target_url, path):
    """Dump, restore into `target_url`, and what the restored database serves."""
    call_command("backup", output=str(path))
    call_command("restore", str(path), database_url=target_url, interactive=False)
    target = backup.database(target_url)
    counts = row_counts(target)
    with serving_from(target):
        page = client.get(PAGE)
    return counts, page


@pytest.fixture
def demo_page(client):
    load_demo()
    page = client.get(PAGE)
    assert page.status_code == 200
    return page


def url_of(conn, name):
    settings = conn.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "localhost"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{settings['USER']}{password}@{host}{port}/{name}"


@pytest.fixture
def empty_postgresql_database():
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore need PostgreSQL; SQLite is tested below")
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    yield url_of(connection, name)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)"
        )


def test_a_pg_dump_restored_into_an_empty_database_has_every_row_and_the_same_page(
    client, demo_page, empty_postgresql_database, tmp_path
):
    counts, page = restored_copy(
        client, empty_postgresql_database, tmp_path / "demo.dump"
    )

    assert counts == row_counts(connection)
    assert counts["council_paper"] > 0
    assert page.status_code == 200
    assert page.content.decode() == demo_page.content.decode()


def test_the_restored_postgresql_database_goes_on_numbering_where_the_old_stopped(
    client, demo_page, empty_postgresql_database, tmp_path
):
    restored_copy(client, empty_postgresql_database, tmp_path / "demo.dump")
    query = "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1"
    target = backup.database(empty_postgresql_database)
    try:
        with target.cursor() as cursor:
            cursor.execute(query)
            restored = cursor.fetchall()
    finally:
        target.close()
    with connection.cursor() as cursor:
        cursor.execute(query)
        assert restored == cursor.fetchall()


def test_a_sqlite_backup_restored_into_a_new_file_has_every_row_and_the_same_page(
    client, demo_page, tmp_path
):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backup is tested on SQLite")
    target_url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"

    counts, page = restored_copy(client, target_url, tmp_path / "demo.sqlite3")

    assert counts == row_counts(connection)
    assert counts["council_paper"] > 0
    assert page.status_code == 200
    assert page.content.decode() == demo_page.content.decode()


def test_a_backup_of_the_other_kind_of_database_is_refused(tmp_path):
    wrong = tmp_path / "wrong"
    other = backup.SQLITE if connection.vendor == "postgresql" else backup.POSTGRESQL
    wrong.write_bytes(backup.MAGIC[other] + b"\0" * 64)

    with pytest.raises(CommandError, match="die Zieldatenbank ist"):
        call_command("restore", str(wrong), interactive=False)


def test_a_file_that_is_no_backup_is_refused(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("keine Sicherung")

    with pytest.raises(CommandError, match="ist keine Sicherung"):
        call_command("restore", str(junk), interactive=False)


def test_an_empty_database_is_not_backed_up_as_if_it_were_the_register(tmp_path):
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"

    with pytest.raises(CommandError, match="enthält keine Tabellen"):
        call_command("backup", output=str(tmp_path / "x"), database_url=empty)
    assert not (tmp_path / "x").exists()
