"""ratsregister_row_estimate(query): the rows PostgreSQL's planner expects a query
to return, from its statistics and without running it, so that one query can
give a long list's estimated count or, for a short one, the exact count
(council.selectors.counted, issue 12). Nothing on other databases."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION ratsregister_row_estimate(query text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric::bigint;
END
$$;
"""

BACKWARD = "DROP FUNCTION IF EXISTS ratsregister_row_estimate(text);"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0012_add_steps_by_date_and_order_indexes"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
