"""German numbers, amounts, shares and dates: the one place they are formatted.

Pages (the `council_format` template filters), exports (CSV and XLSX), mails (the
expiry reminders), feeds and the admin all call these functions. They rest on
Django's localisation: the separators and the grouping come from Django's German
format module (`django/conf/locale/de/formats.py`, read through `get_format`) and
the digits are laid out by `django.utils.numberformat`, the function behind
`number_format` and `floatformat`. Two choices differ from Django's defaults:

- The language is always German, not the active one: an amount in a council
  paper reads "3.505.000,00 €" whatever language a browser asks for, and a CSV
  made for German Excel must not change with it.
- Grouping is asked for here, per call, instead of switching on
  `USE_THOUSAND_SEPARATOR` for the whole site: that setting would also group every
  bare integer a template prints, and years ("2.019") or paper numbers must not
  be grouped.

Rounding is half up (kaufmännisch), as in the papers; Django's `numberformat`
alone would cut off the extra places.

Days are printed as German papers print them ("31.12.2021"), in the German
`SHORT_DATE_FORMAT` through `django.utils.dateformat`; moments in the site's
time zone ("31.12.2021 14:30").
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import dateformat, numberformat, timezone
from django.utils.formats import get_format

LANGUAGE = "de"
# A no-break space keeps "1.500,00 €" on one line in a table cell; shares are
# printed inside running text ("50 % EG 10 TVöD"), with a plain space.
EURO_SIGN = "\u00a0€"
PERCENT_SIGN = " %"


def _german(name):
    return get_format(name, lang=LANGUAGE, use_l10n=True)


def number(value, places=None, *, grouping=True):
    """3505000 → "3.505.000,00" (places=2); 51.1 → "51,1" (places=None keeps the
    value's own places, without trailing zeros); grouping=False → "3505000,00".
    None → "". Raises decimal.InvalidOperation (a ValueError) for no number."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if places is None:
        value = value.normalize()
    else:
        value = value.quantize(Decimal(1).scaleb(-int(places)), ROUND_HALF_UP)
    return numberformat.format(
        value,
        _german("DECIMAL_SEPARATOR"),
        decimal_pos=places,
        grouping=_german("NUMBER_GROUPING") if grouping else 0,
        thousand_sep=_german("THOUSAND_SEPARATOR"),
        force_grouping=grouping,
        use_l10n=True,
    )


def amount(value):
    """An amount in euro: 3505000 → "3.505.000,00 €"; None → ""."""
    if value is None or value == "":
        return ""
    return number(value, 2) + EURO_SIGN


def percent(value):
    """A share in percent: 37.50 → "37,5 %", 100 → "100 %"; None → ""."""
    if value is None or value == "":
        return ""
    return number(value) + PERCENT_SIGN


def full_time_equivalents(value):
    """Full-time equivalents with at least one decimal: "2,0", "0,75"."""
    value = Decimal(value).normalize()
    return number(value, max(1, -value.as_tuple().exponent))


def spreadsheet_number(value, places=None):
    """What German Excel reads as a number from a CSV cell: decimal comma, no
    thousands separator ("34450,00"); None → ""."""
    return number(value, places, grouping=False)


def date(value):
    """A day: 2021-12-31 → "31.12.2021"; None → ""."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return dateformat.format(value, _german("SHORT_DATE_FORMAT"))


def date_time(value):
    """A moment in the site's time zone: "31.12.2021 14:30"; None → ""."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, _german("SHORT_DATETIME_FORMAT"))
