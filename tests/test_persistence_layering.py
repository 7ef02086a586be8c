"""One persistence convention, read from the source (README, "Architecture"): SQL is written
only in an area's repository (``core/<area>/repository.py``) or in ``core/store``, and the
listeners do not deal in SQLAlchemy's errors (the unit of work turns an outage into
``StoreUnavailable``, which the error hook words)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What builds a statement; `Engine`, `Session` and the like only pass one around.
STATEMENT_BUILDERS = frozenset(
    {"select", "insert", "update", "delete", "text", "func", "and_", "or_", "exists", "union"}
)
# The job queue's health query reads procrastinate's own tables, which no repository owns.
INFRASTRUCTURE = frozenset({"bot/jobqueue.py"})
# The error hook still words a raw OperationalError that did not pass a unit of work.
ERROR_HOOK = "handlers/errors.py"


def sqlalchemy_names(path: Path) -> set[str]:
    """What ``path`` takes from SQLAlchemy: names from ``from sqlalchemy… import``, and the
    module itself for ``import sqlalchemy…``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.split(".")[0] == "sqlalchemy")
    return names


def writes_sql(relative: str) -> bool:
    return (
        relative.startswith("core/store/")
        or relative.endswith("/repository.py")
        or relative in INFRASTRUCTURE
    )


def statements_outside_repositories() -> dict[str, list[str]]:
    offenders = {}
    for package in ("bot", "handlers", "core"):
        for path in (ROOT / package).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if writes_sql(relative):
                continue
            names = sqlalchemy_names(path)
            built = {n for n in names if n in STATEMENT_BUILDERS or n.startswith("sqlalchemy")}
            if built:
                offenders[relative] = sorted(built)
    return offenders


def test_sql_is_written_only_in_repositories_and_the_store() -> None:
    assert statements_outside_repositories() == {}


def test_handlers_leave_sqlalchemy_to_the_store() -> None:
    offenders = {
        path.relative_to(ROOT).as_posix(): sorted(sqlalchemy_names(path))
        for path in (ROOT / "handlers").rglob("*.py")
        if sqlalchemy_names(path) and path.relative_to(ROOT).as_posix() != ERROR_HOOK
    }
    assert offenders == {}


def test_the_finder_sees_a_select_and_lets_a_type_pass(tmp_path: Path) -> None:
    query = tmp_path / "query.py"
    query.write_text("from sqlalchemy import Engine, select\nimport sqlalchemy.orm\n")
    assert sqlalchemy_names(query) == {"Engine", "select", "sqlalchemy.orm"}
    typed = tmp_path / "typed.py"
    typed.write_text("from sqlalchemy.orm import Session\n")
    assert not {n for n in sqlalchemy_names(typed) if n in STATEMENT_BUILDERS}
