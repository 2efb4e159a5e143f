"""Pages from Django's cache, never stale, each for readers with the same rights.

Every write to the data the pages show moves a *data version* in the writing
transaction itself: database triggers on every table of the project's apps give
it a new value (PostgreSQL: from a sequence, in one of 16 slots of
`ratsregister_data_version_slots`, the first the transaction finds unlocked, so
that writers never wait for each other on it; the version is all slots read
together. SQLite: a random 63-bit number in `ratsregister_data_version`, per row).
On PostgreSQL a transaction moves its slot once, at its first write, and each
later statement only a part of the version that the transaction itself reads
(a setting local to it): the other transactions see the slot move at the commit,
which makes all of its writes visible at once, and the writer sees every one of
its statements move the version. Updating the slot row for every statement made
a long transaction quadratic: each update walked the row's versions left by the
ones before (1,200 papers inserted in one statement took 35 s).
A page is cached under the version read *before* the view runs, so what is
stored under a version is never older than that version, and a commit moves the
version for every later request: no page is served from before a write that had
committed when the request came. Nothing else expires entries early;
RATSREGISTER_PAGE_CACHE_SECONDS only bounds memory.

Neither a rollback nor a restored sequence can make a version come back: a
sequence never hands out a number twice, and a random one does not repeat.

A page is kept for its *readers*: anonymous visitors, or signed-in users with
the same rights (staff, superuser and every permission, read afresh on each
request, so a right taken away counts at once). What a page shows depends on
nothing else of its reader: the visibility rule asks for a permission
(council/visibility.py), and what is one reader's own (subscriptions, the
private calendar address, the import) lies on pages that are never kept. The
key holds the day too: a page that counts from today (overdue items, expiries
within twelve months) is not served from yesterday.

Only GET/HEAD requests without pending messages and without conditional headers
are served or stored; only 200 answers without cookies, without
`private`/`no-store` (never_cache) and without a CSRF token in them are kept:
a form for one reader is rendered for that reader.
"""

import hashlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import get_language

TABLE = "ratsregister_data_version"
# PostgreSQL: the version is that of several slots, all read together.
SLOTS = "ratsregister_data_version_slots"
SLOT_COUNT = 16
SEQUENCE = "ratsregister_data_version_seq"
FUNCTION = "ratsregister_bump_data_version"
TRIGGER = "ratsregister_data_version"
# PostgreSQL: what the writing transaction's later statements move (install()).
LOCAL_PART = "ratsregister.version_local"
# Apps whose writes change nothing an anonymous visitor sees: logins (last_login)
# and personal subscriptions.
UNSHOWN_APPS = {"accounts", "follow"}
# Never cached, whoever asks: the admin, accounts, files, the import.
UNCACHED_PREFIXES = ("/admin/", "/konto/", "/anlagen/", "/import")


def watched_tables():
    """The tables of the project's own apps (their histories and many-to-many
    tables included): a write to any of them moves the version."""
    tables = set()
    for config in apps.get_app_configs():
        # Ours lie at the project's root; Django's and the libraries' apps
        # (sessions, the admin's log, login attempts) in site-packages, which
        # may be inside the project too (.venv): a session saved on every
        # signed-in request moved the version each time.
        ours = Path(config.path).parent == Path(settings.BASE_DIR)
        if config.label in UNSHOWN_APPS or not ours:
            continue
        for model in config.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.add(model._meta.db_table)
    return sorted(tables)


def install(connection=connection):
    """(Re)create the version row and the triggers; after every migrate, since
    SQLite drops a table's triggers when a migration rebuilds it."""
    existing = set(connection.introspection.table_names())
    # Only where missing: a flush in the tests calls this after every test.
    tables = [t for t in watched_tables() if t in existing]
    stale = set()
    if TABLE in existing or SLOTS in existing:
        installed = installed_tables(connection)
        tables = [t for t in tables if t not in installed]
        # Tables an earlier version watched and this one does not.
        stale = installed - set(watched_tables())
    with connection.cursor() as cursor:
        for table in sorted(stale):
            drop_trigger(cursor, table)
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {SLOTS} "
                f"(id integer PRIMARY KEY CHECK (id BETWEEN 1 AND {SLOT_COUNT}), "
                "version bigint NOT NULL)"
            )
            cursor.execute(
                f"INSERT INTO {SLOTS} SELECT n, nextval('{SEQUENCE}') "
                f"FROM generate_series(1, {SLOT_COUNT}) AS n "
                "ON CONFLICT (id) DO NOTHING"
            )
            # A transaction moves one slot, the first it finds unlocked (SKIP
            # LOCKED), once: writers do not wait for each other on the version,
            # so a writer that locked a row before its first write cannot
            # deadlock with one that wrote first. Every later statement moves
            # the transaction's own part (LOCAL_PART): the writing transaction
            # itself may read a page after its write (a test does). Both
            # settings are local to the transaction, and a savepoint rolled
            # back takes them back with its writes.
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$\n"
                "DECLARE slot integer;\n"
                "BEGIN\n"
                "  IF nullif(current_setting('ratsregister.version_slot', true), '')"
                " IS NOT NULL THEN\n"
                f"    PERFORM set_config('{LOCAL_PART}',"
                f" nextval('{SEQUENCE}')::text, true);\n"
                "    RETURN NULL;\n"
                "  END IF;\n"
                f"  SELECT id INTO slot FROM {SLOTS} ORDER BY random() LIMIT 1\n"
                "    FOR UPDATE SKIP LOCKED;\n"
                "  IF slot IS NULL THEN\n"
                f"    slot := 1 + floor(random() * {SLOT_COUNT})::integer;\n"
                "  END IF;\n"
                "  PERFORM set_config('ratsregister.version_slot', slot::text, true);\n"
                f"  UPDATE {SLOTS} SET version = nextval('{SEQUENCE}')\n"
                "    WHERE id = slot;\n"
                "  RETURN NULL;\n"
                "END $$ LANGUAGE plpgsql"
            )
            for table in tables:
                # BEFORE: the version row is locked before the statement's rows,
                # so two writers cannot wait for each other across it.
                cursor.execute(
                    f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OR DELETE "
                    f'OR TRUNCATE ON "{table}" FOR EACH STATEMENT '
                    f"EXECUTE FUNCTION {FUNCTION}()"
                )
        elif connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} "
                "(id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)"
            )
            cursor.execute(f"INSERT OR IGNORE INTO {TABLE} VALUES (1, abs(random()))")
            for table in tables:
                for operation in ("INSERT", "UPDATE", "DELETE"):
                    name = f"{TRIGGER}_{operation.lower()}_{table}"
                    cursor.execute(
                        f'CREATE TRIGGER "{name}" AFTER {operation} ON "{table}" '
                        f"BEGIN UPDATE {TABLE} SET version = abs(random()) "
                        "WHERE id = 1; END"
                    )


def drop_trigger(cursor, table):
    """Take the version trigger(s) off `table`, where there are any."""
    if cursor.db.vendor == "postgresql":
        cursor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"')
        return
    for operation in ("insert", "update", "delete"):
        cursor.execute(f'DROP TRIGGER IF EXISTS "{TRIGGER}_{operation}_{table}"')


def installed_tables(connection=connection):
    """The tables that have the version triggers now."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s",
                [TRIGGER],
            )
            return {row[0].strip('"') for row in cursor.fetchall()}
        cursor.execute(
            "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE %s",
            [f"{TRIGGER}_%"],
        )
        return {row[0] for row in cursor.fetchall()}


def data_version():
    """The current version, or None where the table is missing (not migrated)."""
    if connection.vendor == "postgresql":
        # The transaction's own part is empty in any other transaction.
        sql = (
            f"SELECT string_agg(version::text, '.' ORDER BY id) || coalesce("
            f"'+' || nullif(current_setting('{LOCAL_PART}', true), ''), '') "
            f"FROM {SLOTS}"
        )
    else:
        sql = f"SELECT version FROM {TABLE} WHERE id = 1"
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return row[0] if row and row[0] is not None else None


def remembered(name, audience, compute):
    """compute()'s value, kept under the current data version for readers of
    `audience` (council.visibility.audience), so that no reader is answered with
    a value computed before a write that had committed when the reader asked.

    For sums over a whole table that every reader of the page needs, signed in
    or not: the funding overview's totals read 1.2 million lines at 100,000
    papers, 120 ms of every request (issue 12). `name` names the value and
    everything besides the audience it depends on.
    """
    version = data_version() if settings.RATSREGISTER_DERIVED_CACHE else None
    if version is None:
        return compute()
    cache = caches[settings.RATSREGISTER_PAGE_CACHE_ALIAS]
    key = f"{version}|{audience}|{name}"
    key = f"derived:{hashlib.sha256(key.encode('utf-8', 'replace')).hexdigest()}"
    # Stored in a list: a value of None is kept too.
    kept = cache.get(key)
    if kept is None:
        kept = [compute()]
        cache.set(key, kept, settings.RATSREGISTER_PAGE_CACHE_SECONDS)
    return kept[0]


def cacheable_request(request):
    if not settings.RATSREGISTER_PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return False
    exempt = UNCACHED_PREFIXES + tuple(settings.RATSREGISTER_PAGE_CACHE_EXEMPT)
    if request.path_info.startswith(exempt):
        return False
    # A conditional request is answered by the view (304); a pending message
    # must be shown and used up by a rendered page.
    if any(
        header in request.META
        for header in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
    ):
        return False
    if "messages" in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # Messages that did not fit into the cookie wait in the session.
        return SessionStorage.session_key not in request.session
    return True


def readers(request):
    """Whom a page is kept for: anonymous visitors, or all signed-in users with
    this user's rights (see the module's docstring)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    rights = sorted(user.get_all_permissions())
    return f"staff={user.is_staff}|superuser={user.is_superuser}|{','.join(rights)}"


def storable_response(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    # get_token() was called: the page carries a CSRF token of this visitor.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    control = response.get("Cache-Control", "")
    if "private" in control or "no-store" in control:
        return False
    # Local memory keeps up to 300 entries per process: no one page may fill it.
    return len(response.content) <= settings.RATSREGISTER_PAGE_CACHE_MAX_BYTES


def cache_key(request, version):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    # The same address is German for one visitor and English for another
    # (LocaleMiddleware, before this one, chose it from cookie or browser).
    language = get_language()
    day = timezone.localdate().isoformat()
    key = f"{version}|{day}|{language}|{readers(request)}|{address}"
    return f"page:{hashlib.sha256(key.encode('utf-8', 'replace')).hexdigest()}"


class PageCacheMiddleware:
    """Serves and stores pages (see the module's docstring). Placed after
    the authentication middleware, before anything that could personalise a page;
    what comes before it (security headers, CSP, the session's Vary) runs on a
    cached page as on a fresh one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            cacheable = cacheable_request(request)
        except DatabaseError:
            # The database is down (the session's user cannot be read): the
            # page's own way ends in the outage answer.
            cacheable = False
        version = data_version() if cacheable else None
        if version is None:
            return self.get_response(request)
        cache = caches[settings.RATSREGISTER_PAGE_CACHE_ALIAS]
        key = cache_key(request, version)
        cached = cache.get(key)
        if cached is not None:
            return cached
        # Rendered by now (the handler renders a TemplateResponse before the
        # middleware sees it); the cache keeps a copy, not this object, which the
        # middleware around this one still changes.
        response = self.get_response(request)
        if storable_response(request, response):
            cache.set(key, response, settings.RATSREGISTER_PAGE_CACHE_SECONDS)
        return response
