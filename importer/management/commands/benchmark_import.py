"""Measure the importer: papers parsed per second, and papers saved per second.

Not a test (timings depend on the machine); the figures go into docs/import.md.
The import part runs inside a transaction that is rolled back, so the database
is left as it was.

`--large` instead times the parser on the large texts of importer.large_texts:
each shape at 0.5 MB and at 1 MB (a linear parser takes twice as long for twice
the text; the paste of issue 10, 1 MB of short lines, took 31 s before). The
parser refuses texts over 2,000,000 characters, so 1 MB is the useful maximum.
"""

import contextlib
import gc
import re
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.corpus import CORPUS_DIR
from importer.large_texts import SHAPES, sized
from importer.reading.paper import ParseError, read_paper
from importer.services import import_batch, paper_import


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Misst, wie schnell der Import Vorlagen liest und speichert."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=200)
        parser.add_argument("--papers", type=int, default=1000)
        parser.add_argument(
            "--large",
            action="store_true",
            help="Nur den Parser auf großen Texten messen (0,5 MB und 1 MB).",
        )
        parser.add_argument(
            "--megabytes", type=float, default=1.0, help="Größe für --large."
        )
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, rounds, papers, large, megabytes, repeat, **options):
        if large:
            return self.large_texts(int(megabytes * 1_000_000), repeat)
        texts = []
        for path in sorted(CORPUS_DIR.glob("grdrs_*.txt")):
            texts.append(path.read_text(encoding="utf-8"))
        start = time.perf_counter()
        parsed = 0
        for _ in range(rounds):
            for text in texts:
                with contextlib.suppress(ParseError):
                    read_paper(text)
                parsed += 1
        elapsed = time.perf_counter() - start
        self.stdout.write(
            f"Parsen: {parsed} Vorlagen in {elapsed:.2f} s = "
            f"{parsed / elapsed:.0f} Vorlagen/s, {1000 * elapsed / parsed:.2f} ms je "
            "Vorlage"
        )

        # Distinct papers from the full text of 949/2019: each gets its own number.
        base = (CORPUS_DIR / "grdrs_0949_2019.txt").read_text(encoding="utf-8")
        start = time.perf_counter()
        try:
            with transaction.atomic(), import_batch():
                for n in range(1, papers + 1):
                    text = re.sub(
                        r"^GRDrs 949/2019$",
                        f"GRDrs {n}/2099",
                        base,
                        count=1,
                        flags=re.MULTILINE,
                    )
                    paper_import(draft=read_paper(text))
                elapsed = time.perf_counter() - start
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(
            f"Import: {papers} Vorlagen in {elapsed:.1f} s = "
            f"{papers / elapsed:.0f} Vorlagen/s (in einer Transaktion, danach "
            "zurückgerollt)"
        )

    def large_texts(self, chars, repeat):
        """Best of `repeat` parses of each shape at half of `chars` and at `chars`."""
        self.stdout.write(
            f"{'Form':<20} {'Zeichen':>10} {'Sekunden':>9}  "
            f"{'halbe Länge':>11} {'Faktor':>6}"
        )
        for shape in SHAPES:
            seconds = []
            for size in (chars // 2, chars):
                text = sized(shape, size)
                timings = []
                for _ in range(repeat):
                    # As timeit does: no collection of the whole process's garbage
                    # inside a timing, and none before each (seconds in a process
                    # that holds much, such as a test worker).
                    gc.disable()
                    try:
                        start = time.perf_counter()
                        with contextlib.suppress(ParseError):
                            read_paper(text)
                        timings.append(time.perf_counter() - start)
                    finally:
                        gc.enable()
                seconds.append(min(timings))
            half, full = seconds
            self.stdout.write(
                f"{shape:<20} {len(text):>10,} {full:>9.3f}  "
                f"{half:>11.3f} {full / half:>6.2f}"
            )
