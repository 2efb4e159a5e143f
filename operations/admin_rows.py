"""The changelist's rows, with what a column shows worked out once per page.

Django's items_for_result works out for every cell what is the same down the
whole column: which field or method the column shows (a failed field lookup, an
exception, for each method column), its CSS class and whether it links to the
row, the filters the row's link keeps (the address parsed, and resolved when a
filter is set), the icon of a yes/no value (a static() call). On the list of
fifty papers at 100,000 papers that was a third of the page's time (issue 12).
Column does that once and writes each cell from the row's value, to the same
HTML: `tests/operations/test_admin_rows.py` compares both on every admin list.
A list with editable fields (list_editable) keeps Django's own rows.

templates/admin/change_list.html puts these rows in Django's template
(change_list_results.html) through the tag of templatetags/admin_rows.py.
"""

import datetime

from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _boolean_icon,
    _coerce_field_name,
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

DATE_OR_TIME = (datetime.date, datetime.time)


def result_list(cl):
    """The context of Django's result_list tag, with rows written by Column."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": list(results(cl) if cl.formset else rows(cl)),
    }


def rows(cl):
    """items_for_result for each row of a list without editable fields."""
    columns, first = [], True
    for index, name in enumerate(cl.list_display):
        column = Column(cl, index, name, first)
        first = first and not column.links
        columns.append(column)
    address = RowAddress(cl)
    for result in cl.result_list:
        yield ResultList(None, [column.cell(result, address) for column in columns])


class RowAddress:
    """Each row's link with the filters the list keeps: Django's
    add_preserved_filters works the same query onto every row's address, so it
    is asked once, for the first, and its query added to the others."""

    def __init__(self, cl):
        self.cl = cl
        self.context = {"preserved_filters": cl.preserved_filters, "opts": cl.opts}
        self.query = None

    def __call__(self, result):
        url = self.cl.url_for_result(result)
        if "?" in url or "#" in url:
            return add_preserved_filters(self.context, url)
        if self.query is None:
            kept = add_preserved_filters(self.context, url)
            if kept != url and not kept.startswith(f"{url}?"):
                return kept
            self.query = kept[len(url) :]
        return f"{url}{self.query}"


class Column:
    """One column of the list: what items_for_result decides for each cell,
    decided once."""

    def __init__(self, cl, index, name, first):
        self.cl, self.name = cl, name
        self.classes = [f"field-{_coerce_field_name(name, index)}"]
        self.empty = cl.model_admin.get_empty_value_display()
        if cl.list_display_links is None:
            self.links = False
        else:
            self.links = (first and not cl.list_display_links) or (
                name in cl.list_display_links
            )
        self.tag = "th" if first and self.links else "td"
        self.attr = None
        try:
            self.field = _get_non_gfk_field(cl.lookup_opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            self.field = None
            if callable(name):
                self.attr = name
            elif hasattr(cl.model_admin, name) and name != "__str__":
                self.attr = getattr(cl.model_admin, name)
        # The classes of a cell that shows a field's value.
        self.field_classes = self.classes
        if self.field is not None and not self.field.auto_created:
            self.shows_related = isinstance(
                self.field.remote_field, models.ManyToOneRel
            )
            if isinstance(
                self.field, (models.DateField, models.TimeField, models.ForeignKey)
            ):
                self.field_classes = [*self.classes, "nowrap"]
        self.icons = {}

    def lookup(self, result):
        """lookup_field(): the field (or None), the attribute, the value."""
        if self.field is not None:
            return self.field, None, getattr(result, self.name)
        if self.attr is not None:
            return None, self.attr, self.attr(result)
        return lookup_field(self.name, result, self.cl.model_admin)

    def cell(self, result, address):
        classes = self.classes
        try:
            field, attr, value = self.lookup(result)
        except ObjectDoesNotExist:
            shown = self.empty
        else:
            empty = getattr(attr, "empty_value_display", self.empty)
            if isinstance(value, Promise):
                # A translated label (a choice's): translated once, not once
                # for each empty value display_for_value compares it with.
                value = str(value)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if field is None or field.auto_created:
                if self.name == "action_checkbox":
                    classes = ["action-checkbox"]
                boolean = getattr(attr, "boolean", False)
                if isinstance(attr, property) and hasattr(attr, "fget"):
                    boolean = getattr(attr.fget, "boolean", False)
                shown = self.icon(value) if boolean else display_for_value(value, empty)
                if isinstance(value, DATE_OR_TIME):
                    classes = [*classes, "nowrap"]
            else:
                classes = self.field_classes
                if self.shows_related:
                    related = getattr(result, field.name)
                    shown = empty if related is None else related
                elif isinstance(field, models.BooleanField) and not field.flatchoices:
                    shown = self.icon(value)
                else:
                    shown = display_for_field(
                        value, field, empty, avoid_link=self.links
                    )
        html = self.link(result, shown, address) if self.links else shown
        tag = self.tag
        return mark_safe(  # noqa: S308 (every part escaped or safe, as format_html)
            f'<{tag} class="{" ".join(classes)}">{conditional_escape(html)}</{tag}>'
        )

    def link(self, result, shown, address):
        cl = self.cl
        try:
            url = address(result)
        except NoReverseMatch:
            return shown
        popup = ""
        if cl.is_popup:
            key = str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname
            popup = format_html(
                ' data-popup-opener="{}"', result.serializable_value(key)
            )
        return format_html('<a href="{}"{}>{}</a>', url, popup, shown)

    def icon(self, value):
        """_boolean_icon(), once per value a page shows (a static() call each)."""
        if value is not True and value is not False and value is not None:
            return _boolean_icon(value)
        if value not in self.icons:
            self.icons[value] = _boolean_icon(value)
        return self.icons[value]
