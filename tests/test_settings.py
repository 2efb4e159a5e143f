"""What every environment's settings are set up with."""

import re

import pytest
from django import forms
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


def test_requests_run_in_one_transaction():
    assert connection.settings_dict["ATOMIC_REQUESTS"] is True


def test_postgresql_runs_without_its_jit_compiler():
    if connection.vendor != "postgresql":
        assert "options" not in connection.settings_dict["OPTIONS"]
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_model_choices_are_read_in_one_query_without_a_server_side_cursor():
    from django.test.utils import CaptureQueriesContext

    from council.models import Department

    field = forms.ModelChoiceField(Department.objects.all())
    with CaptureQueriesContext(connection) as queries:
        for _choice in field.choices:
            pass
    # On PostgreSQL a server-side cursor would be DECLARE … CURSOR, FETCH, CLOSE.
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT"]


def test_every_environment_variable_the_settings_read_is_in_env_example():
    settings_dir = settings.BASE_DIR / "config" / "settings"
    read = set()
    for module in settings_dir.glob("*.py"):
        read |= set(
            re.findall(
                r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", module.read_text()
            )
        )
    documented = (settings.BASE_DIR / ".env.example").read_text()

    assert read, "the pattern finds the settings' env() calls"
    assert sorted(name for name in read if name not in documented) == []
