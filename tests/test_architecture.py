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


def test_no_source_file_is_over_400_lines() -> None:
    """Issue 16: a file a newcomer can read whole; the core had a 1,045-line store and a 627-line
    transcriber. Split by job, not by line count."""
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for part in ("app", "ui", "bench")
        for p in (ROOT / part).rglob("*.py")
    }
    assert len(sizes) > 50
    assert {name: n for name, n in sizes.items() if n > 400} == {}
