import os
import shutil
import threading

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import caches
from django.core.management.commands import flush as flush_command
from django.db import connection
from django.test.testcases import LiveServerThread, ThreadedWSGIServer
from django.utils import translation

from accounts.roles import CLERKS, HR
from tests import demo_snapshot


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker):
    """The rows `load_demo()` writes, read once per session (see demo_snapshot)."""
    with django_db_blocker.unblock():
        return demo_snapshot.take()


@pytest.fixture
def demo(db, demo_rows):
    """The demo data of DESIGN.md, as `make run` loads it (a copy of one load)."""
    demo_snapshot.restore(demo_rows)


def _member(django_user_model, username, group_name):
    user = django_user_model.objects.create_user(
        username=username, password="pw", is_staff=True, email=f"{username}@example.org"
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def clerk(db, django_user_model):
    """A member of the Geschäftsstelle, as the data migration set the group up."""
    return _member(django_user_model, "clerk", CLERKS)


@pytest.fixture
def other_clerk(db, django_user_model):
    """A second member of the Geschäftsstelle: the same rights as `clerk`."""
    return _member(django_user_model, "clerk2", CLERKS)


@pytest.fixture
def hr_user(db, django_user_model):
    """A member of the Personalamt."""
    return _member(django_user_model, "hr", HR)


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    return client


# Playwright's sync API runs an event loop in the test thread; Django's ORM calls
# from the test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (not Playwright's own download)."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not executable:
        raise RuntimeError(
            "Browser tests need Chromium: apt-get install chromium "
            "(or set CHROMIUM to its path)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _sql_flush(style, connection, reset_sequences=True, allow_cascade=False):
    """A transactional test's flush on PostgreSQL: DELETE instead of TRUNCATE
    (elsewhere Django's, with what triggers fill emptied last).

    TRUNCATE gives every table a new file: about 3 s for the ~60 tables on this
    machine, where deleting the few rows a test leaves takes 0.05 s. The rows go
    with the triggers off (the OParl stamps of a deleted row, the foreign keys);
    a second DELETE of the empty tables then fires what fires per statement, as
    TRUNCATE does (the page cache's data version moves on). Any other flush (with
    its sequences reset, or cascading) is Django's own.
    """
    if connection.vendor != "postgresql" or reset_sequences or allow_cascade:
        statements = DJANGO_SQL_FLUSH(
            style,
            connection,
            reset_sequences=reset_sequences,
            allow_cascade=allow_cascade,
        )
        # Django's DELETEs fire the row triggers: the OParl stamps of the rows
        # deleted after the stamps' own table came back as deleted stubs, which a
        # later test of the worker would harvest. Empty what triggers fill last.
        filled = [
            apps.get_model(label)._meta.db_table
            for label in sorted(demo_snapshot.TRIGGER_FILLED)
        ]
        return [
            *statements,
            *(f"DELETE FROM {connection.ops.quote_name(table)}" for table in filled),
        ]
    tables = connection.introspection.django_table_names(
        only_existing=True, include_views=False
    )
    deletes = [f"DELETE FROM {connection.ops.quote_name(table)}" for table in tables]
    return [
        "SET LOCAL session_replication_role = replica",
        *deletes,
        "SET LOCAL session_replication_role = origin",
        *deletes,
    ]


DJANGO_SQL_FLUSH = flush_command.sql_flush


@pytest.fixture(scope="session")
def migrated_rows(django_db_setup, django_db_blocker):
    """What the migrations left in the database, and a quick flush that keeps it.

    A transactional test ends with a flush of every table, after which Django
    sends post_migrate: content types and permissions are made again one by one
    and the triggers reinstalled (which a flush does not drop), about 2 s each
    time on PostgreSQL. Instead, the rows as they were before the first test (the
    content types, the permissions and the groups of the data migrations, with
    their keys) come back with one bulk insert per table; and the flush deletes
    rather than truncates (_sql_flush).
    """
    with django_db_blocker.unblock():
        snapshot = demo_snapshot.rows()

    def put_back(*_signal_arguments):
        with django_db_blocker.unblock():
            demo_snapshot.insert(snapshot)

    signal = flush_command.emit_post_migrate_signal
    flush_command.emit_post_migrate_signal = put_back
    flush_command.sql_flush = _sql_flush
    yield snapshot
    flush_command.emit_post_migrate_signal = signal
    flush_command.sql_flush = DJANGO_SQL_FLUSH


@pytest.fixture(scope="session")
def migrated_groups(django_db_setup, django_db_blocker):
    """The groups the data migrations made, with permissions by natural key."""
    with django_db_blocker.unblock():
        return serializers.serialize(
            "json", Group.objects.all(), use_natural_foreign_keys=True
        )


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language.

    LocaleMiddleware activates a page's language for the thread and nothing
    deactivates it after the response, so an English page of an earlier test in
    the same worker left English active for what a later test does outside a
    request (an import's messages and its audit reason, a form's errors).
    """
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_oparl_cache():
    """Each test starts without OParl's kept lists and objects.

    They are kept under the data version and the stamps, which never repeat in
    a running database; between tests they can: every test's rows are rolled
    back or flushed, and the demo copy gives its rows the same keys each time.
    """
    caches["oparl"].clear()


@pytest.fixture(autouse=True)
def _migrated_groups_after_a_flush(request):
    """The data migrations' groups, back if a transactional test flushed them.

    Such a test ends with a flush of every table; content types and permissions
    come back through post_migrate, the groups of the data migrations do not. With
    the tests spread over workers in any order, a later test of the same worker
    that signs in a clerk would find no group Geschäftsstelle.
    """
    if request.node.get_closest_marker("django_db") is None and not {
        "db",
        "transactional_db",
    } & set(request.fixturenames):
        return
    # Taken by the first database test of the session, before any flush.
    groups = request.getfixturevalue("migrated_groups")
    snapshot = request.getfixturevalue("migrated_rows")
    request.getfixturevalue("db")
    if not ContentType.objects.exists():
        # Flushed without post_migrate (a test with serialized_rollback): every
        # row the migrations made comes back, not only the groups.
        demo_snapshot.insert(snapshot)
    elif not Group.objects.exists():
        for group in serializers.deserialize("json", groups):
            group.save()


class _OneRequestAtATime(ThreadedWSGIServer):
    """The live server of Django, answering one request at a time.

    On in-memory SQLite every thread of the server shares the test's one connection
    (the database lives only in it). A page's requests arrive together (the admin's
    jsi18n beside its style sheets, the favicon beside the next page), and a second
    request that begins a transaction while the first is in one fails with "cannot
    start a transaction within a transaction". The lock covers the whole answer,
    including a streamed body that reads the database.
    """

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                response = application(environ, start_response)
                try:
                    return list(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()

        super().set_app(one_at_a_time)


@pytest.fixture(scope="session")
def _live_server_class():
    """On in-memory SQLite, the server class of the live server made next."""
    with pytest.MonkeyPatch.context() as patch:
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            patch.setattr(LiveServerThread, "server_class", _OneRequestAtATime)
        yield


@pytest.fixture(scope="session")
def live_server(_live_server_class, live_server):
    """pytest-django's live server (made after _live_server_class, the
    argument before it); on in-memory SQLite, one request at a time."""
    return live_server


@pytest.fixture
def page(browser, live_server, transactional_db, migrated_groups):
    """A fresh browser tab against the live server, on committed data.

    The live server reads through its own connection, so browser tests are
    transactional, and an earlier transactional test may have flushed the tables.
    The flush makes content types and permissions again but not the groups of the
    data migrations, so put those back (serialized_rollback cannot: it looks for its
    snapshot on a connection object that is not the one in use once Playwright's
    event loop runs in this thread).
    """
    for group in serializers.deserialize("json", migrated_groups):
        group.save()
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    tab = context.new_page()
    yield tab
    context.close()


# What `make check` leaves out: tests that take seconds each because they drive a
# browser, crawl every page, generate volume data or run long Hypothesis sequences.
# `make test` (and CI) runs them all.
# Longest first (on PostgreSQL, 30.11.2026, -n 2 at load 9: the OParl sync
# property 410 s, the crawl 40-230 s a role, the fuzz 20-150 s a page).
SLOW_PATHS = (
    "tests/oparl/test_sync.py",
    "tests/visibility/test_crawl.py",
    "tests/fuzz/",
    "tests/benchmark/",
    "tests/oparl/test_crawl.py",
    "tests/browser/",
)
SLOW_FIXTURES = {"page", "live_server", "browser"}


def slow_rank(item):
    """Where a slow test starts (SLOW_PATHS' order, then the other browser tests);
    None for a test that is not slow."""
    path = item.nodeid.split("::")[0]
    for rank, prefix in enumerate(SLOW_PATHS):
        if path.startswith(prefix):
            return rank
    return len(SLOW_PATHS) if SLOW_FIXTURES & set(item.fixturenames) else None


def pytest_collection_modifyitems(config, items):
    ranks = {}
    for item in items:
        ranks[item.nodeid] = slow_rank(item)
        if ranks[item.nodeid] is not None:
            item.add_marker(pytest.mark.slow)
    # The slow tests first, longest kinds first, then the rest in their order: with
    # `--dist loadgroup` (pyproject.toml) xdist hands the workers one test at a
    # time in this order, so the long ones are spread over both workers at the
    # start and the short ones fill the end, and the workers finish together
    # instead of one waiting for the other's last long test.
    rest = len(SLOW_PATHS) + 1
    items.sort(
        key=lambda item: rest if ranks[item.nodeid] is None else ranks[item.nodeid]
    )
