"""The admin's paper, position and funding pages at 1280 and 390 pixels (issue 15).

At 1280 px, with the admin's navigation open beside the content: the page does not
scroll sideways, nor does a changelist or an inline inside it, and every column
head of a list or tabular inline ("Löschen?" included) lies inside the viewport.
Before, the change page of 949/2019 was 2,335 px wide (its Beratungsfolge) and
the paper changelist showed 4 of its 9 columns.

At 390 px the page itself does not scroll sideways. A changelist or a tabular
inline keeps Django's own responsive behaviour there: it scrolls inside its own
box (.results and, below 1024 px, .inline-group have overflow: auto). Seven
controls in a row or six columns of a list cannot be read at 390 px any other
way but as Django's cards, and the admin is a clerk's tool at a desk.

Every page passes the axe audit at both widths, with screenshots saved.
"""

import pytest
from playwright.sync_api import expect

from council.models import Paper
from funding.models import FundingLine
from positions.models import Position

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": 1280, "phone": 390}

# What lies beyond the right edge of the viewport or of its own box: the
# document, every changelist's and inline's box, every column head.
OVERFLOW = """() => {
    const root = document.documentElement;
    const found = [];
    if (root.scrollWidth > root.clientWidth) {
        found.push(`page: ${root.scrollWidth} > ${root.clientWidth}`);
    }
    const boxes = document.querySelectorAll("#changelist .results, .inline-group");
    for (const box of boxes) {
        if (box.scrollWidth > box.clientWidth) {
            const name = box.id || box.className;
            found.push(`${name}: ${box.scrollWidth} > ${box.clientWidth}`);
        }
    }
    for (const head of document.querySelectorAll(
        "#result_list thead th, .inline-group .tabular thead th"
    )) {
        const rect = head.getBoundingClientRect();
        if (rect.width && (rect.left < 0 || rect.right > root.clientWidth)) {
            found.push(`"${head.innerText.trim()}" at ${Math.round(rect.right)}`);
        }
    }
    return found;
}"""


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def column_names(heads):
    # The text as written: innerText would give the admin's capitals.
    return [
        text.strip()
        for text in (heads.nth(i).text_content() for i in range(heads.count()))
        if text.strip()
    ]


@pytest.fixture
def admin_pages(page, demo, django_user_model):
    """A superuser signed in (every permission: every column, link and delete
    box), and the pages of issue 15 by name."""
    django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    page.goto("/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "pw")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/admin/")
    paper = Paper.objects.get(number=949, year=2019)
    position = Position.objects.filter(decisions__paper=paper).order_by("pk").first()
    line = FundingLine.objects.filter(paper=paper).order_by("pk").first()
    return {
        "drucksache-949-2019": f"/admin/council/paper/{paper.pk}/change/",
        "stelle": f"/admin/positions/position/{position.pk}/change/",
        "finanzposition": f"/admin/funding/fundingline/{line.pk}/change/",
        "drucksachen": "/admin/council/paper/",
        "stellen": "/admin/positions/position/",
        "finanzpositionen": "/admin/funding/fundingline/",
    }


@pytest.mark.parametrize("size", WIDTHS)
def test_the_admin_pages_fit_the_screen_and_pass_the_audit(
    page, admin_pages, audited, size
):
    width = WIDTHS[size]
    page.set_viewport_size({"width": width, "height": 900})
    for name, path in admin_pages.items():
        page.goto(path)
        # No sidebar of every model beside the list (operations/admin_site.py).
        expect(page.locator("#nav-sidebar")).to_have_count(0)
        if size == "desktop":
            assert page.evaluate(OVERFLOW) == [], path
        else:
            assert page_width(page) <= width, path
        audited(page, f"admin-{name}-{width}")


def test_the_beratungsfolge_of_949_shows_every_column_and_delete_on_screen(
    page, admin_pages
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(admin_pages["drucksache-949-2019"])
    group = page.locator("#consultations-group")
    names = column_names(group.locator("thead th"))
    assert names[0] == "Reihenfolge" and names[-1] == "Löschen?", names
    assert len(names) == 8, names
    delete = group.locator("thead th", has_text="Löschen?")
    box = delete.bounding_box()
    assert box["x"] + box["width"] <= 1280
    assert group.locator("tbody tr.has_original").count() == 3
    # The note on the result is one click away, on the step's own page.
    group.get_by_role("link", name="Ändern").first.click()
    page.wait_for_url("**/admin/council/consultation/*/change/")
    expect(page.get_by_label("Anmerkung zum Ergebnis")).to_be_visible()


def test_the_paper_changelist_shows_its_columns_on_screen(page, admin_pages):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(admin_pages["drucksachen"])
    heads = page.locator("#result_list thead th")
    names = column_names(page.locator("#result_list thead th .text"))
    assert names == ["Drucksache", "Betreff", "Datum", "Stand", "Öffentlich"]
    for index in range(heads.count()):
        box = heads.nth(index).bounding_box()
        assert box["x"] + box["width"] <= 1280, names
    # The title opens the paper as well as its reference.
    page.locator("#result_list").get_by_role(
        "link", name="Pakt für Integration - Verlängerung"
    ).click()
    expect(page.locator("#content h2").first).to_have_text("GRDrs 949/2019")
