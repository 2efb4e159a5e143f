"""Dump a database to a file and restore it, for PostgreSQL and SQLite.

PostgreSQL goes through its own tools (pg_dump in the custom format, pg_restore):
a consistent snapshot while the site runs, restorable into any empty database.
SQLite goes through SQLite's online backup API, the same as the shell's `.backup`:
a consistent copy even while the server writes.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

import environ
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import ConnectionHandler

POSTGRESQL = "postgresql"
SQLITE = "sqlite"
# The first bytes of each kind of backup file.
MAGIC = {POSTGRESQL: b"PGDMP", SQLITE: b"SQLite format 3\x00"}
SUFFIX = {POSTGRESQL: ".dump", SQLITE: ".sqlite3"}


class BackupError(Exception):
    """A dump or restore that cannot be done, said so that an operator can act."""


def database(url=None, alias=DEFAULT_DB_ALIAS):
    """The connection of DATABASE_URL-style `url`, or of the configured alias."""
    if url is None:
        return connections[alias]
    handler = ConnectionHandler({DEFAULT_DB_ALIAS: environ.Env.db_url_config(url)})
    return handler[DEFAULT_DB_ALIAS]


def kind(connection):
    if connection.vendor in (POSTGRESQL, SQLITE):
        return connection.vendor
    raise BackupError(f"Keine Sicherung für {connection.vendor} vorgesehen.")


def kind_of_file(path):
    with open(path, "rb") as file:
        head = file.read(16)
    for name, magic in MAGIC.items():
        if head.startswith(magic):
            return name
    raise BackupError(f"{path} ist keine Sicherung von pg_dump -Fc oder SQLite.")


def table_names(connection):
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def dump(connection, path):
    """Write a backup of `connection`'s database to `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind(connection) == POSTGRESQL:
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
            + ["--file", str(path)],
            connection,
        )
    else:
        target = sqlite3.connect(path)
        try:
            with _sqlite(connection) as source:
                source.backup(target)
        finally:
            target.close()
    return path


def restore(connection, path):
    """Replace what `connection`'s database holds with the backup at `path`."""
    file_kind = kind_of_file(path)
    if file_kind != kind(connection):
        raise BackupError(
            f"{path} ist eine Sicherung für {file_kind}, die Zieldatenbank ist "
            f"{connection.vendor}."
        )
    connection.close()
    if file_kind == POSTGRESQL:
        # One transaction: a restore that fails half-way leaves the database as
        # it was. --clean drops what the backup brings before creating it again.
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
            + ["--single-transaction", "--clean", "--if-exists"]
            + ["--dbname", connection.settings_dict["NAME"], str(path)],
            connection,
        )
    else:
        source = sqlite3.connect(path)
        try:
            with _sqlite(connection) as target:
                source.backup(target)
        finally:
            source.close()


def _sqlite(connection):
    """A plain sqlite3 connection to the database file of `connection`."""
    name = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db():
        # The test database: shared in memory, reachable only through Django.
        connection.ensure_connection()
        return _Borrowed(connection.connection)
    return _Owned(sqlite3.connect(name, uri=name.startswith("file:")))


class _Owned:
    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        return self.conn

    def __exit__(self, *exc):
        self.conn.close()


class _Borrowed(_Owned):
    def __exit__(self, *exc):
        pass


def _run(command, connection):
    """Run a PostgreSQL client with the connection's parameters in its environment.

    The password goes through PGPASSWORD, never onto the command line where
    other users of the machine could read it.
    """
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, value in [
        ("PGDATABASE", settings["NAME"]),
        ("PGHOST", settings["HOST"]),
        ("PGPORT", settings["PORT"]),
        ("PGUSER", settings["USER"]),
        ("PGPASSWORD", settings["PASSWORD"]),
        ("PGSSLMODE", settings["OPTIONS"].get("sslmode")),
    ]:
        if value:
            env[variable] = str(value)
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} fehlt: bitte die PostgreSQL-Clientprogramme installieren "
            "(Debian: postgresql-client)."
        ) from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} ist gescheitert:\n{error.stderr}") from error
