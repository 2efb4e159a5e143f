"""Optimistic concurrency: no clerk overwrites another's save unnoticed.

A change form carries a version of what it shows: a signed digest of every field
of the row and of each inline row (`EDIT_VERSION`). Saving locks those rows,
compares the version with the database and refuses a stale form with what
changed in between (field, their value, your value). Nothing is saved then; the
form comes back with the clerk's input, the other side's changes filled in where
the clerk left a field as it was, and a new version, so that saving again keeps
both edits. The import's update path compares the same kind of version.
"""

import hashlib
from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection
from django.forms import CheckboxInput, SelectMultiple
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from operations import formats

from .values import Labels, canonical

EDIT_VERSION = "_edit_version"
SALT = "audit.edit-version"
# Formsets of a change form, recorded on the request as the admin makes them.
FORMSETS = "_audit_formsets"


def digest(value):
    return hashlib.sha256(
        canonical(value).encode("utf-8", "surrogatepass")
    ).hexdigest()[:12]


@dataclass
class Part:
    """Rows of one model that a form (or an import) may overwrite, and which fields."""

    key: str
    model: type
    rows: list
    fields: list
    forms: dict = field(default_factory=dict)  # pk → the inline form of that row

    def model_fields(self):
        return [self.model._meta.get_field(name) for name in self.fields]


def field_value(instance, model_field):
    if model_field.many_to_many:
        if instance.pk is None:
            return []
        return list(getattr(instance, model_field.name).all())
    return model_field.value_from_object(instance)


def snapshot(parts):
    """{part: {pk: {field: digest}}} of what the parts hold now."""
    return {
        part.key: {
            str(row.pk): {
                f.name: digest(field_value(row, f)) for f in part.model_fields()
            }
            for row in part.rows
        }
        for part in parts
    }


def version(obj, parts):
    """The signed version of `parts` of `obj`, for a hidden field or a preview."""
    payload = {"o": f"{obj._meta.label_lower}:{obj.pk}", "p": snapshot(parts)}
    return signing.dumps(payload, salt=SALT, compress=True)


def read_version(obj, token):
    """The snapshot in `token` if it is a version of `obj`, else None."""
    try:
        payload = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        return None
    if payload.get("o") != f"{obj._meta.label_lower}:{obj.pk}":
        return None
    return payload.get("p")


def lock(obj, models_and_filters):
    """Lock the row and the rows that go with it until the transaction ends, so
    that two saves of one record follow each other (PostgreSQL; SQLite writes
    one at a time anyway)."""
    if not connection.features.has_select_for_update:
        return
    list(
        type(obj)
        ._base_manager.select_for_update(no_key=True)
        .filter(pk=obj.pk)
        .values_list("pk")
    )
    for model, filters in models_and_filters:
        list(
            model._base_manager.select_for_update(no_key=True)
            .filter(**filters)
            .order_by("pk")
            .values_list("pk")
        )


@dataclass
class Change:
    """One field (or row) that changed since the form was made."""

    row: str
    field: str
    theirs: str
    yours: str = ""

    def __post_init__(self):
        self.row, self.field = str(self.row), str(self.field)
        self.theirs, self.yours = str(self.theirs), str(self.yours)


def compare(then, parts):
    """What differs between snapshot `then` and `parts` now:
    [(part, pk, field name or None, kind)] with kind "changed", "added", "deleted"."""
    now = snapshot(parts)
    found = []
    for part in parts:
        before, after = then.get(part.key, {}), now.get(part.key, {})
        for pk, digests in after.items():
            if pk not in before:
                found.append((part, pk, None, "added"))
                continue
            for name, value in digests.items():
                if before[pk].get(name) != value:
                    found.append((part, pk, name, "changed"))
        for pk in before:
            if pk not in after:
                found.append((part, pk, None, "deleted"))
    return found


def row_label(part, row, parent):
    if row is parent:
        return ""
    return f"{capfirst(part.model._meta.verbose_name)} „{Labels._str(row)}“"


def describe(differences, parts, parent, user, yours=None):
    """[Change] for the differences, with the values `user` may see."""
    labels = Labels(user)
    rows = {(part.key, str(row.pk)): row for part in parts for row in part.rows}
    for part, pk, name, _kind in differences:
        row = rows.get((part.key, pk))
        if name and row is not None:
            f = part.model._meta.get_field(name)
            labels.want(f, field_value(row, f))
    hidden = set()
    for part in parts:
        manager = part.model._default_manager
        if hasattr(manager, "visible_to"):
            pks = [row.pk for row in part.rows]
            seen = set(manager.visible_to(user).filter(pk__in=pks).values_list("pk"))
            hidden |= {(part.key, str(pk)) for pk in pks if (pk,) not in seen}
    changes, hidden_changed = [], False
    for part, pk, name, kind in differences:
        row = rows.get((part.key, pk))
        name_of_part = capfirst(part.model._meta.verbose_name)
        if (part.key, pk) in hidden:
            # Rows the reader may not see: that something changed, not what.
            hidden_changed = True
            continue
        if kind == "deleted":
            changes.append(Change(name_of_part, "", _("gelöscht"), _("unverändert")))
        elif kind == "added":
            changes.append(
                Change(row_label(part, row, parent), "", _("neu angelegt"), "—")
            )
        else:
            f = part.model._meta.get_field(name)
            mine = yours(part, pk, f) if yours else ""
            changes.append(
                Change(
                    row_label(part, row, parent),
                    capfirst(f.verbose_name),
                    labels.show(f, field_value(row, f)),
                    mine,
                )
            )
    if hidden_changed:
        changes.append(Change(_("nichtöffentliche Einträge"), "", _("geändert"), ""))
    return changes


def last_change(differences, parts, parent, user):
    """(user, date) of the newest version among the changed rows that `user` may
    see, or None."""
    newest = None
    keys = {(part.model, pk) for part, pk, _name, _kind in differences}
    keys.add((type(parent), str(parent.pk)))
    for model, pk in keys:
        trail = getattr(model, "audit_trail", None)
        if trail is None:
            continue
        record = (
            trail.visible_to(user)
            .filter(id=pk)
            .select_related("history_user")
            .order_by("-history_date")
            .first()
        )
        if record and (newest is None or record.history_date > newest.history_date):
            newest = record
    return newest


def stale_message(record):
    user = record.history_user if record is not None else None
    if user is None:
        return _(
            "Während Sie diese Seite bearbeitet haben, wurde sie von anderer Seite "
            "gespeichert."
        )
    return _(
        "Während Sie diese Seite bearbeitet haben, hat %(user)s am %(date)s "
        "gespeichert."
    ) % {
        "user": record.history_user.get_full_name()
        or record.history_user.get_username(),
        "date": formats.date_time(record.history_date),
    }


def record_parts(obj, relations):
    """What an import overwrites: `obj` with its editable and many-to-many
    fields, and the rows of each reverse relation named in `relations`."""
    model = type(obj)
    parts = [Part("", model, [obj], _editable(model))]
    for name in relations:
        relation = model._meta.get_field(name)
        related = relation.related_model
        fields = [f for f in _editable(related) if f != relation.field.name]
        parts.append(Part(name, related, list(getattr(obj, name).all()), fields))
    return parts


def _editable(model):
    return [f.name for f in model._meta.fields if f.editable and not f.primary_key] + [
        f.name for f in model._meta.many_to_many
    ]


def changes_since(obj, token, relations, user):
    """None if `obj` and its `relations` are as in version `token`; otherwise
    (what changed as `user` may see it, the newest version `user` may see)."""
    then = read_version(obj, token)
    parts = record_parts(obj, relations)
    differences = [] if then is None else compare(then, parts)
    if then is not None and not differences:
        return None
    return (
        describe(differences, parts, obj, user),
        last_change(differences, parts, obj, user),
    )


# ---------------------------------------------------------------------------
# The admin
# ---------------------------------------------------------------------------


def compared_fields(form_class, model, skip=()):
    """The model fields a form writes."""
    names = {f.name for f in model._meta.fields if f.editable} | {
        f.name for f in model._meta.many_to_many
    }
    return [
        name
        for name in form_class.base_fields
        if name in names and name not in skip and name != model._meta.pk.name
    ]


def form_parts(obj, form, formsets, current=False):
    """The parts a change form writes: its row and each inline's rows (as the
    form showed them, or with `current` as the database holds them now)."""
    parent = obj
    if current:
        parent = type(obj)._base_manager.get(pk=obj.pk)
    parts = [Part("", type(obj), [parent], compared_fields(type(form), type(obj)))]
    for formset in formsets:
        fields = compared_fields(formset.form, formset.model, skip={formset.fk.name})
        if current:
            rows = list(formset.queryset.all())
        else:
            rows = [f.instance for f in formset.initial_forms]
        forms = {str(f.instance.pk): f for f in formset.initial_forms if f.instance.pk}
        parts.append(Part(formset.prefix, formset.model, rows, fields, forms))
    return parent, parts


def _unwrap(widget):
    while hasattr(widget, "widget"):
        widget = widget.widget
    return widget


def _data(form_field, value):
    """How a form would send `value` of this field."""
    widget = _unwrap(form_field.widget)
    if isinstance(widget, CheckboxInput):
        return ["on"] if value else []
    if form_field.__class__.__name__ == "ModelMultipleChoiceField" or isinstance(
        widget, SelectMultiple
    ):
        return [str(getattr(v, "pk", v)) for v in value or []]
    prepared = form_field.prepare_value(getattr(value, "pk", value))
    shown = widget.format_value(prepared)
    return [] if shown is None else [str(shown)]


def check_edit_version(form, request, formsets):
    """Refuse `form` (a ValidationError) if what it edits changed since it was
    made; then fill in the other side's changes and a new version."""
    obj = form.instance
    lock(obj, [(fs.model, {fs.fk.name: obj}) for fs in formsets])
    then = read_version(obj, request.POST.get(EDIT_VERSION))
    parent, parts = form_parts(obj, form, formsets, current=True)
    if then is None:
        differences = []
    else:
        differences = compare(then, parts)
        if not differences:
            return
    for formset in formsets:
        formset.is_valid()  # for the clerk's values of the inline rows
    shown_parts = form_parts(obj, form, formsets)[1]
    forms = {part.key: part.forms for part in shown_parts}
    forms[""] = {str(obj.pk): form}

    def entered(part, pk, f):
        """(canonical value, shown value) of what the clerk sent for this field."""
        row_form = forms.get(part.key, {}).get(pk)
        if row_form is None or f.name not in row_form.fields:
            return None
        cleaned = getattr(row_form, "cleaned_data", {})
        if f.name in cleaned:
            value = cleaned[f.name]
            return canonical(value), Labels(request.user).show(f, value)
        raw = row_form[f.name].value()
        return f"raw:{raw}", str(raw) if raw not in (None, "") else "—"

    def yours(part, pk, f):
        mine = entered(part, pk, f)
        return mine[1] if mine else "—"

    form.edit_conflicts = describe(differences, parts, parent, request.user, yours)
    form.edit_version = version(obj, parts)
    # Fields only the other side changed now show its value: saving again
    # keeps both edits. Fields both changed keep the clerk's input.
    merged = request.POST.copy()
    rows = {(part.key, str(row.pk)): row for part in parts for row in part.rows}
    for part, pk, name, kind in differences:
        if kind != "changed":
            continue
        f = part.model._meta.get_field(name)
        mine = entered(part, pk, f)
        old = then[part.key][pk][name]
        if (
            mine is None
            or hashlib.sha256(mine[0].encode("utf-8", "surrogatepass")).hexdigest()[:12]
            != old
        ):
            continue
        row_form = forms[part.key][pk]
        merged.setlist(
            row_form.add_prefix(name),
            _data(row_form.fields[name], field_value(rows[(part.key, pk)], f)),
        )
    form.data = merged
    for formset in formsets:
        formset.data = merged
        for inline_form in formset.forms:
            inline_form.data = merged
    if then is None:
        raise ValidationError(
            _(
                "Diese Seite ist veraltet oder unvollständig geladen; es wurde nichts "
                "gespeichert. Das Formular zeigt jetzt Ihre Eingaben auf dem neuesten "
                "Stand; bitte prüfen und erneut speichern."
            ),
            code="stale",
        )
    what = stale_message(last_change(differences, parts, parent, request.user))
    then_what = _(
        "Nichts wurde gespeichert. Unten steht, was sich geändert hat (deren Wert, "
        "Ihr Wert). Felder, die nur dort geändert wurden, zeigen jetzt den neuen "
        "Stand; Ihre Eingaben sind erhalten. Bitte prüfen und erneut speichern."
    )
    raise ValidationError(f"{what} {then_what}", code="stale")


class ConcurrencyMixin:
    """For every domain ModelAdmin: its change form carries the version of the row
    and its inline rows, and a stale save is refused (see the module)."""

    change_form_template = "admin/audit/change_form.html"

    def get_formsets_with_inlines(self, request, obj=None):
        recorded = request.__dict__.setdefault(FORMSETS, [])
        for formset_class, inline in super().get_formsets_with_inlines(request, obj):

            class Recorded(formset_class):
                def __init__(self, *args, **kwargs):
                    super().__init__(*args, **kwargs)
                    recorded.append(self)

            Recorded.__name__ = formset_class.__name__
            yield Recorded, inline

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if not change or obj is None or request.method != "POST":
            return form_class

        class VersionCheckedForm(form_class):
            def clean(self):
                data = super().clean()
                check_edit_version(self, request, request.__dict__.get(FORMSETS, []))
                return data

        VersionCheckedForm.__name__ = form_class.__name__
        return VersionCheckedForm

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if change and obj is not None and "adminform" in context:
            form = context["adminform"].form
            token = getattr(form, "edit_version", None)
            if token is None and request.method == "POST":
                token = request.POST.get(EDIT_VERSION, "")
            if token is None:
                formsets = [f.formset for f in context.get("inline_admin_formsets", [])]
                token = version(obj, form_parts(obj, form, formsets)[1])
            context["edit_version_field"] = EDIT_VERSION
            context["edit_version"] = token
            context["edit_conflicts"] = getattr(form, "edit_conflicts", [])
        return super().render_change_form(request, context, add, change, form_url, obj)
