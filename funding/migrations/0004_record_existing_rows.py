"""The first version of every existing funding line: the baseline the history
compares its first change with."""

from django.db import migrations

from audit.history import record_existing_rows


def record(apps, schema_editor):
    record_existing_rows(apps, "funding", ["FundingLine"])


class Migration(migrations.Migration):
    dependencies = [("funding", "0003_add_audit_trail")]

    operations = [migrations.RunPython(record, migrations.RunPython.noop)]
