"""The first version of every existing position, decision and plan request: the
baseline the history compares its first change with."""

from django.db import migrations

from audit.history import record_existing_rows


def record(apps, schema_editor):
    record_existing_rows(
        apps, "positions", ["Position", "PositionDecision", "PositionPlanRequest"]
    )


class Migration(migrations.Migration):
    dependencies = [("positions", "0007_add_audit_trail")]

    operations = [migrations.RunPython(record, migrations.RunPython.noop)]
