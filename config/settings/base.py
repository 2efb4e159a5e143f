"""Settings shared by every environment; the environment picks the rest."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file is optional; real environment variables always win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    # Ours, in dependency order: each app builds only on the ones above it.
    "accounts",
    "council",
    "positions",
    "funding",
    # Above the domain apps: what combines them.
    "portal",
    "importer",
    "oparl",
    "demo",
    "benchmark",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL in an address or an admin query, odd admin drill-downs: 400 / back.
    "config.input_guard.InputGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]


def database(default=environ.Env.NOTSET):
    """The database DATABASE_URL names, with what every environment wants of it."""
    config = env.db("DATABASE_URL", default=default)
    config["ATOMIC_REQUESTS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiler spends seconds on plans that run in milliseconds:
        # the positions register for 1,500 positions took 3.7 s to compile and 0.4 s
        # to run (docs/benchmark.md). Short web queries never gain from it.
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return config


# Without DATABASE_URL, a SQLite file: the zero-setup default of `make run`.
DATABASES = {"default": database(f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
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

# The public address of this installation: links in e-mails, and the host of every
# OParl id (so ids do not depend on the host name a client used).
RATSREGISTER_BASE_URL = env("RATSREGISTER_BASE_URL", default="http://127.0.0.1:8000")
OPARL_BASE_URL = env("OPARL_BASE_URL", default="")
OPARL_BODY_NAME = env("OPARL_BODY_NAME", default="Landeshauptstadt Stuttgart")
OPARL_BODY_SHORT_NAME = env("OPARL_BODY_SHORT_NAME", default="Stuttgart")
# Amtlicher Gemeindeschlüssel of the body.
OPARL_BODY_AGS = env("OPARL_BODY_AGS", default="08111000")
OPARL_CONTACT_EMAIL = env("OPARL_CONTACT_EMAIL", default="")

# Attachments are served by a view that checks visibility. Behind nginx, set this to
# an internal location aliasing MEDIA_ROOT (README, Betrieb), and the view hands the
# file over with X-Accel-Redirect instead of streaming it through Python.
RATSREGISTER_ATTACHMENT_ACCEL_REDIRECT = env(
    "RATSREGISTER_ATTACHMENT_ACCEL_REDIRECT", default=""
)
