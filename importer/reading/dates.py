"""Dates as the council information system prints them.

The separator tells the order: `22.03.2007` is day first (German), `11/28/2002`
month first (the system's header dates, and meeting dates in older years). A date
valid in both orders is read in the order its separator tells; where that order
is impossible (`28/11/2002`) or contradicts other dates of the document, the
caller gets both readings and says so, never guessing in silence.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from operations import formats

from .text import Problem

MONTHS = {
    "januar": 1,
    "jänner": 1,
    "februar": 2,
    "märz": 3,
    "maerz": 3,
    "april": 4,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "dezember": 12,
}
# The year in four digits, or in two in older protocols ("22.03.07").
NUMERIC_DATE = r"(?<!\d)(\d{1,2})\s?([./])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?!\d)"
NUMERIC_DATE_RE = re.compile(NUMERIC_DATE)
LONG_DATE = (
    r"(?<!\d)(\d{1,2})\.\s?(" + "|".join(MONTHS) + r")\s(\d{4})(?!\d)"
)  # 21. März 2007
LONG_DATE_RE = re.compile(LONG_DATE, re.IGNORECASE)
# Either form, without groups, for patterns that embed a date.
ANY_DATE = (
    r"(?:\d{1,2}\s?\.\s?\d{1,2}\s?\.\s?(?:\d{4}|\d{2}(?!\d))"
    r"|\d{1,2}\s?/\s?\d{1,2}\s?/\s?\d{4}"
    r"|\d{1,2}\.\s?(?:" + "|".join(MONTHS) + r")\s\d{4})"
)


FIRST_YEAR, LAST_YEAR = 1900, 2999
# A two-digit year: the register's papers are of 1970 and later.
CENTURY_TURN = 70
# A meeting follows the consultations before it (and its paper) within this.
NEAR = datetime.timedelta(days=92)


@dataclass(frozen=True)
class PrintedDate:
    """A date as printed: the reading its form tells, and the other one if valid."""

    printed: str
    date: datetime.date | None
    # The other order (day and month swapped), where it is a different valid date.
    other: datetime.date | None = None
    # The printed order was impossible; `date` is the swapped reading.
    swapped: bool = False
    month_first: bool = False


def _date(year, month, day):
    # The register's years (papers from 1900 on); "1/1/0001" is no meeting date.
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def read_date(text: str) -> PrintedDate | None:
    """The first date in `text`, or None where there is none."""
    numeric = NUMERIC_DATE_RE.search(text)
    if numeric is None:
        long = LONG_DATE_RE.search(text)
        if long is None:
            return None
        month = MONTHS[long[2].casefold()]
        return PrintedDate(long[0], _date(int(long[3]), month, int(long[1])))
    first, separator, second, printed_year = numeric.groups()
    first, second, year = int(first), int(second), int(printed_year)
    if len(printed_year) == 2:
        year += 2000 if year < CENTURY_TURN else 1900
    month_first = separator == "/"
    day, month = (second, first) if month_first else (first, second)
    told, swapped = _date(year, month, day), _date(year, day, month)
    if swapped == told:
        swapped = None
    printed = numeric[0]
    if told is None:
        return PrintedDate(printed, swapped, swapped=swapped is not None)
    return PrintedDate(printed, told, other=swapped, month_first=month_first)


def settle(
    printed: PrintedDate | None,
    *,
    not_before: datetime.date | None = None,
    what: str,
    line: int | None = None,
) -> tuple[datetime.date | None, list[Problem]]:
    """The date to take, with a warning wherever the reading is not certain.

    `not_before` is what the document says the date cannot precede (an earlier
    consultation, the paper's own date). A month-first date valid in both orders
    is taken as printed; without a warning only where just that reading falls
    within three months after `not_before`.
    """
    if printed is None:
        return None, []
    if printed.date is None:
        return None, [
            Problem(
                _("%(what)s „%(date)s“ ist kein gültiges Datum.")
                % {"what": what, "date": printed.printed},
                line,
            )
        ]

    def fits(day):
        return day is not None and (not_before is None or day >= not_before)

    def german(day):
        return formats.date(day)

    if printed.swapped:
        return printed.date, [
            Problem(
                _(
                    "%(what)s „%(date)s“ ist in der üblichen Reihenfolge kein "
                    "gültiges Datum; gelesen als %(read)s. Bitte prüfen."
                )
                % {"what": what, "date": printed.printed, "read": german(printed.date)},
                line,
            )
        ]

    def near(day):
        return not_before is not None and day - not_before <= NEAR

    if fits(printed.date):
        if printed.month_first and fits(printed.other):
            if near(printed.date) and not near(printed.other):
                # The meeting follows the earlier ones within weeks, not months.
                return printed.date, []
            return printed.date, [
                Problem(
                    _(
                        "%(what)s „%(date)s“ ist mehrdeutig; gelesen als %(read)s "
                        "(Monat zuerst, wie in diesem System üblich), möglich wäre "
                        "auch %(other)s. Bitte prüfen."
                    )
                    % {
                        "what": what,
                        "date": printed.printed,
                        "read": german(printed.date),
                        "other": german(printed.other),
                    },
                    line,
                )
            ]
        return printed.date, []
    if fits(printed.other):
        return printed.other, [
            Problem(
                _(
                    "%(what)s „%(date)s“ läge vor dem %(bound)s, der früher sein muss; "
                    "gelesen mit Tag und Monat vertauscht als %(read)s. Bitte prüfen."
                )
                % {
                    "what": what,
                    "date": printed.printed,
                    "bound": german(not_before),
                    "read": german(printed.other),
                },
                line,
            )
        ]
    return printed.date, [
        Problem(
            _(
                "%(what)s %(read)s liegt vor dem %(bound)s, der früher sein muss. "
                "Bitte prüfen."
            )
            % {"what": what, "read": german(printed.date), "bound": german(not_before)},
            line,
        )
    ]
