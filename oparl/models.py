"""What the OParl interface keeps beyond the domain: traces of deleted objects."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TombstoneQuerySet(models.QuerySet):
    def of(self, kind):
        return self.filter(kind=kind)


class Tombstone(models.Model):
    """An object that was public once and is gone (deleted or depublished).

    OParl demands that harvesters learn of deletions: such an object keeps its id and
    `created` and is answered as `{"deleted": true}` with the deletion as `modified`.
    """

    class Kind(models.TextChoices):
        PAPER = "paper", "Paper"
        CONSULTATION = "consultation", "Consultation"
        MEETING = "meeting", "Meeting"
        COMMITTEE = "committee", "Organization (Gremium)"
        DEPARTMENT = "department", "Organization (Dienststelle)"
        FILE = "file", "File"

    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    object_pk = models.BigIntegerField(_("Schlüssel des Objekts"))
    created = models.DateTimeField(_("angelegt"))
    modified = models.DateTimeField(_("gelöscht oder depubliziert"))

    objects = TombstoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("gelöschtes OParl-Objekt")
        verbose_name_plural = _("gelöschte OParl-Objekte")
        ordering = ["kind", "object_pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_pk"], name="tombstone_unique_per_object"
            ),
        ]
        indexes = [models.Index(fields=["kind", "modified"])]

    def __str__(self):
        return f"{self.kind} {self.object_pk}"
