"""The main flows of the public pages in Chromium, each page audited with axe-core."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_from_the_start_page_to_949_and_its_origin_and_back(page, demo, audited):
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Ratsregister")
    audited(page, "start")

    page.get_by_role("link", name="GRDrs 949/2019").first.click()
    expect(page).to_have_url(re.compile(r"/drucksachen/2019/949/$"))
    expect(page.locator("h1")).to_contain_text("GRDrs 949/2019")
    audited(page, "drucksache-949-2019")

    item_3 = page.locator("#ziffer-3")
    expect(item_3).to_contain_text("Verlängert die Ermächtigung aus GRDrs 532/2017")
    item_3.get_by_role("link", name="GRDrs 532/2017").click()
    expect(page).to_have_url(re.compile(r"/drucksachen/2017/532/$"))
    expect(page.locator("h1")).to_contain_text("GRDrs 532/2017")
    expect(page.locator("section:has(#stellen)")).to_contain_text(
        "verlängert durch GRDrs 949/2019"
    )
    audited(page, "drucksache-532-2017")

    page.locator("section:has(#stellen)").get_by_role(
        "link", name="GRDrs 949/2019"
    ).first.click()
    expect(page).to_have_url(re.compile(r"/drucksachen/2019/949/#ziffer-3$"))


def open_timeline(page):
    page.goto("/drucksachen/2019/949/")
    page.locator("#ziffer-3").get_by_role(
        "link", name=re.compile("Koordinierende Steuerungsfunktion")
    ).click()
    expect(page).to_have_url(re.compile(r"/stellen/\d+/$"))


def test_a_position_timeline_opens_from_the_paper(page, demo, audited):
    open_timeline(page)
    expect(page.locator("main")).to_contain_text("31.12.2021")
    expect(page.locator("main")).to_contain_text("532/2017")
    audited(page, "stelle-zeitleiste")


def test_the_search_finds_949_and_a_reference_opens_the_paper(page, demo, audited):
    page.goto("/drucksachen/")
    audited(page, "drucksachen")
    page.get_by_label("Suchbegriff oder Drucksachennummer").fill("Integrationsmanager")
    page.get_by_role("button", name="Suchen").click()
    expect(page).to_have_url(re.compile(r"q=Integrationsmanager"))
    expect(page.locator("table.papers")).to_contain_text("949/2019")
    audited(page, "suche-integrationsmanager")

    page.get_by_label("Suchbegriff oder Drucksachennummer").fill("GRDrs 692/2018")
    page.get_by_role("button", name="Suchen").click()
    expect(page).to_have_url(re.compile(r"/drucksachen/2018/692/$"))


def test_the_other_public_pages_pass_the_audit(page, demo, audited):
    for path, heading in [
        ("/gremien/", "Gremien"),
        ("/gremien/gemeinderat/", "Gemeinderat"),
        ("/beschlusskontrolle/", "Beschlusskontrolle"),
        ("/finanzen/", "Finanzen"),
        ("/drucksachen/2019/341/", "GRDrs 341/2019"),
    ]:
        page.goto(path)
        expect(page.locator("h1")).to_contain_text(heading)
        audited(page, path)


def test_the_skip_link_leads_to_the_content(page, demo):
    page.goto("/drucksachen/2019/949/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#inhalt$"))


def test_the_paper_page_works_on_a_phone_without_javascript(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url,
        locale="de-DE",
        java_script_enabled=False,
        viewport={"width": 375, "height": 740},
    )
    try:
        tab = context.new_page()
        tab.goto("/drucksachen/")
        tab.get_by_label("Jahr").select_option("2017")
        tab.get_by_role("button", name="Suchen").click()
        expect(tab.locator("table.papers")).to_contain_text("532/2017")
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 375 + 1
    finally:
        context.close()
