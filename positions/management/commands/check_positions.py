"""List the consistency warnings about positions; fail only on contradictions."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from council.models import FULL_RECORD
from positions.consistency import check_positions, positions_for_checks


class Command(BaseCommand):
    help = (
        "Prüft die Stellenentscheidungen: Widersprüche (Exit-Code 1) und Lücken "
        "(nur Hinweis)."
    )

    def handle(self, *args, **options):
        translation.activate("de")
        # The command checks the record itself, non-public decisions included.
        positions = list(positions_for_checks(FULL_RECORD))
        findings = check_positions(positions, FULL_RECORD)
        contradictions = gaps = 0
        for position in positions:
            for finding in findings[position.pk]:
                if finding.is_contradiction:
                    contradictions += 1
                    label = _("WIDERSPRUCH")
                else:
                    gaps += 1
                    label = _("Hinweis")
                self.stdout.write(
                    f"{label}: {position.function} ({position.department.name}, "
                    f"Stelle {position.pk}): {finding.message}"
                )
        summary = _(
            "%(positions)s Stellen geprüft: %(contradictions)s Widersprüche, "
            "%(gaps)s Hinweise."
        ) % {
            "positions": len(positions),
            "contradictions": contradictions,
            "gaps": gaps,
        }
        if contradictions:
            raise CommandError(summary)
        self.stdout.write(summary)
