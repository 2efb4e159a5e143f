"""The generator of realistic volumes: proportions, determinism, every constraint."""

import datetime
import random

import pytest

from benchmark.volume import delete_volume, generate_volume, volumes
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
