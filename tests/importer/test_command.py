"""manage.py import_vorlagen: a transaction per file, failures reported, skipped."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from council.models import Paper
from demo.corpus import CORPUS_DIR

DATA = Path(__file__).parent / "data"
GOOD = [
    CORPUS_DIR / "grdrs_0949_2019.txt",
    CORPUS_DIR / "grdrs_0532_2017.txt",
    DATA / "grdrs_1105_2011_ergaenzung.txt",
]
BAD = DATA / "kein_vorlagentext.txt"


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_vorlagen", *map(str, args), stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


@pytest.mark.django_db
def test_dry_run_json_prints_one_object_per_file_and_saves_nothing():
    out, err, failed = run(*GOOD, "--dry-run", "--format", "json")

    assert failed is None
    result = json.loads(out)
    assert [r["file"] for r in result] == [str(p) for p in GOOD]
    first = result[0]
    assert set(first) == {"file", "ok", "errors", "warnings", "paper"}
    assert first["ok"] is True
    paper = first["paper"]
    assert {
        "number",
        "year",
        "suffix",
        "date",
        "department",
        "file_reference",
        "title",
        "paper_type",
        "consultations",
        "items",
        "referenced_papers",
        "position_decisions",
        "funding_lines",
    } <= set(paper)
    assert (paper["number"], paper["year"], paper["date"]) == (949, 2019, "2019-11-13")
    assert paper["paper_type"] == "Beschlußvorlage"
    assert paper["referenced_papers"] == ["532/2017", "692/2018", "341/2019"]
    assert result[1]["warnings"][0]["message"].startswith("Der Text bricht ab")
    assert result[2]["paper"]["suffix"] == "Ergänzung"
    assert "3 Dateien gelesen" in err
    assert Paper.objects.count() == 0


@pytest.mark.django_db
def test_a_failing_file_is_reported_skipped_and_the_exit_status_is_non_zero():
    out, err, failed = run(GOOD[0], BAD, GOOD[2])

    assert failed is not None
    assert "1 von 3 Dateien fehlgeschlagen" in str(failed)
    assert "kein_vorlagentext.txt" in err and "keine Vorlage" in err
    assert "2 gespeichert, 1 fehlgeschlagen" in out
    assert set(
        Paper.objects.filter(is_stub=False).values_list("number", flat=True)
    ) == {949, 1105}


@pytest.mark.django_db
def test_a_second_run_refuses_duplicates_unless_asked_to_update():
    run(GOOD[0])
    _out, err, failed = run(GOOD[0])
    assert failed is not None and "schon erfasst" in err
    _out, _err, failed = run(GOOD[0], "--update")
    assert failed is None
    assert Paper.objects.filter(number=949, year=2019).count() == 1


@pytest.mark.django_db
def test_a_directory_is_read_recursively_and_json_marks_bad_files():
    out, _err, failed = run(DATA, "--dry-run", "--format", "json")
    result = {Path(r["file"]).name: r for r in json.loads(out)}
    assert result["kein_vorlagentext.txt"]["ok"] is False
    assert result["kein_vorlagentext.txt"]["paper"] is None
    assert result["grdrs_0777_2018_ergaenzung_b.txt"]["ok"] is True
    assert failed is not None


@pytest.mark.django_db
def test_a_file_failing_while_saving_leaves_the_rest_of_the_batch_intact(tmp_path):
    # The Gz is too long for its column: the department of 949/2019 is created,
    # then the paper is refused and that file's transaction rolled back.
    broken = tmp_path / "grdrs_0950_2019_gz_zu_lang.txt"
    broken.write_text(
        GOOD[0]
        .read_text(encoding="utf-8")
        .replace("GRDrs 949/2019", "GRDrs 950/2019")
        .replace("Gz: SI\n", "Gz: SI " + "4711/2019 " * 8 + "\n", 1),
        encoding="utf-8",
    )
    out, err, failed = run(broken, GOOD[0], CORPUS_DIR / "grdrs_0532_2017.txt")

    assert "1 von 3 Dateien fehlgeschlagen" in str(failed)
    assert "höchstens 50 Zeichen" in err
    assert not Paper.objects.filter(number=950).exists()
    paper = Paper.objects.get(number=949, year=2019)
    assert paper.department.name == (
        "Referat Soziales und gesellschaftliche Integration"
    )
    # 532/2017 was a stub cited by 949/2019 in the same batch: filled in, not doubled.
    assert Paper.objects.filter(number=532, year=2017).count() == 1
    assert not Paper.objects.get(number=532, year=2017).is_stub
