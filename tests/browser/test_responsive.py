"""The main public pages at 1280 and 390 pixels: nothing scrolls sideways, the axe
audit is clean, the phone's menu opens without JavaScript, and screenshots are
saved for a person to look at."""

import datetime

import pytest
from playwright.sync_api import expect

from council.models import Meeting

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": 1280, "phone": 390}
# Audited and photographed at both widths.
AUDITED = [
    ("/", "start"),
    ("/drucksachen/", "drucksachen"),
    ("/drucksachen/2019/949/", "drucksache-949-2019"),
    ("{meeting}", "sitzung"),
    ("/stellen/", "stellen"),
]
# Checked for sideways scrolling only.
ALSO = [
    "/sitzungen/",
    "/gremien/",
    "/gremien/gemeinderat/",
    "/beschlusskontrolle/",
    "/finanzen/",
    "/drucksachen/2017/532/",
    "/drucksachen/?q=Integrationsmanagement",
]


def scrolls_sideways(page):
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("size", WIDTHS)
def test_the_public_pages_fit_the_screen_and_pass_the_audit(page, demo, audited, size):
    width = WIDTHS[size]
    page.set_viewport_size({"width": width, "height": 900})
    meeting = Meeting.objects.get(
        committee__slug="gemeinderat", date=datetime.date(2019, 12, 5)
    )
    for path, name in AUDITED:
        page.goto(path.format(meeting=meeting.get_absolute_url()))
        assert not scrolls_sideways(page), (path, width)
        audited(page, f"{name}-{width}")
    for path in ALSO:
        page.goto(path)
        assert not scrolls_sideways(page), (path, width)
    # The start page's columns side by side on a wide screen, stacked on a phone.
    page.goto("/")
    lefts = {round(box["x"]) for box in _boxes(page, ".home-grid > section")}
    assert (len(lefts) == 1) == (size == "phone")


def _boxes(page, selector):
    return [page.locator(selector).nth(i).bounding_box() for i in range(4)]


def test_on_a_phone_the_menu_opens_without_javascript(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url,
        locale="de-DE",
        java_script_enabled=False,
        viewport={"width": 390, "height": 800},
    )
    try:
        tab = context.new_page()
        tab.goto("/drucksachen/2019/949/")
        link = tab.get_by_role("link", name="Sitzungen", exact=True)
        expect(link).to_be_hidden()
        tab.get_by_text("Menü").click()
        expect(link).to_be_visible()
        # The sums of the paper's funding are on the screen, not off to the side.
        sums = tab.locator("section:has(#finanzen) tfoot td.num").first
        sums.scroll_into_view_if_needed()
        box = sums.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    finally:
        context.close()


def test_on_a_wide_screen_the_menu_is_open(page, demo):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    expect(page.get_by_role("link", name="Sitzungen", exact=True)).to_be_visible()
    expect(page.get_by_text("Menü")).to_be_hidden()
