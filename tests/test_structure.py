"""Static checks of how the code is put together (docs/architecture.md).

Choice values are spelled once, in their model's TextChoices: code and templates
outside the models compare and filter with the enum (`Consultation.Role.DECISION`,
`decision.Action.EXTENDED`), never with the bare string.
"""

import ast
import re
from pathlib import Path

from django.conf import settings
from django.db import models

ROOT = Path(settings.BASE_DIR)
APPS = [
    "accounts",
    "audit",
    "benchmark",
    "config",
    "council",
    "demo",
    "follow",
    "funding",
    "importer",
    "oparl",
    "operations",
    "portal",
    "positions",
]
# Migrations keep the values of their time. The readers of pasted texts and the
# tests are checked like the apps: they compare with the enum too.
NOT_CHECKED = re.compile(r"/migrations/")
# Templates still to be moved to the enum; remove a line when it is done.
KNOWN_TEMPLATES: set[str] = set()


def choice_fields_and_values():
    """The names of the fields with choices, and every choice value, of our apps."""
    from django.apps import apps

    fields, values = set(), set()
    for model in apps.get_models():
        # The audit trail's historical models add simple-history's own
        # history_type ("+", "~", "-"), which is no choice of ours.
        if model.__module__.split(".")[0] not in APPS or hasattr(
            model, "instance_type"
        ):
            continue
        for field in model._meta.get_fields():
            if getattr(field, "choices", None) and isinstance(field, models.CharField):
                fields.add(field.name)
                values.update(value for value, _ in field.flatchoices)
    return fields, values


def python_files():
    for app in [*APPS, "tests"]:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if path.name != "models.py" and not NOT_CHECKED.search(relative):
                yield relative, path


def _name(node):
    # An attribute (`step.role`) or a row's key (`row["role"]`); a bare local
    # name such as `kind` in a loop is too often something else.
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return str(node.slice.value)
    return ""


def _strings(node):
    elements = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
    return [
        element.value
        for element in elements
        if isinstance(element, ast.Constant) and isinstance(element.value, str)
    ]


def bare_choice_values(tree, fields, values):
    """(line, code) where a choice field is compared with or filtered by a string."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            named = {_name(side).split("__")[-1] for side in sides}
            if named & fields and any(
                value in values for side in sides for value in _strings(side)
            ):
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.keyword) and node.arg:
            parts = [p for p in node.arg.split("__") if p not in {"in", "exact"}]
            if (
                parts
                and parts[-1] in fields
                and any(value in values for value in _strings(node.value))
            ):
                found.append((node.value.lineno, f"{node.arg}=…"))
    return found


def test_no_choice_value_is_spelled_as_a_bare_string_outside_its_model():
    fields, values = choice_fields_and_values()
    assert {"role", "result", "action", "direction"} <= fields
    found = [
        f"{relative}:{line}: {code}"
        for relative, path in python_files()
        for line, code in bare_choice_values(
            ast.parse(path.read_text()), fields, values
        )
    ]
    assert found == []


def test_the_check_finds_a_bare_choice_value():
    fields, values = choice_fields_and_values()
    code = (
        "if step.role == 'decision': pass\n"
        "Consultation.objects.filter(result__in=['approved', 'rejected'])\n"
        "if step.role == Consultation.Role.DECISION: pass\n"
    )
    found = bare_choice_values(ast.parse(code), fields, values)
    assert [line for line, _ in found] == [1, 2]


def test_no_template_compares_a_choice_field_with_a_bare_string():
    fields, _ = choice_fields_and_values()
    names = "|".join(fields)
    comparison = re.compile(
        rf"\.({names})\s*(==|!=)\s*[\"']|[\"']\s*(==|!=)\s*[\w.]+\.({names})\b"
    )
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")) + sorted(
        (ROOT / "templates").rglob("*.txt")
    ):
        relative = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if comparison.search(line) and relative not in KNOWN_TEMPLATES:
                found.append(f"{relative}:{number}")
    assert found == []


def test_no_migration_imports_live_app_code():
    """A migration runs on the schema of its time; code that changes later (a
    model's helper, a queryset) must not change what an old migration does."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).glob("migrations/*.py")):
            relative = path.relative_to(ROOT).as_posix()
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.level == 0:
                    modules = [node.module or ""]
                elif isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                else:
                    continue
                if any(module.split(".")[0] in APPS for module in modules):
                    found.append(relative)
    assert found == []


# The apps in the order they build on each other (as in INSTALLED_APPS): an app
# imports only apps before it. `config` is the project around them (settings,
# URLs, middleware) and is left out.
LAYERS = [
    "operations",
    "accounts",
    "audit",
    "council",
    "positions",
    "funding",
    "follow",
    "portal",
    "importer",
    "oparl",
    "demo",
    "benchmark",
]
# Imports against that order, with the reason; each is inside a function.
UPWARD_IMPORTS = {
    # The HR register shows what the funding lines paying for a position cost;
    # funding.models builds on positions.models (positions/models.py).
    ("positions", "funding"),
    # The importer's benchmark command and its large test texts start from the
    # demo's corpus texts (developer tools, not the import page).
    ("importer", "demo"),
}


def app_imports():
    """(importing app, imported app, file) for every import between two apps."""
    found = set()
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.level == 0:
                    modules = [node.module or ""]
                elif isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                else:
                    continue
                for module in modules:
                    other = module.split(".")[0]
                    if other in LAYERS and other != app:
                        found.add((app, other, relative))
    return found


def test_the_apps_depend_on_each_other_one_way():
    assert set(LAYERS) <= set(APPS)
    upward = {
        (app, other)
        for app, other, _ in app_imports()
        if LAYERS.index(other) > LAYERS.index(app)
    }
    assert upward == UPWARD_IMPORTS


def _is_view_module(name):
    return name == "views" or name.endswith("_views")


def view_imports():
    """(file, module) for every import of one of our view modules by a module that
    is neither a view nor mounts views (a URLconf, an admin)."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if path.stem in {"urls", "admin"} or _is_view_module(path.stem):
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom):
                    module = node.module or ""
                    names = [*module.split("."), *(a.name for a in node.names)]
                elif isinstance(node, ast.Import):
                    module = ""
                    names = [p for a in node.names for p in a.name.split(".")]
                else:
                    continue
                if module.split(".")[0] == "django" or any(
                    a.name.startswith("django.") for a in node.names
                ):
                    continue
                found += [(relative, n) for n in names if _is_view_module(n)]
    return found


def test_no_view_is_imported_by_a_non_view():
    """Views only compose; what a view shares with another module lives on a
    queryset, in a selector or in a helper module (docs/architecture.md)."""
    assert view_imports() == []


def test_the_check_sees_a_view_imported_by_a_non_view(tmp_path, monkeypatch):
    app = tmp_path / "importer"
    app.mkdir()
    (app / "helpers.py").write_text("from .views import source_rows\n")
    (app / "views.py").write_text("from .protocol_views import Mixin\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    monkeypatch.setattr(f"{__name__}.APPS", ["importer"])
    assert view_imports() == [("importer/helpers.py", "views")]


# Templates are read like code: one element or tag block per line (issue #13).
TEMPLATE_LINE_LIMIT = 160


def template_directories():
    """The project's templates/ and any templates/ folder inside one of our apps."""
    directories = [ROOT / "templates"]
    for app in APPS:
        directories += sorted((ROOT / app).rglob("templates"))
    return [directory for directory in directories if directory.is_dir()]


def long_template_lines(directories):
    """file:line:length of every template line longer than TEMPLATE_LINE_LIMIT."""
    found = []
    for directory in directories:
        for path in sorted(directory.rglob("*")):
            if not path.is_file():
                continue
            relative = path.relative_to(ROOT).as_posix()
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if len(line) > TEMPLATE_LINE_LIMIT:
                    found.append(f"{relative}:{number}:{len(line)}")
    return found


def test_no_template_line_is_longer_than_160_characters():
    assert ROOT / "templates" in template_directories()
    assert long_template_lines(template_directories()) == []


def test_the_check_finds_an_over_long_template_line(tmp_path, monkeypatch):
    templates = tmp_path / "council" / "templates" / "council"
    templates.mkdir(parents=True)
    (templates / "paper_detail.html").write_text(
        "{% load i18n %}\n" + "x" * 160 + "\n<p>" + "y" * 157 + "</p>\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    monkeypatch.setattr(f"{__name__}.APPS", ["council"])
    assert long_template_lines(template_directories()) == [
        "council/templates/council/paper_detail.html:3:164"
    ]
