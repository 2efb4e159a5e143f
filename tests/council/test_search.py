"""The search box of /drucksachen/: full text, similarity, references, odd input."""

import pytest
from django.db import connection

from council.models import Paper, PaperSection, ResolutionItem
from council.search import find_papers
from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="German full text needs PostgreSQL"
)


def search_papers(papers, text):
    """The papers the search box finds, best match first."""
    return find_papers(papers, text)[0]


def references(papers):
    return [paper.reference for paper in papers]


def test_integrationsmanager_finds_949_2019(demo):
    found = references(search_papers(Paper.objects.all(), "Integrationsmanager"))
    assert "949/2019" in found


def test_words_of_an_item_find_their_paper(demo):
    found = references(search_papers(Paper.objects.all(), "Wohlfahrtspflege"))
    assert "949/2019" in found


def test_a_word_nowhere_finds_nothing(demo):
    assert references(search_papers(Paper.objects.all(), "Zebrastreifen")) == []


@on_postgresql
def test_german_stemming_finds_inflected_forms(demo):
    # "Flüchtlinge" is written "Flüchtlingen" in the title of 949/2019's items.
    found = references(search_papers(Paper.objects.all(), "Flüchtling"))
    assert "949/2019" in found


@on_postgresql
def test_a_typo_still_finds_by_trigram_similarity(demo):
    found = references(search_papers(Paper.objects.all(), "Integrationsmanagment"))
    assert found[0] == "949/2019"


@on_postgresql
def test_title_matches_rank_above_matches_in_the_text_only():
    in_text = PaperFactory(title="Haushalt 2020")
    PaperSection.objects.create(
        paper=in_text, order=1, heading="Begründung", body="Auch der Radweg kostet."
    )
    in_title = PaperFactory(title="Neuer Radweg an der Neckarstraße")
    found = list(search_papers(Paper.objects.all(), "Radweg"))
    assert found[:2] == [in_title, in_text]


@on_postgresql
def test_the_search_vector_follows_changes_to_items_and_sections():
    paper = PaperFactory(title="Vorlage ohne Stichwort")
    item = ResolutionItem.objects.create(paper=paper, number=1, text="Der Zoo wächst.")
    assert references(search_papers(Paper.objects.all(), "Zoo")) == [paper.reference]

    item.text = "Die Bibliothek wächst."
    item.save()
    assert references(search_papers(Paper.objects.all(), "Zoo")) == []
    assert references(search_papers(Paper.objects.all(), "Bibliothek")) == [
        paper.reference
    ]

    item.delete()
    assert references(search_papers(Paper.objects.all(), "Bibliothek")) == []


def paper_updates():
    """How many rows of council_paper this transaction has updated so far."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
            ["council_paper"],
        )
        return cursor.fetchone()[0]


@on_postgresql
def test_many_items_in_one_statement_rebuild_their_paper_once():
    paper = PaperFactory(title="Vorlage ohne Stichwort")
    before = paper_updates()
    ResolutionItem.objects.bulk_create(
        ResolutionItem(paper=paper, number=n, text=f"Punkt {n} zum Zoo.")
        for n in range(1, 31)
    )
    assert paper_updates() - before == 1
    assert references(search_papers(Paper.objects.all(), "Zoo")) == [paper.reference]


@on_postgresql
def test_an_items_status_leaves_the_vector_alone_and_a_move_rebuilds_both():
    old, new = PaperFactory(title="Alte Vorlage"), PaperFactory(title="Neue Vorlage")
    item = ResolutionItem.objects.create(paper=old, number=1, text="Der Zoo wächst.")
    before = paper_updates()
    ResolutionItem.objects.filter(pk=item.pk).update(
        implementation=ResolutionItem.Implementation.DONE
    )
    assert paper_updates() == before

    ResolutionItem.objects.filter(pk=item.pk).update(paper=new)
    assert paper_updates() - before == 2
    assert references(search_papers(Paper.objects.all(), "Zoo")) == [new.reference]


@on_postgresql
def test_saving_a_paper_keeps_its_item_words_searchable():
    paper = PaperFactory(title="Vorlage")
    ResolutionItem.objects.create(paper=paper, number=1, text="Der Zoo wächst.")
    paper.refresh_from_db()
    paper.title = "Neue Vorlage"
    paper.save()
    assert references(search_papers(Paper.objects.all(), "Zoo")) == [paper.reference]


@pytest.mark.parametrize(
    "text",
    ["!!!", "a & | b", "'\"\\", "(((", ":*", "%_", "ä" * 200, "\x01\x02", "\u202e"],
)
def test_odd_characters_never_break_the_search(demo, text):
    list(search_papers(Paper.objects.all(), text))


def test_the_list_redirects_a_reference_to_its_paper(client, demo):
    for text in ["949/2019", "GRDrs 949/2019", " grdrs 949 / 2019 "]:
        response = client.get("/drucksachen/", {"q": text})
        assert response.status_code == 302
        assert response["Location"] == "/drucksachen/2019/949/"


def test_a_reference_to_an_unknown_paper_searches_instead(client, demo):
    response = client.get("/drucksachen/", {"q": "1/1999"})
    assert response.status_code == 200
    assert "Eine Drucksache 1/1999 ist nicht verzeichnet." in response.text
    assert "Keine Drucksache passt" in response.text


def test_the_list_search_shows_the_paper(client, demo):
    response = client.get("/drucksachen/", {"q": "Integrationsmanager"})
    assert response.status_code == 200
    assert 'href="/drucksachen/2019/949/"' in response.text
    assert 'value="Integrationsmanager"' in response.text


def test_a_nul_byte_gives_a_message_not_an_error(client, demo):
    response = client.get("/drucksachen/", {"q": "Integration\x00"})
    assert response.status_code == 200
    assert "Nullzeichen" in response.text


def test_an_overlong_search_gives_a_message_not_an_error(client, demo):
    # Longer than 4,000 bytes the address itself is refused (test_odd_requests).
    response = client.get("/drucksachen/", {"q": "x" * 3000})
    assert response.status_code == 200
    assert "höchstens 200 Zeichen" in response.text


def test_invalid_filter_values_are_reported_and_ignored(client, demo):
    old = {"year": "abc", "committee": "\x00", "state": "<script>"}
    moved = client.get("/drucksachen/", old)
    assert moved.status_code == 301
    german = {"jahr": "abc", "gremium": "\x00", "stand": "<script>"}
    for response in (
        client.get("/drucksachen/", german),
        client.get(moved["Location"]),
    ):
        assert response.status_code == 200
        assert "Auswahl" in response.text
        assert 'href="/drucksachen/2019/949/"' in response.text
        assert "<script>" not in response.text


@on_postgresql
def test_sharing_only_the_first_part_of_a_compound_is_not_a_match(demo):
    found = references(search_papers(Paper.objects.all(), "Integrationsmanagerin"))
    assert found == ["949/2019"]


@on_postgresql
def test_a_hit_in_the_text_shows_the_matching_words(client, demo):
    html = client.get("/drucksachen/", {"q": "Wohlfahrtspflege"}).text
    assert "<mark>Wohlfahrtspflege</mark>" in html


@on_postgresql
def test_the_headline_escapes_the_paper_text(client):
    paper = PaperFactory(title="Vorlage")
    ResolutionItem.objects.create(
        paper=paper, number=1, text="Der <script>alert(1)</script> Zoo wächst."
    )
    html = client.get("/drucksachen/", {"q": "Zoo"}).text
    assert "<mark>Zoo</mark>" in html
    assert "<script>alert" not in html


@on_postgresql
def test_a_search_counts_its_matches_up_to_a_cap_and_ranks_the_newest(monkeypatch):
    monkeypatch.setattr("council.search.SEARCH_COUNTED", 5)
    monkeypatch.setattr("council.search.SEARCH_CANDIDATES", 3)
    papers = [PaperFactory(title="Radweg", year=2010 + n) for n in range(8)]
    found, count = find_papers(Paper.objects.all(), "Radweg")
    # One more than the cap: "mehr als 5".
    assert count == 6
    assert set(found) == set(papers[-3:])


@on_postgresql
def test_a_paper_found_by_its_words_and_by_its_title_is_counted_once():
    paper = PaperFactory(title="Integrationsmanagement an Schulen")
    # Fewer matches than a page: similar titles are searched too, and this
    # title is both.
    found, count = find_papers(Paper.objects.all(), "Integrationsmanagement")
    assert count == 1
    assert list(found) == [paper]
