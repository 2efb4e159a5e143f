"""Deleted and depublished papers: stubs, modified_since, and what never shows."""

import datetime
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from council.models import Consultation, Paper, PaperReference
from oparl.models import Stamp
from tests.factories import ConsultationFactory, PaperFactory

pytestmark = pytest.mark.django_db

BODY = "http://testserver/oparl/v1/body/08111000/"
PAPERS = BODY + "paper"
STUB_KEYS = {"id", "type", "created", "modified", "deleted"}


def since(moment):
    return "?" + urlencode({"modified_since": moment.isoformat()})


def paper_url(paper):
    return f"http://testserver/oparl/v1/paper/{paper.pk}"


@pytest.fixture
def papers_of_last_year():
    """Five papers last touched a year ago, and the moment after that."""
    papers = PaperFactory.create_batch(5)
    a_year_ago = timezone.now() - datetime.timedelta(days=365)
    Stamp.objects.update(created=a_year_ago, modified=a_year_ago)
    return papers, a_year_ago + datetime.timedelta(days=1)


def test_modified_since_returns_what_changed_and_the_stub_of_a_deleted_paper(
    harvester, papers_of_last_year
):
    papers, cutoff = papers_of_last_year
    changed, removed = papers[1], papers[3]
    changed.title = "Neuer Betreff"
    changed.save()
    removed_url = paper_url(removed)
    removed_created = Stamp.objects.get(
        kind=Stamp.Kind.PAPER, object_pk=removed.pk
    ).created
    removed.delete()

    entries = harvester.all_of(PAPERS + since(cutoff))

    assert [e["id"] for e in entries] == [paper_url(changed), removed_url]
    assert entries[0]["name"] == "Neuer Betreff"
    stub = entries[1]
    assert set(stub) == STUB_KEYS
    assert stub["deleted"] is True
    assert stub["type"] == "https://schema.oparl.org/1.1/Paper"
    assert stub["created"] == timezone.localtime(removed_created).isoformat()
    assert stub["modified"] >= cutoff.isoformat()[:10]


def test_a_deleted_paper_is_listed_only_when_modified_since_is_given(
    harvester, papers_of_last_year
):
    papers, _ = papers_of_last_year
    removed_url = paper_url(papers[0])
    papers[0].delete()
    assert removed_url not in [e["id"] for e in harvester.all_of(PAPERS)]
    long_ago = timezone.now() - datetime.timedelta(days=3650)
    assert removed_url in [e["id"] for e in harvester.all_of(PAPERS + since(long_ago))]


def test_a_deleted_paper_answers_its_stub_at_its_own_url(harvester):
    paper = PaperFactory()
    url = paper_url(paper)
    paper.delete()
    stub = harvester.get(url)
    assert set(stub) == STUB_KEYS
    assert stub["id"] == url


def test_a_change_older_than_modified_since_leaves_the_stub_out(
    harvester, papers_of_last_year
):
    papers, cutoff = papers_of_last_year
    papers[0].delete()
    Stamp.objects.update(modified=cutoff - datetime.timedelta(hours=1))
    assert harvester.all_of(PAPERS + since(cutoff)) == []


def test_a_depublished_paper_counts_as_deleted_and_its_consultations_too(
    harvester, papers_of_last_year
):
    papers, cutoff = papers_of_last_year
    paper = papers[2]
    consultation = ConsultationFactory(paper=paper, order=1)
    paper.is_public = False
    paper.save()

    stub = harvester.get(paper_url(paper))
    assert set(stub) == STUB_KEYS
    entries = harvester.all_of(PAPERS + since(cutoff))
    assert [e["id"] for e in entries] == [paper_url(paper)]
    assert entries[0]["deleted"] is True
    consultations = harvester.all_of(BODY + "consultation" + since(cutoff))
    assert consultations == [
        harvester.get(f"http://testserver/oparl/v1/consultation/{consultation.pk}")
    ]
    assert consultations[0]["deleted"] is True
    assert harvester.all_of(BODY + "consultation") == []


def test_a_republished_paper_is_live_again(harvester):
    paper = PaperFactory()
    paper.is_public = False
    paper.save()
    paper.is_public = True
    paper.save()
    assert harvester.get(paper_url(paper))["reference"] == paper.reference
    long_ago = timezone.now() - datetime.timedelta(days=3650)
    entries = harvester.all_of(PAPERS + since(long_ago))
    assert [e.get("deleted") for e in entries] == [None]


def test_a_non_public_paper_never_appears_not_even_as_a_stub(harvester):
    public = PaperFactory()
    hidden = PaperFactory(is_public=False)
    ConsultationFactory(paper=hidden, order=1)
    PaperReference.objects.create(
        from_paper=public, to_paper=hidden, kind=PaperReference.Kind.CITES
    )
    everything = PAPERS + since(timezone.now() - datetime.timedelta(days=3650))

    for url in (PAPERS, everything):
        assert [e["id"] for e in harvester.all_of(url)] == [paper_url(public)]
    assert harvester.all_of(BODY + "consultation") == []
    assert "relatedPaper" not in harvester.get(paper_url(public))
    error = harvester.get(paper_url(hidden), status=404)
    assert error["type"] == "https://schema.oparl.org/1.1/Error"

    # Deleting what was never public leaves no trace either.
    PaperReference.objects.all().delete()
    hidden.delete()
    assert [e["id"] for e in harvester.all_of(everything)] == [paper_url(public)]
    harvester.get(paper_url(hidden), status=404)


def test_a_non_public_consultation_of_a_public_paper_stays_hidden(harvester):
    paper = PaperFactory()
    ConsultationFactory(paper=paper, order=1, is_public=False)
    assert "consultation" not in harvester.get(paper_url(paper))
    assert harvester.all_of(BODY + "consultation") == []


def test_a_changed_consultation_moves_the_paper_modified(
    harvester, papers_of_last_year
):
    papers, cutoff = papers_of_last_year
    consultation = ConsultationFactory(paper=papers[4], order=1)
    two_days_before = cutoff - datetime.timedelta(days=2)
    Stamp.objects.update(created=two_days_before, modified=two_days_before)
    assert harvester.all_of(PAPERS + since(cutoff)) == []
    consultation.refresh_from_db()
    consultation.result = Consultation.Result.APPROVED
    consultation.save()
    entries = harvester.all_of(PAPERS + since(cutoff))
    assert [e["id"] for e in entries] == [paper_url(papers[4])]
    # Stamped by the same trigger, the paper right after its consultation.
    assert entries[0]["modified"] >= entries[0]["consultation"][0]["modified"]


def test_a_consultation_made_non_public_is_listed_as_deleted(harvester):
    consultation = ConsultationFactory()
    before = timezone.now() - datetime.timedelta(minutes=1)
    consultation.is_public = False
    consultation.save()
    url = f"http://testserver/oparl/v1/consultation/{consultation.pk}"
    assert harvester.all_of(BODY + "consultation") == []
    assert harvester.all_of(BODY + "consultation" + since(before)) == [
        harvester.get(url)
    ]
    assert harvester.get(url)["deleted"] is True
    assert "consultation" not in harvester.get(paper_url(consultation.paper))


def test_a_paper_made_public_behind_the_receivers_back_is_listed_once(harvester):
    paper = PaperFactory()
    paper.is_public = False
    paper.save()
    Paper.objects.filter(pk=paper.pk).update(is_public=True)
    long_ago = timezone.now() - datetime.timedelta(days=3650)
    entries = harvester.all_of(PAPERS + since(long_ago))
    assert [(e["id"], e.get("deleted")) for e in entries] == [(paper_url(paper), None)]
