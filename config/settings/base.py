"""Settings shared by every environment; the environment picks the rest."""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file is optional; real environment variables always win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    # Django's admin on the site of operations.admin_site (second factor).
    "operations.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    # Ours, in dependency order: each app builds only on the ones above it.
    "operations",
    "accounts",
    "audit",
    "council",
    "positions",
    "funding",
    # Above the domain apps: what combines them.
    "follow",
    "portal",
    "importer",
    "oparl",
]
# The demo data (load_demo) and the benchmark's data generator and measurements
# (generate_data, benchmark) are tools for developers and tests: local.py and
# test.py add them, production does not install them.
DEVELOPER_APPS = ["demo", "benchmark"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip and JSON errors (5xx too) for the OParl API only (oparl/middleware.py).
    "oparl.middleware.OParlGZipMiddleware",
    "oparl.middleware.OParlErrorMiddleware",
    "operations.middleware.DatabaseOutageMiddleware",
    "csp.middleware.CSPMiddleware",
    "operations.middleware.PermissionsPolicyMiddleware",
    # Django's SessionMiddleware, leaving the stateless OParl API alone.
    "operations.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL in an address or an admin query, odd admin drill-downs: 400 / back.
    "config.input_guard.InputGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "operations.middleware.SecondFactorRequiredMiddleware",
    "operations.middleware.PrivateCacheMiddleware",
    # Pages from the cache, keyed by the data version and the reader's rights
    # (pagecache.py).
    "operations.pagecache.PageCacheMiddleware",
    # What renders runs in a chunk of CPython's frame stack of its own, however
    # deep the server calls it (config/stack_room.py); a page from the cache is
    # answered before, without the 0.1 ms that chunk costs.
    "config.stack_room.StackRoomMiddleware",
    # The signed-in user of a request is who the audit trail records (audit/).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The admin's pages without their templates' indentation (config/admin_html.py).
    "config.admin_html.AdminWhitespaceMiddleware",
    # Last, as django-axes asks: it turns a lockout into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Django's renderer, writing its most frequent form templates directly
# (config/form_renderer.py): a paper's change page renders about a thousand.
FORM_RENDERER = "config.form_renderer.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The body's name and logo in every page's header.
                "portal.context_processors.site",
            ],
        },
    },
]


def database(default=environ.Env.NOTSET):
    """The database DATABASE_URL names, with what every environment wants of it."""
    config = env.db("DATABASE_URL", default=default)
    config["ATOMIC_REQUESTS"] = True
    # A connection kept open across requests is tested before each request's
    # first query, so the site recovers by itself after a database restart.
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiler spends seconds on plans that run in milliseconds:
        # the positions register for 1,500 positions took 3.7 s to compile and 0.4 s
        # to run (docs/benchmark.md). Short web queries never gain from it.
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
        # Django reads a form's model choices with QuerySet.iterator(), which on
        # PostgreSQL is a server-side cursor: DECLARE, FETCH and CLOSE, and outside
        # the request's transaction (a template rendered after the view) a cursor
        # WITH HOLD that PostgreSQL copies out at the commit. Every filter form
        # paid that for its departments and committees; no list of ours is read
        # row by row.
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    return config


# Without DATABASE_URL, a SQLite file: the zero-setup default of `make run`.
DATABASES = {"default": database(f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}

# Local memory by default; in production Redis, e.g. CACHE_URL=redis://127.0.0.1:6379/1
# (shared by all gunicorn workers).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# OParl's JSON of each object under its stamp and each list's page starts under
# the data version (oparl/cache.py): with CACHE_URL in the same store, under a
# prefix of its own; else in local memory with room for a few thousand objects.
CACHES["oparl"] = (
    {**CACHES["default"], "KEY_PREFIX": "oparl"}
    if env("CACHE_URL", default="")
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "oparl",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
)
# Pages are cached under a data version that every write moves in its own
# transaction, so none is ever stale, and per readers' rights
# (operations/pagecache.py); the seconds only bound the cache's memory.
RATSREGISTER_PAGE_CACHE = env.bool("RATSREGISTER_PAGE_CACHE", default=True)
RATSREGISTER_PAGE_CACHE_SECONDS = env.int(
    "RATSREGISTER_PAGE_CACHE_SECONDS", default=15 * 60
)
RATSREGISTER_PAGE_CACHE_ALIAS = "default"
# Larger answers are rendered each time (an OParl list page is about 0.8 MB).
RATSREGISTER_PAGE_CACHE_MAX_BYTES = env.int(
    "RATSREGISTER_PAGE_CACHE_MAX_BYTES", default=1_000_000
)
# Further path prefixes never cached (the benchmark's base-template view, which
# must stay the bare render it is compared with).
RATSREGISTER_PAGE_CACHE_EXEMPT = ()
# Sums over a whole table that signed-in readers see too (the funding overview's
# totals) are kept under the same data version, per audience
# (operations.pagecache.remembered).
RATSREGISTER_DERIVED_CACHE = env.bool("RATSREGISTER_DERIVED_CACHE", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

# Mail goes through Django's backends: the console by default, SMTP in production
# (EMAIL_URL=smtp+tls://user:password@host:587).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="ratsregister@localhost")

LOGIN_URL = "admin:login"

# Signing in (operations/login.py). django-axes counts failed logins per user and
# address: the fifth wrong password locks that pair (not the user everywhere) for
# the cool-off time and answers 429.
AUTHENTICATION_BACKENDS = [
    "operations.login.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("RATSREGISTER_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env.int("RATSREGISTER_LOGIN_COOLOFF_MINUTES", default=30)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "operations.login.lockout_response"
AXES_CLIENT_IP_CALLABLE = "operations.login.client_ip_address"
AXES_RESET_ON_SUCCESS = True
# The header the proxy in front puts the client's address in (X-Real-IP behind
# the README's nginx); empty: the address of the connection.
RATSREGISTER_CLIENT_IP_HEADER = env("RATSREGISTER_CLIENT_IP_HEADER", default="")
# True: staff can only sign in with a second factor (TOTP device set up in the
# admin under "TOTP devices"); False: only those who have one are asked for it.
RATSREGISTER_REQUIRE_2FA = env.bool("RATSREGISTER_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = "Ratsregister"

# Sessions end after this much inactivity: a request renews the session and its
# cookie once the last renewal is RATSREGISTER_SESSION_RENEWAL seconds old
# (operations.middleware.SessionMiddleware), not on every request as Django's
# SESSION_SAVE_EVERY_REQUEST would, which writes the session's row each time.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
RATSREGISTER_SESSION_RENEWAL = 60

# Content-Security-Policy (django-csp 4): scripts and styles only from our own
# static files, nothing inline, no framing, forms only to ourselves.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Browser features no page uses, switched off (operations/middleware.py).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
# Seconds a client is asked to wait when the database cannot be reached.
RATSREGISTER_OUTAGE_RETRY_AFTER = env.int("RATSREGISTER_OUTAGE_RETRY_AFTER", default=30)

# The public address of this installation: links in e-mails, and the host of every
# OParl id (so ids do not depend on the host name a client used).
RATSREGISTER_BASE_URL = env("RATSREGISTER_BASE_URL", default="http://127.0.0.1:8000")
# Following (follow/): requests to subscribe per e-mail address and per client
# address within an hour, counted in the cache, so the form cannot mail strangers.
RATSREGISTER_FOLLOW_LIMIT_PER_EMAIL = env.int(
    "RATSREGISTER_FOLLOW_LIMIT_PER_EMAIL", default=3
)
RATSREGISTER_FOLLOW_LIMIT_PER_IP = env.int(
    "RATSREGISTER_FOLLOW_LIMIT_PER_IP", default=10
)
OPARL_BASE_URL = env("OPARL_BASE_URL", default="")
OPARL_BODY_NAME = env("OPARL_BODY_NAME", default="Landeshauptstadt Stuttgart")
# The header of every page: the body's name (OParl's by default) and, optionally, a
# logo as a path below static/ (e.g. "img/wappen.svg").
RATSREGISTER_BODY_NAME = env("RATSREGISTER_BODY_NAME", default=OPARL_BODY_NAME)
RATSREGISTER_LOGO = env("RATSREGISTER_LOGO", default="")
OPARL_BODY_SHORT_NAME = env("OPARL_BODY_SHORT_NAME", default="Stuttgart")
# Amtlicher Gemeindeschlüssel of the body.
OPARL_BODY_AGS = env("OPARL_BODY_AGS", default="08111000")
OPARL_CONTACT_EMAIL = env("OPARL_CONTACT_EMAIL", default="")

# Attachments are served by a view that checks visibility. Behind nginx, set this to
# an internal location aliasing MEDIA_ROOT (README, Production), and the view hands the
# file over with X-Accel-Redirect instead of streaming it through Python.
RATSREGISTER_ATTACHMENT_ACCEL_REDIRECT = env(
    "RATSREGISTER_ATTACHMENT_ACCEL_REDIRECT", default=""
)
