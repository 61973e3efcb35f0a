"""The house in layers: every module's imports, read with ``ast``, respect the floors.

graphmodel/ is the ground and imports nothing above it; loaders/ and queries/ stand on it side by
side and never look across (the sample generator's ground truth shares only graphmodel.rules with
the questions); the gridgraph/ application sits on top and nothing imports it.
Imports of project packages sit at module level, so none can hide from this test in a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Which project packages each package may import (besides itself).
ALLOWED = {
    "graphmodel": set(),
    "loaders": {"graphmodel"},
    "queries": {"graphmodel"},
    "gridgraph": {"graphmodel", "loaders", "queries"},
}


def _modules() -> list[Path]:
    return sorted(path for package in ALLOWED for path in (ROOT / package).rglob("*.py"))


def _imported(path: Path) -> list[tuple[str, int, bool]]:
    """(absolute module name, line, at module level) of every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module_level = set(map(id, tree.body))
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    package = parts if parts[-1] == "__init__" else parts[:-1]
    package = [part for part in package if part != "__init__"]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            names = [".".join([*base, *([node.module] if node.module else [])])]
        else:
            continue
        found.extend((name, node.lineno, id(node) in module_level) for name in names)
    return found


def _violations(path: Path) -> list[str]:
    own = path.relative_to(ROOT).parts[0]
    problems = []
    for name, line, top in _imported(path):
        target = name.split(".")[0]
        if target not in ALLOWED:
            continue
        where = f"{path.relative_to(ROOT)}:{line} imports {name}"
        if target != own and target not in ALLOWED[own]:
            problems.append(f"{where}, against the layers")
        elif not top:
            problems.append(f"{where} inside a function or block; project imports go at the top")
    return problems


@pytest.mark.parametrize("path", _modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_module_imports_respect_the_layers(path):
    assert _violations(path) == []


def test_the_check_catches_an_upward_and_a_hidden_import(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    module = tmp_path / "graphmodel" / "bad.py"
    module.parent.mkdir()
    module.write_text("from queries import run\n\ndef f():\n    from .graph import GovernanceGraph\n",
                      encoding="utf-8")
    assert _violations(module) == [
        "graphmodel/bad.py:1 imports queries, against the layers",
        "graphmodel/bad.py:4 imports graphmodel.graph inside a function or block; project imports go at the top",
    ]

