"""Input no form checks, stopped before it reaches a query.

PostgreSQL cannot hold a NUL character in a text; psycopg refuses such a parameter
with a ValueError, which surfaced as a server error. The forms of the site refuse
NUL with a German message themselves (Django's ProhibitNullCharactersValidator),
so the public filters keep answering with their form. This middleware refuses what
no form sees:

- a NUL anywhere in the path: no address of the site contains one, so the
  answer is the 404 page (OParl's 404 object under /oparl/);
- a NUL in the query string of an admin page: 400 in German; the changelist
  passes list-filter and lookup parameters to the ORM as they come;
- a query string over 4,000 bytes: 414 in German (OParl's error object under
  /oparl/). gunicorn, which serves the site, refuses a request line over 4,094
  bytes (its limit_request_line) with a bare 400 of its own, so no such request
  reaches the site in production; runserver and the test client pass them on.
  No page needs one, and the lists repeat every parameter in each of their
  filter and page links.

The admin's date drill-down (`?date__year=…&date__month=…&date__day=…`) builds a
datetime and adds a day, a month or a year to it. Django turns a ValueError there
into its answer to wacky lookup parameters (back to the list with `?e=1`), but not
the OverflowError of year 2147483648 nor the year after 9999. Drill-down values
out of range get that same answer here, for every registered ModelAdmin, and so
do a date's year, month or day given by hand on a list without a drill-down. So do
lookups the databases cannot take (the fuzz test found them on SQLite): a number
beyond 64 bits for an integer or a foreign key (`?department=99999999999999999999`),
and a moment outside the calendar once in UTC, with an offset beyond 14:00, or
without one, for a date-time field (`?revoked_at__gte=0001-01-01`; Django's own
date filter links always carry the offset).
A list filter of our own that builds on `OfferedChoicesFilter` gives it as well
for any value it does not offer (`?committee=abc`).
"""

import datetime

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.admin.views.main import ERROR_FLAG, IGNORED_PARAMS
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

NUL = "\x00"
NUL_IN_PATH = gettext_lazy(
    "Die Adresse enthält ein Nullzeichen; so eine Seite gibt es nicht."
)
MAX_QUERY_BYTES = 4000
TOO_LONG = gettext_lazy(
    "Die Adresse ist zu lang: Suche und Filter zusammen dürfen höchstens "
    "4.000 Zeichen umfassen. Bitte den Suchbegriff kürzen."
)
OPARL_PREFIX = "/oparl/"
# The drill-down adds a year to the first day it shows; in the site's time zone
# the first and the last representable year cannot be shown.
DRILL_DOWN_RANGES = {"year": (2, 9998), "month": (1, 12), "day": (1, 31)}
# What a 64-bit integer column holds, and what the SQLite driver can pass on.
INTEGERS = range(-(2**63), 2**63)
COMPARISONS = {"exact", "gt", "gte", "lt", "lte", "in", "range"}
# The largest offset in use (and xsd:dateTime's); PostgreSQL refuses beyond 15:59.
MAX_OFFSET = datetime.timedelta(hours=14)


def _has_nul(query):
    return any(
        NUL in key or any(NUL in value for value in values)
        for key, values in query.lists()
    )


def refused(request, message):
    """400 with a German message, on the site's page."""
    return render(request, "400.html", {"message": message}, status=400)


def _outside(text, low, high):
    try:
        return not low <= int(text) <= high
    except ValueError:
        return False  # not a number: Django answers that itself


def _drill_down_out_of_range(model_admin, query):
    field = getattr(model_admin, "date_hierarchy", None)
    if not field or f"{field}__year" not in query:
        return False
    for part, (low, high) in DRILL_DOWN_RANGES.items():
        values = query.getlist(f"{field}__{part}")
        # Django reads the last value, the same way.
        if values and _outside(values[-1], low, high):
            return True
    return False


def _field_of(model, key):
    """(field, [lookups]) an admin lookup parameter names, or (None, [])."""
    parts = key.split(LOOKUP_SEP)
    for cut in range(len(parts), 0, -1):
        try:
            field = get_fields_from_path(model, LOOKUP_SEP.join(parts[:cut]))[-1]
        except (FieldDoesNotExist, NotRelationField):
            continue
        return field, parts[cut:]
    return None, []


def _beyond_integers(text):
    try:
        return int(text) not in INTEGERS
    except ValueError:
        return False  # not a number: Django answers that itself


def _beyond_moments(text):
    try:
        moment = parse_datetime(text.strip())
        day = parse_date(text.strip()) if moment is None else None
    except ValueError:
        return False  # not a date (13th month): Django answers that itself
    if moment is None and day is None:
        return False
    if moment is None:
        moment = datetime.datetime.combine(day, datetime.time())
    if timezone.is_naive(moment) or abs(moment.utcoffset()) > MAX_OFFSET:
        return True
    try:
        moment.astimezone(datetime.UTC)
    except OverflowError:
        return True
    return False


def _odd_lookup(model_admin, query):
    """A lookup parameter whose value no database query could take."""
    for key, values in query.lists():
        if key in IGNORED_PARAMS:
            continue
        field, lookups = _field_of(model_admin.model, key)
        if field is None:
            continue
        part = lookups[0] if lookups else None
        if isinstance(field, models.DateField) and part in DRILL_DOWN_RANGES:
            # A year, month or day of a date by hand, as the drill-down writes
            # them (`?date__year=2147483648` on a list without one).
            if any(_outside(text, *DRILL_DOWN_RANGES[part]) for text in values):
                return True
            continue
        if lookups and lookups[-1] not in COMPARISONS:
            continue
        if field.is_relation:
            field = field.target_field
        texts = values
        if lookups[-1:] in (["in"], ["range"]):
            texts = [part for text in values for part in text.split(",")]
        if isinstance(field, models.DateTimeField):
            check = _beyond_moments
        elif isinstance(field, models.IntegerField):
            check = _beyond_integers
        else:
            continue
        if any(check(text) for text in texts):
            return True
    return False


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info:
            # No address of the site has one: the page does not exist.
            if request.path_info.startswith(OPARL_PREFIX):
                from oparl.responses import error_response, with_cors

                return with_cors(error_response(404, NUL_IN_PATH))
            raise Http404(NUL_IN_PATH)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_BYTES:
            if request.path_info.startswith(OPARL_PREFIX):
                from oparl.responses import error_response, with_cors

                return with_cors(error_response(414, TOO_LONG))
            return render(request, "400.html", {"message": TOO_LONG}, status=414)
        if match is None or "admin" not in match.app_names:
            return None
        if _has_nul(request.GET):
            return refused(
                request,
                _(
                    "Die Anfrage enthält ein Nullzeichen; "
                    "bitte Filter und Suche prüfen."
                ),
            )
        model_admin = getattr(view_func, "model_admin", None)
        if (
            model_admin is not None
            and (match.url_name or "").endswith("_changelist")
            and (
                _drill_down_out_of_range(model_admin, request.GET)
                or _odd_lookup(model_admin, request.GET)
            )
        ):
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return None


class OfferedChoicesFilter(admin.SimpleListFilter):
    """A list filter that applies only the values it offers.

    Anything else in the address is what Django calls wacky lookup parameters:
    back to the unfiltered list with `?e=1`, as for its own field filters.
    """

    def value(self):
        value = super().value()
        if value is not None and value not in {
            str(key) for key, _label in self.lookup_choices
        }:
            raise IncorrectLookupParameters(
                f"{self.parameter_name}={value!r} is not offered"
            )
        return value
