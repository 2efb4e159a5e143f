"""Read passages of the corpus texts that ship with the demo, verbatim.

This is not the importer: it only cuts out passages whose headings the demo knows.
"""

import re
from functools import cache
from pathlib import Path

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

    Each item starts with its number, a dot, a space and a capital letter; numbers
    are taken in order, so "31.12.2019" or "EG 10" inside an item do not split it.
    """
    block = between(name, start, end)
    starts = []
    number, pos = 1, 0
    while match := re.compile(rf"(?:^|\s){number}\. (?=[A-ZÄÖÜ])").search(block, pos):
        starts.append((match.start(), match.end()))
        number, pos = number + 1, match.end()
    ends = [begin for begin, _ in starts[1:]] + [len(block)]
    return [
        " ".join(block[s:e].split()) for (_, s), e in zip(starts, ends, strict=True)
    ]
