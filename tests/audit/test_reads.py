"""Versions are read through the visibility rule: every `.audit_trail.<method>`
outside the trail's own bookkeeping is `visible_to(...)` first."""

import ast
from pathlib import Path

from django.conf import settings

READERS = ["audit", "council", "positions", "funding", "portal", "importer", "oparl"]
# Writing versions and comparing a row with its own newest version show nothing.
BOOKKEEPING = {"audit/history.py"}
# (file, method): why it shows nothing hidden.
ALLOWED = {
    # The rule itself: whether a paper was public when a version was recorded.
    ("council/models.py", "filter"),
}


def unchecked(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "audit_trail"
            and node.attr not in ("visible_to", "model")
        ):
            yield node.attr, node.lineno


def test_versions_are_read_only_through_visible_to():
    base = Path(settings.BASE_DIR)
    found = []
    for name in READERS:
        for path in sorted((base / name).rglob("*.py")):
            relative = str(path.relative_to(base))
            if relative in BOOKKEEPING or "/migrations/" in relative:
                continue
            found += [
                f"{relative}:{line} .{attr}"
                for attr, line in unchecked(path)
                if (relative, attr) not in ALLOWED
            ]
    assert found == []


def test_the_check_sees_a_read_that_skips_the_rule(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text("versions = Paper.audit_trail.filter(id=1)\n")
    assert list(unchecked(sample)) == [("filter", 1)]
