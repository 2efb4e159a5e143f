"""What every answer under /oparl/ gets, whatever view (or none) made it."""

import logging

from django.middleware.gzip import GZipMiddleware

OPARL_PREFIX = "/oparl/"

logger = logging.getLogger(__name__)


class OParlGZipMiddleware(GZipMiddleware):
    """gzip for the API's JSON (lists of 100 papers shrink to a tenth); the pages
    stay as they are, out of BREACH's way for forms with a CSRF token."""

    def process_response(self, request, response):
        # Files go as they are: their checksums are of the bytes as stored.
        if not request.path_info.startswith(OPARL_PREFIX) or not response.get(
            "Content-Type", ""
        ).startswith("application/json"):
            return response
        return super().process_response(request, response)


class OParlErrorMiddleware:
    """A server error under /oparl/ is an OParl Error object with CORS, not
    Django's HTML page: harvesters parse every answer as JSON. Listed before
    operations' outage middleware, which answers a lost database with 503 first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path_info.startswith(OPARL_PREFIX):
            return None
        from django.utils.translation import gettext as _

        from .responses import error_response, with_cors

        logger.exception("OParl: %s failed", request.path_info)
        return with_cors(
            error_response(
                500,
                _("Ein Fehler auf dem Server; bitte später noch einmal versuchen."),
            )
        )
