"""E-mail the Personalamt a digest of the positions whose authorisation runs out."""

import datetime

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import HR
from operations import formats
from operations.digest_command import DigestCommand
from positions.models import ExpiryReminder, Position


class Command(DigestCommand):
    help = (
        "Schickt jedem Mitglied des Personalamts eine Übersicht der Stellen, deren "
        "Befristung im Zeitraum endet und über die es noch nicht benachrichtigt wurde."
    )

    today_help = "Stichtag statt heute (JJJJ-MM-TT), etwa um einen Lauf nachzuholen."

    def send(self, *, within_days, dry_run, today, base_url):
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
        return _("%(people)s Übersichten mit zusammen %(count)s Stellen gesendet.") % {
            "people": sent_people,
            "count": sent_positions,
        }

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
            "end": formats.date(end),
        }
        body = render_to_string("positions/expiry_reminder.txt", context)
        return subject, body
