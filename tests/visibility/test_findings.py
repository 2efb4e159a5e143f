"""The six findings of the visibility issue, each pinned by its own test."""

import datetime
import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from council.models import Consultation, Paper
from council.visibility import FULL_RECORD
from funding.models import FundingLine
from positions.models import CalendarToken, Position, PositionDecision
from tests.oparl.conftest import Harvester

from .conftest import MARKER

pytestmark = pytest.mark.django_db

API = "http://testserver/oparl/v1/"


def grant_nonpublic(user):
    user.user_permissions.add(Permission.objects.get(codename="view_nonpublic_paper"))


# 1. OParl and non-public meetings ------------------------------------------


def test_oparl_publishes_no_non_public_meeting_nor_its_place(canary, client):
    meeting = canary["meeting"]
    harvester = Harvester(client)
    body = harvester.body()
    meetings = harvester.all_of(body["meeting"])
    assert meeting.pk not in [int(m["id"].rsplit("/", 1)[1]) for m in meetings]
    assert harvester.response(f"{API}meeting/{meeting.pk}").status_code == 404
    assert harvester.response(f"{API}meeting/{meeting.pk}/location").status_code == 404
    # A public step held there names no meeting and no agenda item.
    public = canary["public"]
    paper = harvester.get(f"{API}paper/{public.pk}")
    assert all("meeting" not in step for step in paper["consultation"])
    assert all(
        item.get("meeting") != f"{API}meeting/{meeting.pk}"
        for item in harvester.all_of(body["agendaItem"])
    )


# 2. A public paper's state from a non-public consultation -------------------


def test_a_public_papers_state_never_comes_from_a_non_public_step(
    canary, client, roles
):
    paper = canary["withdrawn"]
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "zurückgezogen" not in page
    assert "nichtöffentlich beraten" in page
    listed = client.get("/drucksachen/?stand=withdrawn").content.decode()
    assert "9003/2020" not in listed
    assert "9003/2020" in client.get("/drucksachen/?stand=nonpublic").content.decode()
    moved = client.get("/drucksachen/?state=nonpublic", follow=True)
    assert moved.redirect_chain == [("/drucksachen/?stand=nonpublic", 301)]
    oparl = Harvester(client).get(f"{API}paper/{paper.pk}")
    assert oparl["ratsregister:state"] == "nonpublic"
    # Those who may see the step see the result.
    client.force_login(roles["member"])
    assert "zurückgezogen" in client.get(paper.get_absolute_url()).content.decode()


def test_a_closed_vorberatung_before_a_public_decision_leaves_the_paper_in_beratung(
    demo,
):
    paper = Paper.objects.get(number=949, year=2019)
    steps = paper.consultations.order_by("order")
    steps.filter(role=Consultation.Role.DECISION).update(
        result=Consultation.Result.OPEN
    )
    steps.exclude(role=Consultation.Role.DECISION).update(is_public=False)
    state = Paper.objects.with_state(None).get(pk=paper.pk).state
    assert state == Paper.State.IN_CONSULTATION
    # Once the only decision is taken behind closed doors, the public is told so.
    steps.filter(role=Consultation.Role.DECISION).update(
        is_public=False, result=Consultation.Result.APPROVED
    )
    state = Paper.objects.with_state(None).get(pk=paper.pk).state
    assert state == Paper.State.NONPUBLIC
    assert (
        Paper.objects.with_state(FULL_RECORD).get(pk=paper.pk).state
        == Paper.State.ADOPTED
    )


def test_a_decision_taken_in_closed_session_is_not_in_force_for_the_public(demo):
    paper = Paper.objects.get(number=949, year=2019)
    paper.consultations.filter(role=Consultation.Role.DECISION).update(is_public=False)
    assert not Paper.objects.adopted(None).filter(pk=paper.pk).exists()
    assert not PositionDecision.objects.in_force(None).filter(paper=paper).exists()
    assert PositionDecision.objects.in_force(FULL_RECORD).filter(paper=paper).exists()


def test_the_beschlusskontrolle_lists_no_item_adopted_behind_closed_doors(demo, client):
    paper = Paper.objects.get(number=949, year=2019)
    paper.items.update(due_date=datetime.date(2020, 1, 1))
    assert "949/2019" in client.get("/beschlusskontrolle/").content.decode()
    paper.consultations.filter(role=Consultation.Role.DECISION).update(is_public=False)
    assert "949/2019" not in client.get("/beschlusskontrolle/").content.decode()


# 3. Positions: share, grade and expiry of a non-public decision -------------


@pytest.mark.parametrize("role", ["anonymous", "hr"])
def test_the_register_shows_no_share_grade_or_expiry_of_a_closed_decision(
    canary, client, roles, role
):
    if roles[role]:
        client.force_login(roles[role])
    position = canary["extended"]
    for url in ("/stellen/", position.get_absolute_url()):
        html = client.get(url).content.decode()
        for secret in ("37,5", "37.5 %", "EG 11", "30.06.2029", "9001/2020"):
            assert secret not in html, (url, secret)
        assert "nichtöffentlich beschlossen" in html
    # Nor does a filter reveal the closed expiry.
    listed = client.get("/stellen/?ablauf_in_monaten=120").content.decode()
    assert position.function not in listed


def test_a_permitted_user_sees_the_closed_extension_in_the_register(
    canary, client, roles
):
    hr = roles["hr"]
    grant_nonpublic(hr)
    client.force_login(hr)
    html = client.get(canary["extended"].get_absolute_url()).content.decode()
    assert "30.06.2029" in html and "37,5 %" in html and "EG 11" in html


def test_hrs_consistency_hints_name_no_paper_hr_may_not_see(canary, client, roles):
    # The closed extension shortens nothing but overlaps 949/2019 with another
    # share: a contradiction only those who see both papers may be told about.
    position = canary["extended"]
    hr = roles["hr"]
    client.force_login(hr)
    html = client.get(position.get_absolute_url()).content.decode()
    assert "9001/2020" not in html
    grant_nonpublic(hr)
    hr = type(hr).objects.get(pk=hr.pk)
    client.force_login(hr)
    html = client.get(position.get_absolute_url()).content.decode()
    assert "9001/2020" in html


# 4. The admin applies the permission ---------------------------------------


def test_a_clerk_without_the_permission_cannot_open_a_non_public_paper_in_the_admin(
    canary, client, roles
):
    client.force_login(roles["clerk_without"])
    paper = canary["paper"]
    url = reverse("admin:council_paper_change", args=[paper.pk])
    response = client.get(url, follow=True)
    assert MARKER not in response.content.decode()
    listed = client.get(reverse("admin:council_paper_changelist") + "?q=9001/2020")
    assert MARKER not in listed.content.decode()
    client.force_login(roles["clerk"])
    assert MARKER in client.get(url).content.decode()


def test_hr_cannot_find_funding_lines_of_closed_papers_by_their_words(
    canary, client, roles
):
    client.force_login(roles["hr"])
    changelist = reverse("admin:funding_fundingline_changelist")
    page = client.get(changelist, {"q": "Zweck"}).content.decode()
    assert MARKER not in page
    line = FundingLine.objects.get(purpose__contains=MARKER)
    change = client.get(reverse("admin:funding_fundingline_change", args=[line.pk]))
    assert MARKER not in change.content.decode()


# 5. Calendar tokens ------------------------------------------------------------


def test_a_revoked_token_cannot_be_revived_in_the_admin(demo, client, hr_user):
    token = CalendarToken.objects.issue(hr_user)
    token.revoke()
    admin_user = type(hr_user).objects.create_superuser("root", "r@example.org", "pw")
    client.force_login(admin_user)
    url = reverse("admin:positions_calendartoken_change", args=[token.pk])
    client.post(url, {"revoked_at_0": "", "revoked_at_1": ""})
    token.refresh_from_db()
    assert token.revoked_at is not None
    token.revoked_at = None
    token.save()
    token.refresh_from_db()
    assert token.revoked_at is not None
    feed = reverse("positions:expiry-calendar", args=[token.secret])
    assert client.get(feed).status_code == 404


def test_only_the_owner_or_an_administrator_revokes_a_token(
    demo, client, hr_user, django_user_model
):
    others = CalendarToken.objects.issue(hr_user)
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__endswith="calendartoken")
    )
    client.force_login(viewer)
    changelist = reverse("admin:positions_calendartoken_changelist")
    change = reverse("admin:positions_calendartoken_change", args=[others.pk])
    assert change not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "revoke", "_selected_action": [others.pk]})
    others.refresh_from_db()
    assert others.revoked_at is None


def test_only_a_hash_of_the_calendar_secret_is_stored(demo, hr_user):
    token = CalendarToken.objects.issue(hr_user)
    stored = json.dumps(list(CalendarToken.objects.values()), default=str)
    assert token.secret not in stored
    assert CalendarToken.objects.matching(token.secret).get() == token


# 6. Attachments -----------------------------------------------------------------


def test_attachments_are_served_by_a_view_that_checks_visibility(
    canary, client, roles, settings
):
    public_paper = canary["public"]
    hidden = canary["closed_attachment"]
    page = client.get(public_paper.get_absolute_url()).content.decode()
    assert "/media/" not in page and hidden.get_absolute_url() not in page
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(canary["attachment"].get_absolute_url()).status_code == 404
    client.force_login(roles["member"])
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MARKER.encode()
    assert response["Cache-Control"] == "private, no-store"
    settings.RATSREGISTER_ATTACHMENT_ACCEL_REDIRECT = "/_anlagen/"
    handed_over = client.get(hidden.get_absolute_url())
    assert handed_over["X-Accel-Redirect"] == "/_anlagen/" + hidden.file.name
    assert handed_over.content == b""


# The text import shows nothing of a paper the clerk may not see -------------------


def test_the_import_refuses_a_text_about_a_paper_the_clerk_may_not_see(
    demo, client, roles
):
    from demo.corpus import text as corpus_text

    paper = Paper.objects.get(number=949, year=2019)
    paper.is_public = False
    paper.title = f"Betreff {MARKER}"
    paper.save()
    url = reverse("admin:paper-import")
    text = corpus_text("grdrs_0949_2019.txt")
    client.force_login(roles["clerk_without"])
    preview = client.post(url, {"preview": "1", "text": text}).content.decode()
    assert "nichtöffentliche Drucksache erfasst" in preview
    assert MARKER not in preview
    confirmed = client.post(url, {"confirm": "1", "text": text, "update": "on"})
    assert "nichtöffentliche Drucksache erfasst" in confirmed.content.decode()
    paper.refresh_from_db()
    assert paper.title == f"Betreff {MARKER}"
    client.force_login(roles["clerk"])
    assert MARKER in client.post(url, {"preview": "1", "text": text}).content.decode()


def test_the_import_offers_no_position_known_only_from_closed_papers(canary, roles):
    from demo.corpus import text as corpus_text
    from importer.reading.paper import read_paper
    from importer.services import import_plan

    twin = Position.objects.get(pay_grade="EG 13")
    hidden = Position.objects.create(
        function=f"Zwilling {MARKER}",
        department=twin.department,
        share_percent=twin.share_percent,
        pay_grade=twin.pay_grade,
    )
    PositionDecision.objects.create(
        position=hidden,
        paper=canary["paper"],
        action=PositionDecision.Action.CREATED,
        valid_until=datetime.date(2029, 6, 30),
    )
    draft = read_paper(corpus_text("grdrs_0949_2019.txt"))

    def offered(user):
        plans = import_plan(draft, user).positions
        return {p.pk for plan in plans for p in [plan.match, *plan.candidates] if p}

    assert hidden.pk in offered(FULL_RECORD)
    assert twin.pk in offered(roles["clerk_without"])
    assert hidden.pk not in offered(roles["clerk_without"])
