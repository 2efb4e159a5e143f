"""What the OParl interface keeps beyond the domain: when each object changed.

A harvester syncs with `modified_since`, so every change that alters an object's
JSON must move that object's `modified`, and an object that goes away (deleted or
no longer public) must answer a stub. Database triggers (oparl/triggers.py) write
these stamps in the same transaction as the change, whatever wrote it: a form,
QuerySet.update(), bulk_create() or SQL by hand.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stamp(models.Model):
    """The OParl `created` and `modified` of one object, kept after it is gone.

    `published` records that the object was public at some moment: only such an
    object answers a deleted stub once it is gone, so that a stub never tells of
    something the public never saw.
    """

    class Kind(models.TextChoices):
        PAPER = "paper", "Paper"
        CONSULTATION = "consultation", "Consultation"
        AGENDA_ITEM = "agenda_item", "AgendaItem"
        MEETING = "meeting", "Meeting"
        LOCATION = "location", "Location"
        FILE = "file", "File"
        PERSON = "person", "Person"
        COMMITTEE = "committee", "Organization (Gremium)"
        DEPARTMENT = "department", "Organization (Dienststelle)"
        RESOLUTION_ITEM = "resolution_item", "ratsregister: ResolutionItem"
        SECTION = "section", "ratsregister: PaperSection"
        POSITION_DECISION = "position_decision", "ratsregister: PositionDecision"
        FUNDING_LINE = "funding_line", "ratsregister: FundingLine"

    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    object_pk = models.BigIntegerField(_("Schlüssel des Objekts"))
    created = models.DateTimeField(_("angelegt"))
    modified = models.DateTimeField(_("zuletzt geändert oder gelöscht"))
    published = models.BooleanField(_("war öffentlich"), default=False)

    class Meta:
        verbose_name = _("OParl-Zeitstempel")
        verbose_name_plural = _("OParl-Zeitstempel")
        ordering = ["kind", "object_pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_pk"], name="stamp_unique_per_object"
            ),
        ]
        indexes = [models.Index(fields=["kind", "modified"])]

    def __str__(self):
        return f"{self.kind} {self.object_pk}"
