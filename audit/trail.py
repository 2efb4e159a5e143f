"""The audit trail of a record as a clerk reads it: who changed which field of
the record or of its parts, when, from what to what — only from versions the
reader may see, each compared with the reader's previous visible version, so
that a hidden state never shows as an "old value"."""

from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.template_utils import ObjDiffDisplay

from .values import EMPTY, Labels

# Bookkeeping, not content: left out of what the trail shows.
UNSHOWN = {"id", "created", "modified", "search_vector"}
SHORTEN = ObjDiffDisplay(max_length=300)


@dataclass
class Source:
    """Versions of one model that belong to the record: `filters` pick them."""

    model: type
    filters: dict
    parent_field: str | None = None  # the link to the record, not shown


@dataclass
class Entry:
    date: object
    user: object
    what: str
    action: str
    reason: str
    changes: list = field(default_factory=list)  # (field label, old, new)


def _fields(model, source):
    tracked = {f.name for f in model.audit_trail.model.tracked_fields}
    return [
        f
        for f in model._meta.fields
        if f.name in tracked and f.name not in UNSHOWN and f.name != source.parent_field
    ] + [
        f for f in model._meta.many_to_many if hasattr(model.audit_trail.model, f.name)
    ]


def _value(record, f):
    if f.many_to_many:
        return record.__dict__.get(f"_audit_{f.name}", [])
    return getattr(record, f.attname)


def _attach_m2m(model, f, records):
    """The related ids of an m2m field in each version, in one query."""
    rows = getattr(model.audit_trail.model, f.name).model.objects
    target = f"{f.m2m_reverse_field_name()}_id"
    ids = {}
    for history_id, related in rows.filter(
        history_id__in=[r.history_id for r in records]
    ).values_list("history_id", target):
        ids.setdefault(history_id, []).append(related)
    for record in records:
        record.__dict__[f"_audit_{f.name}"] = sorted(ids.get(record.history_id, []))


def _label(record, model):
    try:
        name = str(record.instance)
    except Exception:  # a row that points at what is gone
        name = f"Nr. {record.id}"
    return f"{capfirst(model._meta.verbose_name)} „{name}“"


def entries(sources, user):
    """The trail of the sources for `user`, newest first."""
    labels = Labels(user)
    versions = []
    for source in sources:
        records = (
            source.model.audit_trail.visible_to(user)
            .filter(**source.filters)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        fields = _fields(source.model, source)
        records = list(records)
        for f in fields:
            if f.many_to_many:
                _attach_m2m(source.model, f, records)
        for record in records:
            for f in fields:
                labels.want(f, _value(record, f))
        versions.append((source, fields, records))
    result = []
    for source, fields, records in versions:
        previous = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            values = {f.name: _value(record, f) for f in fields}
            changes = []
            if record.history_type == "-":
                action = _("gelöscht")
            elif before is None:
                action = _("angelegt") if record.history_type == "+" else _("Stand")
                for f in fields:
                    shown = labels.show(f, values[f.name])
                    if shown != EMPTY:
                        changes.append((capfirst(f.verbose_name), EMPTY, shown))
            else:
                action = _("geändert")
                for f in fields:
                    old = labels.show(f, _value(before, f), short=False)
                    new = labels.show(f, values[f.name], short=False)
                    if old != new:
                        old, new = SHORTEN.common_shorten_repr(old, new)
                        changes.append((capfirst(f.verbose_name), old, new))
                if not changes:
                    continue
            result.append(
                Entry(
                    date=record.history_date,
                    user=record.history_user,
                    what=_label(record, source.model),
                    action=action,
                    reason=record.history_change_reason or "",
                    changes=changes,
                )
            )
    result.sort(key=lambda entry: entry.date, reverse=True)
    return result
