"""operations.admin_rows writes each admin list's rows as Django's
items_for_result does, cell for cell, on every list of the admin."""

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.template.loader import render_to_string
from django.urls import reverse

from operations import admin_rows

pytestmark = pytest.mark.django_db

LISTS = sorted(
    (
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    ),
)
# Sorted by the second column backwards; a filter, which every row's link
# keeps; chosen for another form's field (a popup: each link names its key).
QUERIES = ["", "?o=-2&q=e", "?_popup=1&_to_field=id"]


def djangos_and_ours(cl):
    djangos = [list(row) for row in admin_list.results(cl)]
    ours = [list(row) for row in admin_rows.result_list(cl)["results"]]
    return djangos, ours


@pytest.mark.parametrize("name", LISTS)
def test_every_list_has_the_rows_django_writes(demo, client, admin_user, name):
    client.force_login(admin_user)
    rows = 0
    for query in QUERIES:
        response = client.get(reverse(name) + query)
        if response.status_code != 200:  # a list without a popup (no to_field)
            assert query.startswith("?_popup"), (name, response.status_code)
            continue
        djangos, ours = djangos_and_ours(response.context["cl"])
        assert ours == djangos, query
        rows += len(ours)
    assert rows or name in EMPTY_IN_THE_DEMO


# Lists the demo data leaves empty: their rows are made by use (failed logins,
# second factors, subscriptions, reminders), and the demo papers have no Anlagen.
EMPTY_IN_THE_DEMO = {
    "admin:axes_accessattempt_changelist",
    "admin:axes_accessfailurelog_changelist",
    "admin:council_attachment_changelist",
    "admin:follow_notificationrun_changelist",
    "admin:follow_subscriber_changelist",
    "admin:otp_static_staticdevice_changelist",
    "admin:otp_totp_totpdevice_changelist",
    "admin:positions_calendartoken_changelist",
    "admin:positions_expiryreminder_changelist",
}


def test_the_paper_list_shows_those_rows(demo, client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:council_paper_changelist") + "?o=-3")
    cl = response.context["cl"]
    djangos = render_to_string(
        "admin/change_list_results.html", admin_list.result_list(cl)
    )
    assert djangos.count("<tr>") > 3  # the head and the demo papers
    assert djangos in response.content.decode()


def test_a_list_with_editable_fields_keeps_djangos_rows_and_forms(
    demo, client, admin_user
):
    client.force_login(admin_user)
    response = client.get(reverse("admin:council_resolutionitem_changelist"))
    cl = response.context["cl"]
    assert cl.formset is not None
    djangos, ours = djangos_and_ours(cl)
    assert ours == djangos
    assert 'name="form-0-implementation"' in response.content.decode()


class EveryKindOfColumn(admin.ModelAdmin):
    """Columns no list of ours has: a lambda, a method giving a date or a yes/no,
    the row's text, a foreign key, a model property, a blank value."""

    list_display = (
        "title",
        lambda paper: paper.year,
        "dated",
        "adopted",
        "__str__",
        "department",
        "reference",
        "blank",
        "is_public",
    )
    list_display_links = ("title", "dated")

    @admin.display(description="Datum")
    def dated(self, paper):
        return paper.date

    @admin.display(boolean=True, description="Beschlossen")
    def adopted(self, paper):
        return paper.number % 2 == 0 or None

    @admin.display(empty_value="(leer)")
    def blank(self, paper):
        return "  "


@pytest.mark.parametrize("query", QUERIES)
def test_every_kind_of_column_is_written_as_django_writes_it(
    demo, rf, admin_user, query
):
    from council.models import Paper

    request = rf.get("/admin/council/paper/" + query)
    request.user = admin_user
    cl = EveryKindOfColumn(Paper, admin.site).get_changelist_instance(request)
    cl.formset = None  # as changelist_view sets it without list_editable
    djangos, ours = djangos_and_ours(cl)
    assert len(ours) > 3
    assert ours == djangos
