"""`manage.py verify_derived`: the stored derived facts (search vectors, OParl
stamps, the page cache's triggers) agree with their sources after any edits, and
a disagreement is named."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from council.models import Consultation, Paper, PaperSection, ResolutionItem
from oparl.models import Stamp
from operations import pagecache
from tests.factories import ConsultationFactory, PaperFactory, ResolutionItemFactory

# Fewer examples on SQLite, the full count on PostgreSQL (as tests/fuzz does).
EXAMPLES = 40 if connection.vendor == "postgresql" else 10
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps no search vector"
)


def verify(*args):
    out = StringIO()
    call_command("verify_derived", *args, stdout=out)
    return out.getvalue()


def refused(*args):
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("verify_derived", *args, stdout=out)
    return out.getvalue(), str(error.value)


@pytest.mark.django_db
def test_every_check_agrees_on_the_demo_data(demo):
    output = verify()
    for name in (
        "council.search_vector",
        "oparl.stamp",
        "operations.data_version",
        "positions.standing",
    ):
        assert f"{name} (" in output
    assert "ABWEICHUNG" not in output
    assert "Alle 4 Prüfungen stimmen." in output


@on_postgresql
@pytest.mark.django_db
def test_a_stale_search_vector_is_named_by_the_papers_reference(demo):
    paper = Paper.objects.get(year=2019, number=949, suffix="")
    # Only UPDATE OF title rebuilds the vector: this write goes around the trigger.
    Paper.objects.filter(pk=paper.pk).update(search_vector=None)
    output, message = refused("--check", "council.search_vector")
    assert "Suchindex veraltet: Drucksache 949/2019" in output
    assert "1 von 1 Prüfungen" in message


@pytest.mark.django_db
def test_an_object_without_its_stamp_is_named(demo):
    paper = Paper.objects.public().first()
    Stamp.objects.filter(kind=Stamp.Kind.PAPER, object_pk=paper.pk).delete()
    output, _ = refused("--check", "oparl.stamp")
    assert f"Ohne Zeitstempel: paper {paper.pk}" in output


@pytest.mark.django_db
def test_a_public_object_not_marked_published_is_named(demo):
    paper = Paper.objects.public().first()
    Stamp.objects.filter(kind=Stamp.Kind.PAPER, object_pk=paper.pk).update(
        published=False
    )
    output, _ = refused("--check", "oparl.stamp")
    assert (
        f"Öffentlich, aber nicht als veröffentlicht markiert: paper {paper.pk}"
        in output
    )


@pytest.mark.django_db
def test_a_table_without_the_page_cache_trigger_is_named():
    table = Paper._meta.db_table
    assert table in pagecache.installed_tables()
    with connection.cursor() as cursor:
        pagecache.drop_trigger(cursor, table)
    try:
        output, _ = refused("--check", "operations.data_version")
        assert f"Tabelle {table}: kein Trigger" in output
    finally:
        pagecache.install(connection)


@pytest.mark.django_db
def test_an_unknown_check_is_refused_with_the_known_ones():
    _, message = refused("--check", "council.nothing")
    assert "Unbekannte Prüfung: council.nothing" in message
    assert "oparl.stamp" in message


EDITS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "retitle",
                "publish",
                "add_item",
                "edit_item",
                "delete_item",
                "add_section",
                "delete_section",
                "add_step",
                "delete_paper",
            ]
        ),
        st.integers(min_value=0, max_value=2),
        st.booleans(),
    ),
    min_size=1,
    max_size=8,
)


@pytest.mark.django_db
class TestDerivedFactsAfterRandomEdits(TestCase):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(edits=EDITS)
    def test_stored_facts_equal_the_derived_after_any_edits(self, edits):
        papers = [PaperFactory(is_public=n != 1) for n in range(3)]
        for paper in papers:
            ResolutionItemFactory(paper=paper, number=1)
        for kind, index, flag in edits:
            paper = papers[index]
            if not Paper.objects.filter(pk=paper.pk).exists():
                continue
            if kind == "retitle":
                paper.title = f"Neuer Titel Schulsanierung {flag}"
                paper.save()
            elif kind == "publish":
                # A queryset update, as a script or bulk edit would do it.
                Paper.objects.filter(pk=paper.pk).update(is_public=flag)
            elif kind == "add_item":
                number = paper.items.count() + 1
                ResolutionItem.objects.create(
                    paper=paper, number=number, text=f"Ziffer {number} Turnhalle"
                )
            elif kind == "edit_item":
                paper.items.update(text="Geänderter Beschlussantrag Stadtbahn")
            elif kind == "delete_item":
                paper.items.filter(number=paper.items.count()).delete()
            elif kind == "add_section":
                PaperSection.objects.create(
                    paper=paper,
                    order=paper.sections.count() + 1,
                    heading="Begründung",
                    body="Die Kita braucht mehr Plätze." if flag else "Kurz.",
                )
            elif kind == "delete_section":
                section = paper.sections.first()
                if section is not None:
                    section.delete()
            elif kind == "add_step":
                ConsultationFactory(
                    paper=paper,
                    order=paper.consultations.count() + 1,
                    is_public=flag,
                    result=Consultation.Result.APPROVED,
                )
            elif kind == "delete_paper":
                paper.delete()
        assert "ABWEICHUNG" not in verify()
