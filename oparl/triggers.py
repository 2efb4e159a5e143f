"""Database triggers that stamp OParl objects in the transaction that changes them.

For every table an OParl object is built from, DEPENDENCIES says which objects a
changed row alters: the row's own object, the objects embedding it (a paper embeds
its consultations, items and files), and those computed from it (an agenda item's
`order` from the other items of its meeting, a meeting's `name` from its committee).
After every INSERT, UPDATE and DELETE of such a row, old and new, a trigger moves
`modified` of each of these objects to the clock time, creates the stamp of a new
one, and marks it `published` if it is public now (asked of the SQL of the
querysets in oparl/receivers.py, so the visibility rule is not written twice).

Being generous is safe: an object stamped without a visible change is fetched once
more by a harvester. Missing a dependency is not, which tests/oparl/test_sync.py
checks by comparing "old crawl + delta" with a fresh crawl after random edits.

The triggers are (re)installed after every `migrate` (apps.py), since SQLite drops
a table's triggers whenever a migration rebuilds that table.
"""

from django.apps import apps
from django.db import connection as default_connection
from django.db.models import F

from .models import Stamp

K = Stamp.Kind
# The clock at the moment of the change, not the transaction's start: a harvester
# compares it with the time it began a crawl.
NOW = {
    "postgresql": "clock_timestamp()",
    # Django's own text format in UTC, with microseconds only when not zero, so that
    # text comparison of stored and filtered values agrees with time order.
    "sqlite": (
        "(CASE WHEN strftime('%f', 'now') LIKE '%.000' "
        "THEN strftime('%Y-%m-%d %H:%M:%S', 'now') "
        "ELSE strftime('%Y-%m-%d %H:%M:%f', 'now') || '000' END)"
    ),
}


def table(label):
    return apps.get_model(label)._meta.db_table


def column(label, field):
    return apps.get_model(label)._meta.get_field(field).column


def dependencies():
    """{table: [(kind, SELECT of the affected keys as `pk`, with {row} for the
    changed row)]}."""
    paper, consultation = table("council.Paper"), table("council.Consultation")
    attachment, section = table("council.Attachment"), table("council.PaperSection")
    item, reference = table("council.ResolutionItem"), table("council.PaperReference")
    meeting = table("council.Meeting")
    decision, line = (
        table("positions.PositionDecision"),
        table("funding.FundingLine"),
    )
    co_signing, co_leading = (
        apps.get_model("council.Paper")
        ._meta.get_field(name)
        .remote_field.through._meta.db_table
        for name in ("co_signing_departments", "co_departments")
    )

    def own():
        return "SELECT {row}.id AS pk"

    def value(col):
        return f"SELECT {{row}}.{col} AS pk"

    def rows(tbl, where, select="id"):
        return f"SELECT {select} AS pk FROM {tbl} WHERE {where} = {{row}}.id"

    by_paper = [
        (K.CONSULTATION, rows(consultation, "paper_id")),
        (K.AGENDA_ITEM, rows(consultation, "paper_id")),
        (K.MEETING, rows(consultation, "paper_id", "meeting_id")),
        # Its steps going public or not renumber the later items of their meetings.
        (
            K.AGENDA_ITEM,
            f"SELECT later.id AS pk FROM {consultation} step "
            f"JOIN {consultation} later ON later.meeting_id = step.meeting_id "
            "AND later.id > step.id WHERE step.paper_id = {row}.id",
        ),
        (K.FILE, rows(attachment, "paper_id")),
        (K.RESOLUTION_ITEM, rows(item, "paper_id")),
        (K.SECTION, rows(section, "paper_id")),
        (K.POSITION_DECISION, rows(decision, "paper_id")),
        (K.FUNDING_LINE, rows(line, "paper_id")),
    ]
    deps = {
        paper: [
            (K.PAPER, own()),
            # Related papers list this one only while both are public.
            (K.PAPER, rows(reference, "from_paper_id", "to_paper_id")),
            (K.PAPER, rows(reference, "to_paper_id", "from_paper_id")),
            (K.PERSON, value("signer_id")),
            *by_paper,
        ],
        consultation: [
            (K.CONSULTATION, own()),
            (K.AGENDA_ITEM, own()),
            (K.PAPER, value("paper_id")),
            (K.MEETING, value("meeting_id")),
            # An agenda item's order is its place among the meeting's items (by
            # key): an item coming, going or changing moves the later ones.
            (
                K.AGENDA_ITEM,
                f"SELECT id AS pk FROM {consultation} "
                "WHERE meeting_id = {row}.meeting_id AND id > {row}.id",
            ),
        ],
        meeting: [
            (K.MEETING, own()),
            (K.LOCATION, own()),
            (K.CONSULTATION, rows(consultation, "meeting_id")),
            (K.AGENDA_ITEM, rows(consultation, "meeting_id")),
            (K.PAPER, rows(consultation, "meeting_id", "paper_id")),
        ],
        # A meeting is named after its committee.
        table("council.Committee"): [
            (K.COMMITTEE, own()),
            (K.MEETING, rows(meeting, "committee_id")),
        ],
        table("council.Department"): [(K.DEPARTMENT, own())],
        table("council.Person"): [(K.PERSON, own())],
        attachment: [(K.FILE, own()), (K.PAPER, value("paper_id"))],
        section: [(K.SECTION, own()), (K.PAPER, value("paper_id"))],
        item: [
            (K.RESOLUTION_ITEM, own()),
            (K.PAPER, value("paper_id")),
            # Decisions and lines name the number of their item.
            (K.POSITION_DECISION, rows(decision, "resolution_item_id")),
            (K.FUNDING_LINE, rows(line, "resolution_item_id")),
        ],
        reference: [
            (K.PAPER, value("from_paper_id")),
            (K.PAPER, value("to_paper_id")),
        ],
        co_signing: [(K.PAPER, value("paper_id"))],
        co_leading: [(K.PAPER, value("paper_id"))],
        decision: [(K.POSITION_DECISION, own()), (K.PAPER, value("paper_id"))],
        # A decision shows its position's function, department, share and grade.
        table("positions.Position"): [
            (K.POSITION_DECISION, rows(decision, "position_id")),
            (K.PAPER, rows(decision, "position_id", "paper_id")),
        ],
        line: [(K.FUNDING_LINE, own()), (K.PAPER, value("paper_id"))],
    }
    # A line shows the numbers of its budget codes.
    for label, field in [
        ("funding.BudgetUnit", "budget_unit"),
        ("funding.CostCentre", "cost_centre"),
        ("funding.Product", "product"),
        ("funding.AccountGroup", "account_group"),
    ]:
        fk = column("funding.FundingLine", field)
        deps[table(label)] = [
            (K.FUNDING_LINE, rows(line, fk)),
            (K.PAPER, rows(line, fk, "paper_id")),
        ]
    return deps


def literal(value):
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"No SQL literal for {value!r} in a visibility rule")


def visible_sql(kind, connection):
    """The keys the public may see of `kind`, as SQL without parameters."""
    from .receivers import PUBLIC

    queryset = PUBLIC[kind]().order_by().values(visible_pk=F("pk"))
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    return sql % tuple(literal(p) for p in params)


def touch(kind, select, connection):
    """One statement: stamp the objects `select` names, now."""
    now = NOW[connection.vendor]
    return (
        "INSERT INTO oparl_stamp (kind, object_pk, created, modified, published) "
        f"SELECT '{kind}', d.pk, {now}, {now}, "
        f"EXISTS (SELECT 1 FROM ({visible_sql(kind, connection)}) AS v "
        "WHERE v.visible_pk = d.pk) "
        f"FROM (SELECT DISTINCT s.pk FROM ({select}) AS s) AS d "
        "WHERE d.pk IS NOT NULL "
        "ON CONFLICT (kind, object_pk) DO UPDATE SET modified = excluded.modified, "
        "published = oparl_stamp.published OR excluded.published"
    )


def statements(deps, row, operation, connection):
    result = []
    for kind, select in deps:
        if operation == "UPDATE" and row == "OLD" and select == "SELECT {row}.id AS pk":
            # The key does not change; NEW stamps the same object.
            continue
        result.append(touch(kind, select.format(row=row), connection))
    return result


# Columns no OParl object shows, whose UPDATE alone need not stamp anything.
UNSHOWN = {"council_paper": ["search_vector"]}


def changed(tbl):
    """PostgreSQL: whether an UPDATE changed a column OParl may show."""
    if tbl not in UNSHOWN:
        return "OLD.* IS DISTINCT FROM NEW.*"
    minus = "".join(f" - '{col}'" for col in UNSHOWN[tbl])
    return f"(to_jsonb(OLD){minus}) IS DISTINCT FROM (to_jsonb(NEW){minus})"


def trigger_sql(connection):
    """(drop statements, create statements) for every dependency table."""
    drops, creates = [], []
    for tbl, deps in dependencies().items():
        if connection.vendor == "postgresql":
            old = statements(deps, "OLD", "UPDATE", connection)
            old_deleted = statements(deps, "OLD", "DELETE", connection)
            new = statements(deps, "NEW", "INSERT", connection)
            body = (
                "BEGIN\n"
                "IF TG_OP = 'UPDATE' THEN\n"
                + "".join(f"{s};\n" for s in old)
                + "ELSIF TG_OP = 'DELETE' THEN\n"
                + "".join(f"{s};\n" for s in old_deleted)
                + "END IF;\n"
                "IF TG_OP IN ('INSERT', 'UPDATE') THEN\n"
                + "".join(f"{s};\n" for s in new)
                + "END IF;\nRETURN NULL;\nEND"
            )
            drops += [
                f'DROP TRIGGER IF EXISTS {name} ON "{tbl}"'
                for name in ("oparl_stamp", "oparl_stamp_update")
            ]
            creates += [
                f"CREATE OR REPLACE FUNCTION oparl_stamp_{tbl}() RETURNS trigger AS "
                f"$$\n{body}\n$$ LANGUAGE plpgsql",
                "CREATE TRIGGER oparl_stamp AFTER INSERT OR DELETE "
                f'ON "{tbl}" FOR EACH ROW EXECUTE FUNCTION oparl_stamp_{tbl}()',
                # An UPDATE that changes nothing OParl shows stamps nothing: the
                # search vector's own UPDATE of a paper (council migration 0003)
                # follows every change of an item or section, which stamp it anyway.
                f'CREATE TRIGGER oparl_stamp_update AFTER UPDATE ON "{tbl}" '
                f"FOR EACH ROW WHEN ({changed(tbl)}) "
                f"EXECUTE FUNCTION oparl_stamp_{tbl}()",
            ]
        else:
            for operation, rows in [
                ("INSERT", ["NEW"]),
                ("UPDATE", ["OLD", "NEW"]),
                ("DELETE", ["OLD"]),
            ]:
                name = f"oparl_stamp_{tbl}_{operation.lower()}"
                body = "".join(
                    f"{s};\n"
                    for row in rows
                    for s in statements(deps, row, operation, connection)
                )
                drops.append(f"DROP TRIGGER IF EXISTS {name}")
                creates.append(
                    f'CREATE TRIGGER {name} AFTER {operation} ON "{tbl}" '
                    f"FOR EACH ROW BEGIN\n{body}END"
                )
    return drops, creates


def install(connection=default_connection):
    """(Re)create the triggers; without the stamp table, only drop them."""
    if connection.vendor not in NOW:
        return
    drops, creates = trigger_sql(connection)
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for sql in drops:
            cursor.execute(sql)
        if Stamp._meta.db_table in existing:
            for sql in creates:
                cursor.execute(sql)


def installed(connection=default_connection):
    """The tables that have the stamping triggers now."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgrelid::regclass::text FROM pg_trigger "
                "WHERE tgname IN ('oparl_stamp', 'oparl_stamp_update') "
                "GROUP BY tgrelid HAVING count(*) = 2"
            )
            return {row[0].strip('"') for row in cursor.fetchall()}
        cursor.execute(
            "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'oparl_stamp_%'"
        )
        counts = {}
        for tbl, _ in cursor.fetchall():
            counts[tbl] = counts.get(tbl, 0) + 1
        return {tbl for tbl, n in counts.items() if n == 3}


def expected_tables():
    return set(dependencies())


def sources():
    """{kind: (model label, join, SQL of `created`)}: the rows each kind of
    object is built from (`src`), keyed as the stamps are."""
    paper = table("council.Paper")
    own = ("", "src.created")
    by_paper = (f"JOIN {paper} p ON p.id = src.paper_id", "p.created")
    return {
        K.PAPER: ("council.Paper", *own),
        K.CONSULTATION: ("council.Consultation", *own),
        K.AGENDA_ITEM: ("council.Consultation", *own),
        K.MEETING: ("council.Meeting", *own),
        K.LOCATION: ("council.Meeting", *own),
        K.FILE: ("council.Attachment", *by_paper),
        K.PERSON: ("council.Person", *own),
        K.COMMITTEE: ("council.Committee", *own),
        K.DEPARTMENT: ("council.Department", *own),
        K.RESOLUTION_ITEM: ("council.ResolutionItem", *own),
        K.SECTION: ("council.PaperSection", *by_paper),
        K.POSITION_DECISION: ("positions.PositionDecision", *own),
        K.FUNDING_LINE: ("funding.FundingLine", *own),
    }


def backfill(connection=default_connection):
    """Stamps for every object there is, and for the tombstones of before.

    `modified` is now: the JSON of every object changes with this version, so each
    harvester's next delta fetches everything once.
    """
    now = NOW[connection.vendor]
    with connection.cursor() as cursor:
        for kind, (label, join, created) in sources().items():
            cursor.execute(
                "INSERT INTO oparl_stamp (kind, object_pk, created, modified, "
                f"published) SELECT '{kind}', src.id, {created}, {now}, "
                f"EXISTS (SELECT 1 FROM ({visible_sql(kind, connection)}) AS v "
                "WHERE v.visible_pk = src.id) "
                f"FROM {table(label)} src {join} WHERE TRUE "
                "ON CONFLICT (kind, object_pk) DO NOTHING"
            )
