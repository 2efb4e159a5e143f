"""The lists' filters offer their departments, committees and years as Django's
fields would, read once per data version and audience (RememberedChoicesMixin)."""

import datetime

import django_filters
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from council import agenda, control
from council.filters import ItemFilter, MeetingFilter, PaperFilter, month_value
from council.models import Committee, Department, Meeting, Paper
from positions.filters import HRPositionFilter, PublicPositionFilter
from positions.models import Position
from tests.factories import DepartmentFactory, PaperFactory

pytestmark = pytest.mark.django_db


def djangos_form(filterset):
    """The form as django-filter builds it, its fields offering their rows."""
    return django_filters.FilterSet.form.fget(filterset)


@pytest.mark.parametrize("kept", [False, True], ids=["computed", "kept"])
@pytest.mark.parametrize("reader", ["anonymous", "clerk"])
@pytest.mark.parametrize("chosen", [False, True], ids=["nothing", "chosen"])
def test_the_paper_filters_offer_what_djangos_fields_offer(
    demo, clerk, settings, kept, reader, chosen
):
    settings.RATSREGISTER_DERIVED_CACHE = kept
    caches[settings.RATSREGISTER_PAGE_CACHE_ALIAS].clear()
    user = clerk if reader == "clerk" else AnonymousUser()
    data = None
    if chosen:
        department = Department.objects.filter(papers__is_public=True).first()
        data = QueryDict(
            f"dienststelle={department.pk}&gremium={Committee.objects.last().slug}"
        )
    for _reading in range(2):  # computed, then (if kept) remembered
        ours = PaperFilter(data, Paper.objects.all(), user=user).form
        djangos = djangos_form(PaperFilter(data, Paper.objects.all(), user=user))
        for name in ("jahr", "dienststelle", "gremium"):
            assert str(ours[name]) == str(djangos[name]), name
        assert "selected>" in str(ours["gremium"]) or not chosen


@pytest.mark.parametrize("kept", [False, True], ids=["computed", "kept"])
@pytest.mark.parametrize("chosen", [False, True], ids=["nothing", "chosen"])
def test_the_items_and_meetings_filters_offer_what_djangos_fields_offer(
    demo, settings, kept, chosen
):
    settings.RATSREGISTER_DERIVED_CACHE = kept
    caches[settings.RATSREGISTER_PAGE_CACHE_ALIAS].clear()
    user = AnonymousUser()
    meetings = agenda.meetings_for(user)
    data = None
    if chosen:
        month = month_value(meetings.first().date)
        department = Department.objects.last().pk
        committee = Committee.objects.last().slug
        data = QueryDict(f"dienststelle={department}&gremium={committee}&monat={month}")
    for _reading in range(2):
        items = ItemFilter(data, control.control_items(user))
        assert str(items.form["dienststelle"]) == str(
            djangos_form(ItemFilter(data, control.control_items(user)))["dienststelle"]
        )
        ours = MeetingFilter(data, meetings, user=user).form
        djangos = djangos_form(MeetingFilter(data, meetings, user=user))
        for name in ("gremium", "monat"):
            assert str(ours[name]) == str(djangos[name]), name
        assert "selected>" in str(ours["monat"]) or not chosen


@pytest.mark.parametrize("kept", [False, True], ids=["computed", "kept"])
def test_the_registers_department_filter_offers_what_djangos_field_offers(
    demo, hr_user, settings, kept
):
    settings.RATSREGISTER_DERIVED_CACHE = kept
    caches[settings.RATSREGISTER_PAGE_CACHE_ALIAS].clear()
    chosen = Position.objects.first().department_id
    for data in (QueryDict(""), QueryDict(f"dienststelle={chosen}")):
        for user in (AnonymousUser(), hr_user):
            for filterset in (PublicPositionFilter, HRPositionFilter):
                ours = filterset(data, Position.objects.all(), user=user).form
                djangos = djangos_form(
                    filterset(data, Position.objects.all(), user=user)
                )
                assert str(ours["dienststelle"]) == str(djangos["dienststelle"])


def test_the_paper_filter_choices_are_read_once_per_data_version_and_audience(
    client, clerk, demo, settings
):
    settings.RATSREGISTER_DERIVED_CACHE = True
    caches[settings.RATSREGISTER_PAGE_CACHE_ALIAS].clear()

    def departments():
        form = client.get("/drucksachen/").context["form"]
        return [label for _key, label in form.fields["dienststelle"].widget.choices]

    offered = departments()
    with CaptureQueriesContext(connection) as queries:
        assert departments() == offered
    assert not [q for q in queries if 'FROM "council_department"' in q["sql"]]

    # A department with only a non-public paper: for a clerk, not for the public.
    secret = DepartmentFactory(name="Amt für Verschlusssachen")
    PaperFactory(department=secret, is_public=False)
    assert secret.name not in departments()
    client.force_login(clerk)
    assert secret.name in departments()
    client.logout()
    # A write moves the data version: the public's list follows it.
    PaperFactory(department=secret, is_public=True)
    assert secret.name in departments()


def test_a_department_not_offered_is_refused_with_the_fields_message(client, demo):
    secret = DepartmentFactory(name="Amt ohne öffentliche Drucksachen")
    PaperFactory(department=secret, is_public=False)
    page = client.get("/drucksachen/", {"dienststelle": secret.pk}).text
    assert "Bitte eine gültige Auswahl treffen" in page


def test_the_months_of_meetings_are_read_once_per_data_version_and_audience(
    client, clerk, demo, settings
):
    settings.RATSREGISTER_DERIVED_CACHE = True
    caches[settings.RATSREGISTER_PAGE_CACHE_ALIAS].clear()

    def months():
        form = client.get("/sitzungen/").context["filter"].form
        return [label for _key, label in form.fields["monat"].choices][1:]

    offered = months()
    assert offered
    with CaptureQueriesContext(connection) as queries:
        assert months() == offered
    assert not [q for q in queries if "DATE_TRUNC" in q["sql"].upper()]

    # A closed meeting in a month without another: for a clerk, not the public.
    committee = Committee.objects.first()
    Meeting.objects.create(
        committee=committee, date=datetime.date(2011, 3, 1), is_public=False
    )
    assert "März 2011" not in months()
    client.force_login(clerk)
    assert "März 2011" in months()
    client.logout()
    Meeting.objects.create(
        committee=committee, date=datetime.date(2011, 3, 2), is_public=True
    )
    assert "März 2011" in months()
    # Named in the reader's language, each language its own.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "March 2011" in months()
