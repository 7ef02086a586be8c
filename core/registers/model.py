"""Plain data the register engine hands out: registers, issues, per-file results."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

    from core.registers.header import HeaderMap
    from core.registers.known import Snapshot
    from core.registers.reading import Dialect
    from core.registers.references import AccountSummary

#: How many issues a file entry carries in JSON and messages; the counts and the error report
#: are never capped.
ISSUE_CAP = 500


class Register(StrEnum):
    PRODUCTS = "products"
    CUSTOMERS = "customers"
    SUPPLIERS = "suppliers"
    INVENTORY = "inventory"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Valuation(StrEnum):
    """Rackbeat's inventory valuation method (chosen once, when Rackbeat is opened)."""

    FIFO = "fifo"
    AVERAGE = "average"


@dataclass(frozen=True)
class FileInput:
    """One file to check: its name (for messages and register hints) and its bytes or path."""

    name: str
    data: bytes | None = None
    path: Path | None = None

    def __post_init__(self) -> None:
        if (self.data is None) == (self.path is None):
            raise ValueError("give exactly one of data or path")


@dataclass(frozen=True)
class Issue:
    severity: Severity
    row: int | None
    column: str | None
    code: str
    value: str | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity.value,
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class FileResult:
    """The outcome for one file.

    ``issues`` is capped at ``ISSUE_CAP`` (``truncated`` says so); ``counts`` and the two totals
    are complete, and ``all_issues`` (a polars frame: row, column, code, value, message) holds
    every issue for the error report. ``snapshot`` is set only when the file has no errors: the
    keys and flags a later file may be checked against.
    """

    file: str
    register: Register | None = None
    encoding: str | None = None
    delimiter: str | None = None
    rows: int = 0
    error_count: int = 0
    warning_count: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    truncated: bool = False
    unreadable: bool = False
    snapshot: Snapshot | None = None
    dialect: Dialect | None = field(default=None, repr=False)
    header: HeaderMap | None = field(default=None, repr=False)  # how the header was read
    decimal_marks: dict[str, str] = field(default_factory=dict)
    all_issues: pl.DataFrame | None = field(default=None, repr=False)
    account: AccountSummary | None = None
    """Set when the file was checked against a Rackbeat account (``None``: it was not)."""
    replacements: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per column, names the account resolved to numbers: the normalized file uses these."""

    @property
    def valid(self) -> bool:
        return self.error_count == 0 and not self.unreadable

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "register": self.register.value if self.register else None,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "rows": self.rows,
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "truncated": self.truncated,
            "counts": dict(self.counts),
            "issues": [issue.to_json() for issue in self.issues],
            **({"account": self.account.to_json()} if self.account is not None else {}),
        }


@dataclass
class ValidationRun:
    files: list[FileResult]

    @property
    def valid(self) -> bool:
        return all(f.valid for f in self.files)

    @property
    def unreadable(self) -> bool:
        return any(f.unreadable for f in self.files)

    def to_json(self) -> dict[str, Any]:
        """The document ``python -m bot validate --json`` prints (CONTRACT.md)."""
        return {"valid": self.valid, "files": [f.to_json() for f in self.files]}
