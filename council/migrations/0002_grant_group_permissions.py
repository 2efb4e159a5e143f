"""Give the clerks' group full rights on council, including non-public papers."""

from django.db import migrations

from accounts.roles import ALL_ACTIONS, CLERKS, grant, noop


def grant_permissions(apps, schema_editor):
    grant(apps, CLERKS, "council", ALL_ACTIONS, extra_codenames=["view_nonpublic_paper"])


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_permissions, noop)]
