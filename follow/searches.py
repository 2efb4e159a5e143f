"""A saved search: the query string of /drucksachen/, kept normalised and run
again through the paper list's own FilterSet, so that "new matching paper"
means what the list would show."""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from council.filters import PaperFilter, renamed_query
from council.models import Paper
from operations.text import printable

# Never part of what a search is: the page and the order of the list.
UNSAVED = {"page", "seite", "sort", "sortierung", "ordering", "o"}
MAX_QUERY = 1000


def _current(data):
    """`data` with the list's old parameter names under their new ones (a query
    saved before the list renamed its parameters still means the same)."""
    return renamed_query(data, PaperFilter.renamed_parameters)


def normalise(data):
    """A query string (or QueryDict) as a stable text: the list's parameters
    only, without empty values, control characters, page and order, sorted."""
    if isinstance(data, str):
        data = QueryDict(data[:MAX_QUERY])
    data = _current(data)
    known = set(PaperFilter.base_filters) - UNSAVED
    # Control characters are never part of a search (the feed's XML cannot hold
    # them, the list's search ignores them).
    pairs = (
        (key, " ".join(printable(value).split()))
        for key, values in data.lists()
        if key in known
        for value in values
    )
    pairs = sorted((key, value) for key, value in pairs if value)
    return urlencode(pairs)[:MAX_QUERY]


def matching_papers(query, user):
    """The papers `user` may see that the saved search finds (unordered)."""
    papers = Paper.objects.visible_to(user).with_state(user).defer("search_vector")
    return PaperFilter(_current(QueryDict(query)), queryset=papers, user=user).qs


def describe(query):
    """The search as a person reads it: „Integration“, Jahr: 2020, …"""
    parts = []
    for key, values in _current(QueryDict(query)).lists():
        for value in values:
            if key == "q":
                parts.append(f"„{value}“")
                continue
            f = PaperFilter.base_filters.get(key)
            label = str(f.label) if f is not None else key
            parts.append(f"{label}: {_shown(f, value)}")
    return ", ".join(parts) if parts else _("alle Drucksachen")


def _shown(f, value):
    """A filter's value as the list's form shows it."""
    if f is None:
        return value
    queryset = getattr(f, "queryset", None)
    if queryset is not None:
        # Committees and departments by name, whichever papers they have now;
        # Django's form field refuses what is no key ("²", a NUL) as the list does.
        field = forms.ModelChoiceField(
            queryset.model._default_manager.all(),
            to_field_name=f.extra.get("to_field_name"),
        )
        try:
            return str(field.clean(value))
        except ValidationError:
            return value
    choices = f.extra.get("choices")
    if choices and not callable(choices):
        return str(dict(choices).get(value, value))
    return value
