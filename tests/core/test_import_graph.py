"""The arrows between tui modules point one way: no import cycle, counting every import.

Imports inside functions and under ``TYPE_CHECKING`` count too: a cycle the type checker sees is
still a cycle a reader must untangle. The layers are app -> navigator -> screens -> seam -> core.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tui"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """Every tui module ``path`` imports, wherever the import statement stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # "from tui.core import workflows" imports the module tui.core.workflows.
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in known)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(paths)
    graph = {name: imported_modules(path, known) for name, path in paths.items()}
    for name, targets in graph.items():
        # A package's __init__ is not a dependency worth counting ("tui" for "tui.core").
        targets.discard(name)
        targets.difference_update(t for t in list(targets) if name.startswith(t + "."))
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One example path for every cycle found by a depth-first walk."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_no_import_cycle_among_tui_modules() -> None:
    found = cycles(import_graph())
    assert found == [], "\n".join(" -> ".join(cycle) for cycle in found)


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_screens_never_import_the_app_or_one_another() -> None:
    graph = import_graph()
    shared = {
        "tui.screens.base",
        "tui.screens.modals",
        "tui.screens.person",
        "tui.screens.load_credential",  # the forms' "load a login from where it is" dialogs
        "tui.screens.dialog_style",  # every dialog's CSS
    }
    for name, targets in graph.items():
        if not name.startswith("tui.screens."):
            continue
        assert "tui.app" not in targets, name
        assert "tui.navigator" not in targets, name
        others = {t for t in targets if t.startswith("tui.screens.")} - shared
        assert others == set(), f"{name} imports {sorted(others)}"


def test_the_core_never_imports_the_ui() -> None:
    for name, targets in import_graph().items():
        if name.startswith(("tui.core", "tui.emulator")):
            ui = {t for t in targets if not t.startswith(("tui.core", "tui.emulator"))}
            assert ui <= {"tui"}, f"{name} imports {sorted(ui)}"
