"""The browser tests run in Debian's Chromium against the live server."""

import pytest


@pytest.mark.django_db(transaction=True)
def test_admin_login_page_renders_in_german_in_a_real_browser(page, demo):
    page.goto("/admin/login/")
    assert (
        page.locator("label[for=id_username]").inner_text().startswith("Benutzername")
    )
