"""Give the clerks' group full rights on council, including non-public papers."""

from django.db import migrations


# The groups' names and the grant as they were when this migration was written
# (a migration keeps its own copy: it must not change with the live code).
CLERKS = "Geschäftsstelle"
HR = "Personalamt"
ALL_ACTIONS = ("add", "change", "delete", "view")


def grant(apps, group_name, app_label, actions, extra_codenames=()):
    """Give `group_name` the `actions` on all models of `app_label` at this state."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; make them now.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    codenames = [
        f"{action}_{model._meta.model_name}"
        for model in app_config.get_models()
        for action in actions
    ]
    codenames.extend(extra_codenames)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    )


def grant_permissions(apps, schema_editor):
    grant(apps, CLERKS, "council", ALL_ACTIONS, extra_codenames=["view_nonpublic_paper"])


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
