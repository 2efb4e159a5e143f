"""Give the clerks' group full rights on funding and HR the right to view it."""

from django.db import migrations

from accounts.roles import ALL_ACTIONS, CLERKS, HR, grant, noop


def grant_permissions(apps, schema_editor):
    grant(apps, CLERKS, "funding", ALL_ACTIONS)
    grant(apps, HR, "funding", ["view"])


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_permissions, noop)]
