"""The filter of the funding overview (/finanzen/), checked by Django's form fields."""

import django_filters
from django.utils.translation import gettext_lazy as _

from council.filters import IntegerFilter

from .models import FundingLine


class FundingLineFilter(django_filters.FilterSet):
    """`?jahr=2021`: the lines of one year. An invalid year ("²²²²", 0) is named
    on the page and not applied."""

    # The years a funding line may have (funding_plausible_year).
    jahr = IntegerFilter(
        label=_("Jahr"), field_name="year", min_value=1900, max_value=2999
    )

    class Meta:
        model = FundingLine
        fields = []

    @property
    def selected_year(self):
        if not self.is_bound:
            return None
        self.form.is_valid()
        return self.form.cleaned_data.get("jahr")
