"""Stamps replace tombstones: `created` and `modified` of every OParl object, kept
by database triggers (oparl/triggers.py, installed after every migrate by
oparl/apps.py) so that QuerySet.update() and bulk writes move them too. The
backfill is a frozen copy of the SQL that module ran when this was written."""

from django.db import migrations, models


# What oparl/triggers.py backfilled when this migration was written, frozen so
# that later changes to the triggers or to the visibility rule cannot change what
# it does: the current time in SQL, by database, ...
NOW = {
    "postgresql": "clock_timestamp()",
    "sqlite": (
        "(CASE WHEN strftime('%f', 'now') LIKE '%.000' "
        "THEN strftime('%Y-%m-%d %H:%M:%S', 'now') "
        "ELSE strftime('%Y-%m-%d %H:%M:%f', 'now') || '000' END)"
    ),
}
# ... and for each kind of object its table, a join for its `created`, that
# `created`, and the SQL of the rows the public may see (as visible_pk).
SOURCES = [
    (
        "paper",
        "council_paper",
        "",
        "src.created",
        'SELECT "council_paper"."id" AS "visible_pk" FROM "council_paper" WHERE "council_paper"."is_public"',
    ),
    (
        "consultation",
        "council_consultation",
        "",
        "src.created",
        'SELECT "council_consultation"."id" AS "visible_pk" FROM "council_consultation" INNER JOIN "council_paper" ON ("council_consultation"."paper_id" = "council_paper"."id") WHERE ("council_consultation"."is_public" AND "council_paper"."is_public")',
    ),
    (
        "agenda_item",
        "council_consultation",
        "",
        "src.created",
        'SELECT "council_consultation"."id" AS "visible_pk" FROM "council_consultation" INNER JOIN "council_paper" ON ("council_consultation"."paper_id" = "council_paper"."id") WHERE ("council_consultation"."is_public" AND "council_paper"."is_public" AND "council_consultation"."meeting_id" IN (SELECT U0."id" FROM "council_meeting" U0 WHERE U0."is_public"))',
    ),
    (
        "meeting",
        "council_meeting",
        "",
        "src.created",
        'SELECT "council_meeting"."id" AS "visible_pk" FROM "council_meeting" WHERE "council_meeting"."is_public"',
    ),
    (
        "location",
        "council_meeting",
        "",
        "src.created",
        'SELECT "council_meeting"."id" AS "visible_pk" FROM "council_meeting" WHERE ("council_meeting"."is_public" AND NOT ("council_meeting"."location" = \'\'))',
    ),
    (
        "file",
        "council_attachment",
        "JOIN council_paper p ON p.id = src.paper_id",
        "p.created",
        'SELECT "council_attachment"."id" AS "visible_pk" FROM "council_attachment" INNER JOIN "council_paper" ON ("council_attachment"."paper_id" = "council_paper"."id") WHERE ("council_attachment"."is_public" AND "council_paper"."is_public" AND NOT ("council_attachment"."file" = \'\'))',
    ),
    (
        "person",
        "council_person",
        "",
        "src.created",
        'SELECT "council_person"."id" AS "visible_pk" FROM "council_person" WHERE EXISTS(SELECT 1 AS "a" FROM "council_paper" U0 WHERE (U0."is_public" AND U0."signer_id" = ("council_person"."id")) LIMIT 1)',
    ),
    (
        "committee",
        "council_committee",
        "",
        "src.created",
        'SELECT "council_committee"."id" AS "visible_pk" FROM "council_committee"',
    ),
    (
        "department",
        "council_department",
        "",
        "src.created",
        'SELECT "council_department"."id" AS "visible_pk" FROM "council_department"',
    ),
    (
        "resolution_item",
        "council_resolutionitem",
        "",
        "src.created",
        'SELECT "council_resolutionitem"."id" AS "visible_pk" FROM "council_resolutionitem" INNER JOIN "council_paper" ON ("council_resolutionitem"."paper_id" = "council_paper"."id") WHERE "council_paper"."is_public"',
    ),
    (
        "section",
        "council_papersection",
        "JOIN council_paper p ON p.id = src.paper_id",
        "p.created",
        'SELECT "council_papersection"."id" AS "visible_pk" FROM "council_papersection" INNER JOIN "council_paper" ON ("council_papersection"."paper_id" = "council_paper"."id") WHERE "council_paper"."is_public"',
    ),
    (
        "position_decision",
        "positions_positiondecision",
        "",
        "src.created",
        'SELECT "positions_positiondecision"."id" AS "visible_pk" FROM "positions_positiondecision" INNER JOIN "council_paper" ON ("positions_positiondecision"."paper_id" = "council_paper"."id") WHERE "council_paper"."is_public"',
    ),
    (
        "funding_line",
        "funding_fundingline",
        "",
        "src.created",
        'SELECT "funding_fundingline"."id" AS "visible_pk" FROM "funding_fundingline" INNER JOIN "council_paper" ON ("funding_fundingline"."paper_id" = "council_paper"."id") WHERE "council_paper"."is_public"',
    ),
]


def backfill(apps, schema_editor):
    """Stamps for every object there is (modified now: each harvester's next
    delta fetches everything once), and for the tombstones of before."""
    connection = schema_editor.connection
    now = NOW[connection.vendor]
    with connection.cursor() as cursor:
        for kind, table, join, created, visible in SOURCES:
            cursor.execute(
                "INSERT INTO oparl_stamp (kind, object_pk, created, modified, "
                f"published) SELECT '{kind}', src.id, {created}, {now}, "
                f"EXISTS (SELECT 1 FROM ({visible}) AS v "
                "WHERE v.visible_pk = src.id) "
                f"FROM {table} src {join} WHERE TRUE "
                "ON CONFLICT (kind, object_pk) DO NOTHING"
            )
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
                    models.DateTimeField(verbose_name="zuletzt geändert oder gelöscht"),
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
