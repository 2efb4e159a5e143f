"""Production settings: Django's deployment check is clean, the defaults are strict."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

MANAGE = str(settings.BASE_DIR / "manage.py")


def production_env(tmp_path, **overrides):
    """The environment production demands, and nothing else of ours."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "RATSREGISTER_", "DATABASE_URL", "OPARL_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="ratsregister.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        OPARL_BASE_URL="https://ratsregister.example.org",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run(args, env):
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_check_finds_nothing_not_even_a_warning(tmp_path):
    result = run(
        [MANAGE, "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PRINT_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in [
    "DEBUG", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_AGE", "RATSREGISTER_SESSION_RENEWAL",
    "RATSREGISTER_REQUIRE_2FA",
]} | {"db": {k: settings.DATABASES["default"][k] for k in [
    "ATOMIC_REQUESTS", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS"]}}))
"""


def production_settings(tmp_path, **overrides):
    result = run(["-c", PRINT_SETTINGS], production_env(tmp_path, **overrides))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_defaults_are_https_only_for_a_year(tmp_path):
    values = production_settings(tmp_path)

    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True


def test_production_sessions_expire_after_eight_idle_hours_by_default(tmp_path):
    values = production_settings(tmp_path)

    assert values["SESSION_COOKIE_AGE"] == 8 * 60 * 60
    assert values["RATSREGISTER_SESSION_RENEWAL"] == 60


def test_production_keeps_connections_but_checks_them_after_a_restart(tmp_path):
    values = production_settings(tmp_path)

    assert values["db"] == {
        "ATOMIC_REQUESTS": True,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def test_the_environment_sets_the_second_factor_mandatory_and_the_idle_time(
    tmp_path,
):
    values = production_settings(
        tmp_path, RATSREGISTER_REQUIRE_2FA="True", DJANGO_SESSION_COOKIE_AGE="3600"
    )

    assert values["RATSREGISTER_REQUIRE_2FA"] is True
    assert values["SESSION_COOKIE_AGE"] == 3600


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "OPARL_BASE_URL"]
)
def test_production_refuses_to_start_without(tmp_path, missing):
    result = run([MANAGE, "check"], production_env(tmp_path, **{missing: None}))

    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_an_oparl_base_url_without_https(tmp_path):
    env = production_env(tmp_path, OPARL_BASE_URL="http://ratsregister.example.org")
    result = run([MANAGE, "check"], env)

    assert result.returncode != 0
    assert "OPARL_BASE_URL" in result.stderr
