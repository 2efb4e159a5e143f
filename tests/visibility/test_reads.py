"""No view, serializer, feed, export or filter reads a domain model that can be
non-public except through its visibility-aware queryset.

A static check: every `<Model>.objects.<method>` of such a model in these modules
must be `visible_to(...)` first, or be listed below with the reason it is safe.
"""

import ast
from pathlib import Path

from django.conf import settings

HIDDEN_MODELS = {
    "Paper",
    "Consultation",
    "Meeting",
    "Attachment",
    "PaperReference",
    "PaperSection",
    "ResolutionItem",
    "Position",
    "PositionDecision",
    "PositionPlanRequest",
    "FundingLine",
    "ExpiryReminder",
}
READERS = [
    "council/views.py",
    "council/selectors.py",
    "council/filters.py",
    "council/feeds.py",
    "council/calendar.py",
    "council/control.py",
    "council/agenda.py",
    "council/meeting_views.py",
    "council/search.py",
    "council/admin.py",
    "council/templatetags",
    "positions/views.py",
    "positions/charts.py",
    "positions/selectors.py",
    "positions/timeline.py",
    "positions/feeds.py",
    "positions/exports.py",
    "positions/filters.py",
    "positions/consistency.py",
    "positions/admin.py",
    "positions/management/commands",
    "funding/views.py",
    "funding/filters.py",
    "funding/selectors.py",
    "funding/charts.py",
    "funding/admin.py",
    "portal",
    "oparl/views.py",
    "oparl/serializers.py",
    "oparl/queries.py",
    "importer/views.py",
    "importer/protocol_views.py",
    "importer/preview.py",
    "importer/protocol_plan.py",
]
# (file, model, method): why it cannot show a hidden row.
ALLOWED = {
    # Narrows a queryset of papers the caller already made visible.
    ("council/search.py", "ResolutionItem", "filter"),
    ("council/search.py", "PaperSection", "filter"),
    # Writes what was sent; reads nothing to show.
    (
        "positions/management/commands/send_expiry_reminders.py",
        "ExpiryReminder",
        "filter",
    ),
    (
        "positions/management/commands/send_expiry_reminders.py",
        "ExpiryReminder",
        "bulk_create",
    ),
    # Of the agenda items its viewer may not see, only their TOP numbers, shown as
    # "nichtöffentlich"; the meeting is one the viewer may see.
    ("council/agenda.py", "Consultation", "filter"),
    # Viewer-aware by its own argument: in_force(user).
    ("positions/consistency.py", "PositionDecision", "in_force"),
    # The preview of a protocol shows the rows recording writes; refusal() has
    # made sure through visible_to that the clerk may see every one of them.
    ("importer/protocol_plan.py", "Paper", "filter"),
    ("importer/protocol_plan.py", "Consultation", "filter"),
    ("importer/protocol_plan.py", "ResolutionItem", "filter"),
    ("importer/protocol_plan.py", "Meeting", "filter"),
}


def modules():
    base = Path(settings.BASE_DIR)
    for name in READERS:
        path = base / name
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def unchecked_reads(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "objects"
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id in HIDDEN_MODELS
            and node.attr != "visible_to"
        ):
            yield node.value.value.id, node.attr, node.lineno


def test_readers_reach_hidden_models_only_through_visible_to():
    base = Path(settings.BASE_DIR)
    found = []
    for path in modules():
        relative = str(path.relative_to(base))
        for model, method, line in unchecked_reads(path):
            if (relative, model, method) not in ALLOWED:
                found.append(f"{relative}:{line} {model}.objects.{method}")
    assert found == []


def test_the_check_sees_a_read_that_skips_the_rule(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text("papers = Paper.objects.filter(year=2019)\n")
    assert list(unchecked_reads(sample)) == [("Paper", "filter", 1)]
