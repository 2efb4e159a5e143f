"""Chromium under the Content-Security-Policy: no page, admin page or admin script
is refused anything, and the styles moved out of the templates still apply."""

import re

import pytest

from council.models import Paper
from demo.corpus import text as corpus_text
from positions.models import Position

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def refusals(page):
    """What the browser reports about the policy headers while the test runs."""
    reported = []
    page.on(
        "console",
        lambda message: (
            reported.append(message.text)
            if re.search(r"Content.Security.Policy|Permissions.Policy", message.text)
            else None
        ),
    )
    return reported


def style_of(page, selector, prop):
    return page.locator(selector).first.evaluate(
        f"element => getComputedStyle(element).{prop}"
    )


def test_public_pages_load_without_a_single_refusal(page, demo, refusals):
    position = Position.objects.order_by("pk").first()
    for path in [
        "/",
        "/drucksachen/",
        "/drucksachen/2019/949/",
        "/gremien/",
        "/finanzen/",
        "/stellen/",
        f"/stellen/{position.pk}/",
        "/gibt-es-nicht/",
    ]:
        page.goto(path)

    assert refusals == []


def test_the_styles_of_the_positions_pages_apply_from_their_static_files(
    page, demo, refusals
):
    page.goto("/stellen/")
    assert style_of(page, ".register-filter", "display") == "flex"
    page.locator("table.position-register tbody a").first.click()
    page.wait_for_url(re.compile(r"/stellen/\d+/$"))
    assert style_of(page, ".timeline-chart .bar", "fill") == "rgb(0, 83, 138)"
    assert refusals == []


def test_the_admin_works_under_the_policy(page, demo, refusals, django_user_model):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "pw")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/admin/")

    paper = Paper.objects.get(number=949, year=2019)
    for path in [
        "/admin/council/paper/",
        f"/admin/council/paper/{paper.pk}/change/",
        "/admin/council/paper/add/",
        "/admin/positions/position/",
        "/admin/otp_totp/totpdevice/add/",
    ]:
        page.goto(path)
        assert page.locator("#content").count() == 1

    # Scripts of the change form: the inlines' "add another" row and the calendar.
    page.goto(f"/admin/council/paper/{paper.pk}/change/")
    rows = page.locator(".dynamic-items, .inline-related").count()
    add_links = page.locator(".add-row a")
    if add_links.count():
        add_links.first.click()
        assert page.locator(".dynamic-items, .inline-related").count() >= rows
    calendar = page.locator(".datetimeshortcuts a").first
    if calendar.count():
        calendar.click()
    assert refusals == []


def test_the_import_preview_is_styled_from_its_static_file(
    page, demo, refusals, django_user_model
):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    page.goto("/admin/login/?next=/admin/import/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "pw")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/admin/import/")
    page.fill("#id_text", corpus_text("grdrs_0949_2019.txt"))
    page.click("input[name=preview]")
    # The click returns once the answer starts to arrive; the style sheet later.
    page.wait_for_load_state("load")

    assert style_of(page, ".import-source", "whiteSpace") == "pre-wrap"
    assert style_of(page, "td.import-amount", "textAlign") == "right"
    assert refusals == []
