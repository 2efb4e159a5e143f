"""What the OParl interface stores derived: a stamp for every object, marked
`published` once the public may see it (oparl/triggers.py keeps both)."""

from operations import derived

from . import triggers
from .models import Stamp


@derived.check("oparl.stamp", "OParl-Zeitstempel")
def stamps(connection):
    findings = [
        f"Tabelle {table}: Trigger fehlt, Änderungen blieben ohne Zeitstempel"
        for table in sorted(triggers.expected_tables() - triggers.installed(connection))
    ]
    stamp = Stamp._meta.db_table
    with connection.cursor() as cursor:
        for kind, (label, _join, _created) in triggers.sources().items():
            # Every object has its stamp: a harvester's modified_since finds it.
            cursor.execute(
                f"SELECT src.id FROM {triggers.table(label)} src "
                f"LEFT JOIN {stamp} s ON s.kind = %s AND s.object_pk = src.id "
                "WHERE s.id IS NULL ORDER BY src.id",
                [kind],
            )
            findings += derived.rows_differ(
                f"Ohne Zeitstempel: {kind}", [row[0] for row in cursor.fetchall()]
            )
            # What the public sees now is marked as once public: its deletion
            # will answer a stub.
            cursor.execute(
                f"SELECT v.visible_pk FROM ({triggers.visible_sql(kind, connection)}) "
                f"AS v JOIN {stamp} s ON s.kind = %s AND s.object_pk = v.visible_pk "
                "WHERE NOT s.published ORDER BY v.visible_pk",
                [kind],
            )
            findings += derived.rows_differ(
                f"Öffentlich, aber nicht als veröffentlicht markiert: {kind}",
                [row[0] for row in cursor.fetchall()],
            )
    return findings
