"""What the clerk decides in the preview of a paper where the text does not.

A paper type the register does not know (or none), a missing date, title or
department become fields of the confirm form, showing what the text printed; a
department or committee spelled nearly like an existing one becomes a choice
between that one and a new one (never a second one created silently). Confirm
applies the choices to the draft before it is saved.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from council.models import Department, Paper

from .reading.paper_draft import Code
from .services import NEW

# Errors the clerk can correct in the preview: the fields below.
CORRECTABLE = {
    Code.NO_TYPE: "paper_type",
    Code.NO_DATE: "paper_date",
    Code.BAD_DATE: "paper_date",
    Code.NO_TITLE: "paper_title",
    Code.NO_DEPARTMENT: "paper_department",
}


def blocking_errors(draft):
    """The errors no choice in the preview can correct."""
    return [e for e in draft.errors if e.code not in CORRECTABLE]


def add_choice_fields(form, plan):
    """Fields for what the clerk has to decide; none for a paper read in full."""
    draft = plan.draft
    codes = draft.codes()
    if draft.paper_type_key is None:
        printed = draft.paper_type or _("nichts erkannt")
        form.fields["paper_type"] = forms.ChoiceField(
            label=_("Art der Vorlage (im Text: „%(printed)s“)") % {"printed": printed},
            choices=[("", "---------"), *Paper.Type.choices],
            required=True,
        )
    if draft.date is None and codes & {Code.NO_DATE, Code.BAD_DATE}:
        form.fields["paper_date"] = forms.DateField(
            label=_("Datum der Vorlage (TT.MM.JJJJ)"),
            input_formats=["%d.%m.%Y", "%Y-%m-%d"],
            required=True,
        )
    if not draft.title:
        form.fields["paper_title"] = forms.CharField(
            label=_("Betreff"), max_length=10000, required=True
        )
    if not draft.department:
        form.fields["paper_department"] = forms.ModelChoiceField(
            label=_("federführende Dienststelle"),
            queryset=Department.objects.order_by("name"),
            required=True,
        )
    for k, (name, candidates) in enumerate(plan.near_departments.items()):
        form.fields[f"department_{k}"] = _near_field(
            _("Dienststelle „%(name)s“") % {"name": name}, name, candidates
        )
    for k, (name, candidates) in enumerate(plan.near_committees.items()):
        form.fields[f"committee_{k}"] = _near_field(
            _("Gremium „%(name)s“") % {"name": name}, name, candidates
        )


def _near_field(label, name, candidates):
    choices = [
        (str(c.pk), _("vorhanden: %(name)s") % {"name": c.name}) for c in candidates
    ]
    choices.append((NEW, _("neu anlegen: %(name)s") % {"name": name}))
    return forms.ChoiceField(
        label=label, choices=choices, initial=str(candidates[0].pk), required=True
    )


def choice_fields(form):
    return [form[name] for name in form.fields if _is_choice(name)]


def _is_choice(name):
    return name.startswith(("paper_", "department_", "committee_"))


def apply_choices(draft, plan, data):
    """Fill the draft from the clerk's fields (their errors go); returns
    (department_choices, committee_choices) for `paper_import`."""
    fixed = set()
    if data.get("paper_type"):
        draft.paper_type_key = Paper.Type(data["paper_type"])
        if not draft.paper_type:
            draft.paper_type = draft.paper_type_key.label
        fixed.add("paper_type")
    if data.get("paper_date"):
        draft.date = data["paper_date"]
        fixed.add("paper_date")
    if data.get("paper_title"):
        draft.title = data["paper_title"]
        fixed.add("paper_title")
    if data.get("paper_department"):
        department = data["paper_department"]
        draft.department, draft.department_short = department.name, None
        fixed.add("paper_department")
    draft.errors = [e for e in draft.errors if CORRECTABLE.get(e.code) not in fixed]
    departments = {
        name: data.get(f"department_{k}")
        for k, name in enumerate(plan.near_departments)
        if data.get(f"department_{k}")
    }
    committees = {
        name: data.get(f"committee_{k}")
        for k, name in enumerate(plan.near_committees)
        if data.get(f"committee_{k}")
    }
    return departments, committees
