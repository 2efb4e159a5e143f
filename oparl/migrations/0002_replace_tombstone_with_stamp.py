"""Stamps replace tombstones: `created` and `modified` of every OParl object, kept
by database triggers (oparl/triggers.py, installed after every migrate by
oparl/apps.py) so that QuerySet.update() and bulk writes move them too."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    from oparl import triggers

    connection = schema_editor.connection
    triggers.backfill(connection)
    # Objects deleted before this version keep their stubs; an agenda item was
    # answered from its consultation's tombstone.
    with connection.cursor() as cursor:
        for kind, source in [
            ("paper", "paper"),
            ("consultation", "consultation"),
            ("agenda_item", "consultation"),
            ("meeting", "meeting"),
            ("committee", "committee"),
            ("department", "department"),
            ("file", "file"),
        ]:
            cursor.execute(
                "INSERT INTO oparl_stamp (kind, object_pk, created, modified, "
                f"published) SELECT '{kind}', object_pk, created, modified, TRUE "
                f"FROM oparl_tombstone WHERE kind = '{source}' "
                "ON CONFLICT (kind, object_pk) DO NOTHING"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("oparl", "0001_add_tombstone"),
        ("council", "0004_add_person_as_signer"),
        ("positions", "0006_store_calendar_token_hash"),
        ("funding", "0002_grant_group_permissions"),
    ]

    operations = [
        migrations.CreateModel(
            name="Stamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("paper", "Paper"),
                            ("consultation", "Consultation"),
                            ("agenda_item", "AgendaItem"),
                            ("meeting", "Meeting"),
                            ("location", "Location"),
                            ("file", "File"),
                            ("person", "Person"),
                            ("committee", "Organization (Gremium)"),
                            ("department", "Organization (Dienststelle)"),
                            ("resolution_item", "ratsregister: ResolutionItem"),
                            ("section", "ratsregister: PaperSection"),
                            ("position_decision", "ratsregister: PositionDecision"),
                            ("funding_line", "ratsregister: FundingLine"),
                        ],
                        max_length=20,
                        verbose_name="Art",
                    ),
                ),
                (
                    "object_pk",
                    models.BigIntegerField(verbose_name="Schlüssel des Objekts"),
                ),
                ("created", models.DateTimeField(verbose_name="angelegt")),
                (
                    "modified",
                    models.DateTimeField(
                        verbose_name="zuletzt geändert oder gelöscht"
                    ),
                ),
                (
                    "published",
                    models.BooleanField(default=False, verbose_name="war öffentlich"),
                ),
            ],
            options={
                "verbose_name": "OParl-Zeitstempel",
                "verbose_name_plural": "OParl-Zeitstempel",
                "ordering": ["kind", "object_pk"],
                "indexes": [
                    models.Index(
                        fields=["kind", "modified"], name="oparl_stamp_kind_24b6d9_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_pk"), name="stamp_unique_per_object"
                    )
                ],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.DeleteModel(name="Tombstone"),
    ]
