"""The package's shape: imports flow one way through the pipeline's layers, no cycles,
small modules. The README's architecture section describes the same layers."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

GENERATOR = REPO / "generator"

LAYERS = {
    "errors": 0,
    "settings": 0,
    "model": 1,
    "inputs": 2,
    "analysis": 3,
    "pages": 4,
    "site": 5,
    "tools": 6,
    "cli": 7,
    "__main__": 7,
    "__init__": 7,
}
"""Rank of each top-level module and subpackage: a module imports only from its own rank
or below (`model` ← `inputs` ← `analysis` ← `pages` ← `site` ← `tools` ← `cli`)."""

MAX_LINES = 400


def _name(path: Path) -> str:
    parts = path.relative_to(GENERATOR).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


def _imports(path: Path) -> set[str]:
    """Every module of ours that `path` imports, at the top or inside a function."""
    here = _name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            module = [*base, *(node.module.split(".") if node.module else [])]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator."):
            module = node.module.split(".")[1:]
        else:
            continue
        # `from .site import build`: `site.build` is a module, and `graph` keeps only
        # names that are; `from .x import name` keeps `x`.
        if node.module is not None or node.level == 0:  # `from . import x` names modules only
            found.add(".".join(module))
        found.update(".".join([*module, alias.name]) for alias in node.names)
    return found


def graph() -> dict[str, set[str]]:
    modules = {_name(p): p for p in sorted(GENERATOR.rglob("*.py"))}
    return {name: {i for i in _imports(path) if i in modules} for name, path in modules.items()}


def layer_violations(edges: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{a} imports {b}"
        for a, targets in edges.items()
        for b in targets
        if LAYERS[b.split(".")[0]] > LAYERS[a.split(".")[0]]
    )


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Import cycles, each as the path that closes it (depth-first search)."""
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return found


def test_every_module_has_a_layer():
    assert sorted({name.split(".")[0] for name in graph()} - set(LAYERS)) == []


def test_imports_flow_one_way_through_the_layers():
    assert layer_violations(graph()) == []


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_no_module_is_large():
    sizes = {_name(p): len(p.read_text().splitlines()) for p in GENERATOR.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_the_checks_can_fail():
    """The checkers find what they look for, so an empty result means something."""
    edges = {"model.base": {"pages.common"}, "pages.common": {"model.base"}}
    assert layer_violations(edges) == ["model.base imports pages.common"]
    assert cycles(edges) == [["model.base", "pages.common", "model.base"]]
    here = graph()
    assert "model.base" in here["model.challenge"]  # relative imports are resolved
    assert "site.build" in here["cli.run"]
    assert "analysis.charts" in here["site.build"]  # imports inside functions count too
