"""Settings of the load test's server (benchmark/load.py): production's behaviour
without its secrets and TLS, plus the base-template view of benchmark/urls.py.

DEBUG off, persistent connections with health checks (as config/settings/
production.py), static files without a manifest (no collectstatic needed). Never
used by the site itself.
"""

from benchmark import BASE_VIEW_PATH
from config.settings.base import *  # noqa: F403
from config.settings.base import database, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="benchmark-only-key")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES = {"default": database()}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
ROOT_URLCONF = "benchmark.urls"
# The yardstick stays a bare render, never a page from the cache.
RATSREGISTER_PAGE_CACHE_EXEMPT = (BASE_VIEW_PATH,)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
