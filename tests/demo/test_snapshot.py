"""The `demo` fixture's copy of the demo data is what `load_demo()` writes."""

from collections import Counter

from django.db import transaction

from demo.loader import load_demo
from tests import demo_snapshot


def _content(snapshot_models):
    """Each table's rows without keys, references, clock times and the system
    account's random unusable password: what the loader writes."""
    content = {}
    for model in snapshot_models:
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if not (f.primary_key or f.is_relation)
            and f.get_internal_type() != "DateTimeField"
            # keys copied as plain numbers (simple-history's `id`, `m2m_history_id`,
            # the OParl stamps' `object_pk`)
            and not (f.attname in {"id", "object_pk"} or f.attname.endswith("_id"))
            and f.attname != "password"
        ]
        manager = model._base_manager
        # values_list() without fields would give every field: count such rows.
        rows = manager.values_list(*fields) if fields else [()] * manager.count()
        content[model._meta.label] = Counter(map(repr, rows))
    return content


def test_the_demo_copy_holds_the_same_rows_as_a_real_load(db, demo_rows):
    models = [model for model, _rows in demo_rows]
    with transaction.atomic():
        demo_snapshot.restore(demo_rows)
        copied = _content(models)
        # Value for value as taken, clock times included (the audit trail
        # compares a saved row with its newest version).
        for model, rows in demo_rows:
            fields = [f.attname for f in model._meta.concrete_fields]
            assert list(model._base_manager.order_by("pk").values(*fields)) == rows
        transaction.set_rollback(True)
    load_demo()

    assert copied == _content(models)
    assert sum(len(rows) for _model, rows in demo_rows) > 100


def test_a_test_that_made_colliding_rows_first_still_gets_the_demo(db, demo_rows):
    from council.models import Department

    # Same name as a demo department: the copy collides, the loader runs instead.
    Department.objects.create(name="Referat Soziales und gesellschaftliche Integration")
    demo_snapshot.restore(demo_rows)

    from council.models import Paper

    assert Paper.objects.filter(year=2019, number=949).exists()
