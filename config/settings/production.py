"""Production: refuses to start without a secret key, allowed hosts, a database and
the https address OParl ids are built on."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import database, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": database()}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)

if not SECRET_KEY or not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS must be set."
    )

# Every OParl id is built on it: an id must not follow the host a client asked, nor
# be an insecure http URL (harvesters keep the ids for good).
OPARL_BASE_URL = env("OPARL_BASE_URL", default="")
_oparl_base = urlsplit(OPARL_BASE_URL)
if _oparl_base.scheme != "https" or not _oparl_base.netloc:
    raise ImproperlyConfigured(
        "OPARL_BASE_URL must be the site's https address, "
        "e.g. https://ratsregister.example.org."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Cookies only over HTTPS; the __Host- prefix also keeps a neighbouring subdomain
# from setting them for us.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
# One year: browsers that once came by HTTPS never try plain HTTP again. Lower it
# (DJANGO_SECURE_HSTS_SECONDS=300) only for the first days of a new host name.
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
# Consent to the browsers' preload list; without submitting the domain there
# (hstspreload.org), it changes nothing.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
