"""The follow app reads the domain only through the visibility rule: the static
check of tests/visibility/test_reads.py, applied to its modules."""

from pathlib import Path

from django.conf import settings

from tests.visibility.test_reads import unchecked_reads

# Writes the benchmark's events (rolled back) and shows nothing to anyone.
WRITERS = {"management/commands/benchmark_notifications.py"}


def test_follow_reaches_hidden_models_only_through_visible_to():
    base = Path(settings.BASE_DIR) / "follow"
    found = [
        f"{path.relative_to(base)}:{line} {model}.objects.{method}"
        for path in sorted(base.rglob("*.py"))
        if "migrations" not in path.parts and str(path.relative_to(base)) not in WRITERS
        for model, method, line in unchecked_reads(path)
    ]
    assert found == []
