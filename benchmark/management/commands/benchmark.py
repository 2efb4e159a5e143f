"""Measure the public pages, the HR register and OParl on realistic volumes.

Not a test: timings depend on the machine. The figures go into docs/benchmark.md.
The importer has its own measurement (`manage.py benchmark_import`).

Data: by default the command fills an EMPTY database with `benchmark.volume` and
removes those rows again afterwards; `--keep` leaves them. It never writes into a
database that already holds council, positions or funding data; `--use-existing`
measures such a database as it is, without generating or deleting anything.
"""

import json
import math
import statistics
import time
import warnings

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts.roles import CLERKS, HR
from benchmark.volume import delete_volume, generate_volume, volume_counts
from council.models import Committee, Department, Paper
from oparl import conf as oparl_conf

USERS = {
    "clerk": ("benchmark-geschaeftsstelle", CLERKS),
    "hr": ("benchmark-personalamt", HR),
}
USER_LABELS = {"anonymous": "anonym", "clerk": "Geschäftsstelle", "hr": "Personalamt"}


def percentile(values, share):
    """Nearest-rank percentile: with five repeats, p95 is the slowest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measured_pages():
    """(label, user, URL) of every page measured, chosen from the data present."""
    paper = (
        Paper.objects.public()
        .filter(is_stub=False)
        .annotate(item_count=Count("items"))
        .order_by("-item_count", "-year", "-number")
        .first()
    )
    nonpublic = Paper.objects.filter(is_public=False, is_stub=False).first()
    committee = (
        Committee.objects.filter(kind=Committee.Kind.COUNCIL).first()
        or Committee.objects.order_by("pk").first()
    )
    department = (
        Department.objects.annotate(n=Count("positions"))
        .filter(n__gt=0)
        .order_by("-n")
        .first()
    )
    newest_year = (
        Paper.objects.public().order_by("-year").values_list("year", flat=True).first()
    )
    public_papers = Paper.objects.public().count()
    ags = oparl_conf.get("OPARL_BODY_AGS")
    page_size = oparl_conf.get("OPARL_PAGE_SIZE")
    oparl_list = reverse("oparl:paper-list", kwargs={"ags": ags})
    last_page = max(1, math.ceil(public_papers / page_size))
    papers = reverse("council:paper-list")
    pages = [
        ("Startseite", "anonymous", reverse("portal:home")),
        ("Drucksachen, Seite 1", "anonymous", papers),
        ("Drucksachen, Seite 1", "clerk", papers),
        (
            "Drucksachen, gefiltert",
            "anonymous",
            f"{papers}?year={newest_year}&paper_type=beschlussvorlage&state=adopted",
        ),
        (
            "Volltextsuche „Integrationsmanagement“",
            "anonymous",
            f"{papers}?q=Integrationsmanagement",
        ),
        (
            "Tippfehler „Integrationsmanagment“",
            "anonymous",
            f"{papers}?q=Integrationsmanagment",
        ),
    ]
    if paper:
        pages += [
            ("Drucksache (meiste Ziffern)", "anonymous", paper.get_absolute_url()),
            ("Drucksache (meiste Ziffern)", "clerk", paper.get_absolute_url()),
        ]
    if nonpublic:
        pages.append(
            ("Drucksache, nichtöffentlich", "clerk", nonpublic.get_absolute_url())
        )
    if committee:
        pages.append(("Gremium", "anonymous", committee.get_absolute_url()))
    items = reverse("council:item-list")
    pages += [
        ("Beschlusskontrolle", "anonymous", items),
        ("Beschlusskontrolle, überfällig", "clerk", f"{items}?overdue=on"),
        ("Finanzen", "anonymous", reverse("funding:funding-overview")),
        ("Stellen", "anonymous", reverse("positions:position-list")),
        ("Stellen", "hr", reverse("positions:position-list")),
    ]
    hr_filter = "?state=active"
    if department:
        hr_filter += f"&department={department.pk}"
    export = reverse("positions:position-export", kwargs={"file_format": "csv"})
    xlsx = reverse("positions:position-export", kwargs={"file_format": "xlsx"})
    pages += [
        ("Stellen, gefiltert", "hr", reverse("positions:position-list") + hr_filter),
        ("Export CSV", "hr", export),
        ("Export XLSX", "hr", xlsx),
        ("OParl Drucksachen, Seite 1", "anonymous", oparl_list),
        (
            f"OParl Drucksachen, letzte Seite ({last_page})",
            "anonymous",
            f"{oparl_list}?page={last_page}",
        ),
    ]
    if paper:
        pages.append(
            (
                "OParl Drucksache",
                "anonymous",
                reverse("oparl:paper", kwargs={"pk": paper.pk}),
            )
        )
    return pages


def fetch(client, url):
    """The response and its whole body (a streamed one is read to the end)."""
    response = client.get(url)
    body = b"".join(response) if response.streaming else response.content
    return response, body


def allowed_host():
    for host in settings.ALLOWED_HOSTS:
        if host != "*":
            return host.lstrip(".") or "localhost"
    return "localhost"


class Command(BaseCommand):
    help = (
        "Misst Startseite, Drucksachen, Gremien, Beschlusskontrolle, Finanzen, "
        "Stellen, Exporte und OParl auf realistischen Datenmengen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Datenmenge: 1.0 = zehn Jahre einer Großstadt (12.000 Drucksachen).",
        )
        parser.add_argument(
            "--repeat",
            type=int,
            default=5,
            help="Messungen je Seite (nach einem Aufwärmen).",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--seed", type=int, default=2019, help="Startwert des Zufallsgenerators."
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Die erzeugten Daten nach der Messung behalten.",
        )
        parser.add_argument(
            "--use-existing",
            action="store_true",
            help=(
                "Die vorhandenen Daten messen, nichts erzeugen und nichts löschen "
                "(außer zwei vorübergehenden Messkonten)."
            ),
        )

    def handle(self, *args, **options):
        # As in production: no debug pages and no query log (that would hold every
        # bulk insert); static URLs without a manifest, so that measuring needs no
        # collectstatic.
        production_like = override_settings(
            DEBUG=False,
            STORAGES={
                **settings.STORAGES,
                "staticfiles": {
                    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                },
            },
        )
        with production_like, warnings.catch_warnings():
            # WhiteNoise's note that there is no collected static directory.
            warnings.filterwarnings("ignore", message="No directory at")
            self.run(**options)

    def run(self, *, scale, repeat, format, seed, keep, use_existing, **options):
        if scale <= 0 or repeat < 1:
            raise CommandError(
                "--scale muss größer als 0 und --repeat mindestens 1 sein."
            )
        if use_existing and keep:
            raise CommandError(
                "--keep gilt nur für erzeugte Daten; mit --use-existing wird nichts "
                "erzeugt."
            )
        say = self.stderr.write if format == "json" else self.stdout.write
        database = connection.settings_dict["NAME"]
        existing = {label: n for label, n in volume_counts().items() if n}
        generated, seconds = False, None
        if use_existing:
            if not existing.get("council.Paper"):
                raise CommandError(
                    f"Die Datenbank „{database}“ enthält keine Drucksachen; ohne "
                    "--use-existing erzeugt der Benchmark selbst Daten."
                )
            say(f"Messe die vorhandenen Daten in „{database}“; es wird nichts erzeugt.")
        elif existing:
            found = ", ".join(f"{label}: {n}" for label, n in existing.items())
            raise CommandError(
                f"Die Datenbank „{database}“ enthält schon Daten ({found}). Der "
                "Benchmark erzeugt seine Daten nur in einer leeren Datenbank und "
                "löscht nie vorhandene. Bitte eine leere Datenbank anlegen und "
                "„manage.py migrate“ ausführen (DATABASE_URL), oder mit "
                "--use-existing die vorhandenen Daten messen."
            )
        else:
            say(f"Erzeuge Daten im Maßstab {scale} in „{database}“ …")
            started = time.perf_counter()
            generate_volume(
                scale=scale,
                seed=seed,
                progress=lambda label, s: say(f"  {label}: {s:.1f} s"),
            )
            seconds = time.perf_counter() - started
            generated = True
            say(f"Erzeugt in {seconds:.1f} s.")
        counts = volume_counts()
        try:
            results = self.measure(repeat, say)
        finally:
            if generated and not keep:
                say("Entferne die erzeugten Daten …")
                delete_volume()
        report = {
            "database": connection.vendor,
            "scale": scale if generated else None,
            "repeat": repeat,
            "generation_seconds": round(seconds, 1) if seconds else None,
            "rows": counts,
            "pages": results,
        }
        if format == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self.write_table(report)

    def measure(self, repeat, say):
        clients, created = {"anonymous": Client(HTTP_HOST=allowed_host())}, []
        User = get_user_model()
        for key, (username, group_name) in USERS.items():
            user, is_new = User.objects.get_or_create(
                username=username, defaults={"is_staff": True}
            )
            if is_new:
                created.append(user)
                user.groups.add(Group.objects.get(name=group_name))
            client = Client(HTTP_HOST=allowed_host())
            client.force_login(user)
            clients[key] = client
        results = []
        try:
            for label, who, url in measured_pages():
                result = self.measure_page(clients[who], label, who, url, repeat)
                say(
                    f"  {label} ({USER_LABELS[who]}): {result['median_ms']:.0f} ms, "
                    f"{result['queries']} Abfragen"
                )
                results.append(result)
        finally:
            for user in created:
                user.delete()
        return results

    def measure_page(self, client, label, who, url, repeat):
        # The first request warms caches and counts the queries; the timed ones
        # run without the query log.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response, body = fetch(client, url)
        # Counted now: the next request_started empties the query log.
        query_count = len(queries)
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            fetch(client, url)
            timings.append((time.perf_counter() - started) * 1000)
        return {
            "page": label,
            "user": who,
            "url": url,
            "status": response.status_code,
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
            "queries": query_count,
            "bytes": len(body),
        }

    def write_table(self, report):
        rows = report["rows"]
        self.stdout.write(
            f"Datenbank: {report['database']}; {rows['council.Paper']} Drucksachen, "
            f"{rows['council.Consultation']} Beratungen, "
            f"{rows['council.ResolutionItem']} Ziffern, "
            f"{rows['positions.Position']} Stellen, "
            f"{rows['positions.PositionDecision']} Stellenentscheidungen, "
            f"{rows['funding.FundingLine']} Finanzpositionen; "
            f"{report['repeat']} Messungen je Seite."
        )
        header = ("Seite", "Nutzer", "Status", "Median ms", "p95 ms", "SQL", "KB")
        lines = [
            (
                r["page"],
                USER_LABELS[r["user"]],
                str(r["status"]),
                f"{r['median_ms']:.1f}",
                f"{r['p95_ms']:.1f}",
                str(r["queries"]),
                f"{r['bytes'] / 1024:.1f}",
            )
            for r in report["pages"]
        ]
        widths = [max(len(row[i]) for row in [header, *lines]) for i in range(7)]
        for index, row in enumerate([header, *lines]):
            cells = [
                cell.ljust(width) if i < 2 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            self.stdout.write("  ".join(cells))
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
