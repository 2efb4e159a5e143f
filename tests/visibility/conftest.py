"""The canary: non-public records with one marker in every text field.

Besides the marker, the non-public *values* are distinctive (a date in 2029, a
share of 37,5 %, an amount of 123.456,78 €, a meeting at 17:17), so that a test can
tell a leaked value from a coincidence.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile

from accounts.roles import CLERKS, HR
from council.models import (
    Attachment,
    Committee,
    Consultation,
    Meeting,
    Paper,
    PaperReference,
    PaperSection,
    ResolutionItem,
)
from funding.models import BudgetUnit, FundingLine
from positions.models import (
    Position,
    PositionDecision,
    PositionPlanRequest,
)

MARKER = "Zx9Kanari"

# How the non-public values would read on a page, in a feed or in JSON.
SECRET_VALUES = (
    "9001/2020",
    "9002/2020",
    "30.06.2029",
    "2029-06-30",
    "20290630",
    # Not "37.5" alone: a timestamp such as 01:37:37.5… would match.
    "37,5",
    "37.5 %",
    'value="37.50"',
    '"37.5"',
    "EG 11",
    "123.456,78",
    "123456.78",
    # The closed meeting's time shows only with its date (both are checked).
    "02.02.2020",
    "2020-02-02",
    "20200202",
)


@pytest.fixture
def canary(demo, settings, tmp_path):
    """Non-public records of every kind, plus the public ones they touch."""
    settings.MEDIA_ROOT = tmp_path
    gemeinderat = Committee.objects.get(slug="gemeinderat")
    demo_paper = Paper.objects.get(number=949, year=2019)
    closed = Meeting.objects.create(
        committee=gemeinderat,
        date=datetime.date(2020, 2, 2),
        start_time=datetime.time(17, 17),
        location=f"Raum {MARKER}",
        is_public=False,
    )
    paper = Paper.objects.create(
        number=9001,
        year=2020,
        paper_type=Paper.Type.DECISION,
        paper_type_note=f"Art {MARKER}",
        title=f"Personalsache {MARKER} Verlängerung",
        date=datetime.date(2020, 1, 20),
        department=demo_paper.department,
        file_reference=f"Gz {MARKER}",
        signed_by_name=f"Dr. {MARKER}",
        signed_by_office=f"Amt {MARKER}",
        is_public=False,
    )
    Consultation.objects.create(
        paper=paper,
        order=1,
        committee=gemeinderat,
        meeting=closed,
        date=closed.date,
        role=Consultation.Role.DECISION,
        is_public=False,
        result=Consultation.Result.APPROVED,
        result_note=f"Ergebnis {MARKER}",
    )
    item = ResolutionItem.objects.create(
        paper=paper,
        number=1,
        text=f"Ziffer {MARKER}",
        due_date=datetime.date(2020, 6, 30),
    )
    PaperSection.objects.create(
        paper=paper, order=1, heading=f"Begründung {MARKER}", body=f"Text {MARKER}"
    )
    attachment = Attachment(
        paper=paper, number=1, title=f"Anlage {MARKER}", is_public=False
    )
    attachment.file.save(f"anlage-{MARKER}.txt", ContentFile(MARKER.encode()))
    PaperReference.objects.create(
        from_paper=paper, to_paper=demo_paper, kind=PaperReference.Kind.EXTENDS
    )
    stub = Paper.objects.create(
        number=9002, year=2020, title=f"Zitat {MARKER}", is_stub=True, is_public=False
    )
    PaperReference.objects.create(
        from_paper=paper, to_paper=stub, kind=PaperReference.Kind.CITES
    )
    # A public position extended in the closed session, and one created there.
    extended = Position.objects.get(pay_grade="EG 8")
    PositionDecision.objects.create(
        position=extended,
        paper=paper,
        resolution_item=item,
        action=PositionDecision.Action.EXTENDED,
        extends_until=datetime.date(2021, 12, 31),
        valid_until=datetime.date(2029, 6, 30),
        share_percent=Decimal("37.5"),
        pay_grade="EG 11",
    )
    created = Position.objects.create(
        function=f"Stelle {MARKER}",
        department=demo_paper.department,
        share_percent=Decimal("100"),
        pay_grade=f"EG {MARKER}",
    )
    PositionDecision.objects.create(
        position=created,
        paper=paper,
        resolution_item=item,
        action=PositionDecision.Action.CREATED,
        valid_until=datetime.date(2029, 6, 30),
    )
    PositionPlanRequest.objects.create(
        department=demo_paper.department,
        request_number=77,
        budget=f"Haushalt {MARKER}",
        position=created,
        settled_by=item,
    )
    FundingLine.objects.create(
        paper=paper,
        resolution_item=item,
        purpose=f"Zweck {MARKER}",
        year=2020,
        amount=Decimal("123456.78"),
        budget_unit=BudgetUnit.objects.first(),
        budget_status=FundingLine.BudgetStatus.BUDGETED,
        position=extended,
    )

    # A public paper whose only consultation is closed and withdrawn.
    withdrawn = Paper.objects.create(
        number=9003,
        year=2020,
        paper_type=Paper.Type.DECISION,
        title="Öffentliche Vorlage mit nichtöffentlicher Beratung",
        date=datetime.date(2020, 1, 22),
        department=demo_paper.department,
    )
    Consultation.objects.create(
        paper=withdrawn,
        order=1,
        committee=gemeinderat,
        date=datetime.date(2020, 2, 2),
        role=Consultation.Role.DECISION,
        is_public=False,
        result=Consultation.Result.WITHDRAWN,
        result_note=f"Rückzug {MARKER}",
    )
    # A public paper with a closed attachment, discussed in public in the
    # closed meeting's committee on a public date (the meeting stays unnamed).
    public = Paper.objects.create(
        number=9004,
        year=2020,
        paper_type=Paper.Type.DECISION,
        title="Öffentliche Vorlage mit nichtöffentlicher Anlage",
        date=datetime.date(2020, 1, 23),
        department=demo_paper.department,
    )
    Consultation.objects.create(
        paper=public,
        order=1,
        committee=gemeinderat,
        meeting=closed,
        role=Consultation.Role.DECISION,
        result=Consultation.Result.APPROVED,
    )
    closed_attachment = Attachment(
        paper=public, number=1, title=f"Geheim {MARKER}", is_public=False
    )
    closed_attachment.file.save(f"geheim-{MARKER}.txt", ContentFile(MARKER.encode()))
    # A paper that was public and has been depublished.
    depublished = Paper.objects.create(
        number=9005,
        year=2020,
        paper_type=Paper.Type.DECISION,
        title=f"Zurückgezogen veröffentlicht {MARKER}",
        date=datetime.date(2020, 1, 24),
        department=demo_paper.department,
    )
    depublished.is_public = False
    depublished.save()
    return {
        "paper": paper,
        "withdrawn": withdrawn,
        "public": public,
        "meeting": closed,
        "extended": extended,
        "created": created,
        "attachment": attachment,
        "closed_attachment": closed_attachment,
        "depublished": depublished,
        "stub": stub,
    }


def _user(django_user_model, name, groups=(), staff=False, permitted=False):
    user = django_user_model.objects.create_user(
        username=name, password="pw", email=f"{name}@example.org", is_staff=staff
    )
    for group in groups:
        user.groups.add(Group.objects.get(name=group))
    if permitted:
        user.user_permissions.add(
            Permission.objects.get(codename="view_nonpublic_paper")
        )
    return user


@pytest.fixture
def roles(db, django_user_model):
    """The roles of the permission matrix (docs/visibility.md)."""
    clerk_without = _user(django_user_model, "clerk_without", [CLERKS], staff=True)
    # The group grants the permission; this clerk has every other right.
    clerk_without.groups.clear()
    group_permissions = Group.objects.get(name=CLERKS).permissions.exclude(
        codename="view_nonpublic_paper"
    )
    clerk_without.user_permissions.add(*group_permissions)
    return {
        "anonymous": None,
        "user": _user(django_user_model, "someone"),
        "member": _user(django_user_model, "member", permitted=True),
        "clerk": _user(django_user_model, "clerk", [CLERKS], staff=True),
        "clerk_without": clerk_without,
        "hr": _user(django_user_model, "hr", [HR], staff=True),
        "admin": django_user_model.objects.create_superuser(
            "admin", "admin@example.org", "pw"
        ),
    }
