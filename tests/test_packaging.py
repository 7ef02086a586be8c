"""What a wheel must carry: the migrations live inside the package (`.ci/run` installs the
built wheel into a fresh virtual environment and migrates from an empty folder)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import core
from core.store.database import MIGRATIONS_DIR

ROOT = Path(__file__).resolve().parents[1]


def test_migrations_live_inside_the_package() -> None:
    assert MIGRATIONS_DIR.is_relative_to(Path(core.__file__).parent)
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert list((MIGRATIONS_DIR / "versions").glob("0001_*.py"))


def test_no_migration_was_left_outside_the_package() -> None:
    # A revision added under the old top-level folder would be missing from every install.
    assert not list(ROOT.glob("migrations/**/*.py"))


def test_every_data_file_in_the_packages_is_declared_as_package_data() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = project["tool"]["setuptools"]["package-data"]
    shipped = {
        path.relative_to(ROOT)
        for top in ("bot", "handlers", "core")
        for path in (ROOT / top).rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    }
    for path in shipped:
        package = ".".join(path.parent.parts)
        assert any(path.match(pattern) for pattern in declared.get(package, [])), path


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_constraints_pin_every_dependency_of_pyproject() -> None:
    """`constraints.txt` is refreshed with the command in the README whenever a dependency
    changes; a dependency it lacks would install unpinned."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {_name(r) for r in extra}
    text = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    pinned = {
        _name(line) for line in text.splitlines() if "==" in line and not line.startswith("#")
    }
    assert wanted - pinned == set()
