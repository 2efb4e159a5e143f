"""The filter of the funding overview, checked by Django's form fields."""

from django import forms
from django.utils.translation import gettext_lazy as _


class FundingFilterForm(forms.Form):
    """`?jahr=2021`: the lines of one year; anything else shows every year."""

    # The years a funding line may have (funding_plausible_year).
    jahr = forms.IntegerField(
        label=_("Jahr"), required=False, min_value=1900, max_value=2999
    )

    def selected_year(self):
        return self.cleaned_data["jahr"] if self.is_valid() else None
