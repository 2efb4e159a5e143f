"""The language switch: plain links (GET), no form.

Django's set_language only sets the language on a POST, and its form would put a
CSRF token into every page, which the page cache (operations/pagecache.py) then
never keeps. A link /i18n/sprache/?sprache=en&weiter=/drucksachen/ instead sets
the language cookie and goes back; the cached pages stay cacheable (keyed by
language). The parameters are German like every public URL's; the English names of
before (`?language=en&next=…`) answer with a permanent redirect to the same switch.
"""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache

from council.filters import renamed_query

LANGUAGE_PARAMETER = "sprache"
TARGET_PARAMETER = "weiter"
# Old name -> German name.
RENAMED_PARAMETERS = {"language": LANGUAGE_PARAMETER, "next": TARGET_PARAMETER}


@never_cache
def switch_language(request):
    if any(old in request.GET for old in RENAMED_PARAMETERS):
        query = renamed_query(request.GET, RENAMED_PARAMETERS)
        return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")
    target = request.GET.get(TARGET_PARAMETER) or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    language = request.GET.get(LANGUAGE_PARAMETER, "")
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
