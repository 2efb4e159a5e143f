"""What every environment's database connection is set up with."""

import pytest
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
