"""Following a paper in Chromium, as the public: the button, the form, the
confirmation link from the mail; each page audited with axe-core."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from follow.models import Subscription

from .conftest import BASE_URL

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_public_follows_a_paper_and_confirms_in_a_real_browser(page, demo, audited):
    page.goto("/drucksachen/2019/949/")
    page.get_by_role("link", name="Folgen").click()
    expect(page).to_have_url(re.compile(r"/abo/neu/drucksache/\d+/$"))
    expect(page.locator("main")).to_contain_text("GRDrs 949/2019")
    audited(page, "folgen-formular")

    page.get_by_label("Ihre E-Mail-Adresse").fill("leserin@example.org")
    page.get_by_role("button", name="Per E-Mail abonnieren").click()
    expect(page.locator("h1")).to_have_text("Bitte bestätigen Sie Ihr Abo")
    audited(page, "folgen-angefragt")

    (message,) = mail.outbox
    link = re.search(re.escape(BASE_URL) + r"(/abo/bestaetigen/\S+)", message.body)
    page.goto(link[1])
    audited(page, "folgen-bestaetigen")
    page.get_by_role("button", name="Abo bestätigen").click()
    expect(page.locator("h1")).to_have_text("Abo bestätigt")
    assert Subscription.objects.get().confirmed_at is not None
