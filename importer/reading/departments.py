"""The city's Referate, their short names, and names compared in a normal form.

Departments and committees are printed in many ways over the years: "Referat
Allgemeine Verwaltung/Kultur und Recht", "Referat Allgemeine Verwaltung, Kultur
und Recht (AKR)", "Verwaltungsausschuß". `normal_form` makes such spellings equal;
`near` tells a name that is probably the same one, for the clerk to confirm.
"""

from __future__ import annotations

import difflib
import re

# The city's Referate and their short names, as the papers use them; a list of
# co-signing Referate is split along these names ("Wirtschaft, Finanzen und
# Beteiligungen und Allgemeine Verwaltung, Kultur und Recht").
REFERATE = {
    "Allgemeine Verwaltung, Kultur und Recht": "AKR",
    "Allgemeine Verwaltung und Krankenhaus": "AK",
    "Wirtschaft, Finanzen und Beteiligungen": "WFB",
    "Soziales und gesellschaftliche Integration": "SI",
    "Soziales, Jugend und Gesundheit": "SJG",
    "Jugend und Bildung": "JB",
    "Sicherheit, Ordnung und Sport": "SOS",
    "Recht, Sicherheit und Ordnung": "RSO",
    "Kultur, Bildung und Sport": "KBS",
    "Städtebau und Umwelt": "StU",
    "Städtebau, Wohnen und Umwelt": "SWU",
    "Technik": "T",
    "Oberbürgermeister": "OB",
}
SHORT_TO_REFERAT = {short: name for name, short in REFERATE.items()}

# "(AKR)" after a name: its short name, printed or not.
BRACKETED_SHORT_RE = re.compile(r"\s*\(\s*([A-ZÄÖÜ][A-Za-zÄÖÜäöü]{0,5})\s*\)\s*$")
# Old and abbreviated spellings, folded before comparing.
SPELLINGS = [
    (re.compile(r"\bref\.\s*"), "referat "),
    (re.compile(r"\bausschuß"), "ausschuss"),
    (re.compile(r"ß"), "ss"),
    (re.compile(r"\s*&\s*"), " und "),
]
# Punctuation that does not tell two names apart: "/" and "," and "-" alike.
PUNCTUATION_RE = re.compile(r"[\s,/;.:\-–()„“\"']+")
NEAR_RATIO = 0.88


def referat_short(name: str | None) -> str | None:
    """The short name of a Referat named in full ("Referat Technik" → "T")."""
    if not name:
        return None
    bracketed = BRACKETED_SHORT_RE.search(name)
    if bracketed:
        return bracketed[1]
    bare = re.sub(r"^Referat\s+", "", " ".join(name.split()))
    if bare in REFERATE:
        return REFERATE[bare]
    # "Allgemeine Verwaltung/Kultur und Recht": the same Referat, other punctuation.
    wanted = normal_form(bare)
    return next(
        (short for full, short in REFERATE.items() if normal_form(full) == wanted),
        None,
    )


def normal_form(name: str | None) -> str:
    """Lower case, old spellings and punctuation folded, no bracketed short name."""
    text = BRACKETED_SHORT_RE.sub("", name or "").casefold()
    for pattern, replacement in SPELLINGS:
        text = pattern.sub(replacement, text)
    return " ".join(PUNCTUATION_RE.sub(" ", text).split())


def near(name: str, candidates) -> list:
    """Candidates (objects with `.name`, `.short_name`) that are probably `name`:
    the same short name in brackets, one name inside the other, or nearly the same
    letters. The best first."""
    wanted = normal_form(name)
    short = referat_short(name)
    scored = []
    for candidate in candidates:
        theirs = normal_form(candidate.name)
        if not theirs or not wanted:
            continue
        ratio = difflib.SequenceMatcher(None, wanted, theirs).ratio()
        same_short = bool(short) and short == (candidate.short_name or None)
        inside = (
            len(wanted) > 8
            and len(theirs) > 8
            and (wanted in theirs or theirs in wanted)
        )
        if same_short or inside or ratio >= NEAR_RATIO:
            scored.append((same_short, ratio, candidate))
    scored.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
    return [candidate for _same, _ratio, candidate in scored]
