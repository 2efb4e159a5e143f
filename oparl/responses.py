"""The OParl interface's JSON answers, errors included, shared by its views and the
middleware that answers for them when a view fails."""

import hashlib
import json

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

from .serializers import SCHEMA


def json_bytes(data):
    return json_text(data).encode("utf-8")


def error_response(status, message, debug=None):
    data = {"type": SCHEMA + "Error", "message": str(message)}
    if debug:
        data["debug"] = str(debug)
    response = HttpResponse(
        json_bytes(data), status=status, content_type="application/json; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    return response


def with_cors(response):
    """Any origin may read the API: answers and errors alike."""
    response["Access-Control-Allow-Origin"] = "*"
    # Let browser clients revalidate with the validators, which needs a preflight.
    response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response


def json_response(request, data, last_modified=None):
    """200 with ETag (and Last-Modified), or 304 if the client's copy is current."""
    return json_text_response(request, json_text(data), last_modified)


def json_text(data):
    return json.dumps(data, ensure_ascii=False, indent=None)


def json_text_response(request, text, last_modified=None):
    """json_response of JSON already written (kept objects spliced into a list)."""
    body = text.encode("utf-8")
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:40])
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    # Harvesters revalidate cheaply with If-None-Match rather than trust a max-age.
    response["Cache-Control"] = "no-cache"
    return get_conditional_response(
        request, etag=etag, last_modified=timestamp, response=response
    )
