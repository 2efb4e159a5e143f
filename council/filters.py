"""The filters of the public lists, one django-filter FilterSet per list.

Every value is checked by a Django form field before it reaches a query; an
invalid one is not applied and its field says why, in German, on the page. The
URL parameters are German, one name per concept across the site (`jahr`,
`gremium`, `dienststelle`, …); the English names of before answer with a
permanent redirect to the same list under the German names
(`RenamedParametersMixin`), so bookmarks and links keep working.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.http import HttpResponsePermanentRedirect
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from operations.pagecache import remembered

from .models import (
    Committee,
    Consultation,
    Department,
    Meeting,
    Paper,
    ResolutionItem,
)
from .search import find_papers
from .visibility import audience

SEARCH_MAX_LENGTH = 200


def renamed_query(query, renamed):
    """`query` (a QueryDict) with every old parameter name of `renamed` (old ->
    new) under its new name; a value given under the new name wins."""
    query = query.copy()
    for old, new in renamed.items():
        if old in query:
            values = query.pop(old)
            if new not in query:
                query.setlist(new, values)
    return query


# The page number of every public list (OParl keeps its standard's `page`).
PAGE_PARAMETER = "seite"


class RenamedParametersMixin:
    """A list view whose old URL parameter names redirect to the new ones, and
    whose page number is `?seite=` (`?page=` of before redirects too)."""

    # Old name -> German name.
    renamed_parameters = {}
    page_kwarg = PAGE_PARAMETER

    def dispatch(self, request, *args, **kwargs):
        renamed = {"page": PAGE_PARAMETER, **self.renamed_parameters}
        if any(old in request.GET for old in renamed):
            query = renamed_query(request.GET, renamed)
            return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")
        return super().dispatch(request, *args, **kwargs)


class RememberedChoicesMixin:
    """A FilterSet whose lists of rows to choose from are read once per data
    version and audience (operations.pagecache.remembered), not for every page.

    The paper list's departments and committees were a query each and a model
    row per option, a fifth of the list's time at 100,000 papers (issue 12).
    Its __init__ sets `offered`: each model choice field's (key, label) pairs,
    which the field's select offers as Django's would offer its rows. A key
    sent is still checked by the field against its queryset (one row read)."""

    offered = {}

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name, pairs in self.offered.items():
                field = form.fields[name]
                empty = [] if field.empty_label is None else [("", field.empty_label)]
                field.widget.choices = [*empty, *pairs]
        return self._form


def model_choices(queryset, key="pk"):
    """(key, label) of each row, as a ModelChoiceField offers them."""
    return [(str(getattr(row, key)), str(row)) for row in queryset]


def committee_choices():
    """Every committee by its slug, whoever reads: the paper list and the
    meetings offer the same."""
    return remembered(
        "council.committees",
        (),
        lambda: model_choices(Committee.objects.all(), key="slug"),
    )


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (NumberFilter's field would take "2021.5")."""

    field_class = forms.IntegerField


class PaperFilter(RememberedChoicesMixin, django_filters.FilterSet):
    """Search and filters of the paper list (/drucksachen/); all optional, all
    kept in the URL. The queryset is the papers `user` may see, with their state
    for `user`."""

    renamed_parameters = {
        "year": "jahr",
        "paper_type": "art",
        "department": "dienststelle",
        "committee": "gremium",
        "state": "stand",
    }

    jahr = django_filters.ChoiceFilter(
        label=_("Jahr"), field_name="year", empty_label=_("alle Jahre")
    )
    art = django_filters.ChoiceFilter(
        label=_("Art der Vorlage"),
        field_name="paper_type",
        choices=Paper.Type.choices,
        empty_label=_("alle Arten"),
    )
    dienststelle = django_filters.ModelChoiceFilter(
        label=_("Dienststelle"),
        field_name="department",
        queryset=Department.objects.none(),
        empty_label=_("alle Dienststellen"),
    )
    gremium = django_filters.ModelChoiceFilter(
        label=_("Gremium"),
        queryset=Committee.objects.all(),
        to_field_name="slug",
        method="filter_committee",
        empty_label=_("alle Gremien"),
    )
    stand = django_filters.ChoiceFilter(
        label=_("Stand"),
        field_name="state",
        choices=Paper.State.choices,
        empty_label=_("jeder Stand"),
    )
    # Last: the search ranks what the other filters left.
    q = django_filters.CharFilter(
        label=_("Suchbegriff oder Drucksachennummer"),
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=_("z. B. „Integrationsmanagement“ oder „949/2019“"),
        error_messages={
            "max_length": _(
                "Der Suchbegriff darf höchstens %(limit_value)d Zeichen haben."
            )
        },
    )

    class Meta:
        model = Paper
        fields = []

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        self.user = user
        # How many papers the search found, if it counted them (see find_papers).
        self.found = None
        super().__init__(data, queryset, **kwargs)
        choices = remembered(
            "council.paper_filter_choices",
            audience(user),
            lambda: self.choices_for(user),
        )
        self.filters["jahr"].extra["choices"] = choices["jahr"]
        self.filters["dienststelle"].queryset = self.departments(user)
        self.offered = {
            "dienststelle": choices["dienststelle"],
            "gremium": committee_choices(),
        }

    @staticmethod
    def departments(user):
        """The departments with a paper `user` may see: one EXISTS per
        department, not a DISTINCT over every paper (issue 12)."""
        papers = Paper.objects.visible_to(user).filter(department=OuterRef("pk"))
        return Department.objects.filter(Exists(papers))

    @classmethod
    def choices_for(cls, user):
        """The years and departments offered to `user`."""
        return {
            # By index probes, not by a DISTINCT over every paper (issue 12).
            "jahr": [
                (str(year), str(year))
                for year in Paper.objects.visible_to(user).years()
            ],
            "dienststelle": model_choices(cls.departments(user)),
        }

    @property
    def search_text(self):
        """The search text if given and valid, else ""."""
        if not self.is_bound:
            return ""
        self.form.is_valid()
        return self.form.cleaned_data.get("q") or ""

    def filter_committee(self, queryset, name, value):
        consultations = Consultation.objects.visible_to(self.user)
        return queryset.filter(
            pk__in=consultations.filter(committee=value).values("paper")
        )

    def filter_search(self, queryset, name, value):
        # A typed reference that names no paper finds nothing, rather than the
        # papers that merely mention its year (one that names a paper is
        # redirected to by the list before it filters).
        if Paper.split_reference(value)[0] is not None:
            return queryset.none()
        papers, self.found = find_papers(queryset, value)
        return papers


class ItemFilter(RememberedChoicesMixin, django_filters.FilterSet):
    """Filters of the Beschlusskontrolle (/beschlusskontrolle/)."""

    renamed_parameters = {
        "implementation": "umsetzung",
        "department": "dienststelle",
        "overdue": "ueberfaellig",
    }

    umsetzung = django_filters.ChoiceFilter(
        label=_("Umsetzung"),
        field_name="implementation",
        choices=ResolutionItem.Implementation.choices,
        empty_label=_("jeder Stand"),
    )
    dienststelle = django_filters.ModelChoiceFilter(
        label=_("umsetzende Stelle"),
        field_name="responsible_department",
        queryset=Department.objects.all(),
        empty_label=_("alle Stellen"),
    )
    ueberfaellig = django_filters.BooleanFilter(
        label=_("nur überfällige"),
        widget=forms.CheckboxInput,
        method="filter_overdue",
    )

    class Meta:
        model = ResolutionItem
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # Every department, whoever reads.
        self.offered = {
            "dienststelle": remembered(
                "council.departments",
                (),
                lambda: model_choices(Department.objects.all()),
            )
        }

    def filter_overdue(self, queryset, name, value):
        # An unticked box shows every item, not only those on time.
        return queryset.filter(is_overdue=True) if value else queryset


class ConsultationFilter(django_filters.FilterSet):
    """The consultation calendar (/gremien/kalender.ics): `?gremium=<slug>`."""

    gremium = django_filters.ModelChoiceFilter(
        label=_("Gremium"),
        field_name="committee",
        to_field_name="slug",
        queryset=Committee.objects.all(),
    )

    class Meta:
        model = Consultation
        fields = []

    @property
    def shown(self):
        """The filtered consultations; none for an invalid filter, since a
        calendar has no page to name the error on."""
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return self.qs


def month_value(day):
    return f"{day.year:04d}-{day.month:02d}"


class MeetingFilter(RememberedChoicesMixin, django_filters.FilterSet):
    """By committee and month; the months offered are those with meetings the
    visitor may see."""

    gremium = django_filters.ModelChoiceFilter(
        label=_("Gremium"),
        field_name="committee",
        to_field_name="slug",
        queryset=Committee.objects.all(),
        empty_label=_("alle Gremien"),
    )
    monat = django_filters.ChoiceFilter(
        label=_("Monat"),
        method="filter_month",
        empty_label=_("alle Monate"),
    )

    class Meta:
        model = Meeting
        fields = []

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # The months by a DISTINCT over the meetings `user` may see (queryset),
        # named in the page's language.
        self.filters["monat"].extra["choices"] = remembered(
            f"council.meeting_months.{get_language()}",
            audience(user),
            lambda: [
                (month_value(day), formats.date_format(day, "F Y"))
                for day in queryset.order_by().dates("date", "month", order="DESC")
            ],
        )
        self.offered = {"gremium": committee_choices()}

    def filter_month(self, queryset, name, value):
        year, month = (int(part) for part in value.split("-"))
        return queryset.filter(date__year=year, date__month=month)
