"""German full-text search for papers, kept current by PostgreSQL triggers.

The vector combines the title (weight A), the Beschlussantrag items (B) and the
text sections (C). Triggers on the paper and on its items and sections rebuild it
whenever one of them changes, so no Python code has to remember to do so. The
pg_trgm extension and a trigram index on the title let compound words and typos
still find a paper. On SQLite every step here is a no-op: the column stays empty
and the search falls back to substrings.
"""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION council_paper_search_vector(pid bigint, ptitle text)
RETURNS tsvector AS $$
  SELECT setweight(to_tsvector('german', coalesce(ptitle, '')), 'A')
      || setweight(to_tsvector('german', coalesce(
           (SELECT string_agg(i."text", ' ' ORDER BY i."number")
              FROM council_resolutionitem i WHERE i.paper_id = pid), '')), 'B')
      || setweight(to_tsvector('german', coalesce(
           (SELECT string_agg(s.heading || ' ' || s.body, ' ' ORDER BY s."order")
              FROM council_papersection s WHERE s.paper_id = pid), '')), 'C')
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION council_paper_search_update() RETURNS trigger AS $$
BEGIN
  NEW.search_vector := council_paper_search_vector(NEW.id, NEW.title);
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION council_paper_part_search_update() RETURNS trigger AS $$
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
$$ LANGUAGE plpgsql;

-- "UPDATE OF title" fires on every save() from Django (it writes all columns) but
-- not on the part triggers' own UPDATE of search_vector.
CREATE TRIGGER council_paper_search
  BEFORE INSERT OR UPDATE OF title ON council_paper
  FOR EACH ROW EXECUTE FUNCTION council_paper_search_update();
CREATE TRIGGER council_resolutionitem_search
  AFTER INSERT OR UPDATE OR DELETE ON council_resolutionitem
  FOR EACH ROW EXECUTE FUNCTION council_paper_part_search_update();
CREATE TRIGGER council_papersection_search
  AFTER INSERT OR UPDATE OR DELETE ON council_papersection
  FOR EACH ROW EXECUTE FUNCTION council_paper_part_search_update();

CREATE INDEX council_paper_search_vector_gin ON council_paper USING gin (search_vector);
CREATE INDEX council_paper_title_trgm ON council_paper USING gin (title gin_trgm_ops);

UPDATE council_paper SET search_vector = council_paper_search_vector(id, title);
"""

BACKWARD = """
DROP INDEX IF EXISTS council_paper_title_trgm;
DROP INDEX IF EXISTS council_paper_search_vector_gin;
DROP TRIGGER IF EXISTS council_papersection_search ON council_papersection;
DROP TRIGGER IF EXISTS council_resolutionitem_search ON council_resolutionitem;
DROP TRIGGER IF EXISTS council_paper_search ON council_paper;
DROP FUNCTION IF EXISTS council_paper_part_search_update();
DROP FUNCTION IF EXISTS council_paper_search_update();
DROP FUNCTION IF EXISTS council_paper_search_vector(bigint, text);
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0002_grant_group_permissions"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="paper",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True
            ),
        ),
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
