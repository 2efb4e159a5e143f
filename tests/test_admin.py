"""Every admin page answers for a clerk; HR may view positions but not change them."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from council.models import Attachment, Consultation, Paper
from positions.models import CalendarToken, ExpiryReminder, Position

pytestmark = pytest.mark.django_db

DOMAIN_APPS = {"council", "positions", "funding"}
DOMAIN_MODELS = [
    model for model in admin.site._registry if model._meta.app_label in DOMAIN_APPS
]


def admin_url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda m: m._meta.label)
def test_clerk_opens_changelist_add_and_change_page(demo, clerk_client, model):
    assert clerk_client.get(admin_url(model, "changelist")).status_code == 200
    # A calendar address is made on the register page, where it is shown once.
    added = 403 if model is CalendarToken else 200
    assert clerk_client.get(admin_url(model, "add")).status_code == added
    if model is Attachment:  # the demo papers have no Anlagen
        Attachment.objects.create(paper=Paper.objects.first(), number=1, title="Plan")
    if model in (CalendarToken, ExpiryReminder):  # made by HR's use, not the demo
        _hr_rows(owner=clerk_client.session["_auth_user_id"])
    obj = model.objects.first()
    assert obj is not None, "the demo data has a row of every model"
    assert clerk_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def _hr_rows(owner):
    from django.contrib.auth import get_user_model

    decision = Position.objects.first().decisions.first()
    # Staff see only their own calendar addresses.
    someone = get_user_model().objects.get(pk=owner)
    CalendarToken.objects.issue(someone)
    ExpiryReminder.objects.create(
        recipient=someone,
        decision=decision,
        expiry=decision.valid_until,
    )


def test_every_domain_model_is_registered():
    from django.apps import apps

    models = [m for app in DOMAIN_APPS for m in apps.get_app_config(app).get_models()]
    # Versions of the audit trail are shown on their record's history page; what
    # triggers derive (positions/standing.py) is no record a clerk edits.
    derived = {"positions.decisionstanding", "positions.positionstanding"}
    records = [
        m
        for m in models
        if not hasattr(m, "instance_type") and m._meta.label_lower not in derived
    ]
    assert set(records) == set(DOMAIN_MODELS)


def test_paper_search_finds_by_reference_and_by_title_words(demo, clerk_client):
    url = admin_url(Paper, "changelist")
    by_reference = clerk_client.get(url, {"q": "GRDrs 949/2019"})
    assert list(by_reference.context["cl"].result_list) == [
        Paper.objects.get(number=949, year=2019)
    ]
    by_words = clerk_client.get(url, {"q": "Erfüllung neuer"})
    assert [p.reference for p in by_words.context["cl"].result_list] == ["692/2018"]


def test_paper_list_filters_by_state_and_committee(demo, clerk_client):
    url = admin_url(Paper, "changelist")
    adopted = clerk_client.get(url, {"state": Paper.State.ADOPTED})
    assert len(adopted.context["cl"].result_list) == 3
    jha = Consultation.objects.filter(committee__slug="jugendhilfeausschuss").first()
    by_committee = clerk_client.get(url, {"committee": jha.committee_id})
    assert [p.reference for p in by_committee.context["cl"].result_list] == ["532/2017"]


def test_the_paper_list_shows_fifty_papers_a_page_newest_first(clerk_client):
    from tests.factories import PaperFactory

    papers = PaperFactory.create_batch(51, year=2024)
    url = admin_url(Paper, "changelist")
    first = clerk_client.get(url).context["cl"]
    assert len(first.result_list) == 50
    assert first.result_list[0].number == max(paper.number for paper in papers)
    second = clerk_client.get(url, {"p": 2}).context["cl"]
    assert len(second.result_list) == 1


def test_position_list_shows_expiry_and_origin_and_filters_by_expiry_year(
    demo, clerk_client
):
    url = admin_url(Position, "changelist")
    page = clerk_client.get(url, {"expiry_year": "2021"})
    assert len(page.context["cl"].result_list) == 3
    assert "31.12.2021" in page.text
    assert "GRDrs 692/2018" in page.text
    # No position runs out in 2019 any more: the year is not offered, and asking
    # for it anyway gets the admin's "invalid filter" redirect.
    assert "expiry_year=2019" not in page.text
    assert clerk_client.get(url, {"expiry_year": "2019"}).status_code == 302


def test_hr_can_view_positions_but_not_change_them(demo, hr_client):
    position = Position.objects.first()
    change_url = admin_url(Position, "change", position.pk)
    assert hr_client.get(admin_url(Position, "changelist")).status_code == 200
    view = hr_client.get(change_url)
    assert view.status_code == 200
    assert 'name="_save"' not in view.text
    assert hr_client.post(change_url, {"function": "x"}).status_code == 403
    assert hr_client.get(admin_url(Position, "add")).status_code == 403


def test_hr_cannot_open_papers_in_the_admin(demo, hr_client):
    assert hr_client.get(admin_url(Paper, "changelist")).status_code == 403


def test_the_paper_admin_is_composed_once_with_the_funding_lines_after_its_own(
    demo, clerk_client
):
    from council.admin import PaperAdmin
    from funding.admin import FundingLineInline

    model_admin = admin.site._registry[Paper]
    assert type(model_admin) is PaperAdmin
    paper = Paper.objects.get(number=949, year=2019)
    response = clerk_client.get(admin_url(Paper, "change", paper.pk))
    assert response.status_code == 200
    inlines = [type(i) for i in model_admin.get_inline_instances(response.wsgi_request)]
    assert inlines[-1] is FundingLineInline
    assert [i.__name__ for i in inlines[:2]] == [
        "ResolutionItemInline",
        "ConsultationInline",
    ]
    # The funding lines' formset is on the page.
    assert 'name="funding_lines-TOTAL_FORMS"' in response.text


def test_the_import_page_is_an_admin_page_at_admin_import(demo, clerk_client):
    from django.test import Client

    assert reverse("admin:paper-import") == "/admin/import/"
    assert clerk_client.get("/admin/import/").status_code == 200
    # Behind the admin's login like every admin page.
    response = Client().get("/admin/import/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_admin_lists_amounts_and_shares_in_german(demo, clerk_client):
    from funding.models import FundingLine

    lines = clerk_client.get(admin_url(FundingLine, "changelist")).text
    assert "3.505.000,00\u00a0€" in lines
    positions = clerk_client.get(admin_url(Position, "changelist")).text
    assert "50 %" in positions


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_action_checkbox_written_directly_is_djangos_to_the_byte(language):
    # Django renders it as a form widget, through the template engine for each
    # row of a changelist (operations.admin_site.ChangelistMixin).
    paper = Paper(pk=4, year=2019, number=949, suffix='<"&">')
    model_admin = admin.site._registry[Paper]
    with translation.override(language):
        ours = model_admin.action_checkbox(paper)
        djangos = admin.ModelAdmin.action_checkbox(model_admin, paper)
    assert "&lt;&quot;&amp;&quot;&gt;" in ours
    assert ours == djangos


def test_a_changelists_rows_link_to_their_change_pages_as_djangos_do(
    admin_client, demo
):
    from django.contrib.admin.views.main import ChangeList

    changelist = admin_client.get(reverse("admin:council_paper_changelist")).context[
        "cl"
    ]
    papers = list(changelist.result_list)
    assert papers
    for paper in papers:
        assert changelist.url_for_result(paper) == ChangeList.url_for_result(
            changelist, paper
        )
        assert changelist.url_for_result(paper) == reverse(
            "admin:council_paper_change", args=[paper.pk]
        )
