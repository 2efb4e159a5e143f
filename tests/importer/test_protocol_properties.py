"""Properties of the protocol reader and of recording, whatever the text.

- On any text (and corpus lines spliced with noise, corpus protocols cut short and
  patched), `read_protocol` raises nothing but `ReadError`, and its draft always
  serialises to the JSON of the command.
- Its work grows in proportion to the text, whatever part grows (counted, as in
  test_linear_time.py: lines run, characters of strings made, characters the
  patterns are given to read).
- Recording a mutated protocol either succeeds or raises ProtocolImportError and
  leaves every table as it was; previewing it (protocol_plan) leaves every table,
  the audit trail too, as it was.

Examples per property: the full count on PostgreSQL (the database of production
and CI), a fifth of it on SQLite; PROTOCOL_PROFILE=full or quick overrides.
"""

import contextlib
import json
import os
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import importer.reading
from council.models import Committee, Consultation, Meeting, Paper, ResolutionItem
from importer.large_protocols import SHAPES, size_for
from importer.protocols import ProtocolImportError, protocol_import
from importer.reading import ReadError, read_protocol
from importer.reading.protocol_header import read_protocol_header
from importer.reading.text import prepare

from .protocol_texts import CORPUS_PROTOCOLS, protocol
from .test_linear_time import MAX_RATIO, Counter, CountingPattern, counting_re

PROFILE = os.environ.get("PROTOCOL_PROFILE") or (
    "full" if connection.vendor == "postgresql" else "quick"
)
EXAMPLES = {"full": 1.0, "quick": 0.2}[PROFILE]


def examples(full):
    return max(10, int(full * EXAMPLES))


settings.register_profile(
    "protocols",
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
BASE = settings.get_profile("protocols")

TEXTS = [path.read_text(encoding="utf-8") for path in CORPUS_PROTOCOLS]
TEXTS.append(protocol())
FRAGMENTS = sorted({line for text in TEXTS for line in text.splitlines() if line})
FRAGMENTS += [
    "Protokoll:",
    "Niederschrift Nr. 12",
    "TOP:",
    "TOP: 8 a",
    "184/E",
    "VerhandlungDrucksache:",
    "648/2020 Neufassung",
    "Neufassung",
    "1. Ergänzung",
    "GZ:",
    "Sitzungstermin: 11/28/2002",
    "Sitzungstermin: 03/04/2002",
    "Sitzungstermin: 31.02.2007",
    "Sitzungsart: nicht öffentlich",
    "Sitzungsart: nichtöffentlich",
    "Betreff: Satzung",
    "- Zurückstellung -",
    "Vorgang: Verwaltungsausschuß vom 21.03.2007, nicht öffentlich, Nr. 116",
    "Verwaltungsausschuss vom 27.11.2002,",
    "Ausschuss für Umwelt und",
    "Ergebnis: einmütige Zustimmung",
    "Ergebnis:",
    "Ergebnis: ohne Votum",
    "OB Kuhn stellt fest:",
    "Der Gemeinderat beschließt mit 30:20:5 Stimmen wie beantragt.",
    "Der Gemeinderat beschließt bei einer Gegenstimme und 2 Enthaltungen "
    "mehrheitlich wie beantragt mit einer ergänzten Ziffer 5.",
    "Der Verwaltungsausschuss stimmt einmütig zu.",
    "Vertagung",
    "Die Ziffer 1 müsse daher wie folgt lauten (Berichtigung fett):",
    "1. Die Satzung wird beschlossen.",
    "File Attachment Icon",
    "Seite 2 von 3",
    "- 2 -",
    "Niederschrift Nr. 56",
    "OB Dr. Schuster stellt fest: Der Gemeinderat beschließt einstimmig wie beantragt.",
    "OB Kuhn stellt die einmütige Zustimmung des Gemeinderats fest.",
    "Der Gemeinderat stimmt Ziffer 1 einstimmig, Ziffer 2 bei 3 Gegenstimmen zu.",
    "Der Gemeinderat beschließt mehrheitlich:",
    "Verwaltungsausschuss vom 21.03.07, öffentlich, Nr. 116, Ergebnis: Zustimmung",
]
CHARACTERS = st.characters(exclude_categories=("Cs",))
NOISE = st.text(CHARACTERS, max_size=60)


@st.composite
def corpus_block(draw):
    """Consecutive lines of a protocol: a header, the consultations, a decision."""
    lines = draw(st.sampled_from(TEXTS)).splitlines()
    start = draw(st.integers(0, len(lines) - 1))
    return "\n".join(lines[start : start + draw(st.integers(1, 20))])


LINES = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), corpus_block(), NOISE, NOISE.map(str.strip)),
    max_size=60,
)


@st.composite
def header_and_noise(draw):
    """A real protocol header to its "TOP:" at least, and spliced fragments."""
    lines = draw(st.sampled_from(TEXTS)).splitlines()
    cut = draw(st.integers(6, min(len(lines), 30)))
    return "\n".join(lines[:cut] + draw(LINES))


@st.composite
def mutated_protocol(draw):
    """A corpus protocol, cut short and with pieces replaced by noise or fragments."""
    text = draw(st.sampled_from(TEXTS))
    text = text[: draw(st.integers(0, len(text)))]
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 200)))
        piece = draw(st.one_of(NOISE, st.sampled_from(FRAGMENTS)))
        text = text[:start] + piece + text[end:]
    return text


ANY_TEXT = st.one_of(
    st.text(CHARACTERS, max_size=500),
    LINES.map("\n".join),
    header_and_noise(),
    mutated_protocol(),
)


def check_draft(draft):
    """What every draft promises, however bad the text."""
    data = json.loads(json.dumps(draft.as_json()))
    assert "\\u0000" not in json.dumps(data)
    assert set(data) == {
        "committee",
        "meeting_date",
        "public",
        "minutes_number",
        "top",
        "papers",
        "file_reference",
        "subject",
        "previous_consultations",
        "result",
    }
    assert all(problem.message for problem in draft.warnings + draft.errors)
    for number in (draft.header.minutes_number, draft.header.top):
        assert number is None or len(number) <= 20
    assert len(set(draft.papers)) == len(draft.papers)
    assert all(paper.number >= 1 for paper in draft.papers)
    if draft.ok:
        assert draft.committee and draft.meeting_date
        assert 1900 <= draft.meeting_date.year <= 2999


@settings(BASE, max_examples=examples(1000))
@given(ANY_TEXT)
def test_the_reader_raises_nothing_but_its_own_error_on_any_text(text):
    try:
        draft = read_protocol(text)
    except ReadError as exc:
        assert str(exc)
        event("keine Niederschrift")
        return
    event("Entwurf mit Fehlern" if draft.errors else "Entwurf ohne Fehler")
    check_draft(draft)


@settings(BASE, max_examples=examples(600))
@given(header_and_noise())
def test_a_real_header_followed_by_anything_is_still_a_protocol(text):
    draft = read_protocol(text)

    check_draft(draft)
    assert draft.committee


DOMAIN = [Paper, Consultation, Meeting, Committee, ResolutionItem]


def counts():
    return [model.objects.count() for model in DOMAIN]


@pytest.mark.django_db
@settings(BASE, max_examples=examples(300))
@given(mutated_protocol())
def test_recording_any_protocol_saves_all_or_nothing(text):
    try:
        draft = read_protocol(text)
    except ReadError:
        return
    before = counts()
    try:
        record = protocol_import(draft=draft)
    except ProtocolImportError as exc:
        assert exc.messages
        assert counts() == before
        event("nichts erfasst")
        return
    event("erfasst" if draft.papers else "ohne Drucksache")
    if draft.papers:
        assert record.meeting.date == draft.meeting_date
    else:
        assert record.meeting is None
        assert counts() == before
    assert len(record.consultations) == len(draft.papers)


# -- linear time -------------------------------------------------------------------

GROWN_CHARS = 12_000
READER_MODULES = [
    module
    for name, module in sorted(sys.modules.items())
    if name.startswith("importer.reading.")
]
READER_FILES = {module.__file__ for module in READER_MODULES}


def reader_work(text):
    """Counter of the work of `read_protocol(text)` in every reader module."""
    counter = Counter()
    saved = {}
    for module in READER_MODULES:
        patched = {"re": counting_re(counter)} if hasattr(module, "re") else {}
        for name, value in vars(module).items():
            if hasattr(value, "pattern") and hasattr(value, "finditer"):
                patched[name] = CountingPattern(value, counter)
        for name, value in vars(module).items():
            if isinstance(value, dict) and name == "LABEL_RES":
                patched[name] = {
                    k: CountingPattern(v, counter) for k, v in value.items()
                }
        saved[module] = {name: getattr(module, name) for name in patched}
        vars(module).update(patched)
    bound = {}

    def trace_lines(frame, event, arg):
        if event == "line":
            counter.lines += 1
            for name, value in frame.f_locals.items():
                key = (id(frame), name)
                if isinstance(value, str) and bound.get(key) != id(value):
                    bound[key] = id(value)
                    counter.chars += len(value)
        return trace_lines

    def trace_calls(frame, event, arg):
        return trace_lines if frame.f_code.co_filename in READER_FILES else None

    previous = sys.gettrace()
    sys.settrace(trace_calls)
    try:
        with contextlib.suppress(ReadError):
            importer.reading.read_protocol(text)
    finally:
        sys.settrace(previous)
        for module, names in saved.items():
            vars(module).update(names)
    return counter


def growth(shape, chars=GROWN_CHARS):
    make = SHAPES[shape]
    n = size_for(shape, chars)
    small, large = reader_work(make(n)), reader_work(make(2 * n))
    return {
        count: getattr(large, count) / getattr(small, count)
        for count in ("lines", "chars", "read")
    }


@pytest.mark.parametrize("shape", SHAPES)
def test_twice_the_protocol_is_about_twice_the_readers_work(shape):
    for count, ratio in growth(shape).items():
        assert ratio < MAX_RATIO, f"{shape}: {ratio:.2f}x the {count} for 2x the text"


def test_the_counts_see_a_list_searched_for_every_paper(monkeypatch):
    # The reader of issue 14's first draft: each paper looked up in a list.
    from importer.reading import protocol_header

    def quadratic(header, values, warnings):
        papers = []
        for _number, text in values["paper"].lines:
            for ref in protocol_header.paper_refs(text):
                for known in papers:
                    if known == ref:
                        break
                else:
                    papers.append(ref)
        header.papers = papers

    quadratic.__code__ = quadratic.__code__.replace(
        co_filename=protocol_header.__file__
    )
    monkeypatch.setattr(protocol_header, "_papers", quadratic)
    # A quarter of the usual size: the quadratic reader is slow under the trace.
    assert growth("many_papers", GROWN_CHARS // 4)["lines"] > MAX_RATIO


def test_the_shapes_are_protocols():
    for make in SHAPES.values():
        assert read_protocol(make(3)).committee == "Gemeinderat"


@pytest.mark.django_db
def test_the_benchmark_reads_records_and_times_every_shape():
    out = StringIO()
    call_command(
        "benchmark_protocols",
        "--rounds",
        "1",
        "--protocols",
        "2",
        "--large",
        "--megabytes",
        "0.01",
        stdout=out,
    )
    report = out.getvalue().splitlines()
    assert report[0].startswith("Lesen: 5 Niederschriften")
    assert "Abfragen je Datei" in report[1]
    assert [line.split()[0] for line in report[4:]] == list(SHAPES)
    # The benchmark's writes are rolled back.
    assert not Paper.objects.exists()


@pytest.mark.django_db
@settings(BASE, max_examples=examples(100))
@given(mutated_protocol())
def test_the_preview_of_any_protocol_saves_nothing(text):
    from importer.protocol_plan import protocol_plan

    try:
        draft = read_protocol(text)
    except ReadError:
        return
    before = counts() + [
        Consultation.audit_trail.model.objects.count(),
        Paper.audit_trail.model.objects.count(),
    ]

    plan = protocol_plan(draft)

    assert (
        counts()
        + [
            Consultation.audit_trail.model.objects.count(),
            Paper.audit_trail.model.objects.count(),
        ]
        == before
    )
    if plan.errors:
        event("Vorschau mit Fehlern")
    else:
        event("Vorschau")
        assert len(plan.papers) == len(draft.papers)


# What a page break leaves in an exported protocol (reading/pages.py).
FURNITURE = [
    "Seite 2",
    "Seite 2 von 5",
    "- 3 -",
    "– 3 –",
    "File Attachment Icon",
    "Protokoll: Gemeinderat der Landeshauptstadt Stuttgart Niederschrift Nr. 56",
    "Niederschrift Nr. 184/E\nTOP: 5",
    "Protokoll: Gemeinderat der Landeshauptstadt StuttgartNiederschrift Nr."
    "\nTOP:\n56\n8",
]
DECIDED = [
    *TEXTS,
    protocol(
        decision="OB Dr. Schuster stellt fest:\n\nDer Gemeinderat beschließt bei 3 "
        "Enthaltungen\nmehrheitlich wie beantragt."
    ),
]


@settings(BASE, max_examples=examples(400))
@given(st.data())
def test_page_furniture_between_body_lines_changes_nothing_read(data):
    text = data.draw(st.sampled_from(DECIDED))
    lines = text.split("\n")
    body = read_protocol_header(prepare(text)[0]).next
    if body >= len(lines):
        return
    breaks = data.draw(
        st.lists(
            st.tuples(st.integers(body, len(lines)), st.sampled_from(FURNITURE)),
            min_size=1,
            max_size=4,
        )
    )
    broken = list(lines)
    for at, furniture in sorted(breaks, reverse=True):
        broken[at:at] = furniture.split("\n")

    assert read_protocol("\n".join(broken)).as_json() == read_protocol(text).as_json()
