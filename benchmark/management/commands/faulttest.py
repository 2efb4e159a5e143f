"""A PostgreSQL restart in the middle of load and of an import.

`manage.py faulttest` never touches the machine's PostgreSQL: it creates a
throwaway cluster (initdb, pg_ctl) in a temporary directory on its own port
(--pg-port, default 55433), migrates it, fills it with `generate_data`, starts
gunicorn on it (benchmark/load.py) and puts clients on it. Meanwhile
`import_vorlagen` imports a few hundred papers, each in its own transaction. Then
the cluster is stopped (fast shutdown: open transactions are aborted) for
--outage seconds and started again. Checked, and reported:

- every request answered while the database was down is the outage page (503 with
  Retry-After, operations/middleware.py), none a 500 or no answer;
- the server answers again within 5 s of the database being back, without
  restarting gunicorn (persistent connections are health-checked);
- each imported paper is wholly there (as many items, sections, steps and funding
  lines as the one imported before the fault) or wholly absent.

The cluster is removed at the end.
"""

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from benchmark import load
from demo.corpus import CORPUS_DIR
from oparl import conf as oparl_conf

RECOVERY_TARGET_S = 5.0
IMPORT_YEAR = 2019
FIRST_IMPORTED = 9000
SOURCE = "grdrs_0949_2019.txt"


def manage(*args, database_url, check=True):
    """Run `manage.py …` on the throwaway database, in its own process."""
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=load.BASE_DIR,
        env=env,
        check=check,
        capture_output=True,
        text=True,
    )


def paper_texts(directory, count):
    """`count` copies of a real paper, numbered FIRST_IMPORTED + 1 …"""
    text = (CORPUS_DIR / SOURCE).read_text(encoding="utf-8")
    paths = []
    for index in range(1, count + 1):
        number = FIRST_IMPORTED + index
        path = Path(directory) / f"grdrs_{number}_{IMPORT_YEAR}.txt"
        path.write_text(
            text.replace("GRDrs 949/2019", f"GRDrs {number}/{IMPORT_YEAR}"),
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def fault_paths():
    """Pages that all read the database: a list, a search, the register, OParl."""
    return [
        reverse("portal:home"),
        reverse("council:paper-list"),
        reverse("council:paper-list") + "?q=Integrationsmanagement",
        reverse("positions:position-list"),
        reverse("funding:funding-overview"),
        reverse("oparl:paper-list", kwargs={"ags": oparl_conf.get("OPARL_BODY_AGS")}),
    ]


PARTS = {
    "items": "SELECT count(*) FROM council_resolutionitem WHERE paper_id = %s",
    "sections": "SELECT count(*) FROM council_papersection WHERE paper_id = %s",
    "consultations": "SELECT count(*) FROM council_consultation WHERE paper_id = %s",
    "funding_lines": "SELECT count(*) FROM funding_fundingline WHERE paper_id = %s",
    "versions": "SELECT count(*) FROM council_historicalpaper WHERE id = %s",
}


def imported(url):
    """How many of the batch's papers are in (committed) so far."""
    try:
        with psycopg.connect(url, connect_timeout=2) as conn, conn.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM council_paper WHERE year = %s AND number > %s",
                [IMPORT_YEAR, FIRST_IMPORTED + 1],
            )
            return cursor.fetchone()[0]
    except psycopg.Error:
        return 0


def paper_parts(cursor, number):
    """None if paper number/IMPORT_YEAR is absent, else the counts of its parts."""
    cursor.execute(
        "SELECT id FROM council_paper WHERE year = %s AND number = %s AND suffix = ''",
        [IMPORT_YEAR, number],
    )
    row = cursor.fetchone()
    if row is None:
        return None
    parts = {}
    for name, sql in PARTS.items():
        cursor.execute(sql, [row[0]])
        parts[name] = cursor.fetchone()[0]
    return parts


class Command(BaseCommand):
    help = (
        "Fehlertest: Neustart einer eigenen, temporären PostgreSQL-Instanz unter Last "
        "und während eines Imports (503-Seite, Erholung, Import ganz oder gar nicht)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pg-port", type=int, default=55433)
        parser.add_argument("--papers", type=int, default=500)
        parser.add_argument("--imports", type=int, default=200)
        parser.add_argument("--clients", type=int, default=10)
        parser.add_argument("--outage", type=float, default=3.0)
        parser.add_argument(
            "--after",
            type=float,
            default=10.0,
            help="Sekunden Last nach dem Neustart (über 5, die Zeit für die Erholung)",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, pg_port, papers, imports, clients, outage, after, **opts):
        say = self.stderr.write if opts["format"] == "json" else self.stdout.write
        if after <= RECOVERY_TARGET_S:
            raise CommandError(f"--after muss über {RECOVERY_TARGET_S:g} s liegen.")
        if not (load.PG_BIN / "initdb").exists():
            raise CommandError(f"initdb fehlt in {load.PG_BIN}.")
        cluster = load.ThrowawayCluster(pg_port)
        try:
            report = self.run(cluster, say, papers, imports, clients, outage, after)
        finally:
            cluster.destroy()
        if opts["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self.write_text(report)

    def run(self, cluster, say, papers, imports, clients, outage, after):
        say(f"Temporäre PostgreSQL-Instanz auf Port {cluster.port} …")
        cluster.create()
        url = cluster.url
        manage("migrate", "-v0", database_url=url)
        manage(
            "generate_data", "--papers", str(papers), "--no-progress", database_url=url
        )
        with tempfile.TemporaryDirectory() as directory:
            texts = paper_texts(directory, imports + 1)
            # One import before the fault: what a whole paper has.
            manage("import_vorlagen", "-v0", str(texts[0]), database_url=url)
            with psycopg.connect(url) as conn, conn.cursor() as cursor:
                whole = paper_parts(cursor, FIRST_IMPORTED + 1)
            if not whole or not whole["items"]:
                raise CommandError(f"Der Import von {SOURCE} hat nichts geschrieben.")
            batch = Path(directory) / "batch"
            batch.mkdir()
            for path in texts[1:]:
                path.rename(batch / path.name)
            port = load.free_port()
            with load.gunicorn(port, url):
                return self.under_load(
                    cluster, say, port, batch, imports, whole, clients, outage, after
                )

    def under_load(
        self, cluster, say, port, batch, imports, whole, clients, outage, after
    ):
        paths = fault_paths()
        events = {}
        importer = {}

        def fault(started):
            # Load first, then the import, then the restart in its middle.
            time.sleep(2)
            env = {**os.environ, "DATABASE_URL": cluster.url}
            env.pop("DJANGO_SETTINGS_MODULE", None)
            importer["process"] = subprocess.Popen(
                [sys.executable, "manage.py", "import_vorlagen", "-v0", str(batch)],
                cwd=load.BASE_DIR,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            # The restart in the middle of the import: once a few papers are in.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and imported(cluster.url) < 3:
                time.sleep(0.05)
            events["stop"] = time.monotonic() - started
            cluster.stop()
            events["stopped"] = time.monotonic() - started
            time.sleep(outage)
            events["start"] = time.monotonic() - started
            cluster.start()
            events["started"] = time.monotonic() - started

        started = time.monotonic()

        def done():
            # `after` seconds of load once the database is back.
            return (
                "started" in events
                and time.monotonic() - started > events["started"] + after
            )

        thread = threading.Thread(target=fault, args=(started,))
        thread.start()
        samples = asyncio.run(
            load.run_clients("127.0.0.1", port, paths, clients, 180, until=done)
        )
        thread.join()
        process = importer["process"]
        try:
            process.wait(120)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        # Samples are timed from the clients' start, a moment after `started`:
        # generous to the outage by those milliseconds.
        stop, back = events["stop"], events["started"]

        def overlaps(s):
            return s.started < back and s.started + s.seconds > stop

        def ok(s):
            return 200 <= s.status < 400

        def outage_page(s):
            return s.status == 503 and s.retry_after

        down = [s for s in samples if overlaps(s)]
        wrong_during = [s for s in down if not ok(s) and not outage_page(s)]
        after = sorted(
            (s for s in samples if s.started >= back), key=lambda s: s.started
        )
        # Back: the moment from which every request succeeds.
        recovery = None
        for index, sample in enumerate(after):
            if all(ok(s) for s in after[index:]):
                recovery = max(0.0, sample.started - back)
                break
        wrong_after = [
            s
            for s in after
            if not ok(s)
            and not (outage_page(s) and s.started < back + RECOVERY_TARGET_S)
        ]
        before = [s for s in samples if s.started + s.seconds <= stop]
        with psycopg.connect(cluster.url) as conn, conn.cursor() as cursor:
            outcomes = [
                paper_parts(cursor, FIRST_IMPORTED + 1 + index)
                for index in range(1, imports + 1)
            ]
        complete = sum(1 for parts in outcomes if parts == whole)
        absent = sum(1 for parts in outcomes if parts is None)
        partial = [
            (FIRST_IMPORTED + 1 + index, parts)
            for index, parts in enumerate(outcomes, start=1)
            if parts is not None and parts != whole
        ]
        statuses = {}
        for s in down:
            statuses[s.status] = statuses.get(s.status, 0) + 1
        report = {
            "cluster_port": cluster.port,
            "clients": clients,
            "events_s": {k: round(v, 2) for k, v in events.items()},
            "requests": len(samples),
            "before_fault": load.summary(before, max(stop, 0.001)),
            "during_outage": {
                "requests": len(down),
                "statuses": dict(sorted(statuses.items())),
                "not_outage_page": len(wrong_during),
                # What those were instead (0: no answer at all), to tell why.
                "not_outage_statuses": sorted(
                    {f"{s.status} {s.path}" for s in wrong_during}
                ),
            },
            "recovery_s": None if recovery is None else round(recovery, 2),
            "recovered_within_5s": recovery is not None
            and recovery <= RECOVERY_TARGET_S,
            "import": {
                "files": imports,
                "process_exit_code": process.returncode,
                "whole_paper": whole,
                "complete": complete,
                "absent": absent,
                "partial": partial,
                "interrupted": process.returncode != 0 and absent > 0,
            },
        }
        report["after_restart"] = {
            "requests": len(after),
            "failed_after_5s": len(wrong_after),
        }
        report["passed"] = (
            not wrong_during
            and not wrong_after
            and report["recovered_within_5s"]
            and not partial
            and len(down) > 0
        )
        return report

    def write_text(self, report):
        events = report["events_s"]
        yes = {True: "ja", False: "NEIN"}
        down = report["during_outage"]
        imp = report["import"]
        self.stdout.write(
            f"Temporäre PostgreSQL-Instanz auf Port {report['cluster_port']}, "
            f"{report['clients']} Clients; Halt bei {events['stop']:.1f} s, "
            f"wieder gestartet bei {events['started']:.1f} s."
        )
        self.stdout.write(
            f"Vor dem Fehler: {report['before_fault']['requests']} Anfragen, "
            f"Status {report['before_fault']['statuses']}."
        )
        self.stdout.write(
            f"Während des Ausfalls: {down['requests']} Anfragen, Status "
            f"{down['statuses']}, davon nicht die 503-Seite: {down['not_outage_page']}."
        )
        self.stdout.write(
            f"Wieder erreichbar nach {report['recovery_s']} s "
            f"(Ziel ≤ 5 s: {yes[report['recovered_within_5s']]}), ohne Neustart von "
            "gunicorn."
        )
        self.stdout.write(
            f"Import von {imp['files']} Vorlagen "
            f"(Exit-Code {imp['process_exit_code']}): {imp['complete']} vollständig, "
            f"{imp['absent']} nicht vorhanden, "
            f"{len(imp['partial'])} teilweise (je Vorlage {imp['whole_paper']})."
        )
        self.stdout.write(f"Bestanden: {yes[bool(report['passed'])]}.")
