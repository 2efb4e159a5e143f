"""Read passages of the corpus texts that ship with the demo, verbatim.

This is not the importer: it only cuts out passages whose headings the demo knows.
"""

import re
from functools import cache
from pathlib import Path

from importer.reading.items import split_items

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"


@cache
def text(name):
    return (CORPUS_DIR / name).read_text(encoding="utf-8")


def between(name, start, end):
    """The text after the line `start` up to the next line that begins with `end`.

    Headings are matched as whole lines: "Finanzielle Auswirkungen" also stands in
    quotes inside Ziff. 6 of 949/2019, and that must not count.
    """
    body = text(name)
    heading = re.compile(rf"^{re.escape(start)}[ \t]*$", re.MULTILINE).search(body)
    stop = re.compile(rf"^{re.escape(end)}", re.MULTILINE).search(body, heading.end())
    return body[heading.end() : stop.start()].strip()


def items(name, start, end):
    """The numbered items between two headings, also where several share a line.

    Split by the importer's own reader (importer.reading.items), so that the demo
    data and an imported paper cannot disagree about where an item ends.
    """
    return split_items(between(name, start, end))
