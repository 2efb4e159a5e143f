"""The generator of realistic volumes: proportions, determinism, every constraint."""

import datetime
import random
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q

from benchmark import volume as volume_module
from benchmark.volume import (
    AUDITED_MODELS,
    COMMON_WORD,
    RARE_WORD,
    delete_volume,
    generate_volume,
    scale_for_papers,
    volumes,
)
from council.models import (
    Committee,
    Consultation,
    Department,
    Meeting,
    Paper,
    PaperReference,
    PaperSection,
    ResolutionItem,
)
from funding.models import FundingLine
from oparl.models import Stamp
from positions.models import Position, PositionDecision

SCALE = 0.01
TODAY = datetime.date(2025, 6, 30)

pytestmark = pytest.mark.django_db


@pytest.fixture
def volume(db):
    return generate_volume(scale=SCALE, seed=7, today=TODAY)


def test_volumes_scale_with_the_factor_and_keep_a_least_count():
    assert volumes(1.0)["papers"] == 12000
    assert volumes(0.5)["items"] == 25000
    assert volumes(0.0001)["committees"] >= 4


def test_generator_creates_the_requested_numbers_of_rows(volume):
    wanted = volumes(SCALE)
    assert Department.objects.count() == wanted["departments"]
    assert Committee.objects.count() == wanted["committees"]
    assert Meeting.objects.count() == wanted["meetings"]
    assert Paper.objects.count() == wanted["papers"]
    assert Position.objects.count() == wanted["positions"]
    assert FundingLine.objects.count() == wanted["funding_lines"]
    # Spread over the papers at random, so close to the target rather than exact.
    for model, key in [
        (Consultation, "consultations"),
        (ResolutionItem, "items"),
        (PositionDecision, "decisions"),
    ]:
        assert 0.8 * wanted[key] <= model.objects.count() <= wanted[key]


def test_about_five_percent_of_papers_are_not_public_and_some_are_stubs(volume):
    papers = Paper.objects.count()
    assert Paper.objects.filter(is_public=False).count() == round(papers * 0.05)
    assert Paper.objects.filter(is_stub=True).count() == round(papers * 0.02)
    assert Paper.objects.exclude(suffix="").count() == round(papers * 0.03)


def test_papers_span_ten_years_and_some_mention_integrationsmanagement(volume):
    years = set(Paper.objects.values_list("year", flat=True))
    assert years == set(range(TODAY.year - 9, TODAY.year + 1))
    assert Paper.objects.filter(title__contains="Integrationsmanagement").exists()


def test_positions_are_created_extended_and_made_permanent(volume):
    actions = set(PositionDecision.objects.values_list("action", flat=True))
    assert {"created", "extended"} <= actions
    assert all(p.decisions.exists() for p in Position.objects.all())


def test_funding_has_breakdowns_of_other_lines(volume):
    assert FundingLine.objects.filter(part_of__isnull=False).exists()


def test_a_sample_of_every_generated_model_passes_full_clean(volume):
    sample = random.Random(1)
    for model in [
        Department,
        Committee,
        Meeting,
        Paper,
        PaperSection,
        PaperReference,
        Consultation,
        ResolutionItem,
        Position,
        PositionDecision,
        FundingLine,
    ]:
        pks = list(model.objects.values_list("pk", flat=True))
        assert pks, model
        for pk in sample.sample(pks, min(25, len(pks))):
            model.objects.get(pk=pk).full_clean()


def test_the_same_seed_and_day_give_the_same_data(db):
    generate_volume(scale=0.005, seed=3, today=TODAY)
    first = list(
        Paper.objects.order_by("year", "number", "suffix").values_list(
            "year", "number", "suffix", "title", "is_public"
        )
    )
    delete_volume()
    generate_volume(scale=0.005, seed=3, today=TODAY)
    second = list(
        Paper.objects.order_by("year", "number", "suffix").values_list(
            "year", "number", "suffix", "title", "is_public"
        )
    )
    assert first == second


def test_delete_volume_leaves_the_tables_empty(volume):
    delete_volume()
    assert not Paper.objects.exists()
    assert not Department.objects.exists()
    assert not FundingLine.objects.exists()


# -- realistic texts and chains --------------------------------------------------------


def share_of_papers_matching(word):
    """The share of (non-stub) papers a visitor's search for `word` finds, by the
    database's own full-text search on PostgreSQL, by substring on SQLite."""
    papers = Paper.objects.filter(is_stub=False)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        found = papers.filter(search_vector=SearchQuery(word, config="german"))
    else:
        found = papers.filter(
            Q(title__icontains=word)
            | Q(items__text__icontains=word)
            | Q(sections__body__icontains=word)
        ).distinct()
    return found.count() / papers.count()


@pytest.fixture
def larger_volume(db):
    # 600 papers: enough for shares of a few per cent to be stable.
    return generate_volume(scale=0.05, seed=11, today=TODAY)


def test_a_common_word_is_in_a_few_percent_of_papers_and_a_rare_one_in_few(
    larger_volume,
):
    assert 0.01 <= share_of_papers_matching(COMMON_WORD) <= 0.10
    assert share_of_papers_matching(RARE_WORD) <= 0.01
    # The language of every paper is everywhere, as in real papers.
    assert share_of_papers_matching("Landeshauptstadt") >= 0.3


def test_five_percent_of_a_larger_volume_are_not_public(larger_volume):
    share = Paper.objects.filter(is_public=False).count() / Paper.objects.count()
    assert 0.045 <= share <= 0.055


def test_positions_have_chains_of_one_to_five_decisions(larger_volume):
    lengths = Counter(
        Position.objects.annotate(n=Count("decisions")).values_list("n", flat=True)
    )
    assert set(lengths) <= {1, 2, 3, 4, 5}
    assert {1, 2, 3} <= set(lengths)
    assert PositionDecision.objects.filter(
        action=PositionDecision.Action.MADE_PERMANENT
    ).exists()


def test_meetings_span_ten_years_and_some_lie_ahead(larger_volume):
    years = {d.year for d in Meeting.objects.values_list("date", flat=True)}
    assert set(range(TODAY.year - 9, TODAY.year + 1)) <= years
    assert Meeting.objects.filter(date__gt=TODAY).exists()


def test_every_generated_row_has_one_version_in_the_audit_trail(volume):
    for model in AUDITED_MODELS:
        rows = model.objects.count()
        versions = model.audit_trail.filter(history_type="+")
        assert versions.count() == rows, model
        assert set(versions.values_list("id", flat=True)) == set(
            model.objects.values_list("pk", flat=True)
        )
    assert Paper.audit_trail.first().history_user.username == "system"


def stamps_and_vectors():
    """What the triggers leave: stamps by kind and visibility, the search vectors
    by paper reference (keys differ between two runs)."""
    stamps = Counter(Stamp.objects.values_list("kind", "published"))
    vectors = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT year, number, suffix, search_vector::text FROM council_paper"
            )
            vectors = {row[:3]: row[3] for row in cursor.fetchall()}
    return stamps, vectors


def test_bulk_loading_leaves_what_the_row_triggers_would_have_left(db, monkeypatch):
    generate_volume(scale=0.005, seed=5, today=TODAY)
    bulk = stamps_and_vectors()
    assert all(s.created <= s.modified for s in Stamp.objects.all())
    delete_volume()
    # The same data with every trigger firing for every row.
    monkeypatch.setattr(volume_module._Bypass, "disable", lambda self: None)
    generate_volume(scale=0.005, seed=5, today=TODAY)
    row_by_row = stamps_and_vectors()
    assert bulk == row_by_row
    assert bulk[0][("paper", True)] > 0


def test_generate_data_command_writes_the_papers_asked_for_and_refuses_a_second_run(
    db,
):
    out = StringIO()
    call_command(
        "generate_data",
        "--papers",
        "120",
        "--seed",
        "4",
        "--today",
        "2025-06-30",
        "--no-progress",
        stdout=out,
        stderr=StringIO(),
    )
    assert Paper.objects.count() == 120
    assert "120 Drucksachen" in out.getvalue()
    with pytest.raises(CommandError, match="enthält schon Daten"):
        call_command("generate_data", "--papers", "120", stderr=StringIO())
    assert Paper.objects.count() == 120


def test_volumes_keep_one_citys_departments_and_committees_at_large_scales():
    large = volumes(scale_for_papers(100_000))
    assert large["papers"] == 100_000
    assert large["departments"] == 60
    assert large["committees"] == 40
    assert 10_000 <= large["meetings"] <= 12_000
