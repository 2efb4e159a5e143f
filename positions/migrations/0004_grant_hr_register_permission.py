"""Give HR the right to evaluate, export and subscribe to expiry dates, and the
clerks their usual rights on the new models (calendar addresses, reminder log)."""

from django.db import migrations

from accounts.roles import ALL_ACTIONS, CLERKS, HR, grant, noop


def grant_permissions(apps, schema_editor):
    grant(apps, CLERKS, "positions", ALL_ACTIONS)
    grant(apps, HR, "positions", ["view"], extra_codenames=["view_hr_register"])


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0003_add_hr_register"),
    ]

    operations = [migrations.RunPython(grant_permissions, noop)]
