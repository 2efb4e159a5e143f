"""E-mail the Personalamt a digest of the positions whose authorisation runs out."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import HR
from positions.models import ExpiryReminder, Position


def _day(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            _("„%(text)s“ ist kein Datum; bitte JJJJ-MM-TT angeben.") % {"text": text}
        ) from error


class Command(BaseCommand):
    help = (
        "Schickt jedem Mitglied des Personalamts eine Übersicht der Stellen, deren "
        "Befristung im Zeitraum endet und über die es noch nicht benachrichtigt wurde."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--within-days",
            type=int,
            default=180,
            help="Zeitraum in Tagen ab heute (Standard: 180).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Nur anzeigen, was gesendet würde; nichts senden, nichts vermerken.",
        )
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            help="Stichtag statt heute (JJJJ-MM-TT), etwa um einen Lauf nachzuholen.",
        )
        parser.add_argument(
            "--base-url",
            default=settings.RATSREGISTER_BASE_URL,
            help="Adresse des Ratsregisters für Links (auch RATSREGISTER_BASE_URL).",
        )

    def handle(self, *args, within_days, dry_run, today, base_url, **options):
        if within_days < 0:
            raise CommandError(_("--within-days darf nicht negativ sein."))
        translation.activate("de")
        today = today or timezone.localdate()
        end = today + datetime.timedelta(days=within_days)
        base_url = base_url.rstrip("/")
        recipients = (
            get_user_model()
            .objects.filter(groups__name=HR, is_active=True)
            .exclude(email="")
            .order_by("username")
        )
        sent_people = sent_positions = 0
        for recipient in recipients:
            # Each digest is computed for its reader: nothing they may not see.
            positions = list(
                Position.objects.visible_to(recipient)
                .with_expiry(recipient)
                .with_pending_follow_up(recipient)
                .with_history(recipient)
                .select_related("department")
                .filter(expiry__range=(today, end))
                .order_by("department__name", "expiry", "function")
            )
            already = set(
                ExpiryReminder.objects.filter(recipient=recipient).values_list(
                    "decision_id", flat=True
                )
            )
            new = [p for p in positions if p.expiry_decision_id not in already]
            if not new:
                continue
            subject, body = self.digest(recipient, new, today, end, base_url)
            if dry_run:
                self.stdout.write(
                    f"An: {recipient.email}\nBetreff: {subject}\n\n{body}"
                )
                continue
            with transaction.atomic():
                # Recorded with the sending: if the mail fails, nothing is noted.
                ExpiryReminder.objects.bulk_create(
                    ExpiryReminder(
                        recipient=recipient,
                        decision_id=position.expiry_decision_id,
                        expiry=position.expiry,
                    )
                    for position in new
                )
                send_mail(subject, body, None, [recipient.email])
            sent_people += 1
            sent_positions += len(new)
        if dry_run:
            self.stdout.write(_("Probelauf: nichts gesendet, nichts vermerkt."))
        else:
            self.stdout.write(
                _("%(people)s Übersichten mit zusammen %(count)s Stellen gesendet.")
                % {"people": sent_people, "count": sent_positions}
            )

    def digest(self, recipient, positions, today, end, base_url):
        groups = {}
        for position in positions:
            groups.setdefault(position.department.name, []).append(
                {
                    "position": position,
                    "decision": position.current_decision,
                    "url": base_url + position.get_absolute_url(),
                }
            )
        context = {
            "recipient": recipient,
            "groups": sorted(groups.items()),
            "count": len(positions),
            "today": today,
            "end": end,
            "register_url": base_url + "/stellen/",
        }
        subject = _("Ratsregister: %(count)s Stellenbefristungen enden bis %(end)s") % {
            "count": len(positions),
            "end": end.strftime("%d.%m.%Y"),
        }
        body = render_to_string("positions/expiry_reminder.txt", context)
        return subject, body
