"""Forms of the public pages: every input is checked before it reaches a query."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Committee, Department, Paper, ResolutionItem

SEARCH_MAX_LENGTH = 200


def _year_choices(years):
    return [("", _("alle Jahre"))] + [(str(year), str(year)) for year in years]


class PaperFilterForm(forms.Form):
    """Search and filters of the paper list; all optional, all kept in the URL."""

    q = forms.CharField(
        label=_("Suchbegriff oder Drucksachennummer"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        help_text=_("z. B. „Integrationsmanagement“ oder „949/2019“"),
        error_messages={
            "max_length": _(
                "Der Suchbegriff darf höchstens %(limit_value)d Zeichen haben."
            )
        },
    )
    year = forms.TypedChoiceField(
        label=_("Jahr"), required=False, coerce=int, empty_value=None
    )
    paper_type = forms.ChoiceField(
        label=_("Art der Vorlage"),
        required=False,
        choices=[("", _("alle Arten")), *Paper.Type.choices],
    )
    department = forms.ModelChoiceField(
        label=_("Dienststelle"),
        required=False,
        queryset=Department.objects.none(),
        empty_label=_("alle Dienststellen"),
    )
    committee = forms.ModelChoiceField(
        label=_("Gremium"),
        required=False,
        queryset=Committee.objects.all(),
        to_field_name="slug",
        empty_label=_("alle Gremien"),
    )
    state = forms.ChoiceField(
        label=_("Stand"),
        required=False,
        choices=[("", _("jeder Stand")), *Paper.State.choices],
    )

    def __init__(self, *args, years=(), departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(years)
        if departments is not None:
            self.fields["department"].queryset = departments

    def valid_data(self):
        """The fields that passed validation; an invalid one is simply not applied."""
        self.is_valid()
        return {key: value for key, value in self.cleaned_data.items() if value}


class ItemFilterForm(forms.Form):
    """Filters of the Beschlusskontrolle."""

    implementation = forms.ChoiceField(
        label=_("Umsetzung"),
        required=False,
        choices=[("", _("jeder Stand")), *ResolutionItem.Implementation.choices],
    )
    department = forms.ModelChoiceField(
        label=_("umsetzende Stelle"),
        required=False,
        queryset=Department.objects.all(),
        empty_label=_("alle Stellen"),
    )
    overdue = forms.BooleanField(label=_("nur überfällige"), required=False)

    def valid_data(self):
        self.is_valid()
        return {key: value for key, value in self.cleaned_data.items() if value}
