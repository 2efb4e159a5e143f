"""The addresses of the site's pages of a record, reversed once.

reverse() walks the URLconf's patterns on every call, about 0.15 ms: the HR
register links the same papers 160 times a page, and that was a quarter of its
time (issue 12). An address depends only on the view's name and arguments and
on what reverse() reads besides them: the URLconf, the script prefix under
which the site is mounted and the language (no pattern is translated today,
but one may be), so it is kept per all of them.
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def address(viewname, **kwargs):
    """reverse(viewname, kwargs=kwargs), kept (see the module's docstring)."""
    return _reversed(
        get_urlconf(settings.ROOT_URLCONF),
        get_script_prefix(),
        get_language(),
        viewname,
        tuple(sorted(kwargs.items())),
    )


@functools.lru_cache(maxsize=8192)
def _reversed(urlconf, prefix, language, viewname, kwargs):
    return reverse(viewname, kwargs=dict(kwargs), urlconf=urlconf)
