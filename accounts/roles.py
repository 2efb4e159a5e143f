"""The two working groups and the data-migration helper that grants them rights.

Each domain app grants its own permissions in its own data migration, so that no app
has to know the others and the groups grow with the apps that exist.
"""

CLERKS = "Geschäftsstelle"
HR = "Personalamt"

ALL_ACTIONS = ("add", "change", "delete", "view")


def grant(apps, group_name, app_label, actions, extra_codenames=()):
    """In a migration: give `group_name` the `actions` on all models of `app_label`."""
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


def noop(apps, schema_editor):
    """Reverse of a grant: leave the groups as they are."""
