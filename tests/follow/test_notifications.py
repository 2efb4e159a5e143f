"""send_notifications: one digest per person and run, with exactly the news of
what it follows since the last run, as far as it may see it."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from council.models import Committee, Consultation, Meeting, Paper
from follow import digest
from follow.models import Notification, NotificationRun, Subscription
from positions.models import Position, PositionDecision
from tests.factories import ConsultationFactory, PaperFactory
from tests.visibility.conftest import MARKER, SECRET_VALUES

from .conftest import BASE_URL, an_hour_ago, follow

pytestmark = pytest.mark.django_db
Kind = Subscription.Kind


def send(**options):
    call_command("send_notifications", stdout=io.StringIO(), **options)


def mails_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def paper_949():
    return Paper.objects.get(number=949, year=2019)


def test_each_person_gets_one_digest_of_exactly_the_events_since_the_last_run(demo):
    paper = paper_949()
    council = Committee.objects.get(slug="gemeinderat")
    follow(Kind.PAPER, email="a@example.org", paper=paper)
    follow(Kind.COMMITTEE, email="a@example.org", committee=council)
    follow(Kind.PAPER, email="b@example.org", paper=paper)
    follow(Kind.COMMITTEE, email="c@example.org", committee=council)
    step = paper.consultations.get(order=3)
    step.minutes_number = "184/E"
    step.save()
    Meeting.objects.create(committee=council, date=datetime.date(2027, 1, 14))

    send()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
    ]
    (a,) = mails_to("a@example.org")
    assert "GRDrs 949/2019: Niederschrift Nr. 184/E (Gemeinderat)" in a.body
    assert "Neue Sitzung: Gemeinderat am 14.01.2027" in a.body
    assert a.subject == "Ratsregister: 2 Neuigkeiten zu Ihren Abos"
    (b,) = mails_to("b@example.org")
    assert "Niederschrift Nr. 184/E" in b.body and "Neue Sitzung" not in b.body
    (c,) = mails_to("c@example.org")
    assert "Neue Sitzung" in c.body and "Niederschrift" not in c.body

    # A second run has nothing new: it sends nothing.
    send()
    assert len(mail.outbox) == 3

    # A third run sends only what happened since.
    ConsultationFactory(
        paper=paper,
        order=4,
        committee=council,
        role=Consultation.Role.INFORMATION,
        date=datetime.date(2027, 1, 14),
    )
    send()
    assert len(mail.outbox) == 6
    (a3,) = mails_to("a@example.org")[1:]
    assert "Beratung im Gremium Gemeinderat (Kenntnisnahme) am 14.01.2027" in a3.body
    assert "Niederschrift" not in a3.body and "Neue Sitzung" not in a3.body
    (c3,) = mails_to("c@example.org")[1:]
    assert "Beratung im Gremium Gemeinderat" in c3.body
    (b3,) = mails_to("b@example.org")[1:]
    assert "Niederschrift" not in b3.body
    assert NotificationRun.objects.count() == 3


def test_what_happened_before_following_is_not_news(demo):
    paper = paper_949()
    step = paper.consultations.get(order=3)
    step.minutes_number = "184/E"
    step.save()
    follow(Kind.PAPER, email="a@example.org", paper=paper)
    send()
    assert mail.outbox == []


def test_an_unconfirmed_subscription_gets_nothing(demo):
    paper = paper_949()
    subscription = follow(Kind.PAPER, email="a@example.org", paper=paper)
    subscription.confirmed_at = None
    subscription.save()
    step = paper.consultations.get(order=3)
    step.minutes_number = "184/E"
    step.save()
    send()
    assert mail.outbox == []


def test_a_non_public_change_never_reaches_an_anonymous_subscriber(
    demo, roles, request
):
    member, someone = roles["member"], roles["user"]
    paper = paper_949()
    council = Committee.objects.get(slug="gemeinderat")
    extended = Position.objects.get(pay_grade="EG 8")
    for who in ({"email": "anon@example.org"}, {"user": someone}, {"user": member}):
        since = an_hour_ago()
        follow(Kind.PAPER, paper=paper, since=since, **who)
        follow(Kind.COMMITTEE, committee=council, since=since, **who)
        follow(Kind.POSITION, position=extended, since=since, **who)
        follow(Kind.SEARCH, query="", since=since, **who)
        follow(Kind.SEARCH, query="q=Personalsache", since=since, **who)
    # Now the non-public records of every kind come, with their marker.
    request.getfixturevalue("canary")

    send(today=datetime.date(2029, 3, 1))
    public = mails_to("anon@example.org") + mails_to(someone.email)
    assert len(public) == 2
    for message in public:
        for text in (message.body, message.alternatives[0][0], message.subject):
            leaked = [s for s in (MARKER, *SECRET_VALUES) if s in text]
            assert leaked == [], text
        # What is public of the canary does arrive: the test looks at real mail.
        assert "GRDrs 9003/2020" in message.body
    # Who may see it gets it: the same run, the same subscriptions.
    (permitted,) = mails_to(member.email)
    assert f"Personalsache {MARKER}" in permitted.body
    assert "9001/2020" in permitted.body
    assert "30.06.2029" in permitted.body  # the closed extension's expiry


def test_a_saved_search_notifies_on_a_new_matching_paper_only(demo):
    old = PaperFactory(title="Schulsozialarbeit an Grundschulen")
    follow(Kind.SEARCH, email="s@example.org", query="q=Schulsozialarbeit")
    PaperFactory(title="Ausbau der Schulsozialarbeit", number=4711, year=2026)
    PaperFactory(title="Radwege in der Innenstadt", number=4712, year=2026)
    # A change of a paper that matched before is no new match.
    old.title = "Schulsozialarbeit an Grund- und Werkrealschulen"
    old.save()

    send()
    (message,) = mail.outbox
    assert "Suche: „Schulsozialarbeit“" in message.body
    assert "GRDrs 4711/2026 – Ausbau der Schulsozialarbeit" in message.body
    assert "Radwege" not in message.body
    assert "Werkrealschulen" not in message.body
    send()
    assert len(mail.outbox) == 1


def test_the_mail_is_german_with_absolute_links_that_work(demo, client):
    paper = paper_949()
    follow(Kind.PAPER, email="l@example.org", paper=paper)
    step = paper.consultations.get(order=3)
    step.minutes_number = "184/E"
    step.save()
    send()
    (message,) = mail.outbox
    assert message.body.startswith("Guten Tag,")
    assert "es gibt eine Neuigkeit zu dem, was Sie im Ratsregister verfolgen" in (
        message.body
    )
    assert "Dieses Abo beenden:" in message.body
    assert message.subject == "Ratsregister: 1 Neuigkeit zu Ihren Abos"
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    assert '<html lang="de">' in html
    links = re.findall(r"https?://[^\s\"<>]+", message.body)
    assert set(re.findall(r'href="([^"]+)"', html)) == set(links)
    assert links and all(link.startswith(BASE_URL + "/") for link in links)
    for link in set(links):
        answer = client.get(link.removeprefix(BASE_URL))
        assert answer.status_code == 200, link
    unsubscribe_all = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe_all.startswith(BASE_URL + "/abo/abbestellen/")
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    # The mail program's one-click unsubscribe: a POST without a session.
    client.post(unsubscribe_all.removeprefix(BASE_URL))
    assert not Subscription.objects.exists()


def test_a_followed_position_announces_a_decision_and_its_reminder_window_once(
    demo,
):
    position = Position.objects.get(pay_grade="EG 8")
    follow(Kind.POSITION, email="p@example.org", position=position)
    send(today=datetime.date(2021, 10, 1))
    (reminder,) = mail.outbox
    assert "Die Befristung endet am 31.12.2021 (in 91 Tagen)." in reminder.body
    send(today=datetime.date(2021, 10, 2))
    assert len(mail.outbox) == 1

    # A follow-up extension in consultation.
    follow_up = PaperFactory(number=4713, year=2021, title="Weiterführung")
    ConsultationFactory(
        paper=follow_up,
        order=1,
        date=datetime.date(2021, 12, 9),
        role=Consultation.Role.DECISION,
    )
    PositionDecision.objects.create(
        position=position,
        paper=follow_up,
        action=PositionDecision.Action.EXTENDED,
        extends_until=datetime.date(2021, 12, 31),
        valid_until=datetime.date(2023, 12, 31),
    )
    send(today=datetime.date(2021, 10, 2))
    (news,) = mail.outbox[1:]
    assert "Verlängerung in Beratung: GRDrs 4713/2021 (bis 31.12.2023)" in news.body


def test_queries_of_a_run_do_not_grow_with_the_subscribers(demo):
    paper = paper_949()
    council = Committee.objects.get(slug="gemeinderat")

    def subscribers(start, count):
        for n in range(start, start + count):
            follow(
                Kind.PAPER, email=f"p{n}@example.org", paper=paper, since=an_hour_ago()
            )
            follow(
                Kind.COMMITTEE,
                email=f"p{n}@example.org",
                committee=council,
                since=an_hour_ago(),
            )
            follow(
                Kind.SEARCH,
                email=f"p{n}@example.org",
                query="q=Integration",
                since=an_hour_ago(),
            )

    subscribers(0, 3)
    step = paper.consultations.get(order=3)
    step.minutes_number = "184/E"
    step.save()
    Meeting.objects.create(committee=council, date=datetime.date(2027, 1, 14))

    def measured():
        with CaptureQueriesContext(connection) as queries:
            digest.run(base_url=BASE_URL)
        NotificationRun.objects.all().delete()
        Notification.objects.all().delete()
        return len(queries)

    few = measured()
    subscribers(3, 40)
    many = measured()
    assert len(mail.outbox) == 3 + 43
    # Only the record of what was sent may take another INSERT, where the
    # database limits the parameters of one statement (SQLite: 999).
    assert few <= many <= few + 2


def test_a_run_reads_the_news_of_what_is_followed_and_of_nothing_else(demo):
    """After a bulk load or an import of past years the window holds every
    version: reading them all took the public's digest 145 s at 100,000 papers
    (issue 12). Each kind of news is read for what is followed only; beside each
    thing followed here lies one of the same kind that is not."""
    from django.utils import timezone

    from council.models import PaperReference
    from follow.events import Collector, Followed
    from tests.factories import CommitteeFactory, PositionDecisionFactory

    since = timezone.now()
    paper = paper_949()
    council = Committee.objects.get(slug="gemeinderat")
    position = Position.objects.get(pay_grade="EG 8")
    elsewhere = CommitteeFactory()
    other = PaperFactory(number=4711, year=2021)
    day = datetime.date(2027, 1, 14)
    for target, committee in ((paper, elsewhere), (other, elsewhere)):
        ConsultationFactory(paper=target, order=9, committee=committee, date=day)
    ConsultationFactory(committee=council, date=day)  # followed by its committee
    for committee in (council, elsewhere):
        Meeting.objects.create(committee=committee, date=day)
    for target in (paper, other):
        PaperReference.objects.create(
            from_paper=PaperFactory(), to_paper=target, kind=PaperReference.Kind.CITES
        )
        PaperFactory(number=target.number, year=target.year, suffix="Neufassung")
    PositionDecisionFactory(position=position, paper=other)
    PositionDecisionFactory(paper=paper)  # another position, on a followed paper
    followed = Followed(
        papers=frozenset({paper.pk}),
        committees=frozenset({council.pk}),
        positions=frozenset({position.pk}),
    )

    events = Collector(None, since, timezone.now(), followed).collect()

    kinds = sorted(event.key.split(":")[0] for event in events)
    assert kinds == [
        "consultation",  # of the followed paper
        "consultation",  # in the followed committee
        "decision",
        "meeting",
        "new-paper",
        "reference",
    ]
    for event in events:
        assert (
            event.papers & followed.papers
            or event.committees & followed.committees
            or event.positions & followed.positions
        ), event.text
        assert event.positions <= followed.positions, event.text


def test_what_was_sent_is_recorded_while_it_can_come_up_again_or_was_listed(demo):
    """The next run reads from the end of this one less the margin: an event
    before that cannot come up again, and only what a mail lists must never be
    shown twice (a run again after a failed one). After a bulk load a digest
    tells of thousands of events each; recording every one for every follower
    took most of the run (issue 12)."""
    from django.utils import timezone

    from follow.events import MARGIN

    paper = paper_949()
    council = Committee.objects.get(slug="gemeinderat")
    follow(Kind.COMMITTEE, email="g@example.org", committee=council)
    start = timezone.now()
    days = [datetime.date(2027, 1, 4) + datetime.timedelta(n) for n in range(25)]
    for order, day in enumerate(days, start=10):
        ConsultationFactory(paper=paper, order=order, committee=council, date=day)

    # Read within the margin, all 25 could come up again: all are recorded.
    digest.run(now=start + datetime.timedelta(minutes=1), base_url=BASE_URL)
    (first,) = mail.outbox
    assert "… und 5 weitere" in first.body
    assert Notification.objects.count() == 25

    # Read later: the 20 listed are recorded, the 5 others cannot come up again.
    Notification.objects.all().delete()
    NotificationRun.objects.all().delete()
    digest.run(now=start + MARGIN + datetime.timedelta(minutes=1), base_url=BASE_URL)
    (_, second) = mail.outbox

    def listed(message):
        return [line for line in message.body.splitlines() if line.startswith("- ")]

    assert len(listed(second)) == 20 and listed(second) == listed(first)
    assert "… und 5 weitere" in second.body
    assert Notification.objects.count() == 20

    # A run again over the same window shows the 5, and never the 20.
    NotificationRun.objects.all().delete()
    digest.run(now=start + MARGIN + datetime.timedelta(minutes=2), base_url=BASE_URL)
    (_, _, third) = mail.outbox
    assert third.subject == "Ratsregister: 5 Neuigkeiten zu Ihren Abos"
    # Listed oldest first: 4 to 23 January before, 24 to 28 January now.
    assert "am 24.01.2027" in third.body and "am 28.01.2027" in third.body
    assert "am 23.01.2027" not in third.body


def test_a_run_looks_up_only_what_can_have_been_sent(demo):
    """A version is recorded after it was read: an event dated after the last
    record cannot have been sent. After a bulk load, looking up every event of
    the window took a query per thousand of them (issue 12)."""
    paper = paper_949()
    follow(Kind.PAPER, email="r@example.org", paper=paper)
    step = paper.consultations.get(order=3)
    step.minutes_number = "184/E"
    step.save()
    digest.run(base_url=BASE_URL)
    assert Notification.objects.filter(event__endswith=":niederschrift").exists()
    ConsultationFactory(paper=paper, order=10, date=datetime.date(2027, 1, 14))

    with CaptureQueriesContext(connection) as queries:
        digest.run(base_url=BASE_URL)

    (_, second) = mail.outbox
    assert "am 14.01.2027" in second.body and "Niederschrift" not in second.body
    lookup = '"follow_notification"."event" IN'
    lookups = " ".join(q["sql"] for q in queries.captured_queries if lookup in q["sql"])
    assert ":niederschrift" in lookups and ":termin" not in lookups


def test_a_followed_paper_hears_of_its_new_version_and_of_a_citing_paper(demo):
    from council.models import PaperReference

    paper = paper_949()
    follow(Kind.PAPER, email="v@example.org", paper=paper)
    PaperFactory(number=949, year=2019, suffix="Ergänzung", title="Pakt, ergänzt")
    citing = PaperFactory(number=12, year=2020, title="Bericht zum Pakt")
    PaperReference.objects.create(
        from_paper=citing, to_paper=paper, kind=PaperReference.Kind.CITES
    )
    send()
    (message,) = mail.outbox
    assert "Neue Fassung: GRDrs 949/2019 Ergänzung – Pakt, ergänzt" in message.body
    assert "GRDrs 949/2019 zitiert in GRDrs 12/2020 – Bericht zum Pakt" in message.body


def test_a_dry_run_prints_the_digests_and_sends_and_records_nothing(demo):
    paper = paper_949()
    follow(Kind.PAPER, email="w@example.org", paper=paper)
    step = paper.consultations.get(order=3)
    step.minutes_number = "184/E"
    step.save()
    out = io.StringIO()
    call_command("send_notifications", "--dry-run", stdout=out)
    assert "An: w@example.org" in out.getvalue()
    assert "Niederschrift Nr. 184/E" in out.getvalue()
    assert mail.outbox == []
    assert not Notification.objects.exists() and not NotificationRun.objects.exists()
    send()
    assert len(mail.outbox) == 1
