"""German numbers from one place (operations.formats), whatever language is active."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.template import engines
from django.utils import translation

from operations import formats


def test_amounts_have_thousands_points_a_decimal_comma_and_the_euro_sign():
    assert formats.amount(Decimal("26200.00")) == "26.200,00\u00a0€"
    assert formats.amount(3505000) == "3.505.000,00\u00a0€"
    assert formats.amount(Decimal("-1234.565")) == "-1.234,57\u00a0€"
    assert formats.amount(None) == ""


def test_shares_keep_their_own_places_with_a_decimal_comma():
    assert formats.percent(Decimal("37.50")) == "37,5 %"
    assert formats.percent(Decimal("100.00")) == "100 %"


def test_full_time_equivalents_show_at_least_one_decimal():
    assert formats.full_time_equivalents(Decimal("2")) == "2,0"
    assert formats.full_time_equivalents(Decimal("0.750")) == "0,75"


def test_spreadsheet_numbers_have_no_thousands_separator():
    assert formats.spreadsheet_number(Decimal("34450"), 2) == "34450,00"
    assert formats.spreadsheet_number(Decimal("37.50")) == "37,5"


def test_numbers_stay_german_under_another_active_language():
    with translation.override("en"):
        assert formats.amount(Decimal("1234567.891")) == "1.234.567,89\u00a0€"


def test_the_template_filters_use_the_same_formats():
    template = engines["django"].from_string(
        "{% load council_format %}{{ a|euro }}|{{ a|de_number:1 }}|{{ s|percent }}"
        "|{{ text|euro }}"
    )
    rendered = template.render(
        {"a": Decimal("26200"), "s": Decimal("37.5"), "text": "kein Betrag"}
    )
    assert rendered == "26.200,00\u00a0€|26.200,0|37,5 %|kein Betrag"


def test_days_are_printed_as_the_papers_print_them_in_either_language():
    template = engines["django"].from_string(
        "{% load council_format %}{{ day|day }}|{{ moment|day }}|{{ none|day }}"
        "|{{ text|day }}"
    )
    # 23:30 UTC on New Year's Eve is already 1 January in Stuttgart.
    moment = datetime.datetime(2021, 12, 31, 23, 30, tzinfo=datetime.UTC)
    context = {"day": datetime.date(2021, 12, 31), "moment": moment, "none": None}
    for language in ("de", "en"):
        with translation.override(language):
            rendered = template.render({**context, "text": "kein Tag"})
        assert rendered == "31.12.2021|01.01.2022||"
    assert formats.date_time(moment) == "01.01.2022 00:30"


def test_the_minutes_reference_names_what_is_recorded_in_one_run():
    template = engines["django"].from_string(
        "{% load council_format %}{{ step|minutes_reference }}"
    )

    def render(minutes, agenda):
        step = SimpleNamespace(minutes_number=minutes, agenda_number=agenda)
        with translation.override("de"):
            return template.render({"step": step})

    assert render("184/E", "5") == "Niederschrift Nr. 184/E, TOP 5"
    assert render("86", "") == "Niederschrift Nr. 86"
    assert render("", "8") == "TOP 8"
    assert render("<b>", "") == "Niederschrift Nr. &lt;b&gt;"


def test_a_funding_line_names_its_amount_in_german(db):
    from tests.factories import FundingLineFactory

    line = FundingLineFactory(amount=Decimal("26200.00"), year=2020)
    assert str(line).endswith("2020: 26.200,00\u00a0€")
