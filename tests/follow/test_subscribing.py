"""Following as the public (double opt-in, no account) and as a signed-in user;
ending it without login; the rate limits."""

import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from council.models import Committee, Paper
from follow import searches, tokens
from follow.models import Notification, Subscriber, Subscription

from .conftest import BASE_URL

pytestmark = pytest.mark.django_db


def paper_949():
    return Paper.objects.get(number=949, year=2019)


def link_in(message, path_start):
    found = re.findall(re.escape(BASE_URL) + r"(/[^\s\"<>]+)", message.body)
    return next(url for url in found if url.startswith(path_start))


def test_the_public_follows_a_paper_with_double_opt_in_and_ends_it_without_login(
    demo, client
):
    paper = paper_949()
    page = client.get(reverse("follow:follow-paper", args=[paper.pk]))
    assert page.status_code == 200
    assert "GRDrs 949/2019" in page.content.decode()

    answer = client.post(
        reverse("follow:follow-paper", args=[paper.pk]), {"email": "Ana@Example.org"}
    )
    assert answer.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    assert subscription.subscriber.email == "ana@example.org"
    assert len(mail.outbox) == 1
    confirm = link_in(mail.outbox[0], "/abo/bestaetigen/")

    # Opening the link (a mail scanner does) confirms nothing; the button does.
    assert client.get(confirm).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    assert client.post(confirm).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    # Unsubscribing needs no login and no CSRF token (one-click, RFC 8058).
    unsubscribe = reverse(
        "follow:unsubscribe", kwargs={"token": tokens.unsubscribe_token(subscription)}
    )
    assert "Abo beenden" in client.get(unsubscribe).content.decode()
    assert Subscription.objects.exists()
    client.post(unsubscribe)
    # The last subscription gone, the address is gone too.
    assert not Subscription.objects.exists()
    assert not Subscriber.objects.exists()
    # The link still answers, saying so.
    assert "besteht nicht mehr" in client.get(unsubscribe).content.decode()


def test_the_confirmation_mail_names_only_the_title(demo, client):
    paper = paper_949()
    client.post(
        reverse("follow:follow-paper", args=[paper.pk]), {"email": "b@example.org"}
    )
    (message,) = mail.outbox
    assert message.subject == "Ratsregister: Bitte bestätigen Sie Ihr Abo"
    assert f"GRDrs 949/2019 – {paper.title}" in message.body
    assert "Zum Bestätigen" in message.body
    html = message.alternatives[0][0]
    assert "Abo bestätigen" in html
    # Nothing else about the paper, nor what else the address follows.
    assert paper.department.name not in message.body
    assert "Beratung" not in message.body


def test_a_confirmation_link_expires(demo, client, monkeypatch):
    paper = paper_949()
    client.post(
        reverse("follow:follow-paper", args=[paper.pk]), {"email": "c@example.org"}
    )
    confirm = link_in(mail.outbox[0], "/abo/bestaetigen/")
    later = signing.time.time() + tokens.CONFIRM_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    answer = client.post(confirm)
    assert answer.status_code == 410
    assert "abgelaufen" in answer.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_a_forged_or_foreign_link_does_nothing(demo, client):
    paper = paper_949()
    client.post(
        reverse("follow:follow-paper", args=[paper.pk]), {"email": "d@example.org"}
    )
    subscription = Subscription.objects.get()
    token = tokens.unsubscribe_token(subscription)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(reverse("follow:unsubscribe", args=[forged])).status_code == 404
    # A confirmation token does not unsubscribe, nor the other way round.
    confirm = tokens.confirm_token(subscription)
    assert client.post(reverse("follow:unsubscribe", args=[confirm])).status_code == 404
    assert client.post(reverse("follow:confirm", args=[token])).status_code == 404
    assert Subscription.objects.get().confirmed_at is None


def test_a_pending_request_is_forgotten_after_the_link_expired(demo, client):
    from django.utils import timezone

    from follow.services import unconfirmed_purge

    paper = paper_949()
    client.post(
        reverse("follow:follow-paper", args=[paper.pk]), {"email": "e@example.org"}
    )
    unconfirmed_purge(now=timezone.now())
    assert Subscriber.objects.count() == 1
    unconfirmed_purge(now=timezone.now() + tokens.CONFIRM_MAX_AGE * 2)
    assert not Subscriber.objects.exists()


def test_a_signed_in_user_follows_at_once_and_lists_and_ends_in_meine_abos(
    demo, client, django_user_model
):
    user = django_user_model.objects.create_user(
        "rat", email="rat@example.org", password="pw"
    )
    client.force_login(user)
    committee = Committee.objects.get(slug="gemeinderat")
    answer = client.post(reverse("follow:follow-committee", args=[committee.slug]))
    assert answer.status_code == 302
    assert mail.outbox == []
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None
    assert subscription.subscriber.user == user
    page = client.get(reverse("follow:mine")).content.decode()
    assert "Gremium Gemeinderat" in page
    # The token is signed with the second it was made in: read it from the page.
    prefix = reverse("follow:unsubscribe", kwargs={"token": "x"}).removesuffix("x/")
    token = re.search(rf'action="{re.escape(prefix)}([^"/]+)/"', page).group(1)
    assert tokens.read_unsubscribe(token) == (
        "s",
        subscription.pk,
        subscription.subscriber.key,
    )
    client.post(reverse("follow:unsubscribe", kwargs={"token": token}))
    assert not Subscriber.objects.exists()


def test_meine_abos_needs_a_login_or_the_signed_link(demo, client):
    assert client.get(reverse("follow:mine")).status_code == 302
    subscriber = Subscriber.objects.create(email="f@example.org")
    Subscription.objects.create(
        subscriber=subscriber, kind=Subscription.Kind.SEARCH, query="q=Schule"
    )
    page = client.get(
        reverse("follow:manage", args=[tokens.manage_token(subscriber)])
    ).content.decode()
    assert "Suche: „Schule“" in page
    assert client.get(reverse("follow:manage", args=["x"])).status_code == 404


def test_subscribing_is_limited_per_address_and_per_client(demo, client, settings):
    settings.RATSREGISTER_FOLLOW_LIMIT_PER_EMAIL = 2
    settings.RATSREGISTER_FOLLOW_LIMIT_PER_IP = 4
    papers = list(Paper.objects.visible_to(None).order_by("pk")[:4])
    url = reverse("follow:follow-paper", args=[papers[0].pk])
    for _ in range(2):
        assert client.post(url, {"email": "victim@example.org"}).status_code == 200
    refused = client.post(url, {"email": "victim@example.org"})
    assert refused.status_code == 429
    assert "zu viele" in refused.content.decode()
    assert len(mail.outbox) == 2
    # Other addresses from the same client, until the client's fourth attempt.
    assert client.post(url, {"email": "x@example.org"}).status_code == 200
    assert client.post(url, {"email": "y@example.org"}).status_code == 429
    # Another client may still ask for a fresh address, not for the victim's.
    other = client.post(url, {"email": "w@example.org"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    again = client.post(url, {"email": "victim@example.org"}, REMOTE_ADDR="10.0.0.9")
    assert again.status_code == 429
    assert len(mail.outbox) == 4


def test_the_public_cannot_follow_what_it_may_not_see(canary, client):
    paper = canary["paper"]
    assert (
        client.get(reverse("follow:follow-paper", args=[paper.pk])).status_code == 404
    )
    assert (
        client.post(
            reverse("follow:follow-paper", args=[paper.pk]), {"email": "g@example.org"}
        ).status_code
        == 404
    )
    created = canary["created"]
    assert (
        client.get(reverse("follow:follow-position", args=[created.pk])).status_code
        == 404
    )
    assert mail.outbox == []


def test_a_search_is_followed_with_its_query_normalised(demo, client):
    url = reverse("follow:follow-search")
    page = client.get(url + "?page=3&q=++Integration++&year=2019")
    assert "„Integration“" in page.content.decode()
    client.post(url + "?page=3&q=++Integration++&year=2019", {"email": "h@e.org"})
    query = Subscription.objects.get().query
    # Without the page, the spaces; in a fixed order, whatever order it came in.
    assert "Integration" in query and "2019" in query
    assert "page" not in query and "+" not in query
    assert searches.normalise("year=2019&q=Integration&page=2") == query


def test_a_search_for_what_is_no_key_is_described_as_typed(demo, client):
    # "²" passes str.isdigit() but not int(); a NUL is no slug.
    assert searches.describe("dienststelle=²&gremium=%00x") == (
        "Dienststelle: ², Gremium: \x00x"
    )
    page = client.get(reverse("follow:follow-search") + "?dienststelle=%C2%B2")
    assert page.status_code == 200
    assert "Dienststelle: ²" in page.content.decode()


def test_a_followed_search_keeps_no_control_characters(demo, client):
    query = searches.normalise("q=Integ%00ration%1B&gremium=%07")
    assert query == "q=Integration"
    feed = client.get(reverse("follow:search-feed") + "?q=Integ%1Bration")
    assert feed.status_code == 200
    assert "„Integration“" in feed.content.decode()


def test_no_record_of_what_was_sent_outlives_the_address(demo):
    subscriber = Subscriber.objects.create(email="i@example.org")
    subscription = Subscription.objects.create(
        subscriber=subscriber, kind=Subscription.Kind.PAPER, paper=paper_949()
    )
    Notification.objects.create(subscriber=subscriber, event="x")
    from follow.services import subscription_end

    subscription_end(subscription=subscription)
    assert not Notification.objects.exists()


def test_paper_committee_position_and_list_pages_offer_to_follow(demo, client):
    from positions.models import Position

    paper = paper_949()
    position = Position.objects.visible_to(None).first()
    pages = {
        paper.get_absolute_url(): reverse("follow:follow-paper", args=[paper.pk]),
        "/gremien/gemeinderat/": reverse(
            "follow:follow-committee", args=["gemeinderat"]
        ),
        position.get_absolute_url(): reverse(
            "follow:follow-position", args=[position.pk]
        ),
        "/drucksachen/?q=Integration&jahr=2019": reverse("follow:follow-search")
        + "?q=Integration&amp;jahr=2019",
    }
    for page, link in pages.items():
        assert f'href="{link}"' in client.get(page).content.decode(), page


def test_the_feeds_of_a_committee_and_of_a_search(demo, client):
    import datetime

    council = Committee.objects.get(slug="gemeinderat")
    from council.models import Meeting

    Meeting.objects.create(committee=council, date=datetime.date(2027, 1, 14))
    feed = client.get(reverse("follow:committee-feed", args=["gemeinderat"]))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Neue Sitzung: Gemeinderat am 14.01.2027" in feed.content.decode()
    found = client.get(reverse("follow:search-feed") + "?q=Integration")
    assert "GRDrs 949/2019" in found.content.decode()
    assert "Suche: „Integration“" in found.content.decode()


def test_a_committee_feed_reads_the_newest_versions_a_batch_at_a_time(client):
    """After a bulk load every step's version lies in the feed's window (at
    100,000 papers the council's feed read 57,000 and took 9 s). The feed reads
    the newest versions a batch at a time until it has its events, and shows what
    reading all of them would: here the newest 25 versions tell nothing (steps
    without a date), the 15 before them a date each."""
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from follow.events import Collector, Followed
    from follow.feeds import FEED_SIZE
    from tests.factories import CommitteeFactory, ConsultationFactory

    committee = CommitteeFactory()
    since = timezone.now() - datetime.timedelta(days=1)
    first = datetime.date(2027, 1, 4)
    for day in range(15):
        ConsultationFactory(committee=committee, date=first + datetime.timedelta(day))
    for _ in range(25):
        ConsultationFactory(committee=committee, date=None)
    until = timezone.now()

    def newest(events, count):
        ordered = sorted(events, key=lambda e: (e.date, e.key), reverse=True)
        return [event.text for event in ordered[:count]]

    def version_reads(queries, limit):
        return [
            q["sql"]
            for q in queries.captured_queries
            if 'FROM "council_historicalconsultation"' in q["sql"]
            and f"LIMIT {limit}" in q["sql"]
        ]

    followed = Followed(committees=frozenset({committee.pk}))
    every = Collector(None, since, until, followed).collect()
    assert len(every) == 15
    with CaptureQueriesContext(connection) as queries:
        found = Collector(None, since, until, followed).collect(newest=5)
    assert newest(found, 5) == newest(every, 5)
    assert "am 18.01.2027" in newest(found, 1)[0]
    # Two batches of four times five: the silent twenty, then the rest.
    assert len(version_reads(queries, 20)) == 2

    with CaptureQueriesContext(connection) as queries:
        feed = client.get(reverse("follow:committee-feed", args=[committee.slug]))
    assert feed.content.decode().count("<entry>") == 15
    assert len(version_reads(queries, 4 * FEED_SIZE)) == 1


def test_a_clerk_deletes_a_followed_paper_and_its_subscriptions_go_with_it(
    demo, clerk_client
):
    from tests.factories import PaperFactory

    paper = PaperFactory(title="Irrtümlich erfasst")
    subscriber = Subscriber.objects.create(email="j@example.org")
    Subscription.objects.create(
        subscriber=subscriber,
        kind=Subscription.Kind.PAPER,
        paper=paper,
        confirmed_at=subscriber.created,
    )
    url = reverse("admin:council_paper_delete", args=[paper.pk])
    assert clerk_client.get(url).status_code == 200
    assert clerk_client.post(url, {"post": "yes"}).status_code == 302
    assert not Paper.objects.filter(pk=paper.pk).exists()
    assert not Subscription.objects.exists()


def test_the_personal_pages_are_never_cached(demo, client):
    subscriber = Subscriber.objects.create(email="k@example.org")
    subscription = Subscription.objects.create(
        subscriber=subscriber, kind=Subscription.Kind.PAPER, paper=paper_949()
    )
    for url in (
        reverse("follow:follow-paper", args=[paper_949().pk]),
        reverse("follow:confirm", args=[tokens.confirm_token(subscription)]),
        reverse("follow:unsubscribe", args=[tokens.unsubscribe_token(subscription)]),
        reverse("follow:manage", args=[tokens.manage_token(subscriber)]),
    ):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert "no-store" in answer["Cache-Control"], url
