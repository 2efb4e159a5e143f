"""Text as people typed it, made safe to show and to store."""

import unicodedata


def printable(value):
    """`value` without control characters (NUL, escape …), as typed otherwise:
    a search echoed on a page, a followed search in a feed's XML (which cannot
    hold them)."""
    if value is None:
        return ""
    return "".join(char for char in str(value) if unicodedata.category(char) != "Cc")
