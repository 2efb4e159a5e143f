"""config.form_renderer writes what Django's templates write, byte for byte:
widget by widget, and on whole pages of the admin and the public lists."""

import datetime
import re
from decimal import Decimal

import pytest
from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from config.form_renderer import FormRenderer
from council.models import Paper

OURS, DJANGOS = FormRenderer(), DjangoTemplates()

ATTRS = {"id": "id_f", "required": True, "disabled": False, "data-x": 'a"<b>&'}
SELECT_CHOICES = [
    ("", "alle"),
    ("a", "A <b>"),
    ("q", "„Zitat“ \"x\" 'y'"),
    (2019, 2019),
    ("Gruppe <1>", [("1", "eins"), ("2", gettext_lazy("zwei"))]),
    ("3", mark_safe("<i>drei</i>")),
]
WIDGETS = {
    "text": (forms.TextInput(), "Wert <&> \"'"),
    "text, empty": (forms.TextInput(), ""),
    "text, none": (forms.TextInput(), None),
    "text, safe": (forms.TextInput(), mark_safe("<b>")),
    "number": (forms.NumberInput(attrs={"step": "any", "min": 0}), Decimal("1.50")),
    "number, integer": (forms.NumberInput(), 2147483647),
    "email": (forms.EmailInput(), "a@b.de"),
    "url": (forms.URLInput(), "https://x.de/?a=1&b=2"),
    "password": (forms.PasswordInput(render_value=True), "geheim"),
    "hidden": (forms.HiddenInput(), "17"),
    "date": (forms.DateInput(), datetime.date(2019, 12, 5)),
    "date-time": (forms.DateTimeInput(), datetime.datetime(2019, 12, 5, 17, 17)),
    "time": (forms.TimeInput(), datetime.time(17, 17)),
    "checkbox, checked": (forms.CheckboxInput(), True),
    "checkbox": (forms.CheckboxInput(), False),
    "textarea": (forms.Textarea(), "Zeile 1\n<script>alert(1)</script>"),
    "textarea, quotes": (forms.Textarea(), "Er sagte: \"Ja\" & 'nein'"),
    "textarea, empty": (forms.Textarea(attrs={"cols": 40}), ""),
    "select": (forms.Select(choices=SELECT_CHOICES), "2"),
    "select, number chosen": (forms.Select(choices=SELECT_CHOICES), 2019),
    "select, nothing": (forms.Select(choices=[]), None),
    "select multiple": (forms.SelectMultiple(choices=SELECT_CHOICES), ["a", "3"]),
    "radio (the engine)": (forms.RadioSelect(choices=SELECT_CHOICES), "a"),
    "admin text": (admin_widgets.AdminTextInputWidget(), "Titel"),
    "admin integer": (admin_widgets.AdminIntegerFieldWidget(), 949),
    "admin date": (admin_widgets.AdminDateWidget(), datetime.date(2019, 12, 5)),
    "admin textarea": (admin_widgets.AdminTextareaWidget(), "Text"),
}


@pytest.mark.parametrize("case", WIDGETS)
@pytest.mark.parametrize("language", ["de", "en"])
def test_each_widget_is_written_as_djangos_templates_write_it(case, language):
    from django.utils import translation

    widget, value = WIDGETS[case]
    with translation.override(language):
        ours = widget.render("f", value, ATTRS, renderer=OURS)
        djangos = widget.render("f", value, ATTRS, renderer=DJANGOS)
    assert ours == djangos


class ContactForm(forms.Form):
    required_css_class = "pflicht"
    name = forms.CharField(label="Name <Vorname>")
    note = forms.CharField(label="Notiz", required=False)


@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_labels_and_error_lists_are_written_as_django_writes_them(auto_id):
    written = {}
    for key, renderer in (("ours", OURS), ("djangos", DJANGOS)):
        form = ContactForm(
            {"name": "", "note": "x"}, auto_id=auto_id, renderer=renderer
        )
        form.add_error("note", "Falsch: <script>")
        written[key] = [
            form["name"].label_tag(),
            form["note"].label_tag(attrs={"class": "a"}),
            str(form["name"].errors),
            str(form["note"].errors),
            str(ErrorList(renderer=renderer)),
            str(form.non_field_errors()),
            str(form),
        ]
    assert written["ours"] == written["djangos"]


# Masked anew for every answer, and the signed edit version (audit/concurrency.py),
# whose rows may come in another order from one reading to the next.
TOKENS = re.compile(rb'name="(?:csrfmiddlewaretoken|_edit_version)" value="[^"]+"')


# The pages compared, by who reads them ({paper}: the change page's key of 949/2019).
PAGES = {
    "admin": [
        "/admin/council/paper/{paper}/change/",
        "/admin/council/paper/add/",
        "/admin/council/paper/",
        "/admin/positions/position/",
        "/admin/funding/fundingline/",
    ],
    "public": [
        "/drucksachen/?jahr=2019&stand=adopted",
        "/beschlusskontrolle/",
        "/sitzungen/",
        "/stellen/?ablauf_in_monaten=12",
        "/finanzen/",
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize("reader", PAGES)
def test_whole_pages_are_the_same_as_with_djangos_templates(
    demo, client, admin_user, settings, reader
):
    if reader == "admin":
        client.force_login(admin_user)
    paper = Paper.objects.get(number=949, year=2019)
    paths = [path.format(paper=paper.pk) for path in PAGES[reader]]
    written = {}
    # Each page as our renderer writes it and as Django's templates do.
    for renderer in (
        "config.form_renderer.FormRenderer",
        "django.forms.renderers.DjangoTemplates",
    ):
        settings.FORM_RENDERER = renderer
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            written.setdefault(path, []).append(TOKENS.sub(b"", response.content))
    for path, (ours, djangos) in written.items():
        assert ours == djangos, path
