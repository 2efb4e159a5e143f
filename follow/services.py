"""Subscribing and ending subscriptions: the writes that span subscriber and
subscription. The address of a subscriber without an account is deleted with
its last subscription (GDPR), and so is the record of what was sent to it."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import Subscriber, Subscription
from .tokens import CONFIRM_MAX_AGE


def normalise_email(email):
    return (email or "").strip().lower()


@transaction.atomic
def subscription_create(
    *, kind, user=None, email="", paper=None, committee=None, position=None, query=""
):
    """The subscription of the account `user` (confirmed at once: the address is
    the account's) or of the address `email` (pending until confirmed)."""
    if user is not None:
        subscriber, _ = Subscriber.objects.get_or_create(user=user)
    else:
        subscriber, _ = Subscriber.objects.get_or_create(email=normalise_email(email))
    subscription, _ = Subscription.objects.get_or_create(
        subscriber=subscriber,
        kind=kind,
        paper=paper,
        committee=committee,
        position=position,
        query=query,
    )
    if user is not None and subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


@transaction.atomic
def subscription_confirm(*, subscription):
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


@transaction.atomic
def subscription_end(*, subscription):
    """End one subscription; the subscriber goes with its last one."""
    subscriber = subscription.subscriber
    subscription.delete()
    if not subscriber.subscriptions.exists():
        subscriber.delete()


@transaction.atomic
def subscriber_end(*, subscriber):
    """End every subscription of `subscriber` and forget it."""
    subscriber.delete()


@transaction.atomic
def unconfirmed_purge(*, now=None):
    """Forget requests never confirmed within the link's lifetime, and
    subscribers left without any subscription. Returns how many requests."""
    now = now or timezone.now()
    stale = Subscription.objects.pending().filter(created__lt=now - CONFIRM_MAX_AGE)
    count, _ = stale.delete()
    Subscriber.objects.filter(
        ~Exists(Subscription.objects.filter(subscriber=OuterRef("pk")))
    ).delete()
    return count
