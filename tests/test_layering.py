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
# Modules that still raise English in `core`: the operators' (configuration, the snapshot
# files of `validate --account`) and Rackbeat's own words about a record. The list may only
# shrink.
STILL_WORDED_IN_CORE = frozenset(
    {
        "core/account/model.py",
        "core/credentials.py",
        "core/numbering/checker.py",
        "core/registers/intake.py",
        "core/registers/sniff.py",
        "core/sources/rackbeat.py",
    }
)
# The onboarding machine names each rule's reason by a short code (``Refusal("not_optional",
# …)``): its words are the catalogue's ``onb.rule.<code>``.
RULE_CODES = {"core/onboarding/machine.py": ("Refusal", "onb.rule.")}


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


def _literal_code(node: ast.expr | None) -> str | None:
    """A string's value, an f-string's fixed start followed by ``*``; else ``None``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and isinstance(getattr(node.values[0], "value", None), str):
        return str(node.values[0].value) + "*"  # type: ignore[attr-defined]
    return None


def self_coded_classes(
    trees: dict[str, ast.Module], family: set[str]
) -> tuple[set[str], list[tuple[str, int, str]]]:
    """Classes of the family whose ``__init__`` passes its own code to ``super().__init__``
    (``StepRefused``: ``onb.refused.<action>``), and those codes."""
    classes: set[str] = set()
    codes: list[tuple[str, int, str]] = []
    for module, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef) or node.name not in family:
                continue
            for call in ast.walk(node):
                is_super_init = (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "__init__"
                    and isinstance(call.func.value, ast.Call)
                    and _base_name(call.func.value.func) == "super"
                )
                code = _literal_code(call.args[0]) if is_super_init and call.args else None  # type: ignore[attr-defined]
                if code is not None:
                    classes.add(node.name)
                    codes.append((module, call.lineno, code))  # type: ignore[attr-defined]
    return classes, codes


def rule_codes(trees: dict[str, ast.Module]) -> list[tuple[str, int, str]]:
    """The onboarding machine's rule codes as catalogue keys (``onb.rule.not_optional``)."""
    found = []
    for module, (name, prefix) in RULE_CODES.items():
        for node in ast.walk(trees[module]):
            if isinstance(node, ast.Call) and _base_name(node.func) == name and node.args:
                code = _literal_code(node.args[0])
                assert code is not None, f"{module}:{node.lineno}: a rule's code is a literal"
                found.append((module, node.lineno, prefix + code))
    return found


def refusal_codes(
    trees: dict[str, ast.Module],
) -> tuple[list[tuple[str, int, str]], list[tuple[str, int]]]:
    """Every refusal built in ``core``: (module, line, code) where its first argument is a
    string (an f-string by its fixed start) or where its class passes its own code, and
    (module, line) where it is anything else."""
    family, upstream = domain_error_classes(trees)
    self_coded, codes = self_coded_classes(trees, family)
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
            if name in MAPPED_BY_INTAKE or name in self_coded:
                continue
            first = node.args[0] if node.args else None
            code = _literal_code(first)
            if code is not None:
                codes.append((module, node.lineno, code))
            elif first is not None:
                worded.append((module, node.lineno))
    return codes, worded


def _in_catalogue(code: str) -> bool:
    if code.endswith("*"):  # an f-string: some key must start the way it does
        return any(key.startswith(code[:-1]) for key in CATALOG)
    return code in CATALOG


def test_every_refusal_code_raised_in_core_is_in_the_catalogue_in_both_languages() -> None:
    trees = _core_trees()
    codes, _ = refusal_codes(trees)
    codes += rule_codes(trees)
    assert len(codes) > 40  # the finder finds them (onboarding, numbering, registers…)
    assert {"onb.refused.*", "onb.rule.not_optional", "onb.not_found"} <= {c for _, _, c in codes}
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


def test_the_finder_reads_a_class_that_passes_its_own_code() -> None:
    tree = ast.parse(
        "class Refused(DomainError):\n"
        "    def __init__(self, action):\n"
        "        super().__init__(f'onb.refused.{action}', action=action)\n"
        "def f(action):\n"
        "    raise Refused(action)\n"
    )
    codes, worded = refusal_codes({"core/x.py": tree})
    assert (codes, worded) == ([("core/x.py", 3, "onb.refused.*")], [])


# --- no words in core -----------------------------------------------------------------------

# The words people may type that core reads (register column names, country names, yes/no in
# Finnish), and the English reference of the register issue codes that `docs/csv-formats.md`
# and the command line print: input and documentation, not answers.
VOCABULARY = frozenset(
    {
        "core/registers/codes.py",
        "core/registers/columns.py",
        "core/registers/countries.py",
        "core/registers/docgen.py",
        "core/registers/values.py",
    }
)
FINNISH_LETTERS = frozenset("äöåÄÖÅ")
# What wording in core looked like: a text type and renderings per language, in a module
# of texts.
TEXT_LAYER = frozenset({"LocalText", "in_every_language", "translations", "in_language"})
TEXT_MODULE = "texts"


def _docstrings(tree: ast.Module) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)  # type: ignore[attr-defined]
        for node in ast.walk(tree)
        if isinstance(node, kinds)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def finnish_literals(trees: dict[str, ast.Module]) -> dict[str, list[str]]:
    """Strings with Finnish letters in each module, docstrings aside."""
    found: dict[str, list[str]] = {}
    for module, tree in trees.items():
        docs = _docstrings(tree)
        hits = [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docs
            and FINNISH_LETTERS & set(node.value)
        ]
        if hits:
            found[module] = hits
    return found


def text_layer_names(trees: dict[str, ast.Module]) -> dict[str, set[str]]:
    """Names of the old text layer each module defines, uses or imports."""
    found: dict[str, set[str]] = {}
    for module, tree in trees.items():
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef | ast.FunctionDef):
                names.add(node.name)
            elif isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.update(alias.name for alias in node.names)
                if node.module.rsplit(".", 1)[-1] == TEXT_MODULE:
                    names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(a.name for a in node.names if a.name.endswith("." + TEXT_MODULE))
        bad = {name for name in names if name in TEXT_LAYER or name.endswith("." + TEXT_MODULE)}
        if bad:
            found[module] = bad
    return found


def test_core_says_nothing_in_finnish_outside_its_input_vocabulary() -> None:
    trees = _core_trees()
    assert set(finnish_literals(trees)) <= VOCABULARY


def test_core_has_no_text_layer() -> None:
    trees = _core_trees()
    assert text_layer_names(trees) == {}
    assert not [module for module in trees if module.endswith("/texts.py")]


def test_the_word_finders_see_words() -> None:
    tree = ast.parse(
        "from core.onboarding.texts import LocalText\n"
        "TITLE = LocalText(en='Log in', fi='Kirjautuminen sisään')\n"
        "def f(e):\n"
        "    return e.translations\n"
    )
    assert finnish_literals({"core/x.py": tree}) == {"core/x.py": ["Kirjautuminen sisään"]}
    assert text_layer_names({"core/x.py": tree}) == {
        "core/x.py": {"LocalText", "core.onboarding.texts", "translations"}
    }
