"""Authorised positions (Stellen, Ermächtigungen) and the decisions they rest on.

A position stores what it is; when it runs out, where it came from and its whole
history follow from its decisions, and nothing of that is stored twice.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from council.models import (
    Consultation,
    Department,
    Paper,
    ResolutionItem,
    TimeStampedModel,
)

HR_PERMISSION = "positions.view_hr_register"


def can_use_hr_register(user):
    """HR columns, filters, exports and feeds need this permission."""
    return bool(user and user.is_authenticated and user.has_perm(HR_PERMISSION))


class PayScheme(models.TextChoices):
    TVOED = "TVöD", _("TVöD")
    TVL = "TV-L", _("TV-L")
    CIVIL_SERVANT = "Besoldung", _("Beamtenbesoldung")


# The register's prefetches land in plain lists (to_attr): a related manager's
# queryset for each of 1,500 positions cost a quarter of the export's time.
HISTORY_ATTR = "prefetched_history"
FUNDING_ATTR = "prefetched_funding_lines"

# What a register row reads of a decision, its paper (reference, link) and its item.
DECISION_COLUMNS = (
    "position",
    "paper",
    "resolution_item",
    "action",
    "valid_from",
    "valid_until",
    "extends_until",
    "may_advertise_unlimited",
    "share_percent",
    "pay_grade",
    "paper__year",
    "paper__number",
    "paper__suffix",
    "paper__date",
    "resolution_item__paper",
    "resolution_item__number",
)


class PositionQuerySet(models.QuerySet):
    def with_expiry(self, as_of=None):
        """Annotate `expiry` and `expiry_decision_id` from the decision now in force.

        `expiry` is None both for an unlimited position and for one without any
        decision in force; `expiry_decision_id` tells the two apart. With `as_of`,
        only decisions adopted by that day count: the register as it stood then.
        """
        current = (
            PositionDecision.objects.in_force(as_of=as_of)
            .filter(position=OuterRef("pk"))
            .newest_first()
        )
        return self.annotate(
            expiry_decision_id=Subquery(current.values("pk")[:1]),
            expiry=Subquery(current.values("expiry")[:1]),
        )

    def expiring_between(self, start, end):
        return self.with_expiry().filter(expiry__range=(start, end))

    def with_terms(self, day):
        """Annotate `share_then` and `grade_then`: share and grade in force on `day`.

        A decision that records a share or grade changes it from the day it takes
        effect; without one, the position's own fields hold.
        """
        setting = (
            PositionDecision.objects.in_force(as_of=day)
            .filter(position=OuterRef("pk"), effective_from__lte=day)
            .newest_first()
        )
        return self.annotate(
            share_then=Coalesce(
                Subquery(
                    setting.exclude(share_percent=None).values("share_percent")[:1]
                ),
                F("share_percent"),
            ),
            grade_then=Coalesce(
                Subquery(setting.exclude(pay_grade="").values("pay_grade")[:1]),
                F("pay_grade"),
            ),
        )

    def authorised_on(self, day):
        """Positions authorised on `day`, with expiry, share and grade as of then."""
        started = PositionDecision.objects.in_force(as_of=day).filter(
            position=OuterRef("pk"), effective_from__lte=day
        )
        return (
            self.with_expiry(as_of=day)
            .with_terms(day)
            .filter(Exists(started))
            .filter(
                Q(expiry__gte=day)
                | Q(expiry__isnull=True, expiry_decision_id__isnull=False)
            )
        )

    def with_pending_follow_up(self):
        """Annotate `has_pending_follow_up`: a decision on a paper in consultation."""
        in_consultation = Paper.objects.with_state().filter(
            state=Paper.State.IN_CONSULTATION
        )
        return self.annotate(
            has_pending_follow_up=Exists(
                PositionDecision.objects.filter(
                    position=OuterRef("pk"), paper__in=in_consultation.values("pk")
                )
            )
        )

    def visible_to(self, user):
        """HR sees every position; others those resting on a paper they may see."""
        if can_use_hr_register(user):
            return self
        return self.filter(
            Exists(
                PositionDecision.objects.filter(
                    position=OuterRef("pk"),
                    paper__in=Paper.objects.visible_to(user).values("pk"),
                )
            )
        )

    def for_register(self, hr=True, checks=True):
        """All a register row reads: department and history; for HR also the
        position's own funding lines and whether a follow-up is in consultation,
        and with `checks` the papers' steps and funding lines the consistency
        check reads."""
        if not hr:
            return self.select_related("department").with_history()
        decisions = PositionDecision.objects.select_related("paper", "resolution_item")
        # Reached by name: funding builds on positions, not the other way.
        lines = None
        if checks:
            decisions = decisions.prefetch_related(
                "paper__consultations", "paper__funding_lines"
            )
        else:
            # Without the checks (the exports of all positions), the columns read
            # only these fields; building thousands of whole papers and lines was
            # most of the remaining time.
            decisions = decisions.only(*DECISION_COLUMNS)
            line = self.model._meta.get_field("funding_lines").related_model
            lines = line.objects.only(
                "position", "year", "amount", "direction", "part_of"
            )
        return (
            self.select_related("department")
            .with_pending_follow_up()
            .prefetch_related(
                models.Prefetch("decisions", queryset=decisions, to_attr=HISTORY_ATTR),
                models.Prefetch("funding_lines", queryset=lines, to_attr=FUNDING_ATTR),
            )
        )

    def with_history(self):
        """Prefetch the decisions with their papers and items, oldest first."""
        return self.prefetch_related(
            models.Prefetch(
                "decisions",
                queryset=PositionDecision.objects.select_related(
                    "paper", "resolution_item"
                ),
                to_attr=HISTORY_ATTR,
            )
        )


class Position(TimeStampedModel):
    """An authorised post: a Planstelle or an Ermächtigung outside the Stellenplan."""

    class Kind(models.TextChoices):
        PLANNED = "planned", _("Planstelle im Stellenplan")
        AUTHORISATION = "authorisation", _("Ermächtigung außerhalb des Stellenplans")

    function = models.TextField(
        _("Funktion"), help_text=_("Wie in der Vorlage geschrieben.")
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("Dienststelle"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    share_percent = models.DecimalField(
        _("Stellenanteil in %"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Anteil einer Vollzeitstelle: mehr als 0 und höchstens 100."),
    )
    pay_scheme = models.CharField(
        _("Tarif / Besoldung"),
        max_length=20,
        choices=PayScheme.choices,
        default=PayScheme.TVOED,
    )
    pay_grade = models.CharField(
        _("Entgelt-/Besoldungsgruppe"),
        max_length=20,
        help_text=_("z. B. „EG 10“ oder „A 13“."),
    )
    kind = models.CharField(
        _("Art"), max_length=20, choices=Kind.choices, default=Kind.AUTHORISATION
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Stelle")
        verbose_name_plural = _("Stellen")
        ordering = ["department__name", "function"]
        permissions = [
            (
                "view_hr_register",
                _("Kann Befristungen auswerten, exportieren und abonnieren"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(share_percent__gt=0) & Q(share_percent__lte=100),
                name="position_share_in_range",
                violation_error_message=_(
                    "Der Stellenanteil muss größer als 0 %% und höchstens 100 %% sein."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.function} ({self.share_text}, {self.grade_text})"

    def get_absolute_url(self):
        return reverse("positions:position-detail", kwargs={"pk": self.pk})

    @property
    def share_text(self):
        return f"{self.share_percent.normalize():f} %"

    @property
    def grade_text(self):
        return f"{self.pay_grade} {self.pay_scheme}"

    @property
    def history(self):
        """All decisions, oldest first (uses a prefetch where there is one)."""
        prefetched = self.__dict__.get(HISTORY_ATTR)
        if prefetched is not None:
            return prefetched
        return list(self.decisions.all())

    @property
    def origin(self):
        """The decision that created the position, or None if it is not recorded."""
        return next(
            (d for d in self.history if d.action == PositionDecision.Action.CREATED),
            None,
        )

    @property
    def current_decision(self):
        """The decision in force that sets the current expiry, or None."""
        if "expiry_decision_id" in self.__dict__:
            wanted = self.expiry_decision_id
            return next((d for d in self.history if d.pk == wanted), None)
        return self.decisions.in_force().newest_first().first()

    @property
    def current_expiry(self):
        """The date the authorisation runs out; None if unlimited or not in force."""
        if "expiry" in self.__dict__:
            return self.expiry
        decision = self.current_decision
        return decision.expiry if decision else None


class PositionDecisionQuerySet(models.QuerySet):
    def in_force(self, as_of=None):
        """Decisions of adopted papers whose item was not rejected or withdrawn.

        With `as_of`, only papers whose approving Beschlussfassung took place on or
        before that day (or, without a printed date, papers dated by then).
        """
        decisions = self.filter(paper__in=Paper.objects.adopted()).exclude(
            resolution_item__outcome__in=ResolutionItem.Outcome.void()
        )
        if as_of is None:
            return decisions
        adopted_by_then = Consultation.objects.filter(
            paper=OuterRef("paper"),
            role=Consultation.Role.DECISION,
            result__in=Consultation.Result.approving(),
        ).filter(Q(date__lte=as_of) | Q(date__isnull=True, paper__date__lte=as_of))
        return decisions.filter(Exists(adopted_by_then))

    def newest_first(self):
        # A later paper supersedes an earlier one; within one paper, the later start.
        return self.order_by(
            F("paper__date").desc(nulls_last=True),
            F("effective_from").desc(nulls_last=True),
            "-pk",
        )


class PositionDecisionManager(models.Manager.from_queryset(PositionDecisionQuerySet)):
    def get_queryset(self):
        # The date from which a decision counts, and the expiry it sets, are
        # derived here once so that every query orders and filters by the same rule.
        return (
            super()
            .get_queryset()
            .annotate(
                effective_from=Coalesce("valid_from", "paper__date"),
                expiry=models.Case(
                    models.When(
                        action=PositionDecision.Action.ABOLISHED, then=F("valid_from")
                    ),
                    default=F("valid_until"),
                ),
            )
        )


class PositionDecision(TimeStampedModel):
    """One decision about one position, resting on a paper and, where known, an item."""

    class Action(models.TextChoices):
        CREATED = "created", _("geschaffen")
        EXTENDED = "extended", _("verlängert")
        MADE_PERMANENT = "made_permanent", _("entfristet")
        ABOLISHED = "abolished", _("weggefallen")

    position = models.ForeignKey(
        Position,
        verbose_name=_("Stelle"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    paper = models.ForeignKey(
        Paper,
        verbose_name=_("Drucksache"),
        on_delete=models.PROTECT,
        related_name="position_decisions",
        help_text=_("Wirksam, sobald die Drucksache beschlossen ist."),
    )
    resolution_item = models.ForeignKey(
        ResolutionItem,
        verbose_name=_("Ziffer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="position_decisions",
    )
    action = models.CharField(_("Entscheidung"), max_length=20, choices=Action.choices)
    valid_from = models.DateField(
        _("gültig ab"),
        null=True,
        blank=True,
        help_text=_(
            "Bei einer Verlängerung: leer lassen für den Tag nach der "
            "bisherigen Befristung."
        ),
    )
    valid_until = models.DateField(
        _("befristet bis"),
        null=True,
        blank=True,
        help_text=_("Leer lassen, wenn die Stelle unbefristet ist."),
    )
    extends_until = models.DateField(
        _("bisherige Befristung"),
        null=True,
        blank=True,
        help_text=_(
            "Nur bei Verlängerungen: die Befristung, die verlängert wird, wie in "
            "der Vorlage genannt. Leer lassen, um die aktuelle zu übernehmen."
        ),
    )
    may_advertise_unlimited = models.BooleanField(
        _("unbefristet ausschreibbar"),
        default=False,
        help_text=_(
            "„kann unbefristet ausgeschrieben und der Arbeitsvertrag unbefristet "
            "abgeschlossen werden“"
        ),
    )
    share_percent = models.DecimalField(
        _("neuer Stellenanteil in %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Nur wenn die Entscheidung den Stellenanteil ändert; gilt ab „gültig ab“."
        ),
    )
    pay_grade = models.CharField(
        _("neue Entgelt-/Besoldungsgruppe"),
        max_length=20,
        blank=True,
        help_text=_("Nur wenn die Entscheidung die Eingruppierung ändert."),
    )

    objects = PositionDecisionManager()

    class Meta:
        verbose_name = _("Stellenentscheidung")
        verbose_name_plural = _("Stellenentscheidungen")
        ordering = [
            F("paper__date").asc(nulls_first=True),
            Coalesce("valid_from", "paper__date").asc(nulls_first=True),
            "pk",
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="decision_until_not_before_from",
                violation_error_message=_(
                    "„befristet bis“ darf nicht vor „gültig ab“ liegen."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(action="extended")
                | (
                    Q(valid_until__isnull=False)
                    & Q(extends_until__isnull=False)
                    & Q(valid_until__gt=F("extends_until"))
                ),
                name="decision_extension_ends_later",
                violation_error_message=_(
                    "Eine Verlängerung muss später enden als die Befristung, die sie "
                    "verlängert."
                ),
            ),
            models.CheckConstraint(
                condition=Q(action="extended") | Q(extends_until__isnull=True),
                name="decision_extends_until_only_for_extension",
                violation_error_message=_(
                    "Eine bisherige Befristung gibt es nur bei Verlängerungen."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(action="made_permanent") | Q(valid_until__isnull=True),
                name="decision_permanent_has_no_end",
                violation_error_message=_("Eine entfristete Stelle hat kein Enddatum."),
            ),
            models.CheckConstraint(
                condition=Q(share_percent__isnull=True)
                | (Q(share_percent__gt=0) & Q(share_percent__lte=100)),
                name="decision_share_in_range",
                violation_error_message=_(
                    "Der Stellenanteil muss größer als 0 %% und höchstens 100 %% sein."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(action="abolished") | Q(valid_from__isnull=False),
                name="decision_abolition_has_date",
                violation_error_message=_(
                    "Für den Wegfall einer Stelle ist „gültig ab“ anzugeben."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} durch {self.paper}"

    @property
    def decided_on(self):
        """The day of the approving Beschlussfassung (prefetch-friendly), or None."""
        days = [
            c.date
            for c in self.paper.consultations.all()
            if c.role == Consultation.Role.DECISION
            and c.result in Consultation.Result.approving()
            and c.date
        ]
        return min(days) if days else self.paper.date

    def clean(self):
        errors = {}
        if (
            self.resolution_item_id
            and self.paper_id
            and self.resolution_item.paper_id != self.paper_id
        ):
            errors["resolution_item"] = _(
                "Die Ziffer gehört zu einer anderen Drucksache."
            )
        if self.action == self.Action.EXTENDED and self.position_id:
            if self.extends_until is None:
                previous = (
                    self.position.decisions.in_force()
                    .exclude(pk=self.pk)
                    .newest_first()
                    .first()
                )
                self.extends_until = previous.expiry if previous else None
            if self.extends_until is None:
                errors["extends_until"] = _(
                    "Die Stelle hat noch keine wirksame Befristung; bitte die "
                    "bisherige Befristung aus der Vorlage eintragen."
                )
            if self.valid_from is None and self.extends_until:
                self.valid_from = self.extends_until + datetime.timedelta(days=1)
        if self.action == self.Action.EXTENDED and self.valid_until is None:
            errors["valid_until"] = _(
                "Eine Verlängerung braucht ein neues Enddatum; ohne Enddatum "
                "„entfristet“ wählen."
            )
        if errors:
            raise ValidationError(errors)


class PositionPlanRequest(TimeStampedModel):
    """A department's Stellenplanantrag for a budget, and the item that settled it."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("Dienststelle"),
        on_delete=models.PROTECT,
        related_name="position_plan_requests",
    )
    request_number = models.PositiveIntegerField(
        _("Antrag Nr."), help_text=_("Nummer des Antrags der Dienststelle, z. B. 8.")
    )
    list_number = models.PositiveIntegerField(
        _("lfd. Nr."),
        null=True,
        blank=True,
        help_text=_("Laufende Nummer in der gesamtstädtischen Antragsliste."),
    )
    budget = models.CharField(
        _("Haushalt"), max_length=50, help_text=_("z. B. „Doppelhaushalt 2020/2021“.")
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("Stelle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_requests",
    )
    settled_by = models.ForeignKey(
        ResolutionItem,
        verbose_name=_("erledigt durch"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="settled_plan_requests",
    )

    class Meta:
        verbose_name = _("Stellenplanantrag")
        verbose_name_plural = _("Stellenplananträge")
        ordering = ["budget", "department__name", "request_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "budget", "request_number"],
                name="plan_request_unique_number",
                violation_error_message=_(
                    "Diesen Stellenplanantrag gibt es für die Dienststelle und den "
                    "Haushalt schon."
                ),
            ),
        ]

    def __str__(self):
        return f"Stellenplanantrag Nr. {self.request_number} ({self.department})"


class CalendarTokenQuerySet(models.QuerySet):
    def usable(self):
        """Tokens not revoked whose owner is active and still has the HR permission."""
        return self.filter(revoked_at=None, user__is_active=True)


class CalendarToken(models.Model):
    """A secret, revocable address for HR's calendar client (no session there)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzer"),
        on_delete=models.CASCADE,
        related_name="position_calendar_tokens",
    )
    token = models.CharField(_("Schlüssel"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("angelegt"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    objects = CalendarTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kalender-Abo")
        verbose_name_plural = _("Kalender-Abos")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.user} ({self.created:%d.%m.%Y})"

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    def grants_access(self):
        return (
            self.revoked_at is None
            and self.user.is_active
            and can_use_hr_register(self.user)
        )


class ExpiryReminder(models.Model):
    """One position listed in one digest to one person: what has been sent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Empfänger"),
        on_delete=models.CASCADE,
        related_name="expiry_reminders",
    )
    decision = models.ForeignKey(
        PositionDecision,
        verbose_name=_("Entscheidung mit der Befristung"),
        on_delete=models.CASCADE,
        related_name="expiry_reminders",
    )
    expiry = models.DateField(_("befristet bis"))
    sent_at = models.DateTimeField(_("gesendet am"), default=timezone.now)

    class Meta:
        verbose_name = _("Erinnerung an Befristung")
        verbose_name_plural = _("Erinnerungen an Befristungen")
        ordering = ["-sent_at"]
        constraints = [
            # Each expiry is announced to each person once; a new decision with a
            # new expiry is a new reminder.
            models.UniqueConstraint(
                fields=["recipient", "decision"],
                name="reminder_once_per_recipient_and_decision",
            ),
        ]

    def __str__(self):
        return f"{self.decision.position} → {self.recipient} ({self.expiry:%d.%m.%Y})"
