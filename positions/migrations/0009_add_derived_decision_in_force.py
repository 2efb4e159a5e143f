"""The decision in force of every position, for the record and for the public,
kept by PostgreSQL triggers (positions/standing.py; nothing on SQLite)."""

import django.db.models.deletion
from django.db import migrations, models


# The triggers of positions/standing.py as they were named when this migration
# was written (they are installed after every migrate, positions/apps.py).
TRIGGERS = [
    ("positions_positiondecision", "positions_positiondecision_standing_insert"),
    ("positions_positiondecision", "positions_positiondecision_standing_update"),
    ("positions_positiondecision", "positions_positiondecision_standing_delete"),
    ("council_consultation", "council_consultation_standing_insert"),
    ("council_consultation", "council_consultation_standing_update"),
    ("council_consultation", "council_consultation_standing_delete"),
    ("council_paper", "council_paper_standing_update"),
    ("council_resolutionitem", "council_resolutionitem_standing_update"),
    ("positions_position", "positions_position_standing_insert"),
    ("positions_position", "positions_position_standing_delete"),
]


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        for function in ("papers", "positions", "decisions"):
            cursor.execute(f"DROP FUNCTION IF EXISTS positions_refresh_{function}")


class Migration(migrations.Migration):

    dependencies = [
        ('positions', '0008_record_existing_rows'),
        ('council', '0011_add_open_items_by_due_date_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='DecisionStanding',
            fields=[
                ('decision', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='standing', serialize=False, to='positions.positiondecision')),
                ('paper_date', models.DateField(null=True)),
                ('paper_public', models.BooleanField()),
                ('record_in_force', models.BooleanField()),
                ('record_adopted_on', models.DateField(null=True)),
                ('public_in_force', models.BooleanField()),
                ('public_adopted_on', models.DateField(null=True)),
                ('position', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.position')),
            ],
            options={
                'default_permissions': (),
            },
        ),
        migrations.CreateModel(
            name='PositionStanding',
            fields=[
                ('position', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='standing', serialize=False, to='positions.position')),
                ('record_expiry', models.DateField(null=True)),
                ('public_expiry', models.DateField(null=True)),
                ('has_public_decision', models.BooleanField()),
                ('public_decision', models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.positiondecision')),
                ('record_decision', models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.positiondecision')),
            ],
            options={
                'default_permissions': (),
            },
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
]
