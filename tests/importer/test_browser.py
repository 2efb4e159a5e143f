"""The clerk's import in a real browser: paste, preview, confirm, land on the paper."""

import pytest
from django.contrib.auth.models import Permission

from council.models import Paper
from demo.corpus import text as corpus_text


@pytest.fixture
def paper_clerk(django_user_model):
    """A clerk with the paper permissions given directly: an earlier transactional
    test may have flushed the groups of the data migration."""
    user = django_user_model.objects.create_user(
        "clerk", password="pw", is_staff=True, email="clerk@example.org"
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="council",
            codename__in=["add_paper", "change_paper", "view_paper"],
        )
    )
    return user


def show_preview(page):
    """Ask for the preview and wait until it has loaded: the click returns once
    the answer starts to arrive, and CI once read half a table of it."""
    page.click("input[name=preview]")
    page.wait_for_load_state("load")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clerk_pastes_949_checks_the_preview_and_confirms(page, paper_clerk):
    page.goto("/admin/login/?next=/admin/council/paper/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")

    page.click("text=Vorlage aus Text importieren")
    page.fill("#id_text", corpus_text("grdrs_0949_2019.txt"))
    show_preview(page)

    assert "13.11.2019" in page.locator("#kopf").inner_text()
    assert page.locator("#beratungsfolge tbody tr").count() == 3
    assert page.locator("#ziffern tbody tr").count() == 6
    assert "neu: wird als Zitat angelegt" in page.locator("#zitate").inner_text()

    page.click("input[name=confirm]")

    page.wait_for_url("**/admin/council/paper/*/change/")
    assert "wurde aus dem Text übernommen" in page.locator(".messagelist").inner_text()
    paper = Paper.objects.get(number=949, year=2019, is_stub=False)
    assert page.url.endswith(f"/admin/council/paper/{paper.pk}/change/")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clerk_pastes_a_protocol_checks_its_preview_and_records_it(page, paper_clerk):
    from council.models import Consultation
    from tests.importer.protocol_texts import TEXT_0083

    # 83/2007's protocol names a closed committee session.
    paper_clerk.user_permissions.add(
        Permission.objects.get(codename="view_nonpublic_paper")
    )
    page.goto("/admin/login/?next=/admin/council/paper/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")

    page.click("text=Vorlage aus Text importieren")
    page.fill("#id_text", TEXT_0083)
    show_preview(page)

    header = page.locator("#niederschrift").inner_text()
    assert "Gemeinderat" in header and "22.03.2007" in header
    assert "2 Nein-Stimmen" in page.locator("#abstimmung").inner_text()
    assert "ist nicht erfasst" in page.locator(".paper-plan").inner_text()
    assert page.locator(".beratungsfolge-plan tbody tr").count() == 2
    assert page.locator("#id_create_stubs").is_checked()

    page.click("input[name=confirm_protocol]")

    page.wait_for_url("**/admin/council/paper/*/change/")
    assert "Niederschrift Gemeinderat vom 22.03.2007 erfasst" in (
        page.locator(".messagelist").inner_text()
    )
    paper = Paper.objects.get(number=83, year=2007)
    assert paper.is_stub
    assert list(paper.consultations.values_list("result", flat=True)) == [
        Consultation.Result.APPROVED,
        Consultation.Result.APPROVED,
    ]
