"""The core stays free of widgets, so it can be tested and reused without a screen."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_app_imports_no_widgets_and_no_ui() -> None:
    offenders = {}
    files = sorted((ROOT / "app").rglob("*.py"))
    assert files
    for path in files:
        bad = {n for n in _imports(path) if "QtWidgets" in n or n == "ui" or n.startswith("ui.")}
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}


def test_ui_widgets_stay_small() -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "ui").rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 400} == {}
