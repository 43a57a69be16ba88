"""Arrows point one way: an app imports only the apps before it on the participant's path.

The order is that of kompeten/settings.py and the README; `common` and `pdfkit` are leaves
that import no app at all, so every app may use them.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "kompeten"

# Apps on one line share a rank and may import each other.
ORDER = [
    ("accounts", "programs", "access"),
    ("letters",),
    ("registration",),
    ("nominations",),
    ("participants",),
    ("actionplans",),
    ("review",),
    ("batching",),
    ("rumpun",),
    ("dormitory",),
    ("elearning",),
    ("classroom",),
    ("exam",),
    ("assessment",),
    ("certificates",),
    ("monev",),
    ("reports",),
    ("home",),
]
LEAVES = {"common", "pdfkit", "signing"}
RANK = {app: rank for rank, apps in enumerate(ORDER) for app in apps}


def imported_apps(path: Path) -> set[tuple[str, int]]:
    """(app, line) of every kompeten app the module imports, at any depth of the code."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "kompeten" and len(parts) > 1 and (parts[1] in RANK
                                                               or parts[1] in LEAVES):
                found.add((parts[1], node.lineno))
    return found


def modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if len(relative.parts) > 1 and "migrations" not in relative.parts:
            yield relative.parts[0], path


def test_every_app_directory_is_placed_in_the_order():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= set(RANK) | LEAVES, apps - set(RANK) - LEAVES


def test_the_checker_sees_a_reverse_arrow(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from kompeten.home.views import home\n")
    assert imported_apps(module) == {("home", 2)}


@pytest.mark.parametrize("app", sorted(set(RANK) | LEAVES))
def test_no_app_imports_a_later_stage(app):
    wrong = []
    for owner, path in modules():
        if owner != app:
            continue
        for imported, line in imported_apps(path):
            if imported == app:
                continue
            if app in LEAVES:
                allowed = imported in LEAVES and imported != app
            else:
                allowed = imported in LEAVES or RANK[imported] <= RANK[app]
            if not allowed:
                wrong.append(f"{path.relative_to(ROOT.parent)}:{line} imports {imported}")
    assert not wrong, "\n".join(wrong)
