"""Load through gunicorn: a mix of pages, then the base-template view, same server.

`manage.py loadtest [--clients 50] [--seconds 60]` starts gunicorn (benchmark/load.py:
2 gthread workers with 4 threads, benchmark/settings.py) on the database of
DATABASE_URL, lets N concurrent clients request the mix (start page, lists, paper
details, search, the register, OParl) for T seconds, then the base-template view for
T seconds (or --base-seconds), and reports errors, p50/p95/p99, throughput and the
mix's share of the base view's throughput, with the targets of #12 (zero errors,
p99 <= 1 s, share >= 20 %).
"""

import asyncio
import json
import math
import random
from urllib.parse import quote

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse

from benchmark import load
from benchmark.urls import BASE_VIEW_PATH
from benchmark.volume import COMMON_WORD, COMMON_WORD_TYPO, RARE_WORD
from council.models import Paper
from oparl import conf as oparl_conf

P99_TARGET_MS = 1000
SHARE_TARGET = 0.20


def mix_paths(seed=1):
    """The anonymous mix: what visitors and harvesters ask for, from the data."""
    papers = list(
        Paper.objects.public()
        .filter(is_stub=False)
        .order_by("pk")
        .values_list("year", "number", "suffix")
    )
    if not papers:
        raise CommandError(
            "Keine öffentlichen Drucksachen in der Datenbank; zuerst "
            "„manage.py generate_data“ ausführen."
        )
    rng = random.Random(seed)
    details = []
    for year, number, suffix in rng.sample(papers, min(40, len(papers))):
        kwargs = {"year": year, "number": number}
        if suffix:
            kwargs["suffix"] = suffix
        details.append(reverse("council:paper-detail", kwargs=kwargs))
    newest = max(year for year, _, _ in papers)
    listing = reverse("council:paper-list")
    ags = oparl_conf.get("OPARL_BODY_AGS")
    oparl = reverse("oparl:paper-list", kwargs={"ags": ags})
    deep = max(1, math.ceil(len(papers) / oparl_conf.get("OPARL_PAGE_SIZE")) // 2)
    fixed = [
        reverse("portal:home"),
        listing,
        f"{listing}?jahr={newest}&art=beschlussvorlage",
        f"{listing}?q={COMMON_WORD}",
        f"{listing}?q={RARE_WORD}",
        f"{listing}?q={COMMON_WORD_TYPO}",
        reverse("positions:position-list"),
        reverse("funding:funding-overview"),
        oparl,
        f"{oparl}?page={deep}",
    ]
    # Per round of the mix: every fixed page and four paper details.
    paths = []
    for index, path in enumerate(fixed):
        paths.append(path)
        if index % 2 == 0:
            paths += details[index * 2 : index * 2 + 4] or details[:2]
    return paths


class Command(BaseCommand):
    help = (
        "Lasttest über gunicorn: N gleichzeitige Clients auf einer Mischung von "
        "Seiten, dann auf der Basisvorlage, mit Fehlern, p50/p95/p99 und Durchsatz."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=50)
        parser.add_argument("--seconds", type=float, default=60.0)
        parser.add_argument(
            "--base-seconds",
            type=float,
            default=None,
            help="Dauer des Laufs auf der Basisansicht (Vorgabe: --seconds)",
        )
        parser.add_argument("--port", type=int, default=0, help="0: ein freier Port")
        parser.add_argument("--workers", type=int, default=load.WORKERS)
        parser.add_argument("--threads", type=int, default=load.THREADS)
        parser.add_argument(
            "--page-cache",
            choices=["on", "off"],
            default="on",
            help="Seiten-Cache des Servers (Standard wie in Produktion: an).",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, clients, seconds, port, workers, threads, **options):
        base_seconds = options["base_seconds"]
        if base_seconds is None:
            base_seconds = seconds
        if clients < 1 or seconds <= 0 or base_seconds <= 0:
            raise CommandError(
                "--clients, --seconds und --base-seconds müssen positiv sein."
            )
        say = self.stderr.write if options["format"] == "json" else self.stdout.write
        paths = mix_paths()
        url = database_url()
        port = port or load.free_port()
        env = {"RATSREGISTER_PAGE_CACHE": options["page_cache"] == "on"}
        say(
            f"gunicorn: {workers} {load.WORKER_CLASS}-Worker × {threads} Threads auf "
            f"127.0.0.1:{port}, Datenbank „{connection.settings_dict['NAME']}“, "
            f"Seiten-Cache {options['page_cache']}; {clients} Clients, "
            f"{seconds:g} s Mischung, {base_seconds:g} s Basisansicht."
        )
        with load.gunicorn(
            port,
            url,
            workers=workers,
            threads=threads,
            env={k: str(v) for k, v in env.items()},
        ):
            # Warm up: twice as many requests as pages, in turns, so that each
            # page comes about twice (a worker's first request loads the code);
            # 3 s at most.
            warm_up = [*dict.fromkeys(paths), BASE_VIEW_PATH]
            done = []
            asyncio.run(
                load.run_clients(
                    "127.0.0.1",
                    port,
                    warm_up,
                    4,
                    3,
                    on_sample=done.append,
                    until=lambda: len(done) >= 2 * len(warm_up),
                )
            )
            mix = asyncio.run(
                load.run_clients("127.0.0.1", port, paths, clients, seconds)
            )
            base = asyncio.run(
                load.run_clients(
                    "127.0.0.1", port, [BASE_VIEW_PATH], clients, base_seconds
                )
            )
        report = {
            "server": {
                "workers": workers,
                "worker_class": load.WORKER_CLASS,
                "threads": threads,
                "page_cache": options["page_cache"],
            },
            "clients": clients,
            "seconds": seconds,
            "base_seconds": base_seconds,
            "mix_paths": sorted(set(paths)),
            "mix": load.summary(mix, seconds),
            "base": load.summary(base, base_seconds),
        }
        report["mix_per_page"] = per_page(mix)
        share = (
            report["mix"]["throughput_rps"] / report["base"]["throughput_rps"]
            if report["base"]["throughput_rps"]
            else 0.0
        )
        report["share_of_base_throughput"] = round(share, 3)
        report["targets"] = {
            "zero_errors": report["mix"]["errors"] == 0,
            "p99_at_most_1s": report["mix"]["p99_ms"] <= P99_TARGET_MS,
            "share_at_least_20_percent": share >= SHARE_TARGET,
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self.write_text(report)

    def write_text(self, report):
        header = ("Lauf", "Anfragen", "Fehler", "p50 ms", "p95 ms", "p99 ms", "Anfr./s")
        rows = [
            (name, report[key])
            for name, key in [("Mischung", "mix"), ("Basisvorlage", "base")]
        ]
        lines = [
            (
                name,
                str(r["requests"]),
                str(r["errors"]),
                f"{r['p50_ms']:.1f}",
                f"{r['p95_ms']:.1f}",
                f"{r['p99_ms']:.1f}",
                f"{r['throughput_rps']:.1f}",
            )
            for name, r in rows
        ]
        widths = [max(len(row[i]) for row in [header, *lines]) for i in range(7)]
        for index, row in enumerate([header, *lines]):
            self.stdout.write(
                "  ".join(
                    cell.ljust(w) if i == 0 else cell.rjust(w)
                    for i, (cell, w) in enumerate(zip(row, widths, strict=True))
                )
            )
            if index == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        self.stdout.write(f"Status der Mischung: {report['mix']['statuses']}")
        targets = report["targets"]
        yes = {True: "ja", False: "NEIN"}
        self.stdout.write(
            f"Anteil am Durchsatz der Basisvorlage: "
            f"{report['share_of_base_throughput']:.1%} (Ziel ≥ 20 %: "
            f"{yes[targets['share_at_least_20_percent']]}); "
            f"p99 ≤ 1 s: {yes[targets['p99_at_most_1s']]}; "
            f"keine Fehler: {yes[targets['zero_errors']]}."
        )
        self.stdout.write("Je Seite der Mischung (p50 / p95 / p99 ms, Anfragen):")
        for path, r in report["mix_per_page"].items():
            self.stdout.write(
                f"  {path}: {r['p50_ms']:.0f} / {r['p95_ms']:.0f} / {r['p99_ms']:.0f}"
                f", {r['requests']}"
                + (f", {r['errors']} Fehler" if r["errors"] else "")
            )


def per_page(samples):
    """Summaries by page; the paper details as one."""
    groups = {}
    for sample in samples:
        key = sample.path
        if (
            key.startswith("/drucksachen/")
            and "?" not in key
            and key != "/drucksachen/"
        ):
            key = "/drucksachen/<Drucksache>/"
        groups.setdefault(key, []).append(sample)
    result = {}
    for key, group in groups.items():
        summary = load.summary(group, 1)
        del summary["throughput_rps"]
        result[key] = summary
    return result


def database_url():
    """The URL of this process's database (the test database in the tests), for
    the server."""
    if connection.vendor != "postgresql":
        raise CommandError(
            "Der Lasttest braucht PostgreSQL (gunicorn nutzt dieselbe Datenbank)."
        )
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return (
        f"postgres://{quote(db['USER'])}{password}@{db['HOST'] or '127.0.0.1'}"
        f"{port}/{quote(db['NAME'])}"
    )
