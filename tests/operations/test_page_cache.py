"""The page cache (operations/pagecache.py): pages come from the cache until any
write commits, through the ORM, a bulk update, raw SQL, the admin or the
importer; a page is kept for readers with the same rights only, and never one
that holds a form or anything else of one reader."""

import datetime
import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmark.management.commands import benchmark
from council.models import Paper
from demo.corpus import text as corpus_text
from importer.reading.paper import read_paper
from importer.services import paper_import
from operations import pagecache
from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db
LIST = "/drucksachen/"


@pytest.fixture
def page_cache(settings):
    settings.RATSREGISTER_PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


def shown(client, path=LIST):
    return client.get(path).content.decode()


def test_an_anonymous_page_comes_from_the_cache_with_one_query(
    client, page_cache, django_assert_num_queries
):
    PaperFactory(title="Schulsozialarbeit an Grundschulen")
    first = client.get(LIST)
    # Only the data version is read.
    with django_assert_num_queries(1):
        second = client.get(LIST)
    assert second.status_code == 200
    assert second.content == first.content
    assert "Schulsozialarbeit an Grundschulen" in second.content.decode()


def test_a_saved_change_is_shown_at_once(client, page_cache):
    paper = PaperFactory(title="Alter Betreff der Vorlage")
    assert "Alter Betreff der Vorlage" in shown(client)
    paper.title = "Neuer Betreff der Vorlage"
    paper.save()
    page = shown(client)
    assert "Neuer Betreff der Vorlage" in page
    assert "Alter Betreff der Vorlage" not in page


def test_bulk_updates_and_raw_sql_move_the_version_too(client, page_cache):
    paper = PaperFactory(title="Erster Betreff")
    assert "Erster Betreff" in shown(client)
    Paper.objects.filter(pk=paper.pk).update(title="Zweiter Betreff")
    assert "Zweiter Betreff" in shown(client)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Paper._meta.db_table} SET title = %s WHERE id = %s",
            ["Dritter Betreff", paper.pk],
        )
    assert "Dritter Betreff" in shown(client)


def test_a_paper_deleted_in_the_admin_is_gone_from_the_public_list(
    client, admin_client, page_cache
):
    paper = PaperFactory(title="Bald gelöschte Vorlage")
    assert "Bald gelöschte Vorlage" in shown(client)
    response = admin_client.post(
        f"/admin/council/paper/{paper.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Paper.objects.filter(pk=paper.pk).exists()
    assert "Bald gelöschte Vorlage" not in shown(client)


def test_an_imported_paper_shows_on_the_cached_list_at_once(client, page_cache):
    link = 'href="/drucksachen/2019/949/"'
    assert link not in shown(client)
    paper_import(draft=read_paper(corpus_text("grdrs_0949_2019.txt")))
    assert link in shown(client)


SECRET_TITLE = "Nichtöffentliche Vorlage zum Grundstück"


def queries_of(client, path=LIST):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return queries.captured_queries


def served_from_cache(client, path=LIST):
    return benchmark.served_from_cache(queries_of(client, path))


def test_readers_with_the_same_rights_share_a_page_from_the_cache(
    client, clerk, other_clerk, page_cache
):
    PaperFactory(title=SECRET_TITLE, is_public=False)
    client.force_login(clerk)
    assert SECRET_TITLE in shown(client)
    client.force_login(other_clerk)
    assert served_from_cache(client)
    assert SECRET_TITLE in shown(client)


def test_a_page_kept_for_one_set_of_rights_reaches_no_other_reader(
    client, clerk, hr_user, django_user_model, page_cache
):
    PaperFactory(title=SECRET_TITLE, is_public=False)
    client.force_login(clerk)
    assert SECRET_TITLE in shown(client)
    assert served_from_cache(client)
    without_rights = django_user_model.objects.create_user(username="ohne-rechte")
    for reader in (hr_user, without_rights, None):
        if reader is None:
            client.logout()
        else:
            client.force_login(reader)
        assert not served_from_cache(client)
        assert "Grundstück" not in shown(client)


def test_a_right_taken_away_counts_at_the_next_request(client, clerk, page_cache):
    PaperFactory(title=SECRET_TITLE, is_public=False)
    client.force_login(clerk)
    assert SECRET_TITLE in shown(client)
    # Group memberships are no data the version watches: the rights are part
    # of the key, read on every request.
    clerk.groups.clear()
    assert "Grundstück" not in shown(client)


def test_hrs_calendar_page_is_rendered_for_each_reader(client, hr_user, page_cache):
    client.force_login(hr_user)
    calendar = reverse("positions:calendar-token")
    client.get(calendar)
    assert "positions_calendartoken" in str(queries_of(client, calendar))


def test_an_answer_that_holds_a_csrf_token_is_not_kept(rf):
    # A form for one reader carries that reader's token.
    request = rf.get(LIST)
    assert pagecache.storable_response(request, HttpResponse("<p>Liste</p>"))
    get_token(request)
    assert not pagecache.storable_response(request, HttpResponse("<form>…</form>"))


def test_pages_of_ones_own_are_never_kept(client, clerk, page_cache):
    client.force_login(clerk)
    mine = reverse("follow:mine")
    client.get(mine)
    assert not served_from_cache(client, mine)


def test_a_page_kept_yesterday_is_rendered_anew_today(client, page_cache, monkeypatch):
    PaperFactory(title="Schulsozialarbeit an Grundschulen")
    client.get(LIST)
    assert served_from_cache(client)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(pagecache.timezone, "localdate", lambda: tomorrow)
    assert not served_from_cache(client)


def test_a_message_waiting_in_the_session_gets_a_rendered_page(
    client, clerk, page_cache
):
    # The rendered page takes the message (and shows it, where it shows any);
    # one from the cache would leave it waiting.
    client.force_login(clerk)
    client.get(LIST)
    assert served_from_cache(client)
    session = client.session
    session["_messages"] = (
        '[["__json_message",0,25,"Die Drucksache wurde gespeichert."]]'
    )
    session.save()
    assert not served_from_cache(client)


def test_a_rolled_back_write_leaves_no_version_a_later_write_could_reuse():
    PaperFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        Paper.objects.update(title="Verworfen")
        inside = pagecache.data_version()
        raise RuntimeError
    Paper.objects.update(title="Übernommen")
    assert pagecache.data_version() != inside


def test_every_table_of_the_shown_apps_moves_the_version():
    assert set(pagecache.watched_tables()) <= pagecache.installed_tables()
    assert "council_paper" in pagecache.watched_tables()
    assert "accounts_user" not in pagecache.watched_tables()


def test_what_django_and_the_libraries_write_leaves_the_version_alone():
    # Their apps live in site-packages, which may lie inside the project (.venv).
    tables = set(pagecache.watched_tables())
    assert not tables & {"django_session", "django_admin_log", "axes_accesslog"}
    assert pagecache.installed_tables() == tables


def test_a_signed_in_visit_leaves_the_anonymous_pages_cached(
    client, page_cache, admin_user
):
    # Signing in writes the session, and the first request renews it (an UPDATE).
    before = pagecache.data_version()
    client.force_login(admin_user)
    client.get(LIST)
    client.get(LIST)
    assert pagecache.data_version() == before


def test_install_takes_the_trigger_off_a_table_no_longer_watched():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_session")
    before = pagecache.data_version()
    # As an earlier version of install() left it: a trigger on the sessions.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TRIGGER {pagecache.TRIGGER} BEFORE INSERT ON django_session "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {pagecache.FUNCTION}()"
            )
        else:
            cursor.execute(
                f'CREATE TRIGGER "{pagecache.TRIGGER}_insert_django_session" '
                f"AFTER INSERT ON django_session BEGIN UPDATE {pagecache.TABLE} "
                "SET version = abs(random()) WHERE id = 1; END"
            )
    assert "django_session" in pagecache.installed_tables()
    pagecache.install(connection)
    assert "django_session" not in pagecache.installed_tables()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_session VALUES ('k', 'd', %s)", ["2030-01-01"]
        )
    assert pagecache.data_version() == before


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite writes one at a time anyway"
)
@pytest.mark.django_db(transaction=True)
def test_two_writers_do_not_wait_for_each_other_on_the_version():
    paper, other = PaperFactory(), PaperFactory()
    written, done = threading.Event(), threading.Event()

    def first_writer():
        with transaction.atomic():
            Paper.objects.filter(pk=paper.pk).update(title="Erster Schreiber")
            written.set()
            done.wait(10)
        connections.close_all()

    thread = threading.Thread(target=first_writer)
    thread.start()
    try:
        assert written.wait(10)
        before = pagecache.data_version()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        # Would raise after two seconds if the version row were the first's.
        Paper.objects.filter(pk=other.pk).update(title="Zweiter Schreiber")
        assert pagecache.data_version() != before
    finally:
        done.set()
        thread.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the version's slots are PostgreSQL's"
)
def test_a_transaction_updates_its_slot_once_however_many_statements_it_runs():
    # Each update of the slot row left a version of it that the next one walked:
    # 1,200 papers in one transaction took 35 s instead of a fraction of one.
    def slot_updates():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
                [pagecache.SLOTS],
            )
            return cursor.fetchone()[0]

    PaperFactory()
    before, updates = pagecache.data_version(), slot_updates()
    PaperFactory.create_batch(30)
    assert slot_updates() == updates
    assert pagecache.data_version() != before
