"""The confirm step of a protocol's preview: the text again, signed, and the clerk's
choices (stubs for papers not in the register, outcomes of changed items)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from council.models import ResolutionItem

from .forms import SignedPreviewForm


class ProtocolConfirmForm(SignedPreviewForm):
    STALE = "stale"
    changed_message = _(
        "Der Text ist nicht der, dessen Vorschau bestätigt werden sollte: "
        "er wurde nach der Vorschau verändert (oder die Vorschau stammt "
        "von jemand anderem). Nichts wurde erfasst. Unten steht die "
        "Vorschau des jetzt geschickten Textes; bitte prüfen und erneut "
        "bestätigen."
    )

    create_stubs = forms.BooleanField(
        label=_("Nicht erfasste Drucksachen als Platzhalter anlegen"),
        required=False,
    )

    def __init__(self, *args, plan=None, user=None, **kwargs):
        super().__init__(*args, plan=plan, user=user, **kwargs)
        if plan is None:
            return
        self.initial.setdefault("create_stubs", bool(plan.missing))
        for item in plan.items:
            self.fields[item.field_name] = forms.ChoiceField(
                label=_("Ziffer %(n)s") % {"n": item.number},
                choices=ResolutionItem.Outcome.choices,
                initial=item.outcome,
                # Without a choice, what the preview showed applies.
                required=False,
            )

    def clean(self):
        data = super().clean()
        if self.plan is not None and data.get("version") != self.plan.version:
            raise forms.ValidationError(
                _(
                    "Seit der Vorschau hat jemand die Beratungsfolge oder die Ziffern "
                    "dieser Drucksache geändert. Nichts wurde erfasst. Unten steht die "
                    "Vorschau nach dem jetzigen Stand; bitte prüfen und erneut "
                    "bestätigen."
                ),
                code=self.STALE,
            )
        return data

    def item_outcomes(self):
        """{(paper, number): Outcome} as the clerk chose (or as previewed)."""
        chosen = {}
        for item in self.plan.items:
            value = self.cleaned_data.get(item.field_name) or item.outcome
            chosen[(item.paper, item.number)] = ResolutionItem.Outcome(value)
        return chosen
