"""The search vector rebuilt once per statement, not once per item or section.

Migration 0003's row triggers rebuilt a paper's whole vector for every item and
section written: an import of a paper with 30 items stemmed its text 30 times,
and each rebuild was an UPDATE of the paper that set off the paper's own
statement triggers again. These statement triggers read the rows a statement
wrote (transition tables) and rebuild each paper they belong to once. An UPDATE
rebuilds only where a column the vector reads changed: an item's implementation
status, which clerks set most often, leaves it alone.
"""

from django.db import migrations

# The columns of each part that the vector reads (council_paper_search_vector).
PARTS = {
    "council_resolutionitem": ('"text"', '"number"'),
    "council_papersection": ("heading", "body", '"order"'),
}


def papers(table, event):
    if event == "INSERT":
        return "SELECT paper_id FROM new_rows"
    if event == "DELETE":
        return "SELECT paper_id FROM old_rows"
    changed = " OR ".join(
        f"n.{column} IS DISTINCT FROM o.{column}"
        for column in ("paper_id", *PARTS[table])
    )
    return (
        "SELECT n.paper_id FROM new_rows n JOIN old_rows o ON o.id = n.id "
        f"WHERE {changed} UNION SELECT o.paper_id FROM new_rows n "
        f"JOIN old_rows o ON o.id = n.id WHERE n.paper_id IS DISTINCT FROM o.paper_id"
    )


TRANSITION = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}


def forward_sql():
    statements = []
    for table in PARTS:
        statements.append(f"DROP TRIGGER IF EXISTS {table}_search ON {table};")
        for event, transition in TRANSITION.items():
            name = f"{table}_search_{event.lower()}"
            statements.append(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$\n"
                "BEGIN\n"
                "  UPDATE council_paper p\n"
                "     SET search_vector = council_paper_search_vector(p.id, p.title)\n"
                f"   WHERE p.id IN ({papers(table, event)});\n"
                "  RETURN NULL;\n"
                "END\n"
                "$$ LANGUAGE plpgsql;\n"
                f"CREATE TRIGGER {name} AFTER {event} ON {table}\n"
                f"  REFERENCING {transition}\n"
                f"  FOR EACH STATEMENT EXECUTE FUNCTION {name}();"
            )
    statements.append("DROP FUNCTION council_paper_part_search_update();")
    return "\n".join(statements)


def backward_sql():
    # Migration 0003's row function and triggers, as written there: a migration
    # keeps the SQL it undoes to, rather than importing another migration.
    statements = [
        """
CREATE FUNCTION council_paper_part_search_update() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE council_paper SET search_vector = council_paper_search_vector(id, title)
     WHERE id = OLD.paper_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE council_paper SET search_vector = council_paper_search_vector(id, title)
     WHERE id = NEW.paper_id;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;"""
    ]
    for table in PARTS:
        for event in TRANSITION:
            name = f"{table}_search_{event.lower()}"
            statements.append(f"DROP TRIGGER {name} ON {table};")
            statements.append(f"DROP FUNCTION {name}();")
        statements.append(
            f"CREATE TRIGGER {table}_search AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION "
            "council_paper_part_search_update();"
        )
    return "\n".join(statements)


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql())

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0015_paper_newest_entered"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(forward_sql), on_postgresql(backward_sql)),
    ]
