"""A database that cannot be reached is a 503 to retry, and the site comes back."""

import contextlib
import json
from unittest import mock

import pytest
from django.db import OperationalError, close_old_connections, connection, connections
from django.db.utils import ConnectionHandler, InterfaceError

from oparl.serializers import SCHEMA

pytestmark = pytest.mark.django_db

PAGE = "/drucksachen/2019/949/"


@contextlib.contextmanager
def database_down(error=OperationalError):
    """Every new use of the connection fails, as while PostgreSQL restarts."""
    with mock.patch.object(
        connections["default"],
        "ensure_connection",
        side_effect=error("server closed the connection unexpectedly"),
    ):
        yield


@contextlib.contextmanager
def serving_from(settings_dict):
    """Requests in this block go to a connection with these settings."""
    handler = ConnectionHandler({"default": settings_dict})
    conn = handler["default"]
    original = connections["default"]
    connections["default"] = conn
    try:
        yield conn
    finally:
        connections["default"] = original
        conn.close()


def unreachable(settings_dict):
    """The settings of the test database, pointed where no database answers."""
    unreachable = {**settings_dict}
    if settings_dict["ENGINE"].endswith("sqlite3"):
        unreachable["NAME"] = "/nonexistent/directory/db.sqlite3"
    else:
        unreachable.update(HOST="127.0.0.1", PORT="1")  # nothing listens on port 1
    return unreachable


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_page_answers_503_with_retry_after_in_the_sites_design(demo, client, error):
    with database_down(error):
        response = client.get(PAGE)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "Vorübergehend nicht erreichbar" in html
    assert "css/site.css" in html  # base.html, with its navigation
    assert 'href="/drucksachen/"' in html
    assert "Content-Security-Policy" in response.headers


def test_a_page_answers_503_when_no_database_listens_at_all(demo, client):
    with serving_from(unreachable(connection.settings_dict)):
        response = client.get(PAGE)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Vorübergehend nicht erreichbar" in response.content.decode()


def test_a_signed_in_clerk_gets_the_503_page_too(demo, clerk_client):
    with database_down():
        response = clerk_client.get("/admin/council/paper/")

    assert response.status_code == 503
    assert "Vorübergehend nicht erreichbar" in response.content.decode()


def test_with_the_second_factor_required_a_signed_in_user_gets_the_503_page(
    demo, clerk_client, settings
):
    settings.RATSREGISTER_REQUIRE_2FA = True
    with database_down():
        response = clerk_client.get(PAGE)

    assert response.status_code == 503
    assert "Vorübergehend nicht erreichbar" in response.content.decode()


def test_oparl_answers_a_json_error_object_with_cors(demo, client):
    healthy = client.get("/oparl/v1/system")
    with database_down():
        response = client.get("/oparl/v1/system")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["type"] == SCHEMA + "Error"
    assert "nicht erreichbar" in body["message"]
    cors = {k: v for k, v in healthy.headers.items() if k.startswith("Access-Control")}
    assert cors, "the OParl views send CORS headers"
    for header, value in cors.items():
        assert response[header] == value


def test_the_site_answers_again_as_soon_as_the_database_is_back(demo, client):
    with serving_from(unreachable(connection.settings_dict)):
        assert client.get(PAGE).status_code == 503

    assert client.get(PAGE).status_code == 200


def test_other_errors_stay_server_errors(demo, client):
    client.raise_request_exception = False
    with mock.patch(
        "council.views.PaperDetailView.get", side_effect=RuntimeError("bug")
    ):
        response = client.get(PAGE)

    assert response.status_code == 500


def test_the_database_connection_is_checked_before_it_is_used_again():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_kept_connection_killed_by_a_restart_is_replaced_without_an_error(client):
    if connection.vendor != "postgresql":
        pytest.skip("a server restart only happens to PostgreSQL")
    test_connection = connections["default"]
    kept = {**test_connection.settings_dict, "CONN_MAX_AGE": 60}
    with serving_from(kept) as conn:
        assert client.get("/gremien/").status_code == 200
        backend = conn.connection.info.backend_pid
        with test_connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
        # What Django's handler does when the next request starts (the test
        # client leaves it out).
        close_old_connections()

        response = client.get("/gremien/")

        assert response.status_code == 200
        assert conn.connection.info.backend_pid != backend
