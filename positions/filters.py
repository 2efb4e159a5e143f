"""The filters of the positions register: a few for everyone, the rest for HR.

The expiry a filter looks at depends on the day the register is read for ("as of"),
so each filter set first builds its base queryset for that day and only then applies
the field filters. A filter set is always bound (to empty data without a filter),
so that the base applies through django-filter's own `filter_queryset`.

URL parameters are German (`dienststelle`, `stand_am`, …); the English names of
before redirect (`renamed_parameters`, see council.filters).
"""

import calendar
import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from council.filters import IntegerFilter, RememberedChoicesMixin, model_choices
from council.models import Department
from council.visibility import audience
from operations.pagecache import remembered

from .models import PayScheme, Position, PositionDecision


def add_months(day, months):
    """`day` moved by whole months, clamped to the end of a shorter month and to
    the dates there are (as of 31.12.9999, "within a month" ends that day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > datetime.MAXYEAR:
        return datetime.date.max
    if year < datetime.MINYEAR:
        return datetime.date.min
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def departments_with_positions(user):
    """The departments with a position `user` may see."""
    visible = Position.objects.visible_to(user).filter(department=OuterRef("pk"))
    return Department.objects.filter(Exists(visible))


def department_choices(user):
    """(key, name) of each department with a position `user` may see.

    Found once per data version and audience (remembered, as the grades below):
    the EXISTS over the visible positions took 16 ms of every HR register page
    at 100,000 papers. EXISTS, not a join with DISTINCT: a few index probes per
    department where the join sorted every position."""
    return remembered(
        "positions.departments",
        audience(user),
        lambda: model_choices(departments_with_positions(user)),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PublicPositionFilter(RememberedChoicesMixin, django_filters.FilterSet):
    """What every visitor may filter by."""

    renamed_parameters = {
        "department": "dienststelle",
        "kind": "art",
        "within_months": "ablauf_in_monaten",
    }

    dienststelle = django_filters.ModelChoiceFilter(
        label=_("Dienststelle"),
        field_name="department",
        # Those with a position the reader may see (__init__).
        queryset=Department.objects.none(),
        empty_label=_("alle"),
    )
    art = django_filters.ChoiceFilter(
        label=_("Art"),
        field_name="kind",
        choices=Position.Kind.choices,
        empty_label=_("alle"),
    )
    ablauf_in_monaten = IntegerFilter(
        label=_("läuft aus innerhalb von … Monaten"),
        method="filter_within_months",
        min_value=0,
        max_value=600,
    )

    class Meta:
        model = Position
        fields = []

    def __init__(self, data=None, queryset=None, *, user, today=None, **kwargs):
        # Expiry, share and grade are computed for this user (visibility rule).
        self.user = user
        self.today = today or timezone.localdate()
        super().__init__({} if data is None else data, queryset, **kwargs)
        # A department sent is checked against these; those offered are
        # remembered.
        self.filters["dienststelle"].queryset = departments_with_positions(user)
        self.offered = {"dienststelle": department_choices(user)}

    @property
    def as_of_day(self):
        return None

    @property
    def reference_day(self):
        """The day the register is read for: "as of" or today."""
        return self.as_of_day or self.today

    def base_queryset(self, queryset):
        return queryset.with_expiry(self.user).with_terms(self.user, self.today)

    @property
    def is_filtered(self):
        """Whether any filter is given (valid or not)."""
        return any(self.data.get(name) for name in self.filters)

    def filter_queryset(self, queryset):
        # The base first: "as of" changes what the other filters see.
        return super().filter_queryset(self.base_queryset(queryset))

    def filter_within_months(self, queryset, name, value):
        start = self.reference_day
        return queryset.filter(expiry__range=(start, add_months(start, int(value))))


class HRPositionFilter(PublicPositionFilter):
    """HR's register: expiry windows, pay, state, and the register as of a day."""

    class State:
        ACTIVE = "active"
        EXPIRED = "expired"
        UNLIMITED = "unlimited"
        choices = [
            (ACTIVE, _("befristet, laufend")),
            (EXPIRED, _("abgelaufen")),
            (UNLIMITED, _("unbefristet")),
        ]

    renamed_parameters = {
        **PublicPositionFilter.renamed_parameters,
        "as_of": "stand_am",
        "expires_after": "ablauf_ab",
        "expires_before": "ablauf_bis",
        "pay_scheme": "tarif",
        "pay_grade": "entgeltgruppe",
        "state": "befristung",
    }

    stand_am = django_filters.DateFilter(
        label=_("Stand am"),
        method="ignore",
        widget=DateInput(),
        help_text=_("Welche Stellen an diesem Tag bewilligt waren."),
    )
    ablauf_ab = django_filters.DateFilter(
        label=_("läuft aus ab"),
        field_name="expiry",
        lookup_expr="gte",
        widget=DateInput(),
    )
    ablauf_bis = django_filters.DateFilter(
        label=_("läuft aus bis"),
        field_name="expiry",
        lookup_expr="lte",
        widget=DateInput(),
    )
    tarif = django_filters.ChoiceFilter(
        label=_("Tarif / Besoldung"),
        field_name="pay_scheme",
        choices=PayScheme.choices,
        empty_label=_("alle"),
    )
    entgeltgruppe = django_filters.ChoiceFilter(
        label=_("Entgeltgruppe"), method="filter_grade", empty_label=_("alle")
    )
    befristung = django_filters.ChoiceFilter(
        label=_("Stand"),
        choices=State.choices,
        method="filter_state",
        empty_label=_("alle"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grades = remembered("positions.grades", audience(self.user), self.grades)
        self.filters["entgeltgruppe"].extra["choices"] = [(g, g) for g in grades]

    def grades(self):
        """The grades of the positions and those decisions changed them to, in one
        query over every position and decision (18 ms at 100,000 papers, hence
        remembered); a grade only a non-public decision names is not offered."""
        return sorted(
            Position.objects.visible_to(self.user)
            .order_by()
            .values_list("pay_grade", flat=True)
            .union(
                PositionDecision.objects.visible_to(self.user)
                .exclude(pay_grade="")
                .order_by()
                .values_list("pay_grade", flat=True)
            )
        )

    @property
    def as_of_day(self):
        # Only a valid day; an invalid one is named on the page, not applied.
        self.form.is_valid()
        return self.form.cleaned_data.get("stand_am")

    def base_queryset(self, queryset):
        if self.as_of_day:
            return queryset.authorised_on(self.user, self.as_of_day)
        return super().base_queryset(queryset)

    def ignore(self, queryset, name, value):
        # Applied in base_queryset: "as of" changes what the other filters see.
        return queryset

    def filter_grade(self, queryset, name, value):
        # The grade in force on the reference day, not only the position's own.
        return queryset.filter(grade_then=value)

    def filter_state(self, queryset, name, value):
        day = self.reference_day
        if value == self.State.ACTIVE:
            return queryset.filter(expiry__gte=day)
        if value == self.State.EXPIRED:
            return queryset.filter(expiry__lt=day)
        return queryset.filter(expiry=None, expiry_decision_id__isnull=False)
