"""The code reads by stage, bottom to top (issue 27): no module imports one of a layer above it, two
packages of one layer do not import each other, and no files import each other in a circle. Every
import counts, including those inside a function (a lazy import is still a dependency) and those only
for type checking."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. A module belongs to the longest prefix listed; a layer may hold several packages,
# which then must not import each other.
LAYERS: list[tuple[str, ...]] = [
    ("app",),  # the package's own __init__: the version, nothing else
    ("app.core",),
    ("app.bank", "app.speech", "app.desktop"),
    ("app.analysis",),
    ("app.followups",),
    ("app.history",),
    ("app.schedule",),
    ("app.stories",),
    ("app.practice",),
    ("app.services", "app.cli_practice"),
    ("app.cli",),
    ("ui",),
    ("bench",),  # development only: not in the wheel
    ("main",),  # a checkout's entry: the app, its command line, or the benchmark
]
SOURCES = ("app", "ui", "bench")


def _modules() -> dict[str, Path]:
    found = {"main": ROOT / "main.py"}
    for top in SOURCES:
        for path in (ROOT / top).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules `name` imports, resolved to the longest known module name."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from package import module` needs the module, not (for this test) the package's __init__
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name:
                out.add(t)
    return out


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _imports(name, path, known) for name, path in known.items()}


def _layer(module: str) -> tuple[int, str]:
    best = (-1, "")
    for i, layer in enumerate(LAYERS):
        for prefix in layer:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best[1]):
                best = (i, prefix)
    assert best[0] >= 0, f"{module} is in no layer: add it to LAYERS"
    return best


def test_no_import_runs_up_or_across_a_layer() -> None:
    wrong = []
    for module, imported in _graph().items():
        (mine, own), theirs = _layer(module), [(_layer(m), m) for m in imported]
        for (layer, prefix), target in theirs:
            if layer > mine or (layer == mine and prefix != own):
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports that run up (or across) the layers:\n" + "\n".join(sorted(wrong))


def test_no_files_import_each_other_in_a_circle() -> None:
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                circles.append(sorted(part))

    for v in graph:
        if v not in index:
            visit(v)
    assert not circles, f"files that import each other: {circles}"


def test_every_module_is_in_a_layer() -> None:
    for module in _modules():
        _layer(module)
