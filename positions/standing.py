"""The decision in force of every position, kept by PostgreSQL triggers.

The register filters, counts and sums all 12,500 positions of a large city by the
decision in force, as the full record has it and as the public sees it; derived
per row (correlated subqueries over each position's decisions and each decision's
consultations) that took seconds per page at 100,000 papers (issue 12). So two
tables keep what those subqueries computed:

- `positions_decisionstanding`, per decision: its paper's date and publicity, and
  whether and since when it is in force, for the record and for the public
  (PositionDecisionQuerySet.in_force: an approving Beschlussfassung, an item not
  rejected or withdrawn; the day of the first approving step, or the paper's date);
- `positions_positionstanding`, per position: the decision in force and the expiry
  it sets, for the record and for the public, and whether any decision is public
  (PositionQuerySet.visible_to, with_nonpublic_basis, with_expiry).

The public's view is the same for every viewer without the non-public permission
(council.visibility), so one column per view suffices. Nothing here depends on a
day: "as of" a day and the terms in force on a day are still computed per query,
from the decisions' columns.

Statement-level triggers on every source (decisions, consultations, papers' date
and publicity, items' outcome, positions) refresh the rows they touch in the same
transaction, set-based, so bulk inserts stay fast. `manage.py verify_derived`
compares stored with derived (positions/derived.py), and
tests/positions/test_standing.py does so after random edits. SQLite keeps no
triggers: there the tables stay empty and the querysets derive every value
(`uses_standing`).
"""

import contextlib
import contextvars

from django.db import connections

_deriving = contextvars.ContextVar("positions_deriving", default=False)


def uses_standing(using):
    """Whether queries read the standing tables: on PostgreSQL, unless
    `deriving()` asks for the derived values."""
    return connections[using].vendor == "postgresql" and not _deriving.get()


@contextlib.contextmanager
def deriving():
    """Querysets built inside derive every value from the source rows, as on
    SQLite (for the checks that compare stored with derived)."""
    token = _deriving.set(True)
    try:
        yield
    finally:
        _deriving.reset(token)


def _literals(values):
    return ", ".join("'" + str(value).replace("'", "''") + "'" for value in values)


def function_sql():
    """The refresh functions: both take the ids to refresh and recompute them from
    the source rows (a missing source row deletes its standing)."""
    from council.models import Consultation, ResolutionItem

    from .models import PositionDecision

    approving = _literals(Consultation.Result.approving())
    void = _literals(ResolutionItem.Outcome.void())
    decision_role = _literals([Consultation.Role.DECISION])
    abolished = _literals([PositionDecision.Action.ABOLISHED])
    newest = (
        "s.paper_date DESC NULLS LAST, "
        "COALESCE(d.valid_from, s.paper_date) DESC NULLS LAST, d.id DESC"
    )
    expiry = (
        f"CASE WHEN d.action = {abolished} THEN d.valid_from ELSE d.valid_until END"
    )

    def periods(view):
        # Each decision in force is the position's current one from its
        # adoption until a newer one is adopted ("superseded"); the position is
        # authorised then once some decision known has started ("first_day")
        # and until the current one expires. charts.fte_by_department counts
        # the positions whose period holds a first of January.
        return f"""
      SELECT id, {view}_adopted_on AS adopted,
             -- The calendar's last day has no day after: open (datetime.date.max).
             CASE WHEN expiry < '9999-12-31' THEN expiry + 1 END
               AS day_after_expiry,
             min({view}_adopted_on) OVER (PARTITION BY position_id ORDER BY
               paper_date DESC NULLS LAST, eff DESC NULLS LAST, id DESC
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS superseded,
             min(CASE WHEN {view}_adopted_on IS NOT NULL AND eff IS NOT NULL
                      THEN GREATEST({view}_adopted_on, eff) END)
               OVER (PARTITION BY position_id) AS first_day
        FROM dec WHERE {view}_in_force"""

    def current(view):
        return (
            f"LEFT JOIN LATERAL (SELECT d.id, {expiry} AS expiry "
            "FROM positions_positiondecision d "
            "JOIN positions_decisionstanding s ON s.decision_id = d.id "
            f"WHERE d.position_id = pos.id AND s.{view}_in_force "
            f"ORDER BY {newest} LIMIT 1) {view} ON true"
        )

    return f"""
CREATE OR REPLACE FUNCTION positions_refresh_decisions(ids bigint[]) RETURNS void AS $$
  DELETE FROM positions_decisionstanding s
   WHERE s.decision_id = ANY(ids)
     AND NOT EXISTS (SELECT 1 FROM positions_positiondecision d
                      WHERE d.id = s.decision_id);
  INSERT INTO positions_decisionstanding AS t
    (decision_id, position_id, paper_date, paper_public,
     record_in_force, record_adopted_on, public_in_force, public_adopted_on)
  SELECT d.id, d.position_id, p.date, p.is_public,
         a.n_all > 0 AND NOT v.void,
         CASE WHEN a.n_all > 0 AND NOT v.void THEN a.adopted_all END,
         p.is_public AND a.n_public > 0 AND NOT v.void,
         CASE WHEN p.is_public AND a.n_public > 0 AND NOT v.void
              THEN a.adopted_public END
    FROM positions_positiondecision d
    JOIN council_paper p ON p.id = d.paper_id
   CROSS JOIN LATERAL (
         SELECT count(*) AS n_all,
                min(COALESCE(c.date, p.date)) AS adopted_all,
                count(*) FILTER (WHERE c.is_public) AS n_public,
                min(COALESCE(c.date, p.date)) FILTER (WHERE c.is_public)
                  AS adopted_public
           FROM council_consultation c
          WHERE c.paper_id = d.paper_id AND c.role = {decision_role}
            AND c.result IN ({approving})) a
   CROSS JOIN LATERAL (
         SELECT COALESCE((SELECT r.outcome IN ({void})
                            FROM council_resolutionitem r
                           WHERE r.id = d.resolution_item_id), false) AS void) v
   WHERE d.id = ANY(ids)
  ON CONFLICT (decision_id) DO UPDATE SET
    position_id = EXCLUDED.position_id,
    paper_date = EXCLUDED.paper_date,
    paper_public = EXCLUDED.paper_public,
    record_in_force = EXCLUDED.record_in_force,
    record_adopted_on = EXCLUDED.record_adopted_on,
    public_in_force = EXCLUDED.public_in_force,
    public_adopted_on = EXCLUDED.public_adopted_on
  WHERE (t.position_id, t.paper_date, t.paper_public, t.record_in_force,
         t.record_adopted_on, t.public_in_force, t.public_adopted_on)
        IS DISTINCT FROM
        (EXCLUDED.position_id, EXCLUDED.paper_date, EXCLUDED.paper_public,
         EXCLUDED.record_in_force, EXCLUDED.record_adopted_on,
         EXCLUDED.public_in_force, EXCLUDED.public_adopted_on);
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION positions_refresh_positions(ids bigint[]) RETURNS void AS $$
  DELETE FROM positions_positionstanding s
   WHERE s.position_id = ANY(ids)
     AND NOT EXISTS (SELECT 1 FROM positions_position pos
                      WHERE pos.id = s.position_id);
  INSERT INTO positions_positionstanding AS t
    (position_id, record_decision_id, record_expiry,
     public_decision_id, public_expiry, has_public_decision,
     record_last_expiry, public_last_expiry)
  SELECT pos.id, record.id, record.expiry, public.id, public.expiry,
         EXISTS (SELECT 1 FROM positions_positiondecision d
                   JOIN council_paper p ON p.id = d.paper_id
                  WHERE d.position_id = pos.id AND p.is_public),
         (SELECT max({expiry}) FROM positions_positiondecision d
            JOIN positions_decisionstanding s ON s.decision_id = d.id
           WHERE d.position_id = pos.id AND s.record_in_force),
         (SELECT max({expiry}) FROM positions_positiondecision d
            JOIN positions_decisionstanding s ON s.decision_id = d.id
           WHERE d.position_id = pos.id AND s.public_in_force)
    FROM positions_position pos
    {current("record")}
    {current("public")}
   WHERE pos.id = ANY(ids)
  ON CONFLICT (position_id) DO UPDATE SET
    record_decision_id = EXCLUDED.record_decision_id,
    record_expiry = EXCLUDED.record_expiry,
    public_decision_id = EXCLUDED.public_decision_id,
    public_expiry = EXCLUDED.public_expiry,
    has_public_decision = EXCLUDED.has_public_decision,
    record_last_expiry = EXCLUDED.record_last_expiry,
    public_last_expiry = EXCLUDED.public_last_expiry
  WHERE (t.record_decision_id, t.record_expiry, t.public_decision_id,
         t.public_expiry, t.has_public_decision, t.record_last_expiry,
         t.public_last_expiry)
        IS DISTINCT FROM
        (EXCLUDED.record_decision_id, EXCLUDED.record_expiry,
         EXCLUDED.public_decision_id, EXCLUDED.public_expiry,
         EXCLUDED.has_public_decision, EXCLUDED.record_last_expiry,
         EXCLUDED.public_last_expiry);
  WITH dec AS (
    SELECT d.id, d.position_id, s.paper_date,
           COALESCE(d.valid_from, s.paper_date) AS eff, {expiry} AS expiry,
           s.record_in_force, s.record_adopted_on,
           s.public_in_force, s.public_adopted_on
      FROM positions_positiondecision d
      JOIN positions_decisionstanding s ON s.decision_id = d.id
     WHERE d.position_id = ANY(ids)
  ),
  record AS ({periods("record")}),
  public AS ({periods("public")}),
  new AS (
    SELECT dec.id,
           CASE WHEN record.adopted IS NOT NULL AND record.first_day IS NOT NULL
                THEN GREATEST(record.adopted, record.first_day) END AS record_from,
           CASE WHEN record.adopted IS NOT NULL AND record.first_day IS NOT NULL
                THEN LEAST(record.superseded, record.day_after_expiry) END
             AS record_until,
           CASE WHEN public.adopted IS NOT NULL AND public.first_day IS NOT NULL
                THEN GREATEST(public.adopted, public.first_day) END AS public_from,
           CASE WHEN public.adopted IS NOT NULL AND public.first_day IS NOT NULL
                THEN LEAST(public.superseded, public.day_after_expiry) END
             AS public_until
      FROM dec
      LEFT JOIN record ON record.id = dec.id
      LEFT JOIN public ON public.id = dec.id
  )
  UPDATE positions_decisionstanding t
     SET record_from = new.record_from, record_until = new.record_until,
         public_from = new.public_from, public_until = new.public_until
    FROM new
   WHERE t.decision_id = new.id
     AND (t.record_from, t.record_until, t.public_from, t.public_until)
         IS DISTINCT FROM
         (new.record_from, new.record_until, new.public_from, new.public_until);
$$ LANGUAGE sql;

-- The decisions of the given papers, and then their positions.
CREATE OR REPLACE FUNCTION positions_refresh_papers(ids bigint[]) RETURNS void AS $$
DECLARE
  decisions bigint[];
BEGIN
  SELECT array_agg(d.id) INTO decisions
    FROM positions_positiondecision d WHERE d.paper_id = ANY(ids);
  IF decisions IS NOT NULL THEN
    PERFORM positions_refresh_decisions(decisions);
    PERFORM positions_refresh_positions(ARRAY(
      SELECT DISTINCT d.position_id FROM positions_positiondecision d
       WHERE d.id = ANY(decisions)));
  END IF;
END
$$ LANGUAGE plpgsql;
"""


# (table, event, function body using the transition tables old_rows/new_rows)
TRIGGERS = [
    (
        "positions_positiondecision",
        "INSERT",
        "PERFORM positions_refresh_decisions(ARRAY(SELECT id FROM new_rows));"
        "PERFORM positions_refresh_positions("
        "ARRAY(SELECT DISTINCT position_id FROM new_rows));",
    ),
    (
        "positions_positiondecision",
        "UPDATE",
        "PERFORM positions_refresh_decisions(ARRAY(SELECT id FROM new_rows"
        " UNION SELECT id FROM old_rows));"
        "PERFORM positions_refresh_positions(ARRAY(SELECT position_id FROM new_rows"
        " UNION SELECT position_id FROM old_rows));",
    ),
    (
        "positions_positiondecision",
        "DELETE",
        "PERFORM positions_refresh_decisions(ARRAY(SELECT id FROM old_rows));"
        "PERFORM positions_refresh_positions("
        "ARRAY(SELECT DISTINCT position_id FROM old_rows));",
    ),
    (
        "council_consultation",
        "INSERT",
        "PERFORM positions_refresh_papers("
        "ARRAY(SELECT DISTINCT paper_id FROM new_rows));",
    ),
    (
        "council_consultation",
        "UPDATE",
        "PERFORM positions_refresh_papers(ARRAY("
        "SELECT paper_id FROM new_rows UNION SELECT paper_id FROM old_rows));",
    ),
    (
        "council_consultation",
        "DELETE",
        "PERFORM positions_refresh_papers("
        "ARRAY(SELECT DISTINCT paper_id FROM old_rows));",
    ),
    (
        # Only the date and publicity count (not the search vector's own updates).
        "council_paper",
        "UPDATE",
        "PERFORM positions_refresh_papers(ARRAY(SELECT n.id FROM new_rows n"
        " JOIN old_rows o ON o.id = n.id"
        " WHERE n.date IS DISTINCT FROM o.date OR n.is_public <> o.is_public));",
    ),
    (
        "council_resolutionitem",
        "UPDATE",
        "PERFORM positions_refresh_papers(ARRAY(SELECT DISTINCT d.paper_id"
        " FROM new_rows n JOIN old_rows o ON o.id = n.id"
        " JOIN positions_positiondecision d ON d.resolution_item_id = n.id"
        " WHERE n.outcome IS DISTINCT FROM o.outcome));",
    ),
    (
        # A new position (its id may have been used before a flush) and a gone one.
        "positions_position",
        "INSERT",
        "PERFORM positions_refresh_positions(ARRAY(SELECT id FROM new_rows));",
    ),
    (
        "positions_position",
        "DELETE",
        "PERFORM positions_refresh_positions(ARRAY(SELECT id FROM old_rows));",
    ),
]


def trigger_name(table, event):
    return f"{table}_standing_{event.lower()}"


def trigger_sql():
    statements = []
    for table, event, body in TRIGGERS:
        name = trigger_name(table, event)
        transition = {
            "INSERT": "NEW TABLE AS new_rows",
            "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "DELETE": "OLD TABLE AS old_rows",
        }[event]
        statements.append(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$\n"
            f"BEGIN\n  {body}\n  RETURN NULL;\nEND\n$$ LANGUAGE plpgsql;\n"
            f"DROP TRIGGER IF EXISTS {name} ON {table};\n"
            f"CREATE TRIGGER {name} AFTER {event} ON {table}\n"
            f"  REFERENCING {transition}\n"
            f"  FOR EACH STATEMENT EXECUTE FUNCTION {name}();\n"
        )
    return "\n".join(statements)


def install(connection):
    """Create or replace functions and triggers, and refresh every row."""
    if connection.vendor != "postgresql":
        return
    tables = set(connection.introspection.table_names())
    if not {"positions_decisionstanding", "positions_positionstanding"} <= tables:
        # Migrated back before the standing (migration 0009 dropped its triggers).
        return
    with connection.cursor() as cursor:
        cursor.execute(function_sql())
        cursor.execute(trigger_sql())
        refresh_all(cursor)


def refresh_all(cursor):
    cursor.execute(
        "SELECT positions_refresh_decisions(ARRAY(SELECT id FROM "
        "positions_positiondecision))"
    )
    cursor.execute(
        "SELECT positions_refresh_positions(ARRAY(SELECT id FROM positions_position))"
    )


def installed_triggers(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {row[0] for row in cursor.fetchall()}


def expected_triggers():
    return {trigger_name(table, event) for table, event, _body in TRIGGERS}
