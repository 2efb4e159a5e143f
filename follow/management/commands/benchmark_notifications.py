"""Time send_notifications on the benchmark data: many subscriptions, many events.

Needs a database filled by `manage.py generate_data`, `manage.py benchmark --keep`
or benchmark/volume.py. Everything it writes (subscribers, subscriptions, the
events' domain changes and their versions) is rolled back at the end: the data
stay as they were.
"""

import datetime
import random
import time

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max, Min
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from council.models import (
    FULL_RECORD,
    Committee,
    Consultation,
    Meeting,
    Paper,
    PaperReference,
)
from council.visibility import NONPUBLIC_PERMISSION
from follow import digest
from follow.models import Subscriber, Subscription
from positions.models import Position, PositionDecision

WORDS = [
    "Integration",
    "Schulsozialarbeit",
    "Stadtbahn",
    "Kita",
    "Klimaschutz",
    "Wohnungsbau",
    "Radverkehr",
    "Bäder",
    "Sanierung",
    "Digitalisierung",
]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Misst send_notifications mit vielen Abos und Ereignissen auf den "
        "Benchmark-Daten; alles Geschriebene wird danach zurückgerollt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--subscriptions", type=int, default=10_000)
        parser.add_argument("--events", type=int, default=1_000)
        parser.add_argument("--seed", type=int, default=2019)
        parser.add_argument(
            "--slowest", type=int, default=0, help="Die N langsamsten Abfragen zeigen."
        )
        parser.add_argument(
            "--whole-history",
            action="store_true",
            help=(
                "Abos vor dem Laden der Daten bestätigt: das Fenster des ersten "
                "Laufs hält jede Version (der Lauf nach einem Massenimport)."
            ),
        )

    def handle(self, *args, subscriptions, events, seed, slowest, **options):
        self.slowest = slowest
        self.whole_history = options["whole_history"]
        if Paper.objects.visible_to(FULL_RECORD).count() < 1000:
            raise CommandError(
                "Zu wenige Drucksachen: erst `manage.py benchmark --keep` ausführen."
            )
        rng = random.Random(seed)
        try:
            with (
                transaction.atomic(),
                override_settings(
                    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
                ),
            ):
                self.measure(rng, subscriptions, events)
                raise Rollback
        except Rollback:
            pass

    def measure(self, rng, count, events):
        mail.outbox = []
        started = time.perf_counter()
        self.subscribe(rng, count)
        self.stdout.write(
            f"{Subscription.objects.count()} Abos von "
            f"{Subscriber.objects.count()} Abonnenten angelegt "
            f"({time.perf_counter() - started:.1f} s)"
        )
        started = time.perf_counter()
        made = self.happen(rng, events)
        self.stdout.write(
            f"{made} Ereignisse im Änderungsprotokoll erzeugt "
            f"({time.perf_counter() - started:.1f} s)"
        )
        for label in ("1. Lauf", "2. Lauf (nichts Neues)"):
            mail.outbox = []
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                people, sent = digest.run(base_url="https://ratsregister.example.org")
                seconds = time.perf_counter() - started
            self.stdout.write(
                f"{label}: {seconds:.1f} s, {len(queries)} SQL-Abfragen, "
                f"{people} Übersichten mit {sent} Neuigkeiten, "
                f"{len(mail.outbox)} E-Mails"
            )
            ranked = sorted(
                queries.captured_queries, key=lambda q: float(q["time"]), reverse=True
            )
            for query in ranked[: self.slowest]:
                self.stdout.write(f"  {query['time']} s  {query['sql'][:300]}")

    def subscribe(self, rng, count):
        since = timezone.now() - datetime.timedelta(minutes=1)
        if self.whole_history:
            # Before the first version: the first run's window holds them all.
            first = Paper.audit_trail.aggregate(first=Min("history_date"))["first"]
            since = min(since, first - datetime.timedelta(seconds=1))
        papers = list(
            Paper.objects.visible_to(None)
            .filter(is_stub=False)
            .order_by("-year", "-number")
            .values_list("pk", flat=True)[:3000]
        )
        self.followed_papers = papers
        committees = list(Committee.objects.values_list("pk", flat=True))
        positions = list(
            Position.objects.visible_to(None).values_list("pk", flat=True)[:1500]
        )
        queries = [f"q={w}" for w in WORDS] + [
            f"jahr={year}&q={w}"
            for w in WORDS
            for year in range(
                timezone.localdate().year - 3, timezone.localdate().year + 1
            )
        ]
        # Accounts: some may see non-public records, some not.
        permission = _permission()
        accounts = []
        for n in range(200):
            user = get_user_model().objects.create(
                username=f"bench-follow-{n}", email=f"bench-follow-{n}@example.org"
            )
            if n % 2 and permission is not None:
                user.user_permissions.add(permission)
            accounts.append(user)
        subscribers = Subscriber.objects.bulk_create(
            [Subscriber(user=user, key=f"bench-u{user.pk}") for user in accounts]
            + [
                Subscriber(email=f"leser{n}@example.org", key=f"bench-e{n}")
                for n in range(max(1, count * 4 // 10))
            ]
        )
        rows, seen = [], set()
        Kind = Subscription.Kind
        kinds = (
            [Kind.PAPER] * 50
            + [Kind.COMMITTEE] * 15
            + [Kind.POSITION] * 15
            + [Kind.SEARCH] * 20
        )
        while len(rows) < count:
            subscriber = rng.choice(subscribers)
            kind = rng.choice(kinds)
            target = {
                Kind.PAPER: lambda: {"paper_id": rng.choice(papers)},
                Kind.COMMITTEE: lambda: {"committee_id": rng.choice(committees)},
                Kind.POSITION: lambda: {"position_id": rng.choice(positions)},
                Kind.SEARCH: lambda: {"query": rng.choice(queries)},
            }[kind]()
            key = (subscriber.pk, kind, *target.values())
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                Subscription(
                    subscriber=subscriber, kind=kind, confirmed_at=since, **target
                )
            )
        Subscription.objects.bulk_create(rows, batch_size=2000)

    def happen(self, rng, count):
        """`count` changes through the models (each with its version)."""
        made = 0
        papers = self.followed_papers
        steps = list(
            Consultation.objects.visible_to(None)
            .filter(paper_id__in=papers[:1500])
            .order_by("pk")[:2000]
        )
        committees = list(Committee.objects.all())
        positions = list(Position.objects.visible_to(None)[:1500])
        top = Paper.objects.visible_to(FULL_RECORD).aggregate(n=Max("number"))["n"]
        year = timezone.localdate().year
        share = {
            "step": 40,
            "meeting": 10,
            "paper": 25,
            "reference": 10,
            "decision": 15,
        }
        plan = [k for k, v in share.items() for _ in range(v)]
        day = timezone.localdate() + datetime.timedelta(days=14)
        while made < count:
            kind = rng.choice(plan)
            if kind == "step" and steps:
                step = steps.pop()
                step.minutes_number = f"{rng.randint(1, 400)}/B"
                if step.result == Consultation.Result.OPEN:
                    step.result = Consultation.Result.APPROVED
                step.save()
            elif kind == "meeting":
                Meeting.objects.create(committee=rng.choice(committees), date=day)
            elif kind in ("paper", "reference", "decision"):
                top += 1
                paper = Paper.objects.create(
                    number=top,
                    year=year,
                    paper_type=Paper.Type.DECISION,
                    title=f"{rng.choice(WORDS)}: Vorlage {top}",
                    date=timezone.localdate(),
                    department_id=Paper.objects.visible_to(None)
                    .filter(pk=rng.choice(papers))
                    .values_list("department_id", flat=True)
                    .first(),
                )
                if kind == "reference":
                    PaperReference.objects.create(
                        from_paper=paper,
                        to_paper_id=rng.choice(papers),
                        kind=PaperReference.Kind.CITES,
                    )
                elif kind == "decision":
                    position = rng.choice(positions)
                    Consultation.objects.create(
                        paper=paper,
                        order=1,
                        committee=rng.choice(committees),
                        role=Consultation.Role.DECISION,
                        date=day,
                    )
                    PositionDecision.objects.create(
                        position=position,
                        paper=paper,
                        action=PositionDecision.Action.CREATED,
                        valid_until=day + datetime.timedelta(days=700),
                    )
            made += 1
        return made


def _permission():
    from django.contrib.auth.models import Permission

    app_label, codename = NONPUBLIC_PERMISSION.split(".")
    return Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
