"""The two steps of the import page: read the text, then confirm what was found."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .parser import ParseError, decode, parse_vorlage
from .services import NEW_POSITION

# Real Vorlagen are 10–200 KB of text; anything near a megabyte is not one.
MAX_UPLOAD_BYTES = 1024 * 1024
MAX_TEXT_CHARS = 1_000_000


class ImportForm(forms.Form):
    """Paste the text or upload a .txt file (UTF-8 or Windows-1252)."""

    text = forms.CharField(
        label=_("Text der Vorlage"),
        required=False,
        strip=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        help_text=_("Den ganzen Text aus dem Ratsinformationssystem einfügen …"),
    )
    file = forms.FileField(
        label=_("… oder Textdatei hochladen"),
        required=False,
        help_text=_("Eine .txt-Datei in UTF-8 oder Windows-1252, höchstens 1 MB."),
    )

    def clean(self):
        data = super().clean()
        text, upload = data.get("text") or "", data.get("file")
        if self.errors:
            return data
        if upload is not None:
            if text.strip():
                raise forms.ValidationError(
                    _("Bitte entweder Text einfügen oder eine Datei hochladen.")
                )
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    _("Die Datei ist zu groß (höchstens 1 MB).")
                )
            try:
                text = decode(upload.read())
            except ParseError as exc:
                raise forms.ValidationError(str(exc)) from exc
        if not text.strip():
            raise forms.ValidationError(
                _("Bitte den Text einer Vorlage einfügen oder eine Datei hochladen.")
            )
        try:
            data["draft"] = parse_vorlage(text)
        except ParseError as exc:
            raise forms.ValidationError(str(exc)) from exc
        data["text"] = text
        return data


class ConfirmForm(forms.Form):
    """The text again (nothing is kept between the steps) and the clerk's choices."""

    text = forms.CharField(
        widget=forms.HiddenInput, strip=False, max_length=MAX_TEXT_CHARS
    )
    update = forms.BooleanField(
        label=_("Vorhandene Drucksache mit diesen Änderungen aktualisieren"),
        required=False,
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        for position_plan in plan.positions if plan else []:
            if not position_plan.importable:
                continue
            choices = [
                (str(p.pk), _("vorhandene Stelle: %(p)s") % {"p": p})
                for p in position_plan.candidates
            ]
            choices.append((NEW_POSITION, _("neue Stelle anlegen")))
            initial = (
                str(position_plan.match.pk) if position_plan.match else NEW_POSITION
            )
            self.fields[f"position_{position_plan.index}"] = forms.ChoiceField(
                label=_("Stelle zu Ziff. %(n)s") % {"n": position_plan.decision.item},
                choices=choices,
                initial=initial,
                # Without a choice, the match shown in the preview applies.
                required=False,
            )

    def position_fields(self):
        return [self[name] for name in self.fields if name.startswith("position_")]

    def position_choices(self):
        return {
            int(name.removeprefix("position_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("position_") and value
        }
