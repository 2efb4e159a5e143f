"""send_expiry_reminders: a digest to the Personalamt, each expiry announced once."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.roles import HR
from positions.models import ExpiryReminder, Position, PositionDecision
from tests.factories import PositionDecisionFactory, adopted_paper

pytestmark = pytest.mark.django_db

END_2021 = datetime.date(2021, 12, 31)
ASSISTANCE = "Verwaltungs- und Assistenzaufgaben"


def remind(*args):
    out = io.StringIO()
    call_command(
        "send_expiry_reminders",
        "--today",
        "2021-09-01",
        "--base-url",
        "https://rat.example.org",
        *args,
        stdout=out,
    )
    return out.getvalue()


@pytest.fixture
def colleague(django_user_model):
    user = django_user_model.objects.create_user(
        "hr2", email="hr2@example.org", password="pw"
    )
    user.groups.add(Group.objects.get(name=HR))
    return user


def extend_assistance():
    PositionDecisionFactory(
        position=Position.objects.get(function=ASSISTANCE),
        paper=adopted_paper(year=2021, number=4711, date=datetime.date(2021, 9, 10)),
        action=PositionDecision.Action.EXTENDED,
        extends_until=END_2021,
        valid_until=datetime.date(2023, 12, 31),
    )


def test_the_digest_goes_to_hr_members_only(demo, hr_user, clerk, colleague):
    remind()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "hr2@example.org",
        "hr@example.org",
    ]
    message = mail.outbox[0]
    assert message.subject == (
        "Ratsregister: 3 Stellenbefristungen enden bis 28.02.2022"
    )
    body = message.body
    # Grouped by department, each with its deciding paper and a link back.
    assert body.index("Jobcenter") < body.index("Sozialamt")
    assert body.count("befristet bis 31.12.2021") == 3
    assert "laut GRDrs 949/2019, Ziff. 5" in body
    position = Position.objects.get(function=ASSISTANCE)
    assert f"https://rat.example.org/stellen/{position.pk}/" in body
    assert ExpiryReminder.objects.filter(recipient=hr_user).count() == 3
    assert not ExpiryReminder.objects.filter(recipient=clerk).exists()


def test_a_second_run_sends_nothing_new(demo, hr_user):
    remind()
    assert len(mail.outbox) == 1
    output = remind()
    assert len(mail.outbox) == 1
    assert "0 Übersichten" in output
    assert ExpiryReminder.objects.count() == 3


def test_an_extension_removes_the_position_from_the_next_digest(
    demo, hr_user, colleague
):
    colleague.groups.clear()
    remind()
    extend_assistance()
    colleague.groups.add(Group.objects.get(name=HR))
    remind()
    assert [message.to for message in mail.outbox] == [
        ["hr@example.org"],
        ["hr2@example.org"],
    ]
    assert mail.outbox[1].subject.startswith("Ratsregister: 2 Stellenbefristungen")
    assert ASSISTANCE not in mail.outbox[1].body


def test_positions_outside_the_window_are_not_mentioned(demo, hr_user):
    remind("--within-days", "30")
    assert mail.outbox == []


def test_a_dry_run_shows_the_digest_but_sends_and_records_nothing(demo, hr_user):
    output = remind("--dry-run")
    assert "An: hr@example.org" in output
    assert ASSISTANCE in output
    assert mail.outbox == []
    assert not ExpiryReminder.objects.exists()


def test_a_negative_window_is_refused_with_a_german_message(demo):
    with pytest.raises(CommandError, match="nicht negativ"):
        remind("--within-days", "-1")


def test_a_bad_date_is_refused_with_a_german_message(demo):
    with pytest.raises(CommandError, match="kein Datum"):
        call_command("send_expiry_reminders", "--today", "morgen")
