"""The parser's work grows in proportion to the text, whatever part of it grows.

No clock: the work is counted. Each shape of importer.large_texts makes a text
that grows in one part of a Vorlage; the parser runs on it at size n and at 2n,
and three counts must about double, not quadruple:

- lines of the paper's readers (importer.reading) run (a list or a text
  scanned once per line or per
  match: a loop inside a loop);
- characters of the strings the parser makes and names (repeated concatenation:
  issue 10's title of 490,000 lines took half a minute);
- characters the regular expressions are given to read: the whole window of a
  search that finds nothing, up to the end of the match of one that does, what
  an anchored match matched (one text searched again for every decision, every
  line).

What the counts cannot see is work inside one call of C code: a pattern that
backtracks over a long run of digits or spaces, one `list.insert(0, …)`. The
benchmark (`manage.py benchmark_import --large`) times every shape at 1 MB and
2 MB for that.
"""

import re
import sys
import types
from io import StringIO

import pytest
from django.core.management import call_command

from importer.large_texts import SHAPES, size_for
from importer.reading import (
    beratungsfolge,
    citations,
    departments,
    funding,
    header,
    items,
    paper,
    paper_source,
    positions,
    sections,
    signature,
    text,
)

# Every module the paper's reader runs: their lines are counted, their patterns too.
PAPER_MODULES = (
    paper,
    paper_source,
    header,
    departments,
    beratungsfolge,
    sections,
    items,
    signature,
    citations,
    positions,
    funding,
    text,
)

# The part that grows: large enough that a quadratic part would dominate the
# work on the fixed rest of the Vorlage, small enough to trace quickly.
GROWN_CHARS = 12_000
# Linear work doubles (a little less, with the fixed part); quadratic, 4x.
MAX_RATIO = 2.3


class Counter:
    def __init__(self):
        self.lines = self.chars = self.read = 0


class CountingPattern:
    """A compiled pattern that counts what it is given to read."""

    def __init__(self, pattern, counter):
        self.pattern, self.counter = pattern, counter

    def __getattr__(self, name):
        return getattr(self.pattern, name)

    def _window(self, string, pos=0, endpos=None):
        return (len(string) if endpos is None else min(endpos, len(string))) - pos

    def _count(self, found, string, pos=0, endpos=None):
        # A search that finds nothing has read its window; one that finds,
        # at least up to the end of what it found.
        end = found.end() if found else pos + self._window(string, pos, endpos)
        self.counter.read += max(end - pos, 1)
        return found

    def _count_anchored(self, found, pos=0, *args):
        # Anchored at `pos`: what it matched, or (unknown) one for a miss.
        self.counter.read += max(found.end() - pos, 1) if found else 1
        return found

    def match(self, string, *args):
        return self._count_anchored(self.pattern.match(string, *args), *args)

    def fullmatch(self, string, *args):
        return self._count_anchored(self.pattern.fullmatch(string, *args), *args)

    def search(self, string, *args):
        return self._count(self.pattern.search(string, *args), string, *args)

    def finditer(self, string, *args):
        self.counter.read += max(self._window(string, *args), 1)
        return self.pattern.finditer(string, *args)

    def findall(self, string, *args):
        self.counter.read += max(self._window(string, *args), 1)
        return self.pattern.findall(string, *args)

    def sub(self, repl, string, count=0):
        self.counter.read += max(len(string), 1)
        return self.pattern.sub(repl, string, count)

    def split(self, string, maxsplit=0):
        self.counter.read += max(len(string), 1)
        return self.pattern.split(string, maxsplit)


def counting_re(counter):
    """A stand-in for the `re` module whose patterns count."""

    def compile(pattern, flags=0):
        return CountingPattern(re.compile(pattern, flags), counter)

    def call(method):
        def function(pattern, string, *args, flags=0, **kwargs):
            return getattr(compile(pattern, flags), method)(string, *args, **kwargs)

        return function

    names = ("match", "fullmatch", "search", "finditer", "findall")
    module = types.SimpleNamespace(
        **{name: getattr(re, name) for name in dir(re) if not name.startswith("_")}
    )
    module.compile = compile
    for name in names:
        setattr(module, name, call(name))
    module.sub = lambda pattern, repl, string, count=0, flags=0: compile(
        pattern, flags
    ).sub(repl, string, count)
    module.split = lambda pattern, string, maxsplit=0, flags=0: compile(
        pattern, flags
    ).split(string, maxsplit)
    return module


def parser_work(text, modules=PAPER_MODULES, monkeypatch=None):
    """Counter of the work of `paper.read_paper(text)` in `modules`."""
    counter = Counter()
    patches = {}
    for module in modules:
        patched = {"re": counting_re(counter)} if hasattr(module, "re") else {}
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                patched[name] = CountingPattern(value, counter)
        patches[module] = patched
    saved = {
        module: {name: getattr(module, name) for name in patched}
        for module, patched in patches.items()
    }
    files = {module.__file__ for module in modules}
    bound = {}  # (frame, name) → id of the string last seen there

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
        return trace_lines if frame.f_code.co_filename in files else None

    previous = sys.gettrace()
    for module, patched in patches.items():
        vars(module).update(patched)
    sys.settrace(trace_calls)
    try:
        paper.read_paper(text)
    finally:
        sys.settrace(previous)
        for module, values in saved.items():
            vars(module).update(values)
    return counter


def growth(shape, modules=PAPER_MODULES):
    """Work at 2n over work at n: {count: ratio}."""
    make = SHAPES[shape]
    n = size_for(shape, GROWN_CHARS)
    small, large = parser_work(make(n), modules), parser_work(make(2 * n), modules)
    return {
        count: getattr(large, count) / getattr(small, count)
        for count in ("lines", "chars", "read")
    }


@pytest.mark.parametrize("shape", SHAPES)
def test_twice_the_text_is_about_twice_the_parsers_work(shape):
    ratios = growth(shape)
    for count, ratio in ratios.items():
        assert ratio < MAX_RATIO, f"{shape}: {ratio:.2f}x the {count} for 2x the text"


# The two tests below break the parser on purpose, to show the counts would
# catch it: with the code of issue 10, and with a text read again for every line.
QUADRATIC_JOIN = """
def join_lines(lines):
    text = ""
    for line in lines:
        text = f"{text} {line}" if text else line
    return squash(text)
"""


def test_the_counts_see_a_title_joined_by_repeated_concatenation(monkeypatch):
    # Compiled as part of the header reader's file, so that its lines are counted.
    namespace = vars(header).copy()
    exec(compile(QUADRATIC_JOIN, header.__file__, "exec"), namespace)
    monkeypatch.setattr(header, "join_lines", namespace["join_lines"])
    assert growth("short_lines")["chars"] > MAX_RATIO


def test_the_counts_see_a_text_searched_again_for_every_line(monkeypatch):
    original_of = paper_source.Source.of.__func__
    text = [""]

    def of(cls, source):
        made = original_of(cls, source)
        text[0] = made.text
        return made

    def match_heading(line, _heading=sections.HEADING_RE):
        sections.re.search("zum Seitenanfang", text[0])
        return _heading.match(line)

    monkeypatch.setattr(paper_source.Source, "of", classmethod(of))
    monkeypatch.setattr(
        sections, "HEADING_RE", types.SimpleNamespace(match=match_heading)
    )
    assert growth("padded_vorlage")["read"] > MAX_RATIO


def test_the_benchmark_times_every_shape_and_reports_without_judging():
    out = StringIO()
    call_command(
        "benchmark_import",
        "--large",
        "--megabytes",
        "0.02",
        "--repeat",
        "1",
        stdout=out,
    )
    report = out.getvalue().splitlines()
    assert [line.split()[0] for line in report[1:]] == list(SHAPES)
