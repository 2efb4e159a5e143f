"""Development: `make run`. Nothing secret is needed, nothing secret is created."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# An insecure key is fine for a local server that only listens on 127.0.0.1.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
