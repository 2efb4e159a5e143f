"""Tabular inlines whose controls carry their column's name.

Django's tabular inline names a column once, in its head; the controls in the
rows have no label of their own, so a screen reader announces an unnamed field
and axe reports it (label, select-name; issue 15). Each control here gets its
field's label as aria-label, the row's delete box Django's own "Löschen".
"""

from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.forms.models import BaseInlineFormSet


class LabelledInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            widget = field.widget
            # A wrapper's attrs are those of the widget it was copied from, not
            # of the one it renders.
            while isinstance(widget, RelatedFieldWidgetWrapper):
                widget = widget.widget
            if not widget.is_hidden and field.label:
                widget.attrs.setdefault("aria-label", str(field.label))


class LabelledTabularInline(admin.TabularInline):
    formset = LabelledInlineFormSet
