"""Answers every response needs: headers, privacy of signed-in pages, outages."""

import contextlib
import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions import middleware as sessions
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers

logger = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)
# The OParl API answers everyone the same, without cookies (oparl/views.py).
OPARL_PREFIX = "/oparl/"
# When the session was last renewed (seconds since the epoch), kept in the session.
RENEWED = "_renewed"
# What the OParl views send with every answer (oparl/views.py, OParlView).
OPARL_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Last-Modified",
}
OPARL_ERROR_TYPE = "https://schema.oparl.org/1.1/Error"
OUTAGE_MESSAGE = (
    "Die Datenbank ist vorübergehend nicht erreichbar. "
    "Bitte versuchen Sie es in Kürze noch einmal."
)


def outage_response(request):
    """503 with Retry-After: JSON with CORS for OParl, the site's page otherwise.

    Rendered without a request, so no context processor asks the database for
    the user or the messages.
    """
    # Nor can the session be read or saved (its renewal would try on the way
    # out): SessionMiddleware leaves a request without one alone.
    with contextlib.suppress(AttributeError):
        del request.session
    if request.path_info.startswith(OPARL_PREFIX):
        response = JsonResponse(
            {"type": OPARL_ERROR_TYPE, "message": OUTAGE_MESSAGE},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
        for header, value in OPARL_CORS.items():
            response[header] = value
    else:
        try:
            content = render_to_string("503.html")
        except Exception:  # the page must not turn into a 500 of its own
            logger.exception("The 503 page could not be rendered")
            content = OUTAGE_MESSAGE
        response = HttpResponse(content, status=503)
    response["Retry-After"] = str(settings.RATSREGISTER_OUTAGE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def is_outage(response):
    return response.status_code == 503 and response.has_header("Retry-After")


class DatabaseOutageMiddleware:
    """A lost database connection is a 503 to retry, not a server error.

    process_exception sees what the view, the transaction of ATOMIC_REQUESTS
    around it and the rendering of its template raise.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            logger.error("Database unavailable: %s", exception)
            return outage_response(request)
        return None


class PermissionsPolicyMiddleware:
    """Permissions-Policy: switches off browser features no page uses."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.setdefault("Permissions-Policy", self.header)
        return response


class PrivateCacheMiddleware:
    """Nothing shown to a signed-in user may stay in an HTTP cache.

    HR's register and exports, non-public papers and the import page look like
    public addresses, so neither a shared proxy nor the browser's disk may keep
    them. Anonymous pages keep whatever their views decided. (The server's own
    page cache keeps a page for readers with the same rights only:
    operations/pagecache.py.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_outage(response) or request.path_info.startswith(OPARL_PREFIX):
            # OParl's answers are the anonymous ones whoever asks: its own
            # Cache-Control stands, and no Vary: Cookie splits the caches.
            return response
        try:
            signed_in = self.signed_in(request)
        except DATABASE_DOWN as exception:
            logger.error("Database unavailable: %s", exception)
            return outage_response(request)
        if signed_in:
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ["Cookie"])
        return response

    @staticmethod
    def signed_in(request):
        # Without a session cookie this asks no database: Django finds no
        # session key and answers AnonymousUser (OParl's harvesters send none).
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated


class SessionMiddleware(sessions.SessionMiddleware):
    """Django's, except that a session is renewed once a minute at most, and the
    OParl API neither renews nor sets one.

    A session ends SESSION_COOKIE_AGE seconds after its last renewal. Django's
    SESSION_SAVE_EVERY_REQUEST renews on every answer, an UPDATE of the session's
    row for every page a signed-in user opens; here a request renews it when the
    last renewal (RENEWED, in the session) is RATSREGISTER_SESSION_RENEWAL seconds
    old, so the idle limit holds to within that minute. OParl is stateless and sets
    no cookie, even for a signed-in clerk.
    """

    def process_response(self, request, response):
        if request.path_info.startswith(OPARL_PREFIX):
            return response
        session = getattr(request, "session", None)
        # Only a session this request read (a signed-in user's): an anonymous
        # visitor without a cookie gets none, and nothing is loaded just for this.
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if now - session.get(RENEWED, 0) >= settings.RATSREGISTER_SESSION_RENEWAL:
                session[RENEWED] = now
        return super().process_response(request, response)


class SecondFactorRequiredMiddleware:
    """With RATSREGISTER_REQUIRE_2FA, a session without a second factor ends.

    The login form already refuses staff without one; this ends the sessions
    opened before the switch, on every page, not only in the admin.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.RATSREGISTER_REQUIRE_2FA:
            try:
                user = request.user
                if user.is_authenticated and not user.is_verified():
                    logout(request)
            except DATABASE_DOWN as exception:
                logger.error("Database unavailable: %s", exception)
                return outage_response(request)
        return self.get_response(request)
