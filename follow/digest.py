"""One run of the notifications: read the news of the window for each kind of
viewer, give each subscriber the events of what it follows that it has not been
sent, and mail one digest per person.

Queries do not grow with the subscribers: the events are read once per kind of
viewer (the public, and those who may see non-public records), each saved search
runs once per distinct query and viewer, and what was sent is looked up and
recorded in batches.
"""

import datetime
import logging
from dataclasses import dataclass, field
from itertools import takewhile

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from council.models import Committee
from council.visibility import NONPUBLIC_PERMISSION
from positions.models import Position

from . import searches, tokens
from .events import (
    CHRONOLOGICAL,
    MARGIN,
    REMINDER,
    Collector,
    Followed,
    paper_label,
)
from .models import Notification, NotificationRun, Subscription

log = logging.getLogger(__name__)
CHUNK = 200
# A broad search can find hundreds of papers in a day: the mail lists the first
# ones and links the rest.
MAX_LISTED = 20


@dataclass
class Group:
    subscription: Subscription
    title: str
    url: str
    events: list = field(default_factory=list)
    unsubscribe_url: str = ""  # signed when the digest is rendered
    more: int = 0  # events beyond those listed (all count as sent)

    @property
    def shown(self):
        return self.events[:MAX_LISTED]


@dataclass
class Digest:
    subscriber: object
    address: str
    groups: list = field(default_factory=list)

    @property
    def events(self):
        return [event for group in self.groups for event in group.events]

    def to_record(self, until):
        """The events whose record keeps them from being told twice: those the
        mail lists (a run again after a failed one must not show them again),
        and of the rest those of the window's last MARGIN, which the next run
        reads again (a reminder is dated when it is read). After a bulk load a
        digest tells of thousands of events; recording each one for each
        follower took most of the run (issue 12)."""
        recorded = []
        for group in self.groups:
            # In CHRONOLOGICAL order: the events of the margin come last.
            rest = reversed(group.events[MAX_LISTED:])
            recorded += group.shown
            recorded += takewhile(lambda event: event.date > until - MARGIN, rest)
        return recorded


def permitted_user_ids():
    """Accounts that may see non-public records (ModelBackend's rule, in one
    query instead of a permission lookup per person)."""
    app_label, codename = NONPUBLIC_PERMISSION.split(".")
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    users = get_user_model().objects.filter(is_active=True)
    rule = Q(is_superuser=True)
    if permission is not None:
        rule |= Q(user_permissions=permission) | Q(groups__permissions=permission)
    return set(users.filter(rule).values_list("pk", flat=True))


def window(now):
    """(since, until): from the end of the last run (less the margin) to now."""
    last = NotificationRun.objects.order_by("-until").first()
    if last is not None:
        return last.until - MARGIN, now
    first = Subscription.objects.confirmed().order_by("confirmed_at").first()
    since = first.confirmed_at if first else now
    return since - datetime.timedelta(microseconds=1), now


def build(subscriptions, since, until, *, base_url, today, within_days):
    """The digests of the confirmed `subscriptions` for the window, each with only
    what its subscriber may see and has not been sent yet."""
    permitted = permitted_user_ids()
    audiences = {}
    for subscription in subscriptions:
        subscriber = subscription.subscriber
        user = subscriber.user
        if user is not None and (not user.is_active or not user.email):
            continue  # no mail to closed accounts or accounts without an address
        sees_all = user is not None and user.pk in permitted
        audiences.setdefault(sees_all, []).append(subscription)
    digests = {}
    for sees_all, members in audiences.items():
        # The rule depends on the permission only: every member of an audience
        # sees the same rows, so one of them reads for all (the public: None).
        viewer = next((s.subscriber.user for s in members if sees_all), None)
        _audience(viewer, members, since, until, digests, base_url, today, within_days)
    result = [d for d in digests.values() if d.groups]
    _drop_sent(result)
    return [d for d in result if d.groups]


def _audience(viewer, members, since, until, digests, base_url, today, within_days):
    followed = Followed(
        papers=frozenset(s.paper_id for s in members if s.paper_id),
        committees=frozenset(s.committee_id for s in members if s.committee_id),
        positions=frozenset(s.position_id for s in members if s.position_id),
    )
    collector = Collector(viewer, since, until, followed)
    events = collector.collect()
    papers = collector.papers(followed.papers)
    positions = {
        p.pk: p
        for p in Position.objects.visible_to(viewer)
        .filter(pk__in=followed.positions)
        .only("pk", "function")
    }
    collector.expiries(positions, today, within_days)
    # In the order a mail lists them: each group's events keep it.
    events.sort(key=CHRONOLOGICAL)
    committees = {c.pk: c for c in Committee.objects.filter(pk__in=followed.committees)}
    kinds = Subscription.Kind
    # The events by the kind of subscription and the key of what they concern.
    by = {kinds.PAPER: {}, kinds.COMMITTEE: {}, kinds.POSITION: {}}
    for event in events:
        for kind, ids in (
            (kinds.PAPER, event.papers),
            (kinds.COMMITTEE, event.committees),
            (kinds.POSITION, event.positions),
        ):
            for pk in ids:
                by[kind].setdefault(pk, []).append(event)
    hits, described = {}, {}
    for query in {s.query for s in members if s.kind == kinds.SEARCH}:
        hits[query] = collector.search_hits(query, searches.matching_papers)
        described[query] = searches.describe(query)
    for subscription in members:
        if subscription.kind == kinds.PAPER:
            target = papers.get(subscription.paper_id)
            if target is None:
                continue  # no longer visible to this subscriber: nothing to tell
            title = paper_label(target)
            found = by[kinds.PAPER].get(target.pk, [])
        elif subscription.kind == kinds.COMMITTEE:
            target = committees[subscription.committee_id]
            title = _("Gremium %(name)s") % {"name": target.name}
            found = by[kinds.COMMITTEE].get(target.pk, [])
        elif subscription.kind == kinds.POSITION:
            target = positions.get(subscription.position_id)
            if target is None:
                continue
            title = _("Stelle „%(function)s“") % {"function": target.function}
            found = by[kinds.POSITION].get(target.pk, [])
        else:
            target = None
            title = _("Suche: %(search)s") % {"search": described[subscription.query]}
            found = hits[subscription.query]
        found = [e for e in found if e.date >= subscription.confirmed_at]
        if not found:
            continue
        subscriber = subscription.subscriber
        digest = digests.setdefault(
            subscriber.pk, Digest(subscriber=subscriber, address=subscriber.address)
        )
        digest.groups.append(
            Group(
                subscription=subscription,
                title=title,
                url=base_url + subscription.get_target_url(target),
                events=found,
            )
        )


def _drop_sent(digests):
    """Leave out what was sent before, and each event a second time in the same
    digest (it concerns two things the person follows).

    A version is recorded after it was read, so only an event dated before the
    last record, or a reminder (dated when it is read), can have been sent:
    after a bulk load, looking up every event of the window took a query per
    thousand of them (issue 12)."""
    last = Notification.objects.aggregate(last=Max("sent_at"))["last"]
    if last is None:
        keys = set()
    else:
        keys = {
            event.key
            for digest in digests
            for event in digest.events
            if event.date <= last or event.key.startswith(REMINDER)
        }
    ids = [digest.subscriber.pk for digest in digests]
    sent = set()
    keys = sorted(keys)
    for start in range(0, len(keys), 1000):
        sent.update(
            Notification.objects.filter(
                subscriber_id__in=ids, event__in=keys[start : start + 1000]
            ).values_list("subscriber_id", "event")
        )
    for digest in digests:
        shown = set()
        for group in digest.groups:
            group.events = [
                event
                for event in group.events
                if (digest.subscriber.pk, event.key) not in sent
                and event.key not in shown
                and not shown.add(event.key)
            ]
        digest.groups = [group for group in digest.groups if group.events]


def render(digest, *, base_url):
    """(subject, text, html, headers) of a digest, in German."""
    subscriber = digest.subscriber
    if subscriber.user_id:
        manage_url = base_url + reverse("follow:mine")
    else:
        manage_url = base_url + reverse(
            "follow:manage", kwargs={"token": tokens.manage_token(subscriber)}
        )
    unsubscribe_all = base_url + reverse(
        "follow:unsubscribe",
        kwargs={"token": tokens.unsubscribe_all_token(subscriber)},
    )
    count = len(digest.events)
    for group in digest.groups:
        group.unsubscribe_url = base_url + reverse(
            "follow:unsubscribe",
            kwargs={"token": tokens.unsubscribe_token(group.subscription)},
        )
        group.more = max(0, len(group.events) - MAX_LISTED)
        for event in group.shown:
            event.absolute_url = base_url + event.url
    context = {
        "digest": digest,
        "count": count,
        "manage_url": manage_url,
        "unsubscribe_all_url": unsubscribe_all,
        "base_url": base_url,
    }
    with translation.override("de"):
        subject = (
            _("Ratsregister: %(count)s Neuigkeit zu Ihren Abos")
            if count == 1
            else _("Ratsregister: %(count)s Neuigkeiten zu Ihren Abos")
        ) % {"count": count}
        text = render_to_string("follow/mail/digest.txt", context)
        html = render_to_string("follow/mail/digest.html", context)
    headers = {
        # RFC 2369 and RFC 8058: the mail program's "Abbestellen" ends all of
        # them with one POST, without a login.
        "List-Unsubscribe": f"<{unsubscribe_all}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return subject, text, html, headers


def send(digests, *, base_url, until):
    """Mail each digest and record those of its events that can come up again; a
    mail that fails is not recorded, so the next run sends it again. Returns
    (digests, events) sent."""
    sent_people = sent_events = 0
    connection = mail.get_connection()
    for start in range(0, len(digests), CHUNK):
        chunk = digests[start : start + CHUNK]
        done = []
        with connection:
            for digest in chunk:
                subject, text, html, headers = render(digest, base_url=base_url)
                message = mail.EmailMultiAlternatives(
                    subject,
                    text,
                    settings.DEFAULT_FROM_EMAIL,
                    [digest.address],
                    headers=headers,
                    connection=connection,
                )
                message.attach_alternative(html, "text/html")
                try:
                    message.send()
                except Exception:  # one bad address must not stop the others
                    log.exception(
                        "Übersicht an Abonnent %s nicht gesendet", digest.subscriber.pk
                    )
                    continue
                done.append(digest)
        now = timezone.now()
        with transaction.atomic():
            Notification.objects.bulk_create(
                [
                    Notification(subscriber=d.subscriber, event=e.key, sent_at=now)
                    for d in done
                    for e in d.to_record(until)
                ],
                ignore_conflicts=True,
            )
        sent_people += len(done)
        sent_events += sum(len(d.events) for d in done)
    return sent_people, sent_events


def purge_sent(now, keep_days=60):
    """What was sent is needed only while its version can come up again (the
    margin); expiries are announced once for good, so they stay."""
    Notification.objects.filter(
        sent_at__lt=now - datetime.timedelta(days=keep_days)
    ).exclude(event__startswith=REMINDER).delete()


def run(
    *, now=None, base_url=None, today=None, within_days=180, dry_run=False, stdout=None
):
    """One run of send_notifications. Returns (digests, events)."""
    from .services import unconfirmed_purge

    now = now or timezone.now()
    base_url = (base_url or settings.RATSREGISTER_BASE_URL).rstrip("/")
    today = today or timezone.localdate(now)
    if not dry_run:
        unconfirmed_purge(now=now)
        purge_sent(now)
    since, until = window(now)
    subscriptions = list(
        Subscription.objects.confirmed()
        .filter(confirmed_at__lte=until)
        .select_related("subscriber__user")
    )
    digests = build(
        subscriptions,
        since,
        until,
        base_url=base_url,
        today=today,
        within_days=within_days,
    )
    if dry_run:
        for digest in digests:
            subject, text, _html, _headers = render(digest, base_url=base_url)
            stdout.write(f"An: {digest.address}\nBetreff: {subject}\n\n{text}")
        return len(digests), sum(len(d.events) for d in digests)
    people, events = send(digests, base_url=base_url, until=until)
    NotificationRun.objects.create(
        started=now, until=until, digests=people, events=events
    )
    return people, events
