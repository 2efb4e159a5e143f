"""Measure the public pages, the HR register and OParl on realistic volumes.

Not a test: timings depend on the machine. The figures go into docs/benchmark.md.
The importer has its own measurement (`manage.py benchmark_import`).

Data: by default the command fills an EMPTY database with `benchmark.volume` and
removes those rows again afterwards; `--keep` leaves them. It never writes into a
database that already holds council, positions or funding data; `--use-existing`
measures such a database as it is, without generating or deleting anything.

Every page is measured rendered (the page cache off: what anyone gets on the
first request after a write, and always in the admin) and, where production
serves pages from the page cache (RATSREGISTER_PAGE_CACHE), also as served from
that cache, which keeps a page for readers with the same rights (anonymous
visitors, or signed-in users with the same permissions). Both get #12's verdict.
"""

import datetime
import json
import math
import re
import statistics
import time
import warnings
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse

from accounts.roles import CLERKS, HR
from benchmark.urls import BASE_VIEW_PATH
from benchmark.volume import (
    COMMON_WORD,
    COMMON_WORD_TYPO,
    RARE_WORD,
    delete_volume,
    generate_volume,
    scale_for_papers,
    volume_counts,
)
from council.models import Committee, Department, Meeting, Paper
from oparl import conf as oparl_conf
from operations import pagecache
from positions.models import Position

USERS = {
    "clerk": ("benchmark-geschaeftsstelle", CLERKS),
    "hr": ("benchmark-personalamt", HR),
}
USER_LABELS = {
    "anonymous": "anonym",
    "clerk": "Geschäftsstelle",
    "hr": "Personalamt",
    "admin": "Administrator",
}
ADMIN_USERNAME = "benchmark-administrator"
# No page should be larger (#12): paginate.
MAX_PAGE_BYTES = 200 * 1024
# The tables a page from the cache may read (served_from_cache).
READER_OR_VERSION = re.compile(
    r"(django_session|accounts_user\w*|auth_\w+|django_content_type|"
    rf"{pagecache.SLOTS}|{pagecache.TABLE})$"
)


def is_transaction_control(sql):
    """BEGIN, COMMIT, SAVEPOINT …: the transaction of ATOMIC_REQUESTS, no query."""
    return sql.split(maxsplit=1)[0].upper() in {
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "SAVEPOINT",
        "RELEASE",
    }


def percentile(values, share):
    """Nearest-rank percentile: with five repeats, p95 is the slowest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# The targets at 100,000 papers: a page's time at most so many times that
# of the base-template view measured beside it (#12).
DETAIL, LIST, SEARCH = 5, 10, 20


def reference(paper):
    return f"{paper.number}/{paper.year}" + (f" {paper.suffix}" if paper.suffix else "")


def optional_url(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def measured_pages():
    """(label, user, URL, target ratio or None) of every page, chosen from the data."""
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
    position = (
        Position.objects.annotate(n=Count("decisions")).order_by("-n", "pk").first()
    )
    meeting = (
        Meeting.objects.filter(is_public=True, date__lte=datetime.date.today())
        .annotate(n=Count("consultations"))
        .order_by("-n", "pk")
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
    deep_page = max(1, last_page * 9 // 10)
    papers = reverse("council:paper-list")
    pages = [
        ("Startseite", "anonymous", reverse("portal:home"), LIST),
        ("Drucksachen, Seite 1", "anonymous", papers, LIST),
        ("Drucksachen, Seite 1", "clerk", papers, LIST),
        (
            "Drucksachen, Jahr und Art",
            "anonymous",
            f"{papers}?year={newest_year}&paper_type=beschlussvorlage",
            LIST,
        ),
        (
            "Drucksachen, gefiltert",
            "anonymous",
            f"{papers}?year={newest_year}&paper_type=beschlussvorlage&state=adopted",
            LIST,
        ),
        (
            f"Volltextsuche häufiges Wort „{COMMON_WORD}“",
            "anonymous",
            f"{papers}?q={COMMON_WORD}",
            SEARCH,
        ),
        (
            f"Volltextsuche seltenes Wort „{RARE_WORD}“",
            "anonymous",
            f"{papers}?q={RARE_WORD}",
            SEARCH,
        ),
        (
            f"Tippfehler „{COMMON_WORD_TYPO}“",
            "anonymous",
            f"{papers}?q={COMMON_WORD_TYPO}",
            SEARCH,
        ),
    ]
    if paper:
        pages += [
            (
                f"Suche nach Nummer „{reference(paper)}“",
                "anonymous",
                f"{papers}?{urlencode({'q': reference(paper)})}",
                SEARCH,
            ),
            (
                "Drucksache (meiste Ziffern)",
                "anonymous",
                paper.get_absolute_url(),
                DETAIL,
            ),
            ("Drucksache (meiste Ziffern)", "clerk", paper.get_absolute_url(), DETAIL),
        ]
    if nonpublic:
        pages.append(
            (
                "Drucksache, nichtöffentlich",
                "clerk",
                nonpublic.get_absolute_url(),
                DETAIL,
            )
        )
    if position:
        pages.append(
            (
                "Stelle (längste Kette)",
                "hr",
                reverse("positions:position-detail", kwargs={"pk": position.pk}),
                DETAIL,
            )
        )
    meeting_url = meeting and optional_url("council:meeting-detail", pk=meeting.pk)
    if meeting_url:
        pages.append(("Sitzung (meiste Punkte)", "anonymous", meeting_url, DETAIL))
        pages.append(("Sitzungen", "anonymous", reverse("council:meeting-list"), LIST))
    if committee:
        pages.append(("Gremium", "anonymous", committee.get_absolute_url(), LIST))
    items = reverse("council:item-list")
    register = reverse("positions:position-list")
    pages += [
        ("Beschlusskontrolle", "anonymous", items, LIST),
        ("Beschlusskontrolle, überfällig", "clerk", f"{items}?overdue=on", LIST),
        ("Finanzen", "anonymous", reverse("funding:funding-overview"), LIST),
        ("Stellen", "anonymous", register, LIST),
        ("Stellen", "hr", register, LIST),
        (
            "Stellen, Ablauf in 12 Monaten",
            "hr",
            f"{register}?ablauf_in_monaten=12",
            LIST,
        ),
    ]
    hr_filter = "?state=active"
    if department:
        hr_filter += f"&department={department.pk}"
    export = reverse("positions:position-export", kwargs={"file_format": "csv"})
    xlsx = reverse("positions:position-export", kwargs={"file_format": "xlsx"})
    pages += [
        ("Stellen, gefiltert", "hr", register + hr_filter, LIST),
        ("Export CSV", "hr", export, None),
        ("Export XLSX", "hr", xlsx, None),
        ("OParl Drucksachen, Seite 1", "anonymous", oparl_list, SEARCH),
        (
            f"OParl Drucksachen, tiefe Seite ({deep_page})",
            "anonymous",
            f"{oparl_list}?page={deep_page}",
            SEARCH,
        ),
        (
            f"OParl Drucksachen, letzte Seite ({last_page})",
            "anonymous",
            f"{oparl_list}?page={last_page}",
            SEARCH,
        ),
    ]
    if paper:
        pages.append(
            (
                "OParl Drucksache",
                "anonymous",
                reverse("oparl:paper", kwargs={"pk": paper.pk}),
                DETAIL,
            )
        )
    admin_papers = reverse("admin:council_paper_changelist")
    pages.append(("Admin: Drucksachen", "admin", admin_papers, SEARCH))
    if paper:
        pages.append(
            (
                "Admin: Drucksache (meiste Ziffern)",
                "admin",
                reverse("admin:council_paper_change", args=[paper.pk]),
                SEARCH,
            )
        )
    return pages


def fetch(client, url):
    """The response and its whole body (a streamed one is read to the end)."""
    response = client.get(url)
    body = b"".join(response) if response.streaming else response.content
    return response, body


def check_base_view(base_client):
    """The yardstick renders without a query, the page cache on or off."""
    with CaptureQueriesContext(connection) as queries:
        fetch(base_client, BASE_VIEW_PATH)
    # Only the transaction every request runs in (ATOMIC_REQUESTS).
    sql = [
        q["sql"]
        for q in queries.captured_queries
        if not is_transaction_control(q["sql"])
    ]
    if sql:
        raise CommandError(f"Die Basisvorlage braucht Abfragen, statt keiner: {sql}")


def served_from_cache(queries):
    """Whether a request's queries read only who asked (session, user, rights)
    and the data version: no table of the data a page shows."""
    sql = " ".join(q["sql"] for q in queries if not is_transaction_control(q["sql"]))
    tables = set(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', sql))
    return bool(tables) and all(READER_OR_VERSION.match(table) for table in tables)


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
        parser.add_argument(
            "--papers",
            type=int,
            default=None,
            help="Datenmenge als Zahl der Drucksachen (statt --scale).",
        )
        parser.add_argument(
            "--only",
            default=None,
            help="Nur Seiten, deren Bezeichnung diesen regulären Ausdruck enthält.",
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
        # Whether production serves pages from the page cache.
        self.page_cache = settings.RATSREGISTER_PAGE_CACHE
        # As in production: no debug pages and no query log (that would hold every
        # bulk insert); static URLs without a manifest, so that measuring needs no
        # collectstatic.
        production_like = override_settings(
            DEBUG=False,
            # The site's URLs and the base-template view to compare each page with.
            ROOT_URLCONF="benchmark.urls",
            # The yardstick stays a bare render, never a page from the cache.
            RATSREGISTER_PAGE_CACHE_EXEMPT=(BASE_VIEW_PATH,),
            # Rendered unless measure_page asks for the page as served.
            RATSREGISTER_PAGE_CACHE=False,
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
        if options.get("papers"):
            scale = scale_for_papers(options["papers"])
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
            results = self.measure(repeat, say, options.get("only"))
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

    def measure(self, repeat, say, only=None):
        clients, created = {"anonymous": Client(HTTP_HOST=allowed_host())}, []
        User = get_user_model()
        logins = [
            (key, username, {"is_staff": True}, group)
            for key, (username, group) in USERS.items()
        ]
        logins.append(
            ("admin", ADMIN_USERNAME, {"is_staff": True, "is_superuser": True}, None)
        )
        for key, username, defaults, group_name in logins:
            user, is_new = User.objects.get_or_create(
                username=username, defaults=defaults
            )
            if is_new:
                created.append(user)
                if group_name:
                    user.groups.add(Group.objects.get(name=group_name))
            client = Client(HTTP_HOST=allowed_host())
            client.force_login(user)
            clients[key] = client
        results = []
        try:
            for label, who, url, target in measured_pages():
                if only and not re.search(only, label):
                    continue
                result = self.measure_page(
                    clients[who], clients["anonymous"], label, who, url, repeat
                )
                result["target_ratio"] = target
                result["meets_target"] = (
                    None if target is None else result["ratio_median"] <= target
                )
                result["served_meets_target"] = (
                    None if target is None else result["served_ratio_median"] <= target
                )
                served = ""
                if result["served_from_cache"]:
                    served = (
                        f"; aus dem Seiten-Cache {result['served_median_ms']:.1f} ms, "
                        f"{result['served_ratio_median']:.1f}× Basis"
                    )
                say(
                    f"  {label} ({USER_LABELS[who]}): {result['median_ms']:.0f} ms "
                    f"(p95 {result['p95_ms']:.0f}), {result['ratio_median']:.1f}× "
                    f"Basis ({result['base_median_ms']:.1f} ms), "
                    f"{result['queries']} Abfragen, {result['bytes'] / 1024:.0f} KB"
                    f"{served}"
                )
                results.append(result)
        finally:
            for user in created:
                user.delete()
        return results

    def measure_page(self, client, base_client, label, who, url, repeat):
        # The first request warms caches and counts the queries; the timed ones
        # run without the query log.
        for _ in range(3):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                response, body = fetch(client, url)
            # Counted now: the next request_started empties the query log.
            query_count = len(queries)
            if response.status_code != 301:
                break
            # A filter's parameter renamed since: measure the page it now lives at.
            url = response["Location"]
        check_base_view(base_client)
        timings, base_timings = self.by_turns(client, base_client, url, repeat)
        median, base_median = (
            statistics.median(timings),
            statistics.median(base_timings),
        )
        p95, base_p95 = percentile(timings, 0.95), percentile(base_timings, 0.95)
        served = {
            "served_median_ms": round(median, 1),
            "served_ratio_median": round(median / base_median, 1),
            "served_from_cache": False,
        }
        if self.page_cache:
            served = self.measure_served(client, base_client, url, repeat)
        return {
            "page": label,
            "user": who,
            "url": url,
            "status": response.status_code,
            "median_ms": round(median, 1),
            "p95_ms": round(p95, 1),
            "base_median_ms": round(base_median, 2),
            "base_p95_ms": round(base_p95, 2),
            "ratio_median": round(median / base_median, 1),
            "ratio_p95": round(p95 / base_p95, 1),
            "queries": query_count,
            "bytes": len(body),
            **served,
        }

    @staticmethod
    def by_turns(client, base_client, url, repeat):
        """Milliseconds of the page and of the base view, timed by turns, so that
        both see the same load of the machine (shared with other work)."""
        timings, base_timings = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            fetch(base_client, BASE_VIEW_PATH)
            base_timings.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            fetch(client, url)
            timings.append((time.perf_counter() - started) * 1000)
        return timings, base_timings

    def measure_served(self, client, base_client, url, repeat):
        """A page as production serves it, from the page cache after the first
        request (operations/pagecache.py: kept for readers with the same rights;
        a write moves the data version, so the rendered figures are those of the
        first request after one). The base view stays a bare render
        (RATSREGISTER_PAGE_CACHE_EXEMPT)."""
        with override_settings(RATSREGISTER_PAGE_CACHE=True):
            check_base_view(base_client)
            fetch(client, url)
            # The request empties the query log as it starts (request_started).
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                fetch(client, url)
            # Now: captured_queries reads the log, which the next request empties.
            from_cache = served_from_cache(queries.captured_queries)
            timings, base_timings = self.by_turns(client, base_client, url, repeat)
        median = statistics.median(timings)
        return {
            "served_median_ms": round(median, 1),
            "served_ratio_median": round(median / statistics.median(base_timings), 1),
            "served_from_cache": from_cache,
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
            f"{report['repeat']} Messungen je Seite, abwechselnd mit der Basisvorlage."
        )
        header = (
            "Seite",
            "Nutzer",
            "Status",
            "Median ms",
            "p95 ms",
            "Basis p50 ms",
            "× Basis p50",
            "× Basis p95",
            "Ziel",
            "erfüllt",
            "Cache ms",
            "× Basis Cache",
            "erfüllt ausgeliefert",
            "SQL",
            "KB",
        )
        lines = []

        def verdict(meets):
            return "–" if meets is None else ("ja" if meets else "NEIN")

        for r in report["pages"]:
            target = r["target_ratio"]
            cached = r["served_from_cache"]
            size = f"{r['bytes'] / 1024:.1f}"
            if r["bytes"] > MAX_PAGE_BYTES:
                size += " (>200)"
            lines.append(
                (
                    r["page"],
                    USER_LABELS[r["user"]],
                    str(r["status"]),
                    f"{r['median_ms']:.1f}",
                    f"{r['p95_ms']:.1f}",
                    f"{r['base_median_ms']:.2f}",
                    f"{r['ratio_median']:.1f}",
                    f"{r['ratio_p95']:.1f}",
                    "–" if target is None else f"≤ {target}×",
                    verdict(r["meets_target"]),
                    f"{r['served_median_ms']:.1f}" if cached else "–",
                    f"{r['served_ratio_median']:.1f}" if cached else "–",
                    verdict(r["served_meets_target"]),
                    str(r["queries"]),
                    size,
                )
            )
        widths = [
            max(len(row[i]) for row in [header, *lines]) for i in range(len(header))
        ]
        for index, row in enumerate([header, *lines]):
            cells = [
                cell.ljust(width) if i < 2 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            self.stdout.write("  ".join(cells))
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        judged = [r for r in report["pages"] if r["meets_target"] is not None]
        rendered = sum(bool(r["meets_target"]) for r in judged)
        served = sum(bool(r["served_meets_target"]) for r in judged)
        self.stdout.write(
            f"Ziele erfüllt (Median im Verhältnis zur Basisvorlage), jede Seite "
            f"gerendert: {rendered} von {len(judged)} Seiten; wie ausgeliefert "
            f"(aus dem Seiten-Cache, die Verwaltung gerendert): {served} "
            f"von {len(judged)} Seiten."
        )
