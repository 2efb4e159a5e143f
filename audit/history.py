"""Who changed what, when, from which value to which: the audit trail.

Each domain model keeps every version of its rows in a historical table
(django-simple-history, through `AuditedHistory`). A version records the user:
the signed-in user of a request; without one (a management command, a script,
the shell) the account `system`, and the change reason names the command and
the operating-system user it ran as. `acting_as()` sets both for a block of code.
"""

import contextlib
import contextvars
import getpass
import os
import sys
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models
from django.db.models.expressions import RawSQL
from django.db.models.fields.files import FieldFile
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords

__all__ = ["AuditedHistory", "HistoricalQuerySet", "acting_as", "system_user"]

SYSTEM_USERNAME = "system"
# What `python manage.py <command>` and `django-admin <command>` are called as.
COMMAND_LAUNCHERS = {"manage.py", "django-admin", "__main__.py"}


@dataclass
class Actor:
    user: object = None
    reason: str = ""
    system: bool = False  # the user is the account `system`, made on demand
    shared: "Actor | None" = None  # an outer block that looks the account up


_ACTOR = contextvars.ContextVar("audit_actor", default=None)


@contextlib.contextmanager
def acting_as(user=None, reason=""):
    """Record the versions written in this block as `user` (default: the account
    `system`) with `reason` as their change reason."""
    actor, outer = Actor(user, reason), _ACTOR.get()
    if user is None and outer is not None and (outer.user is None or outer.system):
        # The account `system`, looked up once for nested blocks (a batch).
        actor.shared = outer.shared or outer
    holder = actor.shared or actor
    known = holder.user, holder.system
    token = _ACTOR.set(actor)
    try:
        yield
    except BaseException:
        # An account made in a block that fails is rolled back with it.
        holder.user, holder.system = known
        raise
    finally:
        _ACTOR.reset(token)


def os_user():
    """The operating-system user this process runs as."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else "?"


def system_user():
    """The account under which writes without a signed-in user are recorded.

    Made on first use; it cannot sign in (inactive, no usable password).
    """
    user, _created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "password": make_password(None),
            "is_active": False,
            "last_name": "Systemkonto (Befehle und Skripte)",
        },
    )
    return user


def command_reason(command=None):
    """'Befehl load_demo, Systembenutzer root': a command and who ran it."""
    if command is None:
        launcher = os.path.basename(sys.argv[0]) if sys.argv else ""
        if launcher in COMMAND_LAUNCHERS and len(sys.argv) > 1:
            command = sys.argv[1]
    # Stored with the version: in the site's language, not in that of whatever
    # request was active in the thread before (an English page, in the tests).
    with translation.override(settings.LANGUAGE_CODE):
        if command:
            return _("Befehl %(command)s, Systembenutzer %(os_user)s") % {
                "command": command,
                "os_user": os_user(),
            }
        return _("ohne Anmeldung, Systembenutzer %(os_user)s") % {"os_user": os_user()}


def _signed_in_request():
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return request if user is not None and user.is_authenticated else None


def history_user(request=None, **kwargs):
    """The user a new version is recorded for (simple-history's `get_user`)."""
    if request is not None:
        return request.user
    actor = _ACTOR.get()
    if actor is not None:
        holder = actor if actor.user is not None else actor.shared or actor
        if holder.user is None:
            holder.user, holder.system = system_user(), True
        return holder.user
    return system_user()


class AuditedHistory(HistoricalRecords):
    """simple-history's HistoricalRecords with our user and change reason, and
    `indexes` of the versions' table beside simple-history's own."""

    def __init__(self, *, indexes=(), **kwargs):
        kwargs.setdefault("get_user", history_user)
        kwargs.setdefault(
            "history_change_reason_field",
            models.TextField(gettext_lazy("Anlass"), null=True, blank=True),
        )
        super().__init__(**kwargs)
        self.indexes = tuple(indexes)

    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        if self.indexes:
            meta["indexes"] = (*meta.get("indexes", ()), *self.indexes)
        return meta

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        cls._audited_history = self

    def get_change_reason_for_object(self, instance, history_type, using):
        reason = super().get_change_reason_for_object(instance, history_type, using)
        return reason or current_reason()

    def create_historical_record_m2ms(self, history_instance, instance):
        # simple-history rebuilds the row from the version to find the through
        # table, which reads the excluded fields (the search vector) once more.
        # Fields the caller knows to be empty (`instance._history_m2m_empty`, a
        # new row's relation it never filled) need no read.
        known_empty = getattr(instance, "_history_m2m_empty", ())
        for field in history_instance._history_m2m_fields:
            if field.name in known_empty:
                continue
            rows = self.m2m_models[field]
            through = field.remote_field.through
            columns = [f.attname for f in through._meta.fields]
            rows.objects.bulk_create(
                rows(history=history_instance, **{c: getattr(link, c) for c in columns})
                for link in through._base_manager.filter(
                    **{field.m2m_field_name(): instance}
                )
            )

    def post_save(self, instance, created, using=None, **kwargs):
        # A save that changes nothing (the admin saves the row when only an
        # inline row changed; a loader saves what it finds) is no change.
        if hasattr(instance, "skip_history_when_saving"):
            return
        if created or kwargs.get("raw") or self.has_changed(instance):
            super().post_save(instance, created, using=using, **kwargs)

    def has_changed(self, instance, m2m=False):
        """Whether `instance` differs from its newest version (with `m2m`, also
        in its many-to-many fields)."""
        history = getattr(type(instance), self.manager_name).model
        newest = (
            history.objects.filter(**{instance._meta.pk.attname: instance.pk})
            .order_by("-history_date", "-history_id")
            .first()
        )
        if newest is None or newest.history_type == "-":
            return True
        for field in self.fields_included(instance):
            if field.name in UNCOMPARED:
                continue
            now = getattr(instance, field.attname)
            if isinstance(now, FieldFile):
                now = now.name
            if now != getattr(newest, field.attname):
                return True
        if m2m:
            for field in self.get_m2m_fields_from_model(type(instance)):
                target = f"{field.m2m_reverse_field_name()}_id"
                before = set(
                    getattr(newest, field.name)
                    .model.objects.filter(history=newest)
                    .values_list(target, flat=True)
                )
                after = set(getattr(instance, field.name).values_list("pk", flat=True))
                if before != after:
                    return True
        return False


# Bookkeeping that changes with every save.
UNCOMPARED = {"modified"}


@contextlib.contextmanager
def one_version(instance):
    """Save `instance` and set its many-to-many fields in this block as one
    version (none if nothing changed): one version per row and import."""
    adding = instance._state.adding
    instance.skip_history_when_saving = True
    try:
        yield
    finally:
        del instance.skip_history_when_saving
    records = type(instance)._audited_history
    if adding:
        records.create_historical_record(instance, "+")
    elif records.has_changed(instance, m2m=True):
        records.create_historical_record(instance, "~")


def current_reason():
    """The change reason of versions written now, if any: the reason of the
    block, and without a signed-in user the command and OS user too."""
    actor = _ACTOR.get()
    signed_in = _signed_in_request() is not None
    if actor is not None and actor.reason:
        if signed_in or actor.user is not None and not actor.system:
            return actor.reason
        return f"{actor.reason} ({command_reason()})"
    return None if signed_in else command_reason()


def current_user():
    """The user versions written now are recorded for."""
    request = _signed_in_request()
    return history_user(request=request)


def bulk_create(model, objs, **kwargs):
    """`model.objects.bulk_create(objs)` with one version per row, written in the
    same transaction (simple-history's helper, user and reason as for a save)."""
    from simple_history.utils import bulk_create_with_history

    objs = list(objs)
    if not objs:
        return objs
    return bulk_create_with_history(
        objs,
        model,
        default_user=current_user(),
        default_change_reason=current_reason() or "",
        **kwargs,
    )


def newest_version(model, user, **filters):
    """A subquery: when the newest version of `model` matching `filters` that
    `user` may see was recorded."""
    return models.Subquery(
        model.audit_trail.visible_to(user)
        .filter(**filters)
        .order_by("-history_date")
        .values("history_date")[:1]
    )


# The SQL of newest_of's subqueries, compiled once per (database, model, what,
# key): see newest_of.
_COMPILED_NEWEST = {}


def newest_of(rows, key, subqueries):
    """The newest time any of the subqueries gives for any of `rows`, in one
    query; None if there is none.

    `subqueries()` returns them by name (newest_version(), correlated with the
    rows' primary key). Their SQL is compiled once per `key`, which must name all
    they depend on besides the rows: the reader's audience
    (council.visibility.audience) and what they are about. Building, resolving
    and compiling ten subqueries with their visibility cost Django 30 ms of a
    paper's page, for SQL that differs only between audiences (issue 12).
    """
    cache_key = (rows.db, rows.model._meta.label, key)
    compiled = _COMPILED_NEWEST.get(cache_key)
    if compiled is None:
        # Compiled inside a query on the rows' table, as newest_of's query will
        # run them: the outer references are to that table by its name.
        table = rows.model._default_manager.using(rows.db)
        query = table.annotate(**subqueries()).query
        compiler = query.get_compiler(rows.db)
        compiled = {
            name: compiler.compile(expression)
            for name, expression in query.annotations.items()
        }
        _COMPILED_NEWEST[cache_key] = compiled
    found = (
        rows.order_by()
        .annotate(
            **{
                name: RawSQL(sql, params, output_field=models.DateTimeField())
                for name, (sql, params) in compiled.items()
            }
        )
        .values_list(*compiled)
    )
    return max((t for row in found for t in row if t is not None), default=None)
