"""Properties of the paper's readers over the layout variants of issue 14: however
a header is laid out (number below "GRDrs", a budget reading or a non-public mark
above the title, the title wrapped anywhere, a second department), the facts
read are the same, and what is unusual is said, never guessed.

Sizes: the importer's profile, all examples on PostgreSQL (CI), a quarter on SQLite.
"""

import re
from pathlib import Path

from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from demo.corpus import CORPUS_DIR
from importer.reading.departments import normal_form
from importer.reading.items import split_items
from importer.reading.paper import read_paper
from importer.reading.paper_draft import Code

PROFILE = settings.get_profile("importer")
DATA = Path(__file__).parent / "data"


def examples(full):
    return full if connection.vendor == "postgresql" else max(10, full // 4)


# Complete headers whose facts are known: every variant must read them alike.
BASES = [
    (CORPUS_DIR / "grdrs_0949_2019.txt").read_text(encoding="utf-8"),
    (DATA / "grdrs_0301_2008_number_below.txt").read_text(encoding="utf-8"),
    (DATA / "grdrs_0620_2013_gemeinsam.txt").read_text(encoding="utf-8"),
    (DATA / "grdrs_0088_2015_neufassung.txt").read_text(encoding="utf-8"),
]
MARKS = [
    "zur nichtöffentlichen Behandlung",
    "- nichtöffentlich -",
    "Nicht öffentlich",
    "– nicht-öffentlich –",
]
READINGS = ["Haushalt 2024/2025", "Unterlage für die 2. Lesung", "Haushalt 2020/2021"]
REFERENCE_LINE_RE = re.compile(r"^GRDrs (\d+/\d{4})$", re.MULTILINE)


def facts(draft):
    return (
        draft.number,
        draft.year,
        draft.suffix,
        draft.date,
        draft.department,
        draft.file_reference,
        draft.title,
        draft.paper_type_key,
        [(c.committee, c.role_key, c.public, c.date) for c in draft.consultations],
        [c.reference for c in draft.referenced_papers],
    )


def title_block(text):
    """(start, end) offsets of the title lines, between the date and the type."""
    draft = read_paper(text)
    lines = text.split("\n")
    first = draft.lines["title"] - 1
    last = first
    while lines[last + 1].strip():
        last += 1
    start = sum(len(line) + 1 for line in lines[:first])
    end = sum(len(line) + 1 for line in lines[: last + 1]) - 1
    return start, end


@st.composite
def variant(draw):
    text = draw(st.sampled_from(BASES))
    expected = facts(read_paper(text))
    start, end = title_block(text)
    title = text[start:end]
    words = title.split()
    # The title wrapped after any words (never inside a hyphenated word).
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(words) - 1)), max_size=4)))
    pieces, previous = [], 0
    for cut in [*cuts, len(words)]:
        if cut > previous:
            pieces.append(" ".join(words[previous:cut]))
            previous = cut
    if any(piece.endswith("-") for piece in pieces[:-1]):
        pieces = [" ".join(words)]
    above = []
    reading = draw(st.lists(st.sampled_from(READINGS), max_size=2, unique=True))
    mark = draw(st.none() | st.sampled_from(MARKS))
    if mark:
        above.append(mark)
    above += reading
    text = text[:start] + "\n".join([*above, *pieces]) + text[end:]
    below = draw(st.booleans())
    if below:
        text = REFERENCE_LINE_RE.sub(r"GRDrs\n\1", text, count=1)
    return text, expected, mark, reading


@settings(PROFILE, max_examples=examples(200))
@given(variant())
def test_a_header_laid_out_otherwise_reads_the_same_facts(case):
    text, expected, mark, reading = case
    draft = read_paper(text)
    assert facts(draft) == expected
    assert draft.budget_reading == " ".join(reading)
    assert draft.marked_non_public == bool(mark)
    assert (Code.NON_PUBLIC in draft.codes()) == bool(mark)
    assert not draft.is_public if mark else True


NAME_WORDS = st.lists(
    st.sampled_from(
        ["Allgemeine", "Verwaltung", "Kultur", "Recht", "Umwelt", "Technik", "Sport"]
    ),
    min_size=2,
    max_size=5,
)
SEPARATORS = st.sampled_from([", ", "/", " / ", ",", " - ", " "])


@settings(PROFILE, max_examples=examples(200))
@given(NAME_WORDS, st.data())
def test_punctuation_between_words_and_a_bracketed_short_name_do_not_count(words, data):
    plain = "Referat " + " ".join(words)
    printed = "Referat " + words[0]
    for word in words[1:]:
        printed += data.draw(SEPARATORS) + word
    if data.draw(st.booleans()):
        printed += " (" + data.draw(st.sampled_from(["AKR", "T", "SOS"])) + ")"
    assert normal_form(printed) == normal_form(plain)
    assert normal_form(normal_form(printed)) == normal_form(printed)


ITEM_TEXT = st.from_regex(
    r"[A-ZÄÖÜ][a-zäöüß]{1,8}( [a-zäöüß0-9.,%]{1,10}){0,6}\.", fullmatch=True
)


@settings(PROFILE, max_examples=examples(200))
@given(st.lists(ITEM_TEXT, min_size=1, max_size=12), st.sampled_from([" ", "\n"]))
def test_numbered_items_split_back_into_the_items(items, separator):
    block = separator.join(f"{k}. {text}" for k, text in enumerate(items, start=1))
    assert split_items(block) == items
