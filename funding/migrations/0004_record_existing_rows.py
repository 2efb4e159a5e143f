"""The first version of every existing funding line: the baseline the history
compares its first change with."""

from django.db import migrations


# What audit.history.record_existing_rows did when this migration was written (a
# migration keeps its own copy: it must not change with the live code).
BASELINE_REASON = "Bestand bei Einführung der Änderungshistorie"


def record_existing_rows(apps, app_label, model_names, batch_size=2000):
    """One version of every existing row, so that the first change after the
    history began shows its old values too; dated by the row's (or its paper's)
    last change, so that "zuletzt geändert" stays what it was."""
    from django.db.models.fields.files import FieldFile
    from django.utils import timezone

    now = timezone.now()
    for name in model_names:
        model = apps.get_model(app_label, name)
        history = apps.get_model(app_label, f"Historical{name}")
        fields = [
            f
            for f in history._meta.fields
            if not f.name.startswith("history_") and f.name != "history_id"
        ]
        m2m = [
            f
            for f in model._meta.many_to_many
            if _has_model(apps, app_label, f"Historical{name}_{f.name}")
        ]
        via = next(
            (
                link
                for link in ("paper", "from_paper")
                if any(f.name == link for f in model._meta.fields)
            ),
            None,
        )
        rows = model._base_manager.all()
        if via:
            rows = rows.select_related(via)
        batch = []
        for row in rows.iterator(chunk_size=batch_size):
            values = {}
            for f in fields:
                value = getattr(row, f.attname)
                if isinstance(value, FieldFile):
                    value = value.name
                values[f.attname] = value
            dated = getattr(row, "modified", None)
            if dated is None and via:
                dated = getattr(getattr(row, via), "modified", None)
            batch.append(
                history(
                    **values,
                    history_date=dated or now,
                    history_type="~",
                    history_change_reason=BASELINE_REASON,
                )
            )
            if len(batch) >= batch_size:
                _insert(apps, app_label, name, history, m2m, batch)
                batch = []
        if batch:
            _insert(apps, app_label, name, history, m2m, batch)


def _insert(apps, app_label, name, history, m2m, batch):
    created = history.objects.bulk_create(batch)
    for f in m2m:
        through = f.remote_field.through
        target = apps.get_model(app_label, f"Historical{name}_{f.name}")
        source, other = f.m2m_field_name(), f.m2m_reverse_field_name()
        by_row = {}
        for link in through._base_manager.filter(
            **{f"{source}_id__in": [v.id for v in created]}
        ):
            by_row.setdefault(getattr(link, f"{source}_id"), []).append(link)
        target.objects.bulk_create(
            target(
                id=link.pk,
                history=version,
                **{
                    f"{source}_id": getattr(link, f"{source}_id"),
                    f"{other}_id": getattr(link, f"{other}_id"),
                },
            )
            for version in created
            for link in by_row.get(version.id, [])
        )


def _has_model(apps, app_label, name):
    try:
        apps.get_model(app_label, name)
    except LookupError:
        return False
    return True


def record(apps, schema_editor):
    record_existing_rows(apps, "funding", ["FundingLine"])


class Migration(migrations.Migration):
    dependencies = [("funding", "0003_add_audit_trail")]

    operations = [migrations.RunPython(record, migrations.RunPython.noop)]
