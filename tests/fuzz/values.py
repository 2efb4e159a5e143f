"""Values nobody should send: what the fuzz test sends to every parameter.

NUL and other control characters, lone surrogates (sent as the broken UTF-8 a
client would send), superscript and other non-ASCII digits, 5,000 characters,
huge and negative numbers, impossible dates and time zone offsets, SQL and HTML
fragments; mixed with some valid values, so that a page gets past its first
check now and then.
"""

import datetime
from urllib.parse import quote

from hypothesis import strategies as st

# Fragments that must never come back unescaped in an HTML page. Each contains a
# tag name no page of the site uses.
HTML_FRAGMENTS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "</textarea><script>alert(1)</script>",
    "<zqfuzz>",
]

SPECIAL = [
    "\x00",
    "a\x00b",
    "2019\x00",
    "\x00" * 50,
    "\ud800",
    "\udfff",
    "x\udc80y",
    "²²²²",
    "2021²",
    "¹",
    "٢٠٢١",
    "２０２１",
    "𝟚𝟘𝟚𝟙",
    "Ⅻ",
    "½",
    "",
    " ",
    "\t",
    "\r\n",
    "\u202e",
    "\ufeff",
    "\uffff",
    "\U0010ffff",
    "🙂",
    "x" * 5000,
    "9" * 5000,
    "ä" * 5000,
    "0",
    "-0",
    "-1",
    "00000000000000000001",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999999999",
    "1e400",
    "-1e400",
    "1E+2",
    "NaN",
    "inf",
    "-inf",
    "0x10",
    "1_000",
    "1.5",
    "1,5",
    "9999",
    "10000",
    "0000",
    "0001-01-01",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "2019-02-29",
    "2019-02-30",
    "2019-13-01",
    "2019-00-10",
    "-2019-01-01",
    "31.12.9999",
    "30.02.2019",
    "12/31/9999",
    "2019-02-28T00:00:00+23:59",
    "9999-12-31T23:59:59.999999-23:59",
    "9999-12-31T23:59:59.999999-12:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00",
    "2019-02-28T24:00:00",
    "2019-02-28T00:00:00+99:99",
    "2019-02-28T00:00:00 01:00",
    "2019-02-28T00:00:00Z",
    "2019-02-28T00:00:00.9999999999",
    "' OR '1'='1",
    "' OR 1=1 --",
    "'; DROP TABLE council_paper; --",
    '" OR ""="',
    "1 UNION SELECT password FROM accounts_user",
    "1) OR (1=1",
    "%",
    "%%",
    "_",
    "\\",
    "'",
    '"',
    "*",
    "?",
    "&",
    "=",
    "#",
    "/",
    "../../etc/passwd",
    "{{ 7*7 }}",
    "{% debug %}",
    "${7*7}",
    "true",
    "false",
    "on",
    "None",
    "null",
    "[]",
    "{}",
    "1,2,3",
    "-",
    "__proto__",
    *HTML_FRAGMENTS,
]

ODD_CHARACTERS = st.characters(
    # Surrogates, controls and private use included: nothing is off limits.
    exclude_categories=(),
    max_codepoint=0x10FFFF,
)
TRICKY_ALPHABET = st.sampled_from(
    list("0123456789-+.,:;/ TZ<>\"'%_\\\x00\x7f²³¹٠٩０９") + ["\ud800", "\udfff"]
)


def _date_text(value, offset_minutes, with_time):
    text = value.isoformat()
    if with_time:
        sign = "-" if offset_minutes < 0 else "+"
        hours, minutes = divmod(abs(offset_minutes), 60)
        text += f"T12:00:00{sign}{hours:02d}:{minutes:02d}"
    return text


HOSTILE = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(ODD_CHARACTERS, max_size=40),
    st.text(TRICKY_ALPHABET, max_size=30),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.integers(min_value=-(10**30), max_value=10**30).map(lambda n: f"{n}.{n % 7}"),
    st.builds(
        _date_text,
        st.dates(min_value=datetime.date(1, 1, 1)),
        st.integers(min_value=-24 * 60 + 1, max_value=24 * 60 - 1),
        st.booleans(),
    ),
    st.builds(
        lambda year, month, day: f"{year}-{month:02d}-{day:02d}",
        st.integers(min_value=-99999, max_value=99999),
        st.integers(min_value=0, max_value=99),
        st.integers(min_value=0, max_value=99),
    ),
    st.builds(
        lambda fragment, text: f"{text}{fragment}{text}",
        st.sampled_from(HTML_FRAGMENTS),
        st.text(ODD_CHARACTERS, max_size=5),
    ),
    st.builds(lambda char, n: char * n, ODD_CHARACTERS, st.integers(1000, 5000)),
)


def value(valid=()):
    """A hostile value, or (about one time in four) one of `valid`."""
    if not valid:
        return HOSTILE
    # Built once: a strategy made inside flatmap's function would be made and
    # validated anew for every value drawn.
    choices = [st.sampled_from(list(valid)), HOSTILE, HOSTILE, HOSTILE]
    return st.integers(0, 3).flatmap(choices.__getitem__)


def encoded(text):
    """`text` percent-encoded as a client sends it; a lone surrogate becomes the
    broken UTF-8 it would be on the wire."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def query_string(params):
    return "&".join(f"{encoded(key)}={encoded(text)}" for key, text in params.items())


def reflected(params, body):
    """The HTML fragments sent in `params` that `body` contains unescaped."""
    return [
        fragment
        for fragment in HTML_FRAGMENTS
        if any(fragment in text for text in params.values())
        and fragment.encode() in body
    ]
