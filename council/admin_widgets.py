"""Inline rows whose chosen foreign keys are read once per page, not once per row.

Django's autocomplete widget reads the chosen row of each form with a query of
its own: the change page of a paper with 40 items and 6 steps asked 60 times
(issue 12). Here the inline reads the chosen rows of all its forms with one query
per field, through the field's own queryset (so the visibility rule of the admin's
foreign-key choices holds); a value not among them (a form sent back with another
choice) falls back to Django's own query.
"""

from django.contrib.admin.widgets import AutocompleteSelect, RelatedFieldWidgetWrapper


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """AutocompleteSelect that takes the chosen rows from a loader shared by
    every copy of the widget (one per inline form)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.shared = {"load": None, "rows": None}

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.shared = self.shared
        return copy

    def preloaded(self):
        if self.shared["rows"] is None and self.shared["load"] is not None:
            self.shared["rows"] = {str(obj.pk): obj for obj in self.shared["load"]()}
        return self.shared["rows"]

    def optgroups(self, name, value, attr=None):
        rows = self.preloaded()
        chosen = [
            str(v) for v in value if str(v) not in self.choices.field.empty_values
        ]
        if rows is None or self.allow_multiple_selected or not set(chosen) <= set(rows):
            return super().optgroups(name, value, attr)
        default = (None, [], 0)
        if not self.is_required:
            default[1].append(self.create_option(name, "", "", False, 0))
        for pk in chosen[:1]:
            obj = rows[pk]
            label = self.choices.field.label_from_instance(obj)
            index = len(default[1])
            default[1].append(
                self.create_option(name, obj.pk, label, set(chosen), index)
            )
        return [default]


class PreloadedChoicesInlineMixin:
    """For an inline: autocomplete fields get PreloadedAutocompleteSelect, loaded
    with the rows its parent's inline rows point to."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # No links to add, change, delete or view the chosen row beside a row's
        # foreign key (a meeting, a budget code): repeated in every row they were
        # a third of a large paper's change page (issue 12). The row's own page
        # and the admin of the chosen kind have them.
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget.can_add_related = False
            widget.can_change_related = False
            widget.can_delete_related = False
            widget.can_view_related = False
        return formfield

    # Related rows the inline's forms print (an item's str names its paper).
    inline_select_related = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.inline_select_related)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is None or obj.pk is None:
            return formset
        rows = self.get_queryset(request).filter(**{formset.fk.name: obj})
        for name, field in formset.form.base_fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if isinstance(widget, PreloadedAutocompleteSelect):
                widget.shared = {
                    "load": _loader(field.queryset, rows, name),
                    "rows": None,
                }
        return formset


def _loader(choices, rows, name):
    # select_related(): a label may name a required related row (a meeting's
    # committee).
    return lambda: choices.filter(pk__in=rows.values(name)).select_related()
