"""Signed links: confirming a subscription (expires), ending one or all, and
managing them without an account. Each carries the subscriber's random key, so
links of a deleted subscriber never work for a new one with the same number."""

import datetime

from django.core import signing

CONFIRM_MAX_AGE = datetime.timedelta(days=3)
CONFIRM_SALT = "follow.confirm"
UNSUBSCRIBE_SALT = "follow.unsubscribe"
MANAGE_SALT = "follow.manage"


class Expired(Exception):
    pass


class Invalid(Exception):
    pass


def _dumps(value, salt):
    return signing.dumps(value, salt=salt, compress=True)


def _loads(token, salt, max_age=None):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise Expired from error
    except signing.BadSignature as error:
        raise Invalid from error


def confirm_token(subscription):
    return _dumps([subscription.pk, subscription.subscriber.key], CONFIRM_SALT)


def unsubscribe_token(subscription):
    return _dumps(["s", subscription.pk, subscription.subscriber.key], UNSUBSCRIBE_SALT)


def unsubscribe_all_token(subscriber):
    return _dumps(["a", subscriber.pk, subscriber.key], UNSUBSCRIBE_SALT)


def manage_token(subscriber):
    return _dumps([subscriber.pk, subscriber.key], MANAGE_SALT)


def read_confirm(token):
    """(subscription id, subscriber key); Expired after CONFIRM_MAX_AGE."""
    value = _loads(token, CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    return _pair(value)


def read_unsubscribe(token):
    """("s", subscription id, key) for one, ("a", subscriber id, key) for all."""
    value = _loads(token, UNSUBSCRIBE_SALT)
    if (
        not isinstance(value, list)
        or len(value) != 3
        or value[0] not in ("s", "a")
        or not isinstance(value[1], int)
        or not isinstance(value[2], str)
    ):
        raise Invalid
    return tuple(value)


def read_manage(token):
    return _pair(_loads(token, MANAGE_SALT))


def _pair(value):
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not isinstance(value[1], str)
    ):
        raise Invalid
    return tuple(value)
