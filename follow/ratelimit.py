"""Limits on subscribing, so that the form cannot be used to mail strangers:
per e-mail address and per client address, counted in Django's cache (locmem in
one process, Redis or memcached where several share it)."""

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def limits():
    """(per address, per client address) within an hour."""
    return (
        settings.RATSREGISTER_FOLLOW_LIMIT_PER_EMAIL,
        settings.RATSREGISTER_FOLLOW_LIMIT_PER_IP,
    )


def _count(key):
    # add() starts the window only once; incr() is atomic in Redis and memcached.
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        return 1


def allow(email, ip):
    """Count one attempt; False if the address or the client has had enough.

    The address only as a hash: the cache holds no e-mail addresses."""
    per_email, per_ip = limits()
    ip_ok = _count(f"follow:ip:{ip or '-'}") <= per_ip
    if not email:
        return ip_ok
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    email_ok = _count(f"follow:email:{digest}") <= per_email
    return ip_ok and email_ok
