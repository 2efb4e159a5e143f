"""The first version of every existing paper and part: the baseline the history
compares its first change with."""

from django.db import migrations

from audit.history import record_existing_rows


def record(apps, schema_editor):
    record_existing_rows(
        apps,
        "council",
        [
            "Paper",
            "PaperSection",
            "Attachment",
            "PaperReference",
            "Consultation",
            "ResolutionItem",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("council", "0005_add_audit_trail")]

    operations = [migrations.RunPython(record, migrations.RunPython.noop)]
