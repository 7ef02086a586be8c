"""The direction of every dependency, read from the source (nothing here imports the modules).

bot → handlers → core; inside `core`, areas meet through ports: `core/numbering` and
`core/sources` do not import each other, `core/account` does not import `core/numbering`
(README, "Architecture"). No import cycle hides among the modules of `bot`, `handlers` and
`core`: counted are the imports a module runs when it is imported (at module level, in class
bodies, in top-level `if`/`try`), not those under `if TYPE_CHECKING:` nor inside functions
(ruff's PLC0415 keeps those to a short, justified list).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "core")
FORBIDDEN_IN_CORE = ("slack_bolt", "slack_sdk", "handlers", "bot")


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports anywhere (functions included), by absolute name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_imports_neither_slack_nor_the_outer_layers() -> None:
    offenders = {}
    for path in (ROOT / "core").rglob("*.py"):
        bad = {name for name in imported_modules(path) if name.split(".")[0] in FORBIDDEN_IN_CORE}
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}


def test_handlers_do_not_import_the_process_layer() -> None:
    offenders = {}
    for path in (ROOT / "handlers").rglob("*.py"):
        bad = {name for name in imported_modules(path) if name.split(".")[0] == "bot"}
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}


# --- areas meet through ports -------------------------------------------------------------

FORBIDDEN_BETWEEN_AREAS = {
    "core/numbering": ("core.sources",),
    "core/sources": ("core.numbering",),
    "core/account": ("core.numbering",),
}


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_areas_meet_through_ports_not_imports() -> None:
    offenders = {}
    for area, forbidden in FORBIDDEN_BETWEEN_AREAS.items():
        for path in (ROOT / area).rglob("*.py"):
            bad = {
                name
                for name in imported_modules(path)
                if any(_within(name, other) for other in forbidden)
            }
            if bad:
                offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}


# --- no import cycles -----------------------------------------------------------------------


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def our_modules() -> dict[str, Path]:
    return {
        module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    }


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_time_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The import statements that run when the module is imported."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If):
            pending.extend(node.orelse)
            if not _type_checking(node.test):
                pending.extend(node.body)
        elif isinstance(node, ast.Try):
            pending.extend([*node.body, *node.orelse, *node.finalbody])
            for handler in node.handlers:
                pending.extend(handler.body)
        elif isinstance(node, ast.With):
            pending.extend(node.body)
        elif isinstance(node, ast.ClassDef):
            pending.extend(node.body)  # a class body runs at import time
    return found


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the modules of ours it imports at import time.

    ``import a.b.c`` and ``from a.b import c`` run ``a``, ``a.b`` (and ``a.b.c``): every one of
    them is an edge, except the importer's own packages, which are already being imported
    (a package's ``__init__`` importing its submodules is not a cycle).
    """
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        own = set(_with_parents(name if is_package else name.rpartition(".")[0] or name))
        targets: set[str] = set()
        for node in import_time_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                wanted = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = name if is_package else name.rpartition(".")[0]
                    for _ in range(node.level - 1):
                        anchor = anchor.rpartition(".")[0]
                    base = f"{anchor}.{base}" if base else anchor
                wanted = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            for target in wanted:
                targets.update(
                    t for t in _with_parents(target) if t in modules and t not in own | {name}
                )
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_no_import_cycles_between_modules() -> None:
    assert cycles(import_graph(our_modules())) == []


def test_the_cycle_finder_sees_a_cycle_through_a_package() -> None:
    graph = {"a.x": {"b"}, "b": {"b.y"}, "b.y": {"a.x"}, "c": {"a.x"}}
    assert cycles(graph) == [["a.x", "b", "b.y"]]
