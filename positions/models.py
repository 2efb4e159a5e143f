"""Authorised positions (Stellen, Ermächtigungen) and the decisions they rest on.

A position stores what it is; when it runs out, where it came from and its whole
history follow from its decisions, and nothing of that is stored twice.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.history import (
    AuditedHistory,
    HistoricalQuerySet,
    newest_of,
    newest_version,
)
from council.addresses import address
from council.models import (
    FULL_RECORD,
    Consultation,
    Department,
    HistoricalPaperPartQuerySet,
    Paper,
    ResolutionItem,
    TimeStampedModel,
    can_see_nonpublic,
    paper_state,
)
from council.visibility import audience
from operations import formats

from .standing import uses_standing

HR_PERMISSION = "positions.view_hr_register"


def can_use_hr_register(user):
    """HR columns, filters, exports and feeds need this permission."""
    return bool(user and user.is_authenticated and user.has_perm(HR_PERMISSION))


class PayScheme(models.TextChoices):
    TVOED = "TVöD", _("TVöD")
    TVL = "TV-L", _("TV-L")
    CIVIL_SERVANT = "Besoldung", _("Beamtenbesoldung")


# A position's history lands in a plain list (to_attr): a related manager's
# queryset for each of 1,500 positions cost a quarter of the export's time. The
# exports put the same decisions there as values (selectors.cited_histories).
HISTORY_ATTR = "prefetched_history"


class HistoryNotPrefetched(RuntimeError):
    """Position.history read from a position fetched without its history."""


def grade_label(grade, pay_scheme):
    """A pay grade with its scheme, as papers write it: "EG 10 TVöD"."""
    return f"{grade} {pay_scheme}"


class PositionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Positions resting on a decision the user may see.

        A position without any decision yet is staff's work in progress and shows
        only to staff; one known only from non-public decisions, only to those
        with the permission.
        """
        if can_see_nonpublic(user):
            return self
        decisions = PositionDecision.objects.filter(position=OuterRef("pk"))
        if uses_standing(self.db):
            seen = Q(standing__has_public_decision=True)
        else:
            seen = Exists(decisions.visible_to(user))
        if user is not None and getattr(user, "is_staff", False):
            # Without the manager's annotations, which join every decision's
            # paper: PostgreSQL hashed all of them for each register (issue 12).
            any_decision = models.QuerySet(PositionDecision, using=self.db).filter(
                position=OuterRef("pk")
            )
            return self.filter(seen | ~Exists(any_decision))
        return self.filter(seen)

    def with_nonpublic_basis(self, user):
        """Annotate `rests_on_nonpublic`: the decision in force today is one `user`
        may not see. Such a position's expiry, share and grade have no basis the
        user may know; they show as "nichtöffentlich beschlossen".

        Always computed for today, never for an "as of" day, so that the flag can
        not be used to probe when a non-public decision was taken.
        """
        if "rests_on_nonpublic" in self.query.annotations:
            return self
        if can_see_nonpublic(user):
            return self.annotate(
                rests_on_nonpublic=models.Value(False, models.BooleanField())
            )

        if uses_standing(self.db):
            # Kept by the triggers of positions/standing.py.
            return self.annotate(
                basis_decision_id=F("standing__record_decision_id"),
                seen_decision_id=F("standing__public_decision_id"),
            ).annotate(rests_on_nonpublic=self._rests_on_nonpublic())

        def newest(viewer):
            return Subquery(
                PositionDecision.objects.in_force(viewer)
                .filter(position=OuterRef("pk"))
                .newest_first()
                .values("pk")[:1]
            )

        # What the user sees is a subset of the record: the newest decision is
        # visible exactly when it is also the newest the user sees.
        return self.annotate(
            basis_decision_id=newest(FULL_RECORD),
            seen_decision_id=newest(user),
        ).annotate(rests_on_nonpublic=self._rests_on_nonpublic())

    @staticmethod
    def _rests_on_nonpublic():
        return models.Case(
            models.When(basis_decision_id=None, then=False),
            models.When(seen_decision_id=F("basis_decision_id"), then=False),
            default=True,
            output_field=models.BooleanField(),
        )

    def with_expiry(self, user, as_of=None):
        """Annotate `expiry` and `expiry_decision_id` from the decision in force,
        as far as `user` may see (see with_nonpublic_basis).

        `expiry` is None for an unlimited position, for one without any decision
        in force and for one resting on a non-public decision; `expiry_decision_id`
        and `rests_on_nonpublic` tell them apart. With `as_of`, only decisions
        adopted by that day count: the register as it stood then.
        """
        positions = self.with_nonpublic_basis(user)
        if as_of is None and uses_standing(self.db):
            view = "record" if can_see_nonpublic(user) else "public"
            current_id = F(f"standing__{view}_decision_id")
            current_expiry = F(f"standing__{view}_expiry")
        elif as_of is None and "seen_decision_id" in positions.query.annotations:
            # Today's decision as the user sees it is known from the basis check.
            current_id = F("seen_decision_id")
            current_expiry = Subquery(
                PositionDecision.objects.filter(pk=OuterRef("seen_decision_id"))
                .order_by()
                .values("expiry")[:1]
            )
        else:
            current = (
                PositionDecision.objects.in_force(user, as_of=as_of)
                .filter(position=OuterRef("pk"))
                .newest_first()
            )
            current_id = Subquery(current.values("pk")[:1])
            current_expiry = Subquery(current.values("expiry")[:1])
        hidden = Q(rests_on_nonpublic=True)
        return positions.annotate(
            expiry_decision_id=models.Case(
                models.When(hidden, then=None), default=current_id
            ),
            expiry=models.Case(models.When(hidden, then=None), default=current_expiry),
        )

    def expiring_between(self, user, start, end):
        """Positions whose expiry, as `user` may know it, falls between the days,
        with_expiry annotated.

        On PostgreSQL the filter is a set: the current decision of every position
        found once (DISTINCT ON), not the expiry's subqueries run for each of
        thousands of positions (2 s for the start page's count at 36,000 papers,
        issue 12). Elsewhere by the annotation.
        """
        positions = self.with_expiry(user)
        if uses_standing(self.db) or connections[self.db].vendor != "postgresql":
            return positions.filter(expiry__range=(start, end))
        current = PositionDecision.objects.filter(
            pk__in=PositionDecision.objects.current_ids(user),
            expiry__range=(start, end),
        )
        if not can_see_nonpublic(user):
            # Shown only where the decision in force is one the user may see.
            current = current.filter(
                pk__in=PositionDecision.objects.current_ids(FULL_RECORD)
            )
        return positions.filter(pk__in=current.values("position"))

    def with_terms(self, user, day):
        """Annotate `share_then` and `grade_then`: share and grade in force on `day`.

        A decision that records a share or grade changes it from the day it takes
        effect; without one, the position's own fields hold. None where the
        position rests on a decision `user` may not see.
        """
        setting = (
            PositionDecision.objects.in_force(user, as_of=day)
            .filter(position=OuterRef("pk"), effective_from__lte=day)
            .newest_first()
        )
        hidden = Q(rests_on_nonpublic=True)
        # Only positions with a decision that sets a share (or grade) at all ask
        # for it, one row at a time: the rest (nearly all) keep their own, and
        # the sum over a whole register reads no decision (issue 12).
        decisions = models.QuerySet(PositionDecision, using=self.db)
        sets_share = decisions.exclude(share_percent=None).values("position_id")
        sets_grade = decisions.exclude(pay_grade="").values("position_id")
        return self.with_nonpublic_basis(user).annotate(
            share_then=models.Case(
                models.When(hidden, then=None),
                models.When(
                    pk__in=sets_share,
                    then=Coalesce(
                        Subquery(
                            setting.exclude(share_percent=None).values("share_percent")[
                                :1
                            ]
                        ),
                        F("share_percent"),
                    ),
                ),
                default=F("share_percent"),
            ),
            grade_then=models.Case(
                models.When(hidden, then=None),
                models.When(
                    pk__in=sets_grade,
                    then=Coalesce(
                        Subquery(setting.exclude(pay_grade="").values("pay_grade")[:1]),
                        F("pay_grade"),
                    ),
                ),
                default=F("pay_grade"),
            ),
        )

    def authorised_on(self, user, day):
        """Positions authorised on `day` as far as `user` may see, with expiry,
        share and grade as of then."""
        started = PositionDecision.objects.in_force(user, as_of=day).filter(
            position=OuterRef("pk"), effective_from__lte=day
        )
        return (
            self.with_expiry(user, as_of=day)
            .with_terms(user, day)
            .filter(Exists(started))
            .filter(
                Q(expiry__gte=day)
                | Q(expiry__isnull=True, expiry_decision_id__isnull=False)
                | Q(rests_on_nonpublic=True)
            )
        )

    def with_pending_follow_up(self, user):
        """Annotate `has_pending_follow_up`: a decision on a paper that `user` sees
        in consultation."""
        # The state of each decision's own paper, not the set of all papers in
        # consultation (which computed the state of every paper: 0.9 s for a
        # page of 50 positions at 36,000 papers, issue 12; now 2 ms).
        pending = (
            PositionDecision.objects.visible_to(user)
            .filter(position=OuterRef("pk"))
            .annotate(paper_state=paper_state(user, paper="paper"))
            .filter(paper_state=Paper.State.IN_CONSULTATION)
        )
        # A scalar subquery, not EXISTS, which PostgreSQL may hash over every
        # decision before the page's LIMIT.
        first = pending.annotate(yes=models.Value(True)).values("yes")[:1]
        return self.annotate(
            has_pending_follow_up=Coalesce(
                Subquery(first), models.Value(False), output_field=models.BooleanField()
            )
        )

    def for_register(self, user):
        """All a public register row reads: department and the history `user` may
        see."""
        return self.select_related("department").with_history(user)

    def for_export(self, user):
        """What an export row reads of each position itself: its department and
        whether a follow-up is in consultation. Its history and costs are read
        as values for the whole export (positions.selectors.export_rows)."""
        return self.select_related("department").with_pending_follow_up(user)

    def for_consistency_checks(self, user):
        """What an HR row reads (its costs come from selectors.expenses_by_year):
        whole decisions and their papers' steps and funding lines, which the
        consistency checks read."""
        # funding.models imports this module (a line may pay for a position), so
        # the lines are imported here, when a query is built.
        from funding.models import FundingLine

        decisions = (
            PositionDecision.objects.visible_to(user)
            .select_related("paper", "resolution_item")
            .prefetch_related(
                # Only what decided_on and the funding check read: whole steps
                # and lines were most of an HR register page's rows (issue 12).
                models.Prefetch(
                    "paper__consultations",
                    queryset=Consultation.objects.visible_to(user).only(
                        "paper", "role", "result", "date"
                    ),
                ),
                models.Prefetch(
                    "paper__funding_lines",
                    queryset=FundingLine.objects.visible_to(user).only(
                        "paper", "position", "year"
                    ),
                ),
            )
        )
        return (
            self.select_related("department")
            .with_pending_follow_up(user)
            .prefetch_related(
                models.Prefetch("decisions", queryset=decisions, to_attr=HISTORY_ATTR)
            )
        )

    def last_changed(self, user):
        """When what `user` sees of these positions and their decisions last
        changed; None if unknown."""

        def subqueries():
            here = OuterRef("pk")
            return {
                "changed_position": newest_version(Position, user, id=here),
                "changed_decisions": newest_version(
                    PositionDecision, user, position=here
                ),
            }

        return newest_of(self, audience(user), subqueries)

    def with_history(self, user):
        """Prefetch the decisions `user` may see with papers and items, oldest
        first."""
        return self.prefetch_related(
            models.Prefetch(
                "decisions",
                queryset=PositionDecision.objects.visible_to(user).select_related(
                    "paper", "resolution_item"
                ),
                to_attr=HISTORY_ATTR,
            )
        )


class HistoricalPositionQuerySet(HistoricalQuerySet):
    def visible_to(self, user):
        """Versions of the positions the user may see."""
        if can_see_nonpublic(user):
            return self
        return self.filter(id__in=Position.objects.visible_to(user).values("pk"))


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
    audit_trail = AuditedHistory(historical_queryset=HistoricalPositionQuerySet)

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
        return address("positions:position-detail", pk=self.pk)

    @property
    def share_text(self):
        return formats.percent(self.share_percent)

    @property
    def grade_text(self):
        return grade_label(self.pay_grade, self.pay_scheme)

    @property
    def history(self):
        """The decisions its viewer may see, oldest first, from the prefetch of
        with_history(user) or for_register(user).

        Which decisions those are depends on who looks, so a position fetched
        without that prefetch has none: reading it raises HistoryNotPrefetched
        instead of a query per position.
        """
        prefetched = self.__dict__.get(HISTORY_ATTR)
        if prefetched is None:
            raise HistoryNotPrefetched(
                f"{self}: the history of a position is read from a queryset with "
                "with_history(user) or for_register(user); this position was "
                "fetched without it."
            )
        return prefetched

    @property
    def origin(self):
        """The decision that created the position, or None if it is not recorded."""
        return next(
            (d for d in self.history if d.action == PositionDecision.Action.CREATED),
            None,
        )

    @property
    def current_decision(self):
        """The decision in force that sets the expiry (with_expiry), or None."""
        wanted = self.expiry_decision_id
        if wanted is None:
            return None
        return next((d for d in self.history if d.pk == wanted), None)

    @property
    def current_expiry(self):
        """The date the authorisation runs out (with_expiry); None if unlimited,
        not in force or resting on what the viewer may not see."""
        return self.expiry


class PositionDecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A decision is as public as the paper it rests on."""
        return self if can_see_nonpublic(user) else self.filter(paper__is_public=True)

    def in_force(self, user, as_of=None):
        """Decisions of adopted papers whose item was not rejected or withdrawn,
        as far as `user` may see: papers and consultations `user` may not see do
        not count.

        With `as_of`, only papers whose approving Beschlussfassung took place on or
        before that day (or, without a printed date, papers dated by then).
        """
        if uses_standing(self.db):
            # Kept by the triggers of positions/standing.py.
            view = "record" if can_see_nonpublic(user) else "public"
            decisions = self.filter(**{f"standing__{view}_in_force": True})
            if as_of is not None:
                decisions = decisions.filter(
                    **{f"standing__{view}_adopted_on__lte": as_of}
                )
            return decisions
        # The decision's own paper, probed through the steps' index on their paper:
        # `paper__in=Paper.objects.adopted(user)` made PostgreSQL hash every
        # adopted paper of the database for each position (issue 12).
        adopted = Consultation.objects.visible_to(user).filter(
            paper=OuterRef("paper"),
            role=Consultation.Role.DECISION,
            result__in=Consultation.Result.approving(),
        )
        decisions = (
            self.visible_to(user)
            .filter(Exists(adopted))
            .exclude(resolution_item__outcome__in=ResolutionItem.Outcome.void())
        )
        if as_of is None:
            return decisions
        adopted_by_then = (
            Consultation.objects.visible_to(user)
            .filter(
                paper=OuterRef("paper"),
                role=Consultation.Role.DECISION,
                result__in=Consultation.Result.approving(),
            )
            .filter(Q(date__lte=as_of) | Q(date__isnull=True, paper__date__lte=as_of))
        )
        return decisions.filter(Exists(adopted_by_then))

    def current_ids(self, user):
        """The pk of each position's decision in force today, as far as `user`
        may see (the first of newest_first per position), as one set
        (PostgreSQL's DISTINCT ON)."""
        return (
            self.in_force(user)
            .order_by(
                "position_id",
                F("paper__date").desc(nulls_last=True),
                F("effective_from").desc(nulls_last=True),
                "-pk",
            )
            .distinct("position_id")
            .values("pk")
        )

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
    # As public as its paper, like the decision itself.
    audit_trail = AuditedHistory(historical_queryset=HistoricalPaperPartQuerySet)

    class Meta:
        verbose_name = _("Stellenentscheidung")
        verbose_name_plural = _("Stellenentscheidungen")
        ordering = [
            F("paper__date").asc(nulls_first=True),
            Coalesce("valid_from", "paper__date").asc(nulls_first=True),
            "pk",
        ]
        indexes = [
            # The few decisions that change a share or grade, which with_terms
            # and the register's grade choices ask for.
            models.Index(
                fields=["position"],
                condition=Q(share_percent__isnull=False),
                name="decision_sets_share",
            ),
            models.Index(
                fields=["position"],
                condition=~Q(pay_grade=""),
                name="decision_sets_grade",
            ),
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
    def basis(self):
        """The paper and, where known, the item it rests on: "GRDrs 949/2019, Ziff. 5"
        (reads the item's number only, so no query for the item's paper)."""
        if self.resolution_item_id is None:
            return str(self.paper)
        return ResolutionItem.label(str(self.paper), self.resolution_item.number)

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
                # The record as a whole: the clerk states what is extended.
                previous = (
                    self.position.decisions.in_force(FULL_RECORD)
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


class PositionPlanRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A request is hidden where its position or settling item is."""
        if can_see_nonpublic(user):
            return self
        return self.filter(
            Q(position=None) | Q(position__in=Position.objects.visible_to(user)),
            Q(settled_by=None) | Q(settled_by__paper__is_public=True),
        )


class HistoricalPlanRequestQuerySet(HistoricalQuerySet):
    def visible_to(self, user):
        """Versions whose position and settling item the user may see."""
        if can_see_nonpublic(user):
            return self
        return self.filter(
            Q(position=None)
            | Q(position_id__in=Position.objects.visible_to(user).values("pk")),
            Q(settled_by=None)
            | Q(settled_by_id__in=ResolutionItem.objects.visible_to(user).values("pk")),
        )


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

    objects = PositionPlanRequestQuerySet.as_manager()
    audit_trail = AuditedHistory(historical_queryset=HistoricalPlanRequestQuerySet)

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


def token_hash(secret):
    """What is stored of a calendar address's secret: its SHA-256."""
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


class CalendarTokenQuerySet(models.QuerySet):
    def usable(self):
        """Tokens not revoked whose owner is active. Whether the owner may still use
        the HR register is asked per token, by grants_access()."""
        return self.filter(revoked_at=None, user__is_active=True)

    def matching(self, secret):
        """The token whose secret this is (compared by hash, so never stored)."""
        return self.filter(token_hash=token_hash(secret))

    def issue(self, user):
        """A new token for `user`; its secret is in `.secret`, shown once only."""
        secret = secrets.token_urlsafe(32)
        token = self.create(user=user, token_hash=token_hash(secret))
        token.secret = secret
        return token


class CalendarToken(models.Model):
    """A secret, revocable address for HR's calendar client (no session there).

    Only a hash of the secret is stored, as for passwords: the address is shown
    once when it is made, and a revoked token never becomes valid again.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzer"),
        on_delete=models.CASCADE,
        related_name="position_calendar_tokens",
    )
    token_hash = models.CharField(
        _("Prüfsumme des Schlüssels"), max_length=64, unique=True, editable=False
    )
    created = models.DateTimeField(_("angelegt"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    objects = CalendarTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kalender-Abo")
        verbose_name_plural = _("Kalender-Abos")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.user} ({formats.date(self.created)})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            # A revocation is final: whatever a form sends, the date stays.
            revoked = (
                CalendarToken.objects.filter(pk=self.pk)
                .values_list("revoked_at", flat=True)
                .first()
            )
            if revoked is not None:
                self.revoked_at = revoked
        super().save(*args, **kwargs)

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def grants_access(self):
        return (
            self.revoked_at is None
            and self.user.is_active
            and can_use_hr_register(self.user)
        )


class ExpiryReminderQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What was sent is as public as the decision it announced."""
        if can_see_nonpublic(user):
            return self
        return self.filter(decision__in=PositionDecision.objects.visible_to(user))


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

    objects = ExpiryReminderQuerySet.as_manager()

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
        expiry = formats.date(self.expiry)
        return f"{self.decision.position} → {self.recipient} ({expiry})"


class DecisionStanding(models.Model):
    """Derived, kept by PostgreSQL triggers (positions/standing.py): whether and
    since when a decision is in force, for the record and for the public."""

    decision = models.OneToOneField(
        PositionDecision,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="standing",
    )
    position = models.ForeignKey(
        Position, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    paper_date = models.DateField(null=True)
    paper_public = models.BooleanField()
    record_in_force = models.BooleanField()
    record_adopted_on = models.DateField(null=True)
    public_in_force = models.BooleanField()
    public_adopted_on = models.DateField(null=True)
    # While it is the current decision of an authorised position: from, until
    # (exclusive; None: open). Days without a current decision or before any
    # decision started are in no period.
    record_from = models.DateField(null=True)
    record_until = models.DateField(null=True)
    public_from = models.DateField(null=True)
    public_until = models.DateField(null=True)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"decision {self.decision_id} in force: {self.record_in_force}"


class PositionStanding(models.Model):
    """Derived, kept by PostgreSQL triggers (positions/standing.py): a position's
    decision in force and its expiry, for the record and for the public."""

    position = models.OneToOneField(
        Position,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="standing",
    )
    record_decision = models.ForeignKey(
        PositionDecision,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    record_expiry = models.DateField(null=True)
    public_decision = models.ForeignKey(
        PositionDecision,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    public_expiry = models.DateField(null=True)
    has_public_decision = models.BooleanField()
    # The last expiry of any decision in force (the charts' years end after it).
    record_last_expiry = models.DateField(null=True)
    public_last_expiry = models.DateField(null=True)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"position {self.position_id}: decision {self.record_decision_id}"
