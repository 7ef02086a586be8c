"""The direction of every dependency, read from the source (nothing here imports the modules
but the message catalogue, a plain table).

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

from handlers.messages import CATALOG, LANGUAGES

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


# --- refusals are codes ---------------------------------------------------------------------

ERROR_BASE = "DomainError"
# Upstream errors carry their source and the upstream's own code; handlers word them from
# those (handlers/blocks/upstream.py), their English ``reason`` is for logs.
WORDED_BY_SOURCE_AND_CODE = frozenset({"UpstreamError", "UpstreamUnavailable", "UpstreamRejected"})
# A file the engine cannot read carries a short code of its own (``not_text``, ``binary``…)
# that the intake turns into a catalogue key (core/registers/intake.py ``refusal_for``).
MAPPED_BY_INTAKE = frozenset({"UnreadableFile"})
# Modules that still word refusals in `core`: the onboarding area (core/onboarding/texts.py)
# and the operators' and snapshot files' English. The list may only shrink.
STILL_WORDED_IN_CORE = frozenset(
    {
        "core/account/model.py",
        "core/credentials.py",
        "core/numbering/checker.py",
        "core/onboarding/machine.py",
        "core/onboarding/parsing.py",
        "core/onboarding/service.py",
        "core/registers/intake.py",
        "core/registers/sniff.py",
        "core/sources/rackbeat.py",
        "core/tenancy.py",
    }
)


def _core_trees() -> dict[str, ast.Module]:
    return {
        str(path.relative_to(ROOT)): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "core").rglob("*.py"))
    }


def _base_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def domain_error_classes(trees: dict[str, ast.Module]) -> tuple[set[str], set[str]]:
    """The names of every class of the ``DomainError`` family defined in ``core`` (by its
    bases, to a fixed point), and those worded from an upstream's source and code."""
    bases: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                names = {_base_name(base) for base in node.bases}
                bases.setdefault(node.name, set()).update(n for n in names if n)
    family, upstream = {ERROR_BASE}, set(WORDED_BY_SOURCE_AND_CODE)
    changed = True
    while changed:
        changed = False
        for name, parents in bases.items():
            if name not in family and parents & family:
                family.add(name)
                changed = True
            if name not in upstream and parents & upstream:
                upstream.add(name)
                changed = True
    return family, upstream


def refusal_codes(
    trees: dict[str, ast.Module],
) -> tuple[list[tuple[str, int, str]], list[tuple[str, int]]]:
    """Every refusal built in ``core``: (module, line, code) where its first argument is a
    string (an f-string by its fixed start), and (module, line) where it is anything else."""
    family, upstream = domain_error_classes(trees)
    codes: list[tuple[str, int, str]] = []
    worded: list[tuple[str, int]] = []
    for module, tree in trees.items():
        # A class of the same name defined here outside the family (the machine's own
        # ``Refusal`` rule) is not a refusal.
        others = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            and not {_base_name(base) for base in node.bases} & family
            and node.name != ERROR_BASE
        }
        for node in ast.walk(tree):
            name = _base_name(node.func) if isinstance(node, ast.Call) else None
            if not isinstance(node, ast.Call) or name not in family - upstream - others:
                continue
            if name in MAPPED_BY_INTAKE:
                continue
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                codes.append((module, node.lineno, first.value))
            elif isinstance(first, ast.JoinedStr) and isinstance(
                getattr(first.values[0], "value", None), str
            ):
                codes.append((module, node.lineno, str(first.values[0].value) + "*"))  # type: ignore[attr-defined]
            elif first is not None:
                worded.append((module, node.lineno))
    return codes, worded


def _in_catalogue(code: str) -> bool:
    if code.endswith("*"):  # an f-string: some key must start the way it does
        return any(key.startswith(code[:-1]) for key in CATALOG)
    return code in CATALOG


def test_every_refusal_code_raised_in_core_is_in_the_catalogue_in_both_languages() -> None:
    codes, _ = refusal_codes(_core_trees())
    assert len(codes) > 20  # the finder finds them (numbering, registers, checker…)
    missing = [
        (m, line, code)
        for m, line, code in codes
        if not _in_catalogue(code) and m not in STILL_WORDED_IN_CORE
    ]
    assert missing == []
    for _, _, code in codes:
        for key in [k for k in CATALOG if k == code or k.startswith(code.rstrip("*"))]:
            assert all(CATALOG[key].get(lang) for lang in LANGUAGES), key


def test_no_refusal_is_worded_in_core_outside_the_modules_still_to_move() -> None:
    _, worded = refusal_codes(_core_trees())
    assert sorted({m for m, _ in worded} - STILL_WORDED_IN_CORE) == []


def test_the_refusal_finder_sees_prose_and_codes() -> None:
    tree = ast.parse(
        "class Odd(InvalidArgument): ...\n"
        "class InvalidArgument(DomainError): ...\n"
        "def f(x):\n"
        "    raise Odd('That is not allowed.')\n"
        "def g(x):\n"
        "    raise InvalidArgument(text('onb.not_found', x))\n"
    )
    codes, worded = refusal_codes({"core/x.py": tree})
    assert codes == [("core/x.py", 4, "That is not allowed.")]
    assert not _in_catalogue(codes[0][2])
    assert worded == [("core/x.py", 6)]
