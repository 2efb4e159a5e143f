"""Calendar tokens: keep only a SHA-256 of the secret, as for passwords."""

import hashlib

from django.db import migrations, models


def hash_secrets(apps, schema_editor):
    CalendarToken = apps.get_model("positions", "CalendarToken")
    for token in CalendarToken.objects.all():
        token.token_hash = hashlib.sha256(token.token.encode("utf-8")).hexdigest()
        token.save(update_fields=["token_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0005_remove_reminder_position_derived_from_decision"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendartoken",
            name="token_hash",
            field=models.CharField(
                editable=False, max_length=64, null=True,
                verbose_name="Prüfsumme des Schlüssels",
            ),
        ),
        # A secret that was stored in clear text cannot be hidden again; its hash
        # keeps the address working until its owner makes a new one.
        migrations.RunPython(hash_secrets, migrations.RunPython.noop),
        migrations.RemoveField(model_name="calendartoken", name="token"),
        migrations.AlterField(
            model_name="calendartoken",
            name="token_hash",
            field=models.CharField(
                editable=False, max_length=64, unique=True,
                verbose_name="Prüfsumme des Schlüssels",
            ),
        ),
    ]
