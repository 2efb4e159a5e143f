"""German number formats, independent of the locale settings."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


def _group(digits):
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return ".".join(groups)


@register.filter
def de_number(value, places=2):
    """3505000 → "3.505.000,00"; 51.1 with places=1 → "51,1"."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(value)
        places = int(places)
    except (InvalidOperation, TypeError, ValueError):
        return value
    quantum = Decimal(1).scaleb(-places)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    text = _group(whole)
    if places > 0:
        text += "," + fraction
    return sign + text


@register.filter
def euro(value):
    """3505000 → "3.505.000,00 €" (with a non-breaking space before the sign)."""
    if value is None or value == "":
        return ""
    return f"{de_number(value)}\u00a0€"


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


@register.simple_tag(takes_context=True)
def page_url(context, page_number):
    """The current list's address with another page number, filters kept."""
    query = context.get("query_string", "")
    return f"?{query}&page={page_number}" if query else f"?page={page_number}"


@register.simple_tag
def url_of(obj):
    """obj.get_absolute_url(), or "" while the page it names does not exist yet."""
    from django.urls import NoReverseMatch

    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""
