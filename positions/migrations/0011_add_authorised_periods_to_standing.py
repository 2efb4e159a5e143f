"""Each decision's authorised period and each position's last expiry, for the
register's full-time-equivalents chart. The triggers that fill them are installed
after every migrate (positions/apps.py, positions/standing.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0010_add_indexes_of_decisions_setting_share_or_grade"),
    ]

    operations = [
        migrations.AddField(
            model_name="decisionstanding",
            name="public_from",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="decisionstanding",
            name="public_until",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="decisionstanding",
            name="record_from",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="decisionstanding",
            name="record_until",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="positionstanding",
            name="public_last_expiry",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="positionstanding",
            name="record_last_expiry",
            field=models.DateField(null=True),
        ),
    ]
