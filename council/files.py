"""Attachments are served only through views that apply the visibility rule.

No attachment has a public media address: the files lie outside every served
directory, and a view that has checked who asks streams the file, or, behind nginx,
hands it over with X-Accel-Redirect to an internal location (README, Production).
"""

import mimetypes
import os
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _


def attachment_response(attachment, *, as_attachment=False):
    """The file of a (visibility-checked) attachment as an HTTP response."""
    name = os.path.basename(attachment.file.name)
    internal = getattr(settings, "RATSREGISTER_ATTACHMENT_ACCEL_REDIRECT", "")
    if internal:
        response = HttpResponse(
            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream"
        )
        response["X-Accel-Redirect"] = (
            internal.rstrip("/") + "/" + quote(attachment.file.name)
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment, name
        )
        return response
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("Die Datei fehlt auf dem Server.")) from error
    return FileResponse(handle, as_attachment=as_attachment, filename=name)
