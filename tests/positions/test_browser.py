"""The register filter and a position timeline in Chromium against the live server."""

import pytest

from tests.browser.conftest import audit


def screenshot(page, name):
    """Save the page as a test artifact and fail on serious axe-core violations."""
    audit(page, name)


@pytest.mark.django_db(transaction=True)
def test_a_visitor_filters_the_register_by_department_and_opens_a_timeline(page, demo):
    page.goto("/stellen/")
    assert page.locator("h1").inner_text() == "Stellen"
    screenshot(page, "stellen")
    assert page.locator("table.position-register tbody tr").count() == 3
    assert "2,0 Vollzeitäquivalente" in page.locator("tfoot").inner_text()

    # The filter's select (the charts' descriptions name departments too).
    page.get_by_role("combobox", name="Dienststelle").select_option(label="Sozialamt")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**/stellen/?*dienststelle=*")
    assert page.locator("table.position-register tbody tr").count() == 2
    assert "1,5 Vollzeitäquivalente" in page.locator("tfoot").inner_text()
    screenshot(page, "stellen-gefiltert")

    page.get_by_role("link", name="Verwaltungs- und Assistenzaufgaben").click()
    page.wait_for_load_state("load")  # the click returns when the page starts
    assert page.locator("h1").inner_text() == "Verwaltungs- und Assistenzaufgaben"
    steps = page.locator("li.timeline-step")
    assert steps.count() == 2
    assert "GRDrs 692/2018" in steps.nth(0).inner_text()
    assert "bis 31.12.2019" in steps.nth(0).inner_text()
    assert "GRDrs 949/2019" in steps.nth(1).inner_text()
    assert "bis 31.12.2021" in steps.nth(1).inner_text()
    assert page.locator("svg.timeline-chart rect.bar").count() == 2
    screenshot(page, "stelle-zeitstrahl")

    steps.nth(1).get_by_role("link", name="Ziff. 5").click()
    page.wait_for_url("**/drucksachen/2019/949/#ziffer-5")


@pytest.mark.django_db(transaction=True)
def test_hr_signs_in_and_reads_the_register_as_of_30_06_2019(page, demo, hr_user):
    page.goto("/admin/login/?next=/stellen/")
    page.fill("#id_username", "hr")
    page.fill("#id_password", "pw")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/stellen/")

    page.get_by_label("Stand am").fill("2019-06-30")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**stand_am=2019-06-30*")
    assert "Stand 30.06.2019" in page.locator("h1").inner_text()
    rows = page.locator("table.position-register tbody tr")
    assert rows.count() == 3
    assert (
        page.locator("table.position-register tbody").inner_text().count("31.12.2019")
        >= 3
    )
    assert "2,0 Vollzeitäquivalente" in page.locator("tfoot").inner_text()
    export = page.get_by_role("link", name="Als CSV herunterladen")
    assert "stand_am=2019-06-30" in export.get_attribute("href")
    screenshot(page, "stellen-stand-2019-06-30")
