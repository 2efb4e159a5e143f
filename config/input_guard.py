"""Input no form checks, stopped before it reaches a query.

PostgreSQL cannot hold a NUL character in a text; psycopg refuses such a parameter
with a ValueError, which surfaced as a server error. The forms of the site refuse
NUL with a German message themselves (Django's ProhibitNullCharactersValidator),
so the public filters keep answering with their form. This middleware refuses what
no form sees:

- a NUL anywhere in the path: no address of the site contains one;
- a NUL in the query string of an admin page: the changelist passes list-filter
  and lookup parameters to the ORM as they come.

The admin's date drill-down (`?date__year=…&date__month=…&date__day=…`) builds a
datetime and adds a day, a month or a year to it. Django turns a ValueError there
into its answer to wacky lookup parameters (back to the list with `?e=1`), but not
the OverflowError of year 2147483648 nor the year after 9999. Drill-down values
out of range get that same answer here, for every registered ModelAdmin.
A list filter of our own that builds on `OfferedChoicesFilter` gives it as well
for any value it does not offer (`?committee=abc`).
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"
OPARL_PREFIX = "/oparl/"
# The drill-down adds a year to the first day it shows; in the site's time zone
# the first and the last representable year cannot be shown.
DRILL_DOWN_RANGES = {"year": (2, 9998), "month": (1, 12), "day": (1, 31)}


def _has_nul(query):
    return any(
        NUL in key or any(NUL in value for value in values)
        for key, values in query.lists()
    )


def refused(request, message):
    """400 with a German message: the OParl error object there, the site's page
    elsewhere."""
    if request.path_info.startswith(OPARL_PREFIX):
        from oparl.views import error_response, with_cors

        return with_cors(error_response(400, message))
    return render(request, "400.html", {"message": message}, status=400)


def _drill_down_out_of_range(model_admin, query):
    field = getattr(model_admin, "date_hierarchy", None)
    if not field or f"{field}__year" not in query:
        return False
    for part, (low, high) in DRILL_DOWN_RANGES.items():
        values = query.getlist(f"{field}__{part}")
        if not values:
            continue
        try:
            # Django reads the last value, the same way.
            number = int(values[-1])
        except ValueError:
            continue  # Django answers that itself
        if not low <= number <= high:
            return True
    return False


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info:
            return refused(
                request,
                _("Die Adresse enthält ein Nullzeichen; so eine Seite gibt es nicht."),
            )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
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
            and _drill_down_out_of_range(model_admin, request.GET)
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
