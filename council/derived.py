"""What council stores derived: each paper's full-text vector (PostgreSQL only),
rebuilt by triggers from its title, items and sections (migrations 0003, 0016)."""

from operations import derived

from .models import Paper

# The paper's own row trigger, and a statement trigger per event on each part.
SEARCH_TRIGGERS = {
    ("council_paper", "council_paper_search"),
    *(
        (table, f"{table}_search_{event}")
        for table in ("council_resolutionitem", "council_papersection")
        for event in ("insert", "update", "delete")
    ),
}


@derived.check("council.search_vector", "Suchindex der Drucksachen")
def search_vectors(connection):
    if connection.vendor != "postgresql":
        # SQLite keeps no vector; its search reads the texts themselves.
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        present = {row[0] for row in cursor.fetchall()}
        findings = [
            f"Tabelle {table}: Trigger {name} fehlt, der Suchindex veraltet"
            for table, name in sorted(SEARCH_TRIGGERS)
            if name not in present
        ]
        # The same function the triggers call, over every paper.
        cursor.execute(
            f"SELECT id FROM {Paper._meta.db_table} "
            "WHERE search_vector IS DISTINCT FROM "
            "council_paper_search_vector(id, title) ORDER BY id"
        )
        stale = [row[0] for row in cursor.fetchall()]
    references = {
        paper.pk: paper.reference
        for paper in Paper.objects.filter(pk__in=stale[: derived.NAMED])
    }
    return findings + derived.rows_differ(
        "Suchindex veraltet: Drucksache",
        [references.get(pk, pk) for pk in stale],
    )
