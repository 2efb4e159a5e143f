"""What every reader shares: the text as lines, problems with their line, a result.

A reader is a pure function from lines (and where to start) to a `Read`: the typed
part it found, the warnings about it and the index of the first line it left for
the next reader. No reader touches the database or fills a gap with a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

# gettext needs Django's settings, never the database: the readers stay pure.
from django.utils.translation import gettext as _

from operations import formats

T = TypeVar("T")

MAX_TEXT_CHARS = 2_000_000

# Control characters carry nothing in these texts, and PostgreSQL cannot store a NUL.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class ReadError(ValueError):
    """The text is no document of the kind asked for; the message is for the clerk."""


@dataclass
class Problem:
    """A warning or error with the source line it refers to (1-based), if any."""

    message: str
    line: int | None = None
    # What kind of problem, for code that acts on it (never its translated text).
    code: str | None = None

    def as_json(self):
        return {"line": self.line, "message": self.message}


@dataclass
class Read(Generic[T]):
    """What one reader found: its part, its warnings, where the next reader starts."""

    value: T
    warnings: list[Problem] = field(default_factory=list)
    next: int = 0


def _not_text():
    return ReadError(
        _(
            "Die Datei ist keine Textdatei. Bitte den Text als .txt (UTF-8 oder "
            "Windows-1252) hochladen."
        )
    )


def decode(data: bytes) -> str:
    """Text of an uploaded file in UTF-8 or Windows-1252; ReadError for binaries."""
    if not data.strip():
        raise ReadError(_("Die Datei ist leer."))
    if b"\x00" in data[:8192]:
        raise _not_text()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 8:
        raise _not_text()
    return text


def prepare(text: str) -> tuple[list[str], list[Problem]]:
    """The text as stripped lines (index 0 is line 1), and what was removed."""
    if not isinstance(text, str) or not text.strip():
        raise ReadError(_("Der Text ist leer."))
    if len(text) > MAX_TEXT_CHARS:
        raise ReadError(
            _("Der Text ist zu lang (mehr als %(n)s Zeichen).")
            % {"n": formats.number(MAX_TEXT_CHARS)}
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\t", " ")
    warnings = []
    controls = len(CONTROL_RE.findall(text))
    if controls:
        text = CONTROL_RE.sub("", text)
        warnings.append(
            Problem(
                _(
                    "%(n)s Steuerzeichen (etwa Nullzeichen) im Text wurden entfernt; "
                    "bitte prüfen, ob der Text vollständig ist."
                )
                % {"n": controls}
            )
        )
    # Form feeds and other line breaks of str.splitlines() would shift numbers.
    return [line.strip() for line in text.split("\n")], warnings


def squash(text: str) -> str:
    """Runs of whitespace as one space, none at the ends."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """For comparing words: case, ß/ss and spacing do not count."""
    return squash(text).casefold().replace("ß", "ss")


def join_lines(lines: Sequence[str]) -> str:
    """Join wrapped lines; "Integrations-" + "management" is one word again.

    The pieces are joined once at the end: growing a string line by line copies
    it again and again (quadratic).
    """
    pieces: list[str] = []
    for line in lines:
        if not line:
            continue
        last = pieces[-1] if pieces else ""
        first_word = line.split(" ", 1)[0]
        if (
            last.endswith("-")
            and line[:1].islower()
            and last[-2:-1].isalpha()
            and first_word not in ("und", "oder", "bzw.", "sowie")
        ):
            pieces[-1] = last[:-1]
        elif pieces:
            pieces.append(" ")
        pieces.append(line)
    return squash("".join(pieces))


def next_nonempty(lines: Sequence[str], start: int) -> int | None:
    for index in range(max(start, 0), len(lines)):
        if lines[index]:
            return index
    return None


def shorten(text: str, limit: int = 80) -> str:
    """A value quoted in a message: never a whole pasted page."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
