"""The preview: what an import would do to the account, before anything is sent.

Every row is compared with the account as it is now (``AccountReader``: read fresh for each
preview): a number Rackbeat does not have is created; one it has is updated if the file
changes anything (only when the person chooses to update), else left as it is. References
(product group, payment terms…) must exist; a product with stock whose batch or serial
tracking the file would switch cannot be changed any more (domain.md). Either stops the
preview with the reason, and nothing is stored to be sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.imports.model import Action
from core.imports.payloads import (
    FIELDS,
    changes,
    has_stock,
    not_sent,
    payload,
    record_number,
    references_needed,
    tracking_changes,
)
from core.imports.ports import AccountReader
from core.imports.repository import PlannedRecord
from core.imports.source import SourceRow
from core.registers.model import Register


@dataclass(frozen=True)
class Problem:
    """Something that would fail: ``code`` picks the words (handlers.messages)."""

    code: str  # "unknown_reference" | "tracking_on_product_with_stock"
    row: int | None
    number: str
    column: str
    value: str


@dataclass(frozen=True)
class Change:
    row: int
    number: str
    field: str
    current: Any
    new: Any


@dataclass
class Preview:
    register: Register
    records: list[PlannedRecord] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    references: dict[str, int] = field(default_factory=dict)  # list → numbers checked
    problems: list[Problem] = field(default_factory=list)
    not_sent: list[str] = field(default_factory=list)

    def count(self, action: Action) -> int:
        return sum(1 for r in self.records if r.action is action)

    @property
    def ok(self) -> bool:
        return not self.problems


def plan(register: Register, rows: list[SourceRow], account: AccountReader) -> Preview:
    """Compare ``rows`` with the account. ``problems`` empty means the import may start."""
    preview = Preview(register)
    columns = set().union(*(r.values for r in rows)) if rows else set()
    preview.not_sent = not_sent(register, columns)
    ids: dict[str, dict[str, str]] = {}
    for path, referred in sorted(references_needed(register, rows).items()):
        ids[path] = account.reference_ids(path)
        preview.references[path] = len(referred)
    _check_references(register, rows, ids, preview)
    if preview.problems:
        return preview
    numbers = [record_number(register, r.number) for r in rows]
    existing = account.find_existing(register, numbers)
    for seq, (row, number) in enumerate(zip(rows, numbers, strict=True), start=1):
        body = payload(register, row, ids)
        found = existing.get(number)
        if found is None:
            preview.records.append(PlannedRecord(seq, row.row, number, Action.CREATE, body))
            continue
        changed = changes(register, body, found)
        if register is Register.PRODUCTS and has_stock(found):
            for switch in tracking_changes(body, found):
                preview.problems.append(
                    Problem("tracking_on_product_with_stock", row.row, row.number, switch, "on/off")
                )
        action = Action.UPDATE if changed else Action.UNCHANGED
        preview.records.append(PlannedRecord(seq, row.row, number, action, body))
        preview.changes.extend(Change(row.row, number, *c) for c in changed)
    return preview


def _check_references(
    register: Register,
    rows: list[SourceRow],
    ids: dict[str, dict[str, str]],
    preview: Preview,
) -> None:
    for spec in FIELDS[register]:
        if spec.reference is None:
            continue
        known = ids.get(spec.reference, {})
        for row in rows:
            value = row.values.get(spec.column)
            if value and str(value) not in known:
                preview.problems.append(
                    Problem("unknown_reference", row.row, row.number, spec.column, str(value))
                )
