import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from follow.models import Subscriber, Subscription

# axe-core's audit of a page in Chromium, as the browser tests use it.
from tests.browser.conftest import audited  # noqa: F401

# The canary of the visibility tests: non-public records with a marker.
from tests.visibility.conftest import canary, roles  # noqa: F401

BASE_URL = "https://rats.example.org"


@pytest.fixture(autouse=True)
def _follow_settings(settings):
    settings.RATSREGISTER_BASE_URL = BASE_URL
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The rate limits count in the cache: each test starts afresh.
    cache.clear()
    yield
    cache.clear()


def follow(kind, *, email="", user=None, since=None, **target):
    """A confirmed subscription (confirmed `since`, default now)."""
    if user is not None:
        subscriber, _ = Subscriber.objects.get_or_create(user=user)
    else:
        subscriber, _ = Subscriber.objects.get_or_create(email=email)
    return Subscription.objects.create(
        subscriber=subscriber,
        kind=kind,
        confirmed_at=since or timezone.now(),
        **target,
    )


def an_hour_ago():
    return timezone.now() - datetime.timedelta(hours=1)
