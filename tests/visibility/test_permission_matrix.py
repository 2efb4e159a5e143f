"""Every role against every address: the statuses of docs/visibility.md.

The test reads the tables of the document, so that what is written down is what is
checked, and fails if a row of the document names no address it knows.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from council.models import Meeting
from positions.models import CalendarToken, ExpiryReminder, PositionDecision

pytestmark = pytest.mark.django_db

DOC = Path(settings.BASE_DIR) / "docs" / "visibility.md"
ROLES = ["anon", "user", "member", "clerk", "hr", "admin"]
ROLE_FIXTURE = {"anon": "anonymous", "user": "user", "member": "member"}
ROLE_FIXTURE.update(clerk="clerk", hr="hr", admin="admin")
ADMIN_VIEWS = ["changelist", "add", "change", "delete"]
APP_ROWS = {
    "council": ["council"],
    "positions": ["positions"],
    "funding": ["funding"],
    "accounts, auth, otp": ["accounts", "auth", "otp_totp", "otp_static"],
    "axes, OParl tombstones": ["axes", "oparl"],
    "subscribers, notification runs": ["follow"],
}


def table(heading):
    """{first cell: [cells per role]} of the table under `heading`."""
    text = DOC.read_text(encoding="utf-8").split(f"### {heading}", 1)[1]
    rows = {}
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith(("| ---", "| address")):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if cells[0] != "models":
                rows[cells[0]] = cells[1:]
        elif rows and not line.startswith("|"):
            break
    return rows


PAGES = table("Pages, exports, feeds, calendars and OParl")
ADMIN = table("Admin, by app (changelist / add / change / delete)")


def page_addresses(canary, roles):
    hr_token = CalendarToken.objects.issue(roles["hr"])
    revoked = CalendarToken.objects.issue(roles["hr"])
    revoked.revoke()
    foreign = CalendarToken.objects.issue(roles["clerk"])
    public_attachment = canary["public"].attachments.create(number=2, title="Plan")
    public_attachment.file.save("plan.txt", _content())
    body = "/oparl/v1/body/" + settings.OPARL_BODY_AGS
    return {
        "`/`": "/",
        "`/drucksachen/`": "/drucksachen/",
        "public paper": "/drucksachen/2019/949/",
        "non-public paper": "/drucksachen/2020/9001/",
        "depublished paper": "/drucksachen/2020/9005/",
        "`/drucksachen/feed/`": "/drucksachen/feed/",
        "`/gremien/`": "/gremien/",
        "committee page": "/gremien/gemeinderat/",
        "`/gremien/kalender.ics`": "/gremien/kalender.ics",
        "`/beschlusskontrolle/`": "/beschlusskontrolle/",
        "`/sitzungen/`": "/sitzungen/",
        "public meeting": Meeting.objects.filter(is_public=True)
        .first()
        .get_absolute_url(),
        "non-public meeting": canary["meeting"].get_absolute_url(),
        "non-public meeting's calendar": f"/sitzungen/{canary['meeting'].pk}.ics",
        "`/finanzen/`": "/finanzen/",
        "`/stellen/`": "/stellen/",
        "public position": canary["extended"].get_absolute_url(),
        "position from a closed session": canary["created"].get_absolute_url(),
        "`/stellen/export.csv`": "/stellen/export.csv",
        "`/stellen/export.xlsx`": "/stellen/export.xlsx",
        "calendar, valid HR token": f"/stellen/kalender/{hr_token.secret}.ics",
        "calendar, revoked token": f"/stellen/kalender/{revoked.secret}.ics",
        "calendar, foreign token (a clerk's)": (
            f"/stellen/kalender/{foreign.secret}.ics"
        ),
        "public attachment": public_attachment.get_absolute_url(),
        "non-public attachment": canary["closed_attachment"].get_absolute_url(),
        "`/oparl/v1/system`": "/oparl/v1/system",
        "OParl paper list": f"{body}/paper",
        "OParl meeting list": f"{body}/meeting",
        "OParl non-public paper": f"/oparl/v1/paper/{canary['paper'].pk}",
        "OParl non-public meeting": f"/oparl/v1/meeting/{canary['meeting'].pk}",
        "`/admin/`": "/admin/",
    }


def _content():
    from django.core.files.base import ContentFile

    return ContentFile(b"Plan")


def login(client, roles, role):
    user = roles[ROLE_FIXTURE[role]]
    client.logout()
    if user is not None:
        client.force_login(user)


def test_the_document_names_every_page_it_lists(canary, roles):
    assert set(PAGES) == set(page_addresses(canary, roles))
    assert set(ADMIN) == {*APP_ROWS, "calendar tokens (HR's own)", "non-public paper"}


@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_each_role_as_documented(canary, roles, client, role):
    addresses = page_addresses(canary, roles)
    login(client, roles, role)
    expected = {name: int(PAGES[name][ROLES.index(role)]) for name in addresses}
    found = {name: client.get(url).status_code for name, url in addresses.items()}
    assert found == expected


def admin_url(model, view, obj=None):
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
    return reverse(name, args=[obj.pk] if obj is not None else [])


def some_row(model):
    manager = model._default_manager
    rows = manager.visible_to(None) if hasattr(manager, "visible_to") else manager
    return rows.order_by("pk").first()


def expected_admin(row, role):
    cell = ADMIN[row][ROLES.index(role)]
    codes = cell.split("/") if "/" in cell else [cell] * 4
    return dict(zip(ADMIN_VIEWS, codes, strict=True))


def admin_cases(canary, roles):
    """(row of the document, address, view) for every registered model."""
    ExpiryReminder.objects.create(
        recipient=roles["hr"],
        decision=PositionDecision.objects.visible_to(None).first(),
        expiry="2021-12-31",
    )
    cases = []
    for model in admin.site._registry:
        if model is CalendarToken:
            continue
        row = next(r for r, apps in APP_ROWS.items() if model._meta.app_label in apps)
        obj = some_row(model)
        for view in ADMIN_VIEWS:
            if view in ("change", "delete"):
                if obj is None:
                    continue
                cases.append((row, admin_url(model, view, obj), view))
            else:
                cases.append((row, admin_url(model, view), view))
    token = CalendarToken.objects.issue(roles["hr"])
    row = "calendar tokens (HR's own)"
    cases += [
        (row, admin_url(CalendarToken, "changelist"), "changelist"),
        (row, admin_url(CalendarToken, "add"), "add"),
        (row, admin_url(CalendarToken, "change", token), "change"),
        (row, admin_url(CalendarToken, "delete", token), "delete"),
    ]
    paper = canary["paper"]
    cases += [
        ("non-public paper", admin_url(paper, "change", paper), "change"),
        ("non-public paper", admin_url(paper, "delete", paper), "delete"),
    ]
    return cases


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_answers_each_role_as_documented(canary, roles, client, role):
    cases = admin_cases(canary, roles)
    login(client, roles, role)
    wrong = []
    for row, url, view in cases:
        wanted = expected_admin(row, role)[view]
        if wanted == "–":
            continue
        status = client.get(url).status_code
        if status != int(wanted):
            wrong.append((url, wanted, status))
    assert wrong == []
    assert len(cases) > 80
