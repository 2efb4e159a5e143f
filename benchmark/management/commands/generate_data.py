"""Fill an empty database with a large city council's ten years, for measuring.

`manage.py generate_data --papers 100000 [--seed N] [--today YYYY-MM-DD]` writes the
papers with their consultations, items, sections, positions, funding lines and
meetings in realistic proportions (benchmark/volume.py, the benchmark's own
generator), with a progress bar on stderr. The same seed and day give the same data.
All in one transaction: interrupted, it leaves nothing behind.
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from benchmark.volume import (
    expected_rows,
    generate_volume,
    scale_for_papers,
    volume_counts,
)


class Command(BaseCommand):
    help = (
        "Erzeugt realistische Testdaten (Drucksachen mit Beratungen, Ziffern, "
        "Stellen, Finanzpositionen, Sitzungen) in einer leeren Datenbank."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--papers",
            type=int,
            default=12000,
            help="Anzahl der Drucksachen (12.000 = zehn Jahre einer Großstadt).",
        )
        parser.add_argument(
            "--seed", type=int, default=2019, help="Startwert des Zufallsgenerators."
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Stichtag JJJJ-MM-TT, um den die Daten liegen (Standard: heute).",
        )
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="Keinen Fortschrittsbalken zeigen.",
        )

    def handle(self, *args, papers, seed, today, no_progress, **options):
        if papers < 10:
            raise CommandError("--papers muss mindestens 10 sein.")
        database = connection.settings_dict["NAME"]
        existing = {label: n for label, n in volume_counts().items() if n}
        if existing:
            found = ", ".join(f"{label}: {n}" for label, n in existing.items())
            raise CommandError(
                f"Die Datenbank „{database}“ enthält schon Daten ({found}). "
                "Testdaten werden nur in eine leere Datenbank geschrieben; bitte "
                "eine neue anlegen und „manage.py migrate“ ausführen (DATABASE_URL)."
            )
        scale = scale_for_papers(papers)
        steps = []
        bar = tqdm(
            total=expected_rows(scale),
            unit=" Zeilen",
            unit_scale=True,
            desc="Testdaten",
            file=self.stderr._out,
            disable=no_progress,
            mininterval=1.0,
        )

        def progress(label, seconds):
            steps.append((label, seconds))
            bar.set_postfix_str(f"{label} fertig", refresh=False)

        started = time.perf_counter()
        with bar:
            counts = generate_volume(
                scale=scale,
                seed=seed,
                today=today,
                progress=progress,
                written=bar.update,
            )
        seconds = time.perf_counter() - started
        for label, step_seconds in steps:
            self.stdout.write(f"  {label}: {step_seconds:.1f} s")
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(
            f"{counts['council.Paper']} Drucksachen in „{database}“ erzeugt in "
            f"{seconds:.1f} s."
        )
