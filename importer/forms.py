"""The two steps of the import page: read the text, then confirm what was found."""

import hashlib

from django import forms
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from .paper_choices import add_choice_fields, choice_fields
from .reading import Kind, ReadError, kind_of, read_protocol
from .reading.paper import ParseError, decode, read_paper
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
        data["text"] = text
        if kind_of(text) == Kind.PROTOCOL:
            # A protocol (Niederschrift): previewed by protocol_views.py.
            try:
                data["protocol"] = read_protocol(text)
            except ReadError as exc:
                raise forms.ValidationError(str(exc)) from exc
            return data
        try:
            data["draft"] = read_paper(text)
        except ParseError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


def preview_signature(text, user):
    """What the preview signs: this text, previewed by this user.

    Nothing is kept on the server between preview and confirm; the text travels
    in the form, and the signature shows at confirm that it is the one previewed.
    """
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return signing.Signer(salt=f"importer.preview.{user.pk}").signature(digest)


class SignedPreviewForm(forms.Form):
    """The confirm step of a preview: the text again, signed for the clerk who saw
    its preview (nothing is kept between the steps), and the version of what the
    preview showed. A subclass says what was not done in `changed_message`."""

    CHANGED = "changed"
    changed_message = ""

    text = forms.CharField(
        widget=forms.HiddenInput, strip=False, max_length=MAX_TEXT_CHARS
    )
    signature = forms.CharField(widget=forms.HiddenInput, required=False)
    # The version of what the preview showed (audit.concurrency, protocol_plan).
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.user = plan, user
        if not self.is_bound and user is not None and "text" in self.initial:
            self.initial["signature"] = preview_signature(self.initial["text"], user)

    def clean(self):
        data = super().clean()
        text = data.get("text")
        if text is not None and not constant_time_compare(
            data.get("signature") or "", preview_signature(text, self.user)
        ):
            raise forms.ValidationError(self.changed_message, code=self.CHANGED)
        return data


class ConfirmForm(SignedPreviewForm):
    """The text again (nothing is kept between the steps) and the clerk's choices."""

    changed_message = _(
        "Der Text ist nicht der, dessen Vorschau bestätigt werden sollte: "
        "er wurde nach der Vorschau verändert (oder die Vorschau stammt "
        "von jemand anderem). Nichts wurde gespeichert. Unten steht die "
        "Vorschau des jetzt geschickten Textes; bitte prüfen und erneut "
        "bestätigen."
    )

    update = forms.BooleanField(
        label=_("Vorhandene Drucksache mit diesen Änderungen aktualisieren"),
        required=False,
    )

    def __init__(self, *args, plan=None, user=None, **kwargs):
        super().__init__(*args, plan=plan, user=user, **kwargs)
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
        if plan is not None:
            # What the text leaves open (type, date, near matches): paper_choices.
            add_choice_fields(self, plan)

    def choice_fields(self):
        return choice_fields(self)

    def position_choices(self):
        return {
            int(name.removeprefix("position_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("position_") and value
        }
