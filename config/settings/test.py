"""Tests: DATABASE_URL picks PostgreSQL; without it, SQLite."""

from .base import *  # noqa: F403
from .base import BASE_DIR, database

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# The tests load the demo and run the benchmark's generator on small data.
INSTALLED_APPS = [*INSTALLED_APPS, *DEVELOPER_APPS]  # noqa: F405
# Without DATABASE_URL the suite runs on SQLite (in memory when Django creates it).
DATABASES = {"default": database("sqlite:///:memory:")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No manifest in tests: templates may name static files that collectstatic never saw.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# WhiteNoise serves the static files from the apps' folders, so tests can check
# the headers of a static file without collectstatic.
WHITENOISE_USE_FINDERS = True
# The page cache serves a second request with one query (the data version); the
# tests that count a page's queries count the rendering. tests/operations/
# test_page_cache.py switches it on.
RATSREGISTER_PAGE_CACHE = False
# Likewise the sums kept under the data version (remembered()); its own tests
# switch it on.
RATSREGISTER_DERIVED_CACHE = False
