"""Tabular inlines whose controls carry their column's name.

Django's tabular inline names a column once, in its head; the controls in the
rows have no label of their own, so a screen reader announces an unnamed field
and axe reports it (label, select-name; issue 15). Each control here gets its
field's label as aria-label, the row's delete box Django's own "Löschen".
"""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet


class LabelledInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            if not field.widget.is_hidden and field.label:
                field.widget.attrs.setdefault("aria-label", str(field.label))


class LabelledTabularInline(admin.TabularInline):
    formset = LabelledInlineFormSet
