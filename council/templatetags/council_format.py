"""Template filters and tags of the council pages; numbers via operations.formats."""

from decimal import InvalidOperation

from django import template
from django.utils.translation import gettext

from council.filters import PAGE_PARAMETER
from operations import formats

register = template.Library()


@register.filter
def de_number(value, places=2):
    """3505000 → "3.505.000,00"; 51.1 with places=1 → "51,1"; not a number → as is."""
    try:
        return formats.number(value, int(places))
    except (InvalidOperation, TypeError, ValueError):
        return value


@register.filter
def euro(value):
    """3505000 → "3.505.000,00 €" (with a non-breaking space before the sign)."""
    try:
        return formats.amount(value)
    except (InvalidOperation, TypeError, ValueError):
        return value


@register.filter
def percent(value):
    """A share: 37.50 → "37,5 %"."""
    try:
        return formats.percent(value)
    except (InvalidOperation, TypeError, ValueError):
        return value


@register.filter
def day(value):
    """A day as German papers print it, in either language: 2021-12-31 →
    "31.12.2021" (a moment: its day in the site's time zone); None → "", and
    what is not a day "" too, as Django's `date` filter answers."""
    if value in (None, ""):
        return ""
    try:
        return formats.date(value)
    except (AttributeError, TypeError, ValueError):
        return ""


@register.filter
def highlight(text):
    """A search headline, escaped, with its matched words in <mark>; "" if none."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    from council.search import MARK_START, MARK_STOP

    if not text or MARK_START not in text:
        return ""
    escaped = escape(" ".join(text.split()))
    return mark_safe(
        escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    )


@register.filter
def minutes_reference(step):
    """Where the minutes record a consultation or item: "Niederschrift Nr. 56, TOP 8",
    either part alone, or "". One run of text, so that the template need not spell
    its conditionals on one 200-character line."""
    parts = []
    if step.minutes_number:
        parts.append(f"{gettext('Niederschrift Nr.')} {step.minutes_number}")
    if step.agenda_number:
        parts.append(f"{gettext('TOP')} {step.agenda_number}")
    return ", ".join(parts)


@register.simple_tag(takes_context=True)
def page_url(context, page_number):
    """The current list's address with another page number, filters kept."""
    query = context.get("query_string", "")
    page = f"{PAGE_PARAMETER}={page_number}"
    return f"?{query}&{page}" if query else f"?{page}"


@register.simple_tag
def url_of(obj):
    """obj.get_absolute_url(), or "" while the page it names does not exist yet."""
    from django.urls import NoReverseMatch

    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""
