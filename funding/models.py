"""The money a paper commits: budget codes and funding lines."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from audit.history import AuditedHistory
from council.models import (
    Department,
    HistoricalPaperPartQuerySet,
    Paper,
    ResolutionItem,
    TimeStampedModel,
    YearsQuerySet,
    can_see_nonpublic,
    choice_label,
)
from operations import formats
from positions.models import Position


class BudgetCode(TimeStampedModel):
    """A code of the city's budget with its name, as printed in the papers."""

    number = models.CharField(_("Nummer"), max_length=40, unique=True)
    name = models.CharField(_("Bezeichnung"), max_length=200)

    class Meta:
        abstract = True
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} – {self.name}"


class BudgetUnit(BudgetCode):
    """A Teilhaushalt (THH 500 – Sozialamt)."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("Dienststelle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_units",
    )

    class Meta(BudgetCode.Meta):
        verbose_name = _("Teilhaushalt")
        verbose_name_plural = _("Teilhaushalte")

    def __str__(self):
        return f"THH {self.number} – {self.name}"


class CostCentre(BudgetCode):
    """An Amtsbereich (5003140 – Soziale Einrichtungen)."""

    budget_unit = models.ForeignKey(
        BudgetUnit,
        verbose_name=_("Teilhaushalt"),
        on_delete=models.PROTECT,
        related_name="cost_centres",
    )

    class Meta(BudgetCode.Meta):
        verbose_name = _("Amtsbereich")
        verbose_name_plural = _("Amtsbereiche")


class Product(BudgetCode):
    """A Schlüsselprodukt (1.31.40.01.10.00-500 – Flüchtlingsunterkünfte)."""

    class Meta(BudgetCode.Meta):
        verbose_name = _("Produkt")
        verbose_name_plural = _("Produkte")


class AccountGroup(BudgetCode):
    """A Kontengruppe (43100 – Zuweisungen und Zuschüsse für laufende Zwecke)."""

    class Meta(BudgetCode.Meta):
        verbose_name = _("Kontengruppe")
        verbose_name_plural = _("Kontengruppen")


class FundingLineQuerySet(YearsQuerySet):
    def visible_to(self, user):
        """A line is as public as the paper it belongs to."""
        return self if can_see_nonpublic(user) else self.filter(paper__is_public=True)

    def totals(self):
        """Lines that count towards a sum: breakdowns of another line do not."""
        return self.filter(part_of__isnull=True)

    def totals_by_year(self):
        """[{"year", "direction", "total"}, …] over the lines that count."""
        return (
            self.totals()
            .values("year", "direction")
            .annotate(total=Sum("amount"))
            .order_by("year", "direction")
        )


class FundingLine(TimeStampedModel):
    """An amount a paper commits or expects for one year."""

    class Direction(models.TextChoices):
        EXPENSE = "expense", _("Aufwand")
        REVENUE = "revenue", _("Ertrag")

    class Source(models.TextChoices):
        CITY = "city", _("Stadt")
        STATE = "state", _("Land")
        FEDERAL = "federal", _("Bund")
        THIRD_PARTY = "third_party", _("Dritte")

    class BudgetStatus(models.TextChoices):
        BUDGETED = "budgeted", _("veranschlagt im Haushaltsplanentwurf")
        NOT_BUDGETED = "not_budgeted", _("noch nicht veranschlagt")
        CHANGE_LIST = "change_list", _("über die Änderungsliste")

    paper = models.ForeignKey(
        Paper,
        verbose_name=_("Drucksache"),
        on_delete=models.CASCADE,
        related_name="funding_lines",
    )
    resolution_item = models.ForeignKey(
        ResolutionItem,
        verbose_name=_("Ziffer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funding_lines",
    )
    purpose = models.TextField(
        _("Zweck"), help_text=_("Wie in der Vorlage geschrieben.")
    )
    budget_unit = models.ForeignKey(
        BudgetUnit,
        verbose_name=_("Teilhaushalt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_lines",
    )
    cost_centre = models.ForeignKey(
        CostCentre,
        verbose_name=_("Amtsbereich"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("Produkt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    account_group = models.ForeignKey(
        AccountGroup,
        verbose_name=_("Kontengruppe"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    year = models.PositiveSmallIntegerField(_("Jahr"))
    amount = models.DecimalField(
        _("Betrag in EUR"),
        max_digits=14,
        decimal_places=2,
        help_text=_("In Euro, nicht negativ: 3.505 TEUR als 3505000 eintragen."),
    )
    direction = models.CharField(
        _("Aufwand/Ertrag"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.EXPENSE,
    )
    source = models.CharField(
        _("Mittelherkunft"), max_length=20, choices=Source.choices, default=Source.CITY
    )
    budget_status = models.CharField(
        _("Haushaltsstand"), max_length=20, choices=BudgetStatus.choices
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("finanzierte Stelle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_lines",
    )
    funded_posts = models.DecimalField(
        _("finanzierte Stellen"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Zahl der Vollzeitstellen, die der Betrag finanziert, z. B. 51,1."),
    )
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("Teilbetrag von"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="parts",
        help_text=_(
            "Für eine Aufschlüsselung eines anderen Betrags; zählt nicht doppelt "
            "in den Summen."
        ),
    )

    objects = FundingLineQuerySet.as_manager()
    audit_trail = AuditedHistory(historical_queryset=HistoricalPaperPartQuerySet)

    class Meta:
        verbose_name = _("Finanzposition")
        verbose_name_plural = _("Finanzpositionen")
        ordering = ["paper", "year", "pk"]
        indexes = [
            # /finanzen/ lists the lines that count newest year first: a page
            # sorts the lines of its years only, not all of them (issue 12).
            models.Index(
                fields=["-year"],
                condition=Q(part_of__isnull=True),
                name="fundingline_totals_newest",
            ),
            # The admin's year filter finds the years of all lines by it
            # (YearsQuerySet.years), not by a DISTINCT over every line.
            models.Index(fields=["year"], name="fundingline_year"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="funding_amount_not_negative",
                violation_error_message=_(
                    "Beträge sind nicht negativ; Erträge als „Ertrag“ erfassen."
                ),
            ),
            models.CheckConstraint(
                condition=Q(funded_posts__isnull=True) | Q(funded_posts__gte=0),
                name="funding_posts_not_negative",
                violation_error_message=_(
                    "Die Zahl der finanzierten Stellen ist nicht negativ."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2999),
                name="funding_plausible_year",
                violation_error_message=_("Bitte ein vierstelliges Jahr angeben."),
            ),
        ]

    def __str__(self):
        return f"{self.purpose[:60]} {self.year}: {formats.amount(self.amount)}"

    # Django's own get_FOO_display() translates every choice on each call; the
    # overview calls these for each of its lines.
    def get_direction_display(self):
        return choice_label(self.Direction, self.direction)

    def get_budget_status_display(self):
        return choice_label(self.BudgetStatus, self.budget_status)

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
        if self.part_of_id:
            if self.part_of.paper_id != self.paper_id:
                errors["part_of"] = _(
                    "Ein Teilbetrag gehört zur selben Drucksache wie der Gesamtbetrag."
                )
            elif self.part_of.part_of_id:
                errors["part_of"] = _("Teilbeträge lassen sich nicht weiter teilen.")
        if errors:
            raise ValidationError(errors)
