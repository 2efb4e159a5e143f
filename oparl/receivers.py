"""Record tombstones when a public object is deleted or depublished.

OParl harvesters must learn of deletions, but the domain apps know nothing of OParl;
these receivers are infrastructure of the interface, not domain flow. Whether an
object was public is asked of the querysets' own visibility rule for an anonymous
visitor, before and after the change, so the rule lives in one place only.

Not seen: QuerySet.update() and bulk writes, which send no signals.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from council.models import (
    Attachment,
    Committee,
    Consultation,
    Department,
    Meeting,
    Paper,
)

from .models import Tombstone

ANONYMOUS = AnonymousUser()


def public_papers():
    return Paper.objects.visible_to(ANONYMOUS)


def public_consultations():
    return Consultation.objects.visible_to(ANONYMOUS)


def public_files():
    return Attachment.objects.visible_to(ANONYMOUS)


def public_meetings():
    return Meeting.objects.visible_to(ANONYMOUS)


# model → (tombstone kind, queryset of what the public sees, the created time)
TRACKED = {
    Paper: (Tombstone.Kind.PAPER, public_papers, lambda obj: obj.created),
    Consultation: (
        Tombstone.Kind.CONSULTATION,
        public_consultations,
        lambda obj: obj.created,
    ),
    Meeting: (Tombstone.Kind.MEETING, public_meetings, lambda obj: obj.created),
    Committee: (
        Tombstone.Kind.COMMITTEE,
        Committee.objects.all,
        lambda obj: obj.created,
    ),
    Department: (
        Tombstone.Kind.DEPARTMENT,
        Department.objects.all,
        lambda obj: obj.created,
    ),
    # Attachments have no timestamps; the API gives them their paper's.
    Attachment: (
        Tombstone.Kind.FILE,
        public_files,
        lambda obj: (
            Paper.objects.filter(pk=obj.paper_id)
            .values_list("created", flat=True)
            .first()
            or timezone.now()
        ),
    ),
}


def bury(kind, pk, created):
    Tombstone.objects.update_or_create(
        kind=kind,
        object_pk=pk,
        defaults={"created": created, "modified": timezone.now()},
    )


def resurrect(kind, pks):
    Tombstone.objects.filter(kind=kind, object_pk__in=pks).delete()


def _was_public(sender, instance):
    kind, public, _ = TRACKED[sender]
    return instance.pk is not None and public().filter(pk=instance.pk).exists()


def remember_visibility(sender, instance, raw=False, **kwargs):
    if raw or sender not in TRACKED:
        return
    instance._oparl_was_public = _was_public(sender, instance)
    if sender is Paper and instance.pk is not None:
        # Depublishing a paper hides its consultations too.
        instance._oparl_public_consultations = {
            c.pk: c.created
            for c in public_consultations().filter(paper=instance.pk).only("created")
        }


def record_visibility_change(sender, instance, raw=False, **kwargs):
    if raw or sender not in TRACKED:
        return
    kind, public, created = TRACKED[sender]
    now_public = public().filter(pk=instance.pk).exists()
    if now_public:
        resurrect(kind, [instance.pk])
    elif getattr(instance, "_oparl_was_public", False):
        bury(kind, instance.pk, created(instance))
    if sender is Paper:
        before = getattr(instance, "_oparl_public_consultations", {})
        after = set(
            public_consultations()
            .filter(paper=instance.pk)
            .values_list("pk", flat=True)
        )
        for pk, consultation_created in before.items():
            if pk not in after:
                bury(Tombstone.Kind.CONSULTATION, pk, consultation_created)
        resurrect(Tombstone.Kind.CONSULTATION, after)


def remember_before_delete(sender, instance, **kwargs):
    if sender in TRACKED:
        instance._oparl_was_public = _was_public(sender, instance)
        instance._oparl_created = TRACKED[sender][2](instance)


def record_deletion(sender, instance, **kwargs):
    if sender in TRACKED and getattr(instance, "_oparl_was_public", False):
        bury(TRACKED[sender][0], instance.pk, instance._oparl_created)


def connect():
    for model in TRACKED:
        uid = f"oparl-{model._meta.label_lower}"
        pre_save.connect(remember_visibility, sender=model, dispatch_uid=uid)
        post_save.connect(record_visibility_change, sender=model, dispatch_uid=uid)
        pre_delete.connect(remember_before_delete, sender=model, dispatch_uid=uid)
        post_delete.connect(record_deletion, sender=model, dispatch_uid=uid)
