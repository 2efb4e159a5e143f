"""Development: `make run`. Nothing secret is needed, nothing secret is created."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# An insecure key is fine for a local server that only listens on 127.0.0.1.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# `make run` loads the demo; manage.py generate_data and benchmark for developers.
INSTALLED_APPS = [*INSTALLED_APPS, *DEVELOPER_APPS]  # noqa: F405

# Static files straight from static/ and the apps, without collectstatic: the base
# settings' manifest storage needs the manifest collectstatic writes, so with
# DJANGO_DEBUG=False every page was a server error until it ran. WhiteNoise serves
# them through the finders, as runserver does with DEBUG on.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
