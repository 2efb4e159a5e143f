"""Who follows what, and which news has been mailed to whom.

A subscriber is an account or, for the public, only an e-mail address; the
address is kept only while it has a subscription (GDPR: it goes with the last
one). What is news is not stored: `follow/events.py` reads it from the audit
trail for each run. Only what was sent is recorded, so that each event reaches
each person once.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from council.models import Committee, Paper
from operations import formats
from positions.models import Position


def new_key():
    return secrets.token_urlsafe(16)


class Subscriber(models.Model):
    """Who gets the digests: an account, or only an e-mail address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_subscriber",
    )
    email = models.EmailField(
        _("E-Mail-Adresse"),
        blank=True,
        help_text=_("Nur für Abonnenten ohne Konto; sonst gilt die des Kontos."),
    )
    # Part of every signed link: a subscriber made anew after deleting gets new
    # links, and the old ones stop working.
    key = models.CharField(max_length=32, unique=True, editable=False)
    created = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Abonnent")
        verbose_name_plural = _("Abonnenten")
        ordering = ["created"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=True) & ~Q(email=""))
                | (Q(user__isnull=False) & Q(email="")),
                name="follow_subscriber_account_or_address",
                violation_error_message=_(
                    "Ein Abonnent hat entweder ein Konto oder eine E-Mail-Adresse."
                ),
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=~Q(email=""),
                name="follow_subscriber_unique_address",
            ),
        ]

    def __str__(self):
        return self.user.get_username() if self.user_id else self.email

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = new_key()
        super().save(*args, **kwargs)

    @property
    def address(self):
        return self.user.email if self.user_id else self.email

    @property
    def viewer(self):
        """Whom the news is computed for: the account, or the anonymous public."""
        return self.user if self.user_id else None


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def pending(self):
        return self.filter(confirmed_at=None)


class Subscription(models.Model):
    """One thing a subscriber follows: a paper, a committee, a position or a search."""

    class Kind(models.TextChoices):
        PAPER = "paper", _("Drucksache")
        COMMITTEE = "committee", _("Gremium")
        POSITION = "position", _("Stelle")
        SEARCH = "search", _("Suche")

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("Abonnent"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    paper = models.ForeignKey(
        Paper,
        verbose_name=_("Drucksache"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("Gremium"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("Stelle"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    query = models.TextField(
        _("Suche"),
        blank=True,
        help_text=_("Suchbegriff und Filter der Drucksachenliste, normalisiert."),
    )
    created = models.DateTimeField(_("angelegt"), auto_now_add=True)
    confirmed_at = models.DateTimeField(
        _("bestätigt am"),
        null=True,
        blank=True,
        help_text=_(
            "Erst nach der Bestätigung kommen Nachrichten; was ab dann "
            "geschieht, ist neu."
        ),
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        ordering = ["subscriber", "kind", "created"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="paper",
                        paper__isnull=False,
                        committee=None,
                        position=None,
                        query="",
                    )
                    | Q(
                        kind="committee",
                        paper=None,
                        committee__isnull=False,
                        position=None,
                        query="",
                    )
                    | Q(
                        kind="position",
                        paper=None,
                        committee=None,
                        position__isnull=False,
                        query="",
                    )
                    | Q(kind="search", paper=None, committee=None, position=None)
                ),
                name="follow_subscription_one_target",
                violation_error_message=_("Ein Abonnement gilt genau einem Ziel."),
            ),
            models.UniqueConstraint(
                fields=["subscriber", "paper"],
                condition=Q(kind="paper"),
                name="follow_subscription_unique_paper",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "committee"],
                condition=Q(kind="committee"),
                name="follow_subscription_unique_committee",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "position"],
                condition=Q(kind="position"),
                name="follow_subscription_unique_position",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "query"],
                condition=Q(kind="search"),
                name="follow_subscription_unique_search",
            ),
        ]
        indexes = [models.Index(fields=["kind", "confirmed_at"])]

    def __str__(self):
        target = self.paper or self.committee or self.position or self.query
        return f"{self.get_kind_display()}: {target}"

    def get_target_url(self, target=None):
        """The page of what is followed (`target`: that object, if at hand)."""
        if self.kind == self.Kind.SEARCH:
            url = reverse("council:paper-list")
            return f"{url}?{self.query}" if self.query else url
        target = target or self.paper or self.committee or self.position
        return target.get_absolute_url()


class Notification(models.Model):
    """One event in one digest to one subscriber: what has been sent."""

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("Abonnent"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # Names the version of the audit trail (or the meeting, the expiry) that made
    # the event, never its content: "consultation:4711:termin".
    event = models.CharField(_("Ereignis"), max_length=100)
    sent_at = models.DateTimeField(_("gesendet am"), default=timezone.now)

    class Meta:
        verbose_name = _("gesendete Nachricht")
        verbose_name_plural = _("gesendete Nachrichten")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "event"],
                name="follow_notification_once_per_subscriber",
            ),
        ]
        # A run asks for the last record and purges the old ones.
        indexes = [models.Index(fields=["sent_at"], name="follow_notification_sent")]

    def __str__(self):
        return f"{self.event} → {self.subscriber}"


class NotificationRun(models.Model):
    """One run of send_notifications: the window of the audit trail it read."""

    started = models.DateTimeField(_("begonnen"), default=timezone.now)
    until = models.DateTimeField(_("Ereignisse bis"))
    digests = models.PositiveIntegerField(_("Übersichten"), default=0)
    events = models.PositiveIntegerField(_("Ereignisse"), default=0)

    class Meta:
        verbose_name = _("Versandlauf")
        verbose_name_plural = _("Versandläufe")
        ordering = ["-until"]

    def __str__(self):
        return formats.date_time(self.until)
