"""A saved search: the query string of /drucksachen/, kept normalised and run
again through the same filtering the paper list uses, so that "new matching
paper" means what the list would show."""

from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _

from council.forms import PaperFilterForm
from council.models import Consultation, Department, Paper
from council.search import search_papers

# Never part of what a search is: the page and the order of the list.
UNSAVED = {"page", "seite", "sort", "sortierung", "ordering", "o"}
MAX_QUERY = 1000


def _filterset():
    """The paper list's django-filter FilterSet, once council has one."""
    try:
        from council import filters
    except ImportError:
        return None
    for value in vars(filters).values():
        meta = getattr(value, "_meta", None)
        if (
            isinstance(value, type)
            and hasattr(value, "base_filters")
            and getattr(meta, "model", None) is Paper
        ):
            return value
    return None


def known_parameters():
    """The parameters the paper list understands."""
    filterset = _filterset()
    if filterset is not None:
        return set(filterset.base_filters)
    return set(PaperFilterForm.base_fields)


def _renamed(data):
    """`data` with the list's old parameter names under their new ones (a query
    saved before the list renamed its parameters still means the same)."""
    filterset = _filterset()
    renamed = getattr(filterset, "renamed_parameters", {}) if filterset else {}
    if not any(old in data for old in renamed):
        return data
    data = data.copy()
    for old, new in renamed.items():
        if old in data:
            values = data.pop(old)
            if new not in data:
                data.setlist(new, values)
    return data


def normalise(data):
    """A query string (or QueryDict) as a stable text: known parameters only,
    without empty values, page and order, sorted."""
    if isinstance(data, str):
        data = QueryDict(data[:MAX_QUERY])
    data = _renamed(data)
    known = known_parameters()
    pairs = sorted(
        (key, " ".join(value.split()))
        for key, values in data.lists()
        if key in known and key not in UNSAVED
        for value in values
        if value.strip()
    )
    return urlencode(pairs)[:MAX_QUERY]


def matching_papers(query, user):
    """The papers `user` may see that the saved search finds (unordered)."""
    data = _renamed(QueryDict(query))
    papers = Paper.objects.visible_to(user).with_state(user).defer("search_vector")
    filterset = _filterset()
    if filterset is not None:
        found = filterset(data, queryset=papers, **_filterset_kwargs(filterset, user))
        return found.qs
    return _filter_like_the_paper_list(papers, data, user)


def _filterset_kwargs(filterset, user):
    """A FilterSet that needs the viewer gets it as a stand-in request."""
    import inspect

    parameters = inspect.signature(filterset.__init__).parameters
    kwargs = {}
    if "request" in parameters:
        kwargs["request"] = _ViewerRequest(user)
    if "user" in parameters:
        kwargs["user"] = user
    return kwargs


class _ViewerRequest:
    """What a FilterSet reads of a request: the user and the query."""

    def __init__(self, user):
        from django.contrib.auth.models import AnonymousUser

        self.user = user if user is not None else AnonymousUser()
        self.GET = QueryDict()


def _filter_like_the_paper_list(papers, data, user):
    # The paper list's filters as council/views.py applies them to its form.
    form = PaperFilterForm(
        data,
        years=papers.order_by().values_list("year", flat=True).distinct(),
        departments=Department.objects.all(),
    )
    valid = form.valid_data()
    if "year" in valid:
        papers = papers.filter(year=valid["year"])
    if "paper_type" in valid:
        papers = papers.filter(paper_type=valid["paper_type"])
    if "department" in valid:
        papers = papers.filter(department=valid["department"])
    if "committee" in valid:
        papers = papers.filter(
            pk__in=Consultation.objects.visible_to(user)
            .filter(committee=valid["committee"])
            .values("paper")
        )
    if "state" in valid:
        papers = papers.filter(state=valid["state"])
    if "q" in valid:
        papers = search_papers(papers, valid["q"])
    return papers


def describe(query):
    """The search as a person reads it: „Integration“, Jahr: 2020, …"""
    data = _renamed(QueryDict(query))
    fields = _fields()
    parts = []
    for key, values in data.lists():
        for value in values:
            if key == "q":
                parts.append(f"„{value}“")
                continue
            label, shown = key, value
            if key in fields:
                label, shown = fields[key](value)
            parts.append(f"{label}: {shown}")
    return ", ".join(parts) if parts else _("alle Drucksachen")


def _fields():
    """For each parameter: value -> (label, the value as a person reads it)."""
    filterset = _filterset()
    if filterset is not None:
        named = {
            name: (
                f.label,
                f.extra.get("choices"),
                getattr(f, "queryset", None),
                f.extra.get("to_field_name"),
            )
            for name, f in filterset.base_filters.items()
        }
    else:
        named = {
            name: (
                f.label,
                getattr(f, "choices", None),
                getattr(f, "queryset", None),
                getattr(f, "to_field_name", None),
            )
            for name, f in PaperFilterForm.base_fields.items()
        }
    shown = {}
    for name, (label, choices, queryset, to_field) in named.items():
        shown[name] = _reader(str(label or name), choices, queryset, to_field)
    return shown


def _reader(label, choices, queryset, to_field):
    def read(value):
        if queryset is not None:
            # Committees and departments: public names, no hidden rows.
            found = (
                queryset.model._default_manager.filter(
                    **{to_field or "pk": value}
                ).first()
                if to_field or value.isdigit()
                else None
            )
            return label, str(found) if found else value
        if choices and not callable(choices):
            return label, str(dict(choices).get(value, value))
        return label, value

    return read
