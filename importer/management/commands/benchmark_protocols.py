"""How fast protocols are read and recorded, and how many queries a file costs."""

import datetime
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from importer.large_protocols import SHAPES, size_for
from importer.protocols import protocol_import
from importer.reading import read_protocol
from importer.services import import_batch

DATA = Path(settings.BASE_DIR) / "tests" / "importer" / "data"


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Misst das Lesen der Niederschriften des Korpus, das Erfassen vieler "
        "Niederschriften (in einer Transaktion, die zurückgerollt wird) und mit "
        "--large die Lesezeit großer Texte."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=200)
        parser.add_argument("--protocols", type=int, default=500)
        parser.add_argument("--large", action="store_true")
        parser.add_argument("--megabytes", type=float, default=1.0)

    def handle(self, *args, rounds, protocols, large, megabytes, **options):
        texts = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("protocol_*"))]
        # 83/2007's protocol first: it is the one recorded below.
        start = time.perf_counter()
        for _ in range(rounds):
            for text in texts:
                read_protocol(text)
        elapsed = time.perf_counter() - start
        count = rounds * len(texts)
        self.stdout.write(
            f"Lesen: {count} Niederschriften in {elapsed:.2f} s, "
            f"{elapsed / count * 1000:.2f} ms je Niederschrift, "
            f"{count / elapsed:.0f} je Sekunde"
        )
        if protocols:
            self.record(texts, protocols)
        if large:
            self.large(megabytes)

    def record(self, texts, n):
        # 83/2007's protocol for n distinct papers in n distinct meetings (a day
        # apart): each a new stub with its Beratungsfolge, the worst case; then
        # the same n again, now known.
        base = texts[0]
        first = datetime.date(2008, 1, 1)
        drafts = []
        for k in range(n):
            day = first + datetime.timedelta(days=k)
            before = day - datetime.timedelta(days=1)
            text = (
                base.replace("83/2007", f"{k + 1}/2007")
                .replace("22.03.2007", f"{day:%d.%m.%Y}")
                .replace("21.03.2007", f"{before:%d.%m.%Y}")
            )
            drafts.append(read_protocol(text))
        try:
            with transaction.atomic(), import_batch():
                for label in ("neu, als Platzhalter", "schon erfasst"):
                    queries = []

                    def count(execute, sql, params, many, context, queries=queries):
                        queries.append(1)
                        return execute(sql, params, many, context)

                    with connection.execute_wrapper(count):
                        start = time.perf_counter()
                        for draft in drafts:
                            protocol_import(draft=draft)
                        elapsed = time.perf_counter() - start
                    self.stdout.write(
                        f"Erfassen ({connection.vendor}, Drucksachen {label}): {n} "
                        f"Niederschriften in {elapsed:.2f} s, {n / elapsed:.0f} je "
                        f"Sekunde, {len(queries) / n:.1f} Abfragen je Datei"
                    )
                raise Rollback
        except Rollback:
            pass

    def large(self, megabytes):
        self.stdout.write(f"Form           {megabytes} MB   {megabytes / 2} MB")
        for name in SHAPES:
            times = []
            for size in (megabytes, megabytes / 2):
                text = SHAPES[name](size_for(name, int(size * 1_000_000)))
                start = time.perf_counter()
                read_protocol(text)
                times.append(time.perf_counter() - start)
            self.stdout.write(
                f"{name:14} {times[0]:.2f} s   {times[1]:.2f} s   "
                f"Faktor {times[0] / times[1]:.1f}"
            )
