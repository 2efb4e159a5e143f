"""The admin's HTML without the indentation of its templates.

A paper's change page with its inline rows (items, steps, funding lines) was
430 KB, over a quarter of it the blank lines and indentation of Django's admin
templates around each of a few hundred widgets (issue 12). A run of whitespace
that holds a line break is shown by a browser as one space wherever it stands
outside <textarea>, <pre> and scripts, so it is written as one line break:
the page looks and submits the same. Those three are left as they are.
"""

import re

ADMIN_PREFIX = "/admin/"
# Whitespace after a line break: the next line's indentation, blank lines.
INDENTATION = re.compile(rb"\n\s+")
KEPT = re.compile(rb"<(textarea|pre|script)\b", re.IGNORECASE)


def compact(html):
    parts, position = [], 0
    for match in KEPT.finditer(html):
        if match.start() < position:
            continue
        # Django writes its closing tags in lower case; without one the rest
        # stays as it is.
        end = html.find(b"</" + match.group(1).lower(), match.end())
        parts.append(INDENTATION.sub(b"\n", html[position : match.start()]))
        if end < 0:
            parts.append(html[match.start() :])
            return b"".join(parts)
        parts.append(html[match.start() : end])
        position = end
    parts.append(INDENTATION.sub(b"\n", html[position:]))
    return b"".join(parts)


class AdminWhitespaceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path_info.startswith(ADMIN_PREFIX)
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.has_header("Content-Encoding")
        ):
            response.content = compact(response.content)
        return response
