"""Field values as the audit trail compares and shows them.

`canonical()` makes the values a form sends and the values the database holds
comparable (a textarea's line ends, 50 and 50.00, an object and its key);
`Labels` shows them as a clerk reads them, in German, and names a related row
only if the reader may see it.
"""

import datetime
import decimal
from collections import defaultdict

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from operations import formats

EMPTY = "—"
MAX_CHARS = 300


def canonical(value):
    """One string per value, equal for what the database and a form mean alike."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ",".join(sorted(canonical(item) for item in value))
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    if hasattr(value, "name") and hasattr(value, "read"):
        # A file being uploaded: it changes the field.
        return f"upload:{value.name}"
    text = str(value)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def visible_rows(model, user):
    manager = model._default_manager
    rows = manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()
    if any(f.name == "paper" and f.many_to_one for f in model._meta.fields):
        rows = rows.select_related("paper")
    return rows


class Labels:
    """Readable values for one reader; related rows are read once per model."""

    def __init__(self, user):
        self.user = user
        self.wanted = defaultdict(set)
        self.names = {}

    def want(self, field, value):
        """Note a value that will be shown, so related rows come in one query."""
        if field.many_to_many:
            self.wanted[field.related_model].update(getattr(v, "pk", v) for v in value)
        elif field.is_relation and value not in (None, ""):
            self.wanted[field.related_model].add(getattr(value, "pk", value))

    def _name(self, model, pk):
        if (model, pk) not in self.names:
            pks = self.wanted.pop(model, set()) | {pk}
            found = {
                row.pk: row for row in visible_rows(model, self.user).filter(pk__in=pks)
            }
            for key in pks:
                row = found.get(key)
                self.names[(model, key)] = (
                    self._str(row)
                    if row is not None
                    else _("nicht sichtbarer oder gelöschter Eintrag")
                )
        return self.names[(model, pk)]

    @staticmethod
    def _str(row):
        try:
            return str(row)
        except ObjectDoesNotExist:
            return f"{row._meta.verbose_name} {row.pk}"

    def show(self, field, value, short=True):
        """`value` of model field `field` as a clerk reads it."""
        if field.many_to_many:
            names = [
                self._name(field.related_model, getattr(v, "pk", v)) for v in value
            ]
            return ", ".join(sorted(names)) or EMPTY
        if value is None or value == "":
            return EMPTY
        if field.is_relation:
            pk = value.pk if isinstance(value, models.Model) else value
            return self._name(
                field.related_model, field.related_model._meta.pk.to_python(pk)
            )
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("ja") if value else _("nein")
        if isinstance(value, datetime.datetime):
            return formats.date_time(value)
        if isinstance(value, datetime.date):
            return formats.date(value)
        if isinstance(value, decimal.Decimal):
            if not value.is_finite():
                return str(value)
            # With the places it was stored with: 26200.00 → "26.200,00".
            return formats.number(value, places=max(0, -value.as_tuple().exponent))
        if isinstance(value, FieldFile):
            return value.name or EMPTY
        text = str(value)
        return Truncator(text).chars(MAX_CHARS) if short else text
