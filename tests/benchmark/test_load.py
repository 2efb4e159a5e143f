"""The load test and the fault test, on small data so that they cannot rot.

Both need PostgreSQL: gunicorn serves the test database from its own processes
(so the data are committed: transactional tests), and the fault test restarts a
PostgreSQL cluster of its own.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from benchmark.volume import generate_volume, scale_for_papers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="gunicorn and the fault test need PostgreSQL (DATABASE_URL).",
    ),
]


def run(command, *args):
    out = StringIO()
    call_command(command, *args, "--format", "json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_load_through_gunicorn_answers_every_request_of_the_mix_for_ten_seconds():
    # The small data set issue 12 names for CI: 2,000 papers, 10 s of load.
    generate_volume(scale=scale_for_papers(2000), seed=3)
    # Ten seconds of the mix; the base view's throughput is steady after three.
    report = run("loadtest", "--clients", "8", "--seconds", "10", "--base-seconds", "3")
    assert report["server"] == {
        "workers": 2,
        "worker_class": "gthread",
        "threads": 4,
        "page_cache": "on",
    }
    for run_name in ("mix", "base"):
        summary = report[run_name]
        assert summary["requests"] > 0, run_name
        assert summary["errors"] == 0, summary
        assert summary["p50_ms"] <= summary["p95_ms"] <= summary["p99_ms"]
    assert (report["seconds"], report["base_seconds"]) == (10, 3)
    assert report["base"]["throughput_rps"] > 0
    assert report["share_of_base_throughput"] == pytest.approx(
        report["mix"]["throughput_rps"] / report["base"]["throughput_rps"], abs=0.001
    )
    assert set(report["targets"]) == {
        "zero_errors",
        "p99_at_most_1s",
        "share_at_least_20_percent",
    }


def test_a_database_restart_gives_the_outage_page_then_service_and_whole_imports():
    # Two seconds down, and six of load after: the recovery's 5 s and one more.
    report = run(
        "faulttest",
        *("--papers", "2000", "--imports", "60", "--clients", "4"),
        *("--outage", "2", "--after", "6"),
    )
    outage = report["during_outage"]
    assert outage["requests"] > 0
    assert outage["statuses"].get("503", 0) > 0
    assert outage["not_outage_page"] == 0, outage["not_outage_statuses"]
    assert report["after_restart"]["failed_after_5s"] == 0
    assert report["recovered_within_5s"], report
    imported = report["import"]
    # The restart came in the middle of the import: some papers in, the rest not,
    # none in part.
    assert imported["process_exit_code"] != 0
    assert imported["complete"] >= 3
    assert imported["absent"] > 0
    assert imported["partial"] == []
    assert report["passed"]
