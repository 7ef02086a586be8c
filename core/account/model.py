"""The account snapshot: what the bot read from one Rackbeat account, and when.

It is stored in the database, uploaded by ``/rackbeat account export`` and read back by
``python -m bot validate --account``: the JSON is one documented shape (``to_json``), and a file
that is not that shape is refused with what is wrong, never half-read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import polars as pl

from core.errors import DomainError
from core.registers.account import AccountFacts, ReferenceEntry
from core.registers.model import Register

FORMAT = "rackbeat-account-snapshot/1"

REFERENCE_LISTS: tuple[str, ...] = (
    "product_groups",
    "customer_groups",
    "supplier_groups",
    "units",
    "locations",
    "payment_terms",
    "layouts",
    "employees",
)
"""Small lists read whole; each entry has a number and a name."""

RECORD_LISTS: dict[str, Register] = {
    "products": Register.PRODUCTS,
    "customers": Register.CUSTOMERS,
    "suppliers": Register.SUPPLIERS,
}
"""Existing records, compared with the rows of uploaded files."""

RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "products": (
        "number",
        "name",
        "group",
        "cost_price",
        "sales_price",
        "unit",
        "barcode",
        "supplier",
        "location",
        "description",
        "min_stock",
        "stock",
    ),
    "customers": (
        "number",
        "name",
        "group",
        "vat_zone",
        "payment_terms",
        "layout",
        "vat_number",
        "address",
        "address2",
        "zip",
        "city",
        "country",
        "email",
        "phone",
        "currency",
    ),
    "suppliers": (
        "number",
        "name",
        "group",
        "vat_zone",
        "payment_terms",
        "layout",
        "vat_number",
        "address",
        "zip",
        "city",
        "country",
        "email",
        "phone",
        "currency",
    ),
}
"""Text fields kept per record, named like the register's canonical columns. Not the
document language: Rackbeat's ``locale`` (``fi_FI``?) and the file's `fi` would always differ."""

PRODUCT_BOOLEANS = ("batch_tracking", "serial_numbers")

ALL_LISTS: tuple[str, ...] = (*REFERENCE_LISTS, *RECORD_LISTS)


class SnapshotFileInvalid(DomainError):
    """A snapshot file (``--account``) that is not what ``/rackbeat account export`` writes."""


@dataclass(frozen=True)
class Reference:
    number: str
    name: str
    id: int | None = None


Record = Mapping[str, Any]
"""One product, customer or supplier: ``RECORD_FIELDS`` as text or None (products also have
``batch_tracking`` and ``serial_numbers`` as booleans)."""


@dataclass(frozen=True)
class AccountSnapshot:
    company: str
    read_at: datetime
    lists: Mapping[str, tuple[Reference, ...]] = field(default_factory=dict)
    records: Mapping[str, tuple[Record, ...]] = field(default_factory=dict)

    def count(self, name: str) -> int:
        if name in RECORD_LISTS:
            return len(self.records.get(name, ()))
        return len(self.lists.get(name, ()))

    def age(self, now: datetime) -> float:
        """Seconds since the account was read."""
        return max(0.0, (now - self.read_at).total_seconds())

    def products_with_stock(self) -> int:
        return sum(1 for p in self.records.get("products", ()) if has_stock(p))

    # -- JSON -----------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "company": self.company,
            "read_at": self.read_at.astimezone(UTC).isoformat(),
            "lists": {
                name: [{"number": r.number, "name": r.name, "id": r.id} for r in refs]
                for name, refs in self.lists.items()
            },
            "records": {name: [dict(r) for r in rows] for name, rows in self.records.items()},
        }

    @classmethod
    def from_json(cls, data: object) -> AccountSnapshot:
        """Strict: every problem is a ``SnapshotFileInvalid`` naming the place."""
        if not isinstance(data, dict):
            raise SnapshotFileInvalid("the snapshot is not a JSON object")
        if data.get("format") != FORMAT:
            raise SnapshotFileInvalid(
                f'not an account snapshot (expected "format": "{FORMAT}"; '
                "get one with /rackbeat account export)"
            )
        company = data.get("company")
        if not isinstance(company, str):
            raise SnapshotFileInvalid("'company' is missing or not text")
        read_at = _when(data.get("read_at"))
        lists_in = data.get("lists")
        records_in = data.get("records")
        if not isinstance(lists_in, dict) or not isinstance(records_in, dict):
            raise SnapshotFileInvalid("'lists' and 'records' must be JSON objects")
        lists = {
            name: tuple(_reference(name, i, entry) for i, entry in enumerate(_list(name, rows)))
            for name, rows in lists_in.items()
            if name in REFERENCE_LISTS
        }
        records = {
            name: tuple(_record(name, i, row) for i, row in enumerate(_list(name, rows)))
            for name, rows in records_in.items()
            if name in RECORD_LISTS
        }
        return cls(company, read_at, lists, records)

    # -- what the file checks use -----------------------------------------------------------

    def facts(self) -> AccountFacts:
        lists = {
            name: tuple(ReferenceEntry(r.number, r.name) for r in refs)
            for name, refs in self.lists.items()
        }
        frames = {
            register: _frame(name, self.records.get(name, ()))
            for name, register in RECORD_LISTS.items()
        }
        return AccountFacts(self.company, lists, frames)


def has_stock(product: Record) -> bool:
    stock = product.get("stock")
    try:
        return stock is not None and float(stock) != 0.0
    except (TypeError, ValueError):
        return True  # unreadable stock: assume the worst, tracking can no longer change


def _frame(name: str, rows: Sequence[Record]) -> pl.DataFrame:
    """Records as one frame, built column-wise by polars (a 50,000-product account in tens of
    milliseconds; the file checks build it for every file)."""
    schema: dict[str, pl.DataType] = {f: pl.String() for f in RECORD_FIELDS[name]}
    if name == "products":
        schema.update({flag: pl.Boolean() for flag in PRODUCT_BOOLEANS})
    frame = pl.from_dicts(list(rows), schema=schema) if rows else pl.DataFrame(schema=schema)
    if name == "products":
        stock = pl.col("stock")
        # Same rule as ``has_stock``: no stock is none; unreadable stock counts as stock.
        frame = frame.with_columns(
            pl.col(PRODUCT_BOOLEANS).fill_null(False),
            has_stock=pl.when(stock.is_null())
            .then(False)
            .otherwise(stock.cast(pl.Float64, strict=False).fill_null(1.0) != 0.0),
        )
    return frame.unique("number", keep="last", maintain_order=True)


def _when(value: object) -> datetime:
    if not isinstance(value, str):
        raise SnapshotFileInvalid("'read_at' is missing")
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise SnapshotFileInvalid(
            f"'read_at' is not an ISO date and time: {value[:40]!r}"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _list(name: str, rows: object) -> list[Any]:
    if not isinstance(rows, list):
        raise SnapshotFileInvalid(f"'{name}' is not a list")
    return rows


def _reference(name: str, index: int, entry: object) -> Reference:
    if not isinstance(entry, dict):
        raise SnapshotFileInvalid(f"{name}[{index}] is not an object")
    number, label, ident = entry.get("number"), entry.get("name"), entry.get("id")
    if not isinstance(number, str) or not isinstance(label, str):
        raise SnapshotFileInvalid(f"{name}[{index}] needs a text 'number' and 'name'")
    if ident is not None and (isinstance(ident, bool) or not isinstance(ident, int)):
        raise SnapshotFileInvalid(f"{name}[{index}].id is not a whole number")
    return Reference(number, label, ident)


def _record(name: str, index: int, row: object) -> Record:
    if not isinstance(row, dict):
        raise SnapshotFileInvalid(f"{name}[{index}] is not an object")
    out: dict[str, Any] = {}
    for key in RECORD_FIELDS[name]:
        value = row.get(key)
        if value is not None and not isinstance(value, str):
            raise SnapshotFileInvalid(f"{name}[{index}].{key} must be text or null")
        out[key] = value
    if not out.get("number"):
        raise SnapshotFileInvalid(f"{name}[{index}] has no number")
    if name == "products":
        for flag in PRODUCT_BOOLEANS:
            value = row.get(flag, False)
            if not isinstance(value, bool):
                raise SnapshotFileInvalid(f"{name}[{index}].{flag} must be true or false")
            out[flag] = value
    return out
