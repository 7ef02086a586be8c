"""From a register row to the body of Rackbeat's create/update call, and back for comparison.

domain.md ("The Rackbeat API for the account snapshot and the import") lists the fields; the
ones marked [guess] there are kept in this one table so a correction is one line. A column is
either sent as a plain value, or is a reference: the file holds the referenced record's
number, and the API wants that number (``by="number"``) or the record's id (``by="id"``),
looked up in the account's reference list.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from core.imports.source import SourceRow, Value
from core.registers.model import Register


@dataclass(frozen=True)
class Field:
    column: str  # canonical column of the register file
    api: str  # field of the create/update body; a dot nests (``batch_control.is_active``)
    read: str | None = None  # where the same value sits in a record as read, if elsewhere
    reference: str | None = None  # reference list (API path) the value must exist in
    by: str = "number"  # what the body carries of a referenced record: its number or its id
    integer: bool = False  # customers' and suppliers' numbers are integers in the API


_PARTY = (
    Field("vat_zone", "vat_zone"),
    Field("payment_terms", "payment_terms_id", reference="payment-terms", by="id"),
    Field("layout", "layout_id", reference="layouts", by="id"),
    Field("language", "locale"),
    Field("vat_number", "company_vat"),
    Field("address", "address_street"),
    Field("zip", "address_zipcode"),
    Field("city", "address_city"),
    Field("country", "address_country"),
    Field("email", "contact_email"),
    Field("phone", "contact_phone"),
    Field("currency", "currency"),
)

FIELDS: dict[Register, tuple[Field, ...]] = {
    Register.PRODUCTS: (
        Field("number", "number"),
        Field("name", "name"),
        Field("group", "group", read="group.number", reference="product-groups"),
        Field("cost_price", "recommended_cost_price", read="cost_price"),
        Field("sales_price", "sales_price"),
        Field("unit", "unit_id", reference="units", by="id"),
        Field("barcode", "barcode"),
        Field("supplier", "default_supplier_id", reference="suppliers", by="id"),
        Field("location", "default_location_id", reference="locations", by="id"),
        Field("batch_tracking", "batch_control.is_active"),
        Field("serial_numbers", "serial_numbers.is_active"),
        Field("description", "description"),
        Field("min_stock", "min_stock"),
    ),
    Register.CUSTOMERS: (
        Field("number", "number", integer=True),
        Field("name", "company_name"),
        Field("group", "customer_group_id", reference="customer-groups", by="id"),
        Field("address2", "address_street2"),
        *_PARTY,
    ),
    Register.SUPPLIERS: (
        Field("number", "number", integer=True),
        Field("name", "company_name"),
        Field("group", "supplier_group_id", reference="supplier-groups", by="id"),
        *_PARTY,
    ),
}

# The order an import of several registers goes in: a product may name its supplier.
ORDER = (Register.SUPPLIERS, Register.CUSTOMERS, Register.PRODUCTS)
IMPORTABLE = frozenset(ORDER)
TRACKING = ("batch_control.is_active", "serial_numbers.is_active")


def record_number(register: Register, number: str) -> str:
    """The number as Rackbeat keeps it: customers' and suppliers' are integers (``0012`` is
    ``12`` there), products' are text."""
    integer = FIELDS[register][0].integer
    return str(int(number)) if integer and number.isdigit() else number


def not_sent(register: Register, columns: set[str]) -> list[str]:
    """Columns of the file that the API import leaves out (the preview names them)."""
    known = {f.column for f in FIELDS[register]}
    return sorted(columns - known)


def references_needed(register: Register, rows: list[SourceRow]) -> dict[str, set[str]]:
    """Reference list → the numbers the rows refer to in it."""
    needed: dict[str, set[str]] = {}
    for spec in FIELDS[register]:
        if spec.reference is None:
            continue
        numbers = {str(r.values[spec.column]) for r in rows if r.values.get(spec.column)}
        if numbers:
            needed.setdefault(spec.reference, set()).update(numbers)
    return needed


def payload(register: Register, row: SourceRow, ids: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The create body of ``row``; ``ids`` maps reference list → number → id.

    Only the columns the file has are in it, so an update changes nothing the file is silent on.
    """
    body: dict[str, Any] = {}
    for spec in FIELDS[register]:
        if spec.column not in row.values:
            continue
        value: Any = row.values[spec.column]
        if value is None:
            continue
        if spec.reference is not None and spec.by == "id":
            value = _id(ids[spec.reference][str(value)])
        elif spec.integer:
            value = int(str(value))
        _put(body, spec.api, value)
    return body


def changes(
    register: Register, body: dict[str, Any], existing: dict[str, Any]
) -> list[tuple[str, Any, Any]]:
    """(field, value in Rackbeat, value in the file) for every field the update would change."""
    found = []
    for spec in FIELDS[register]:
        new = _get(body, spec.api)
        if new is None or spec.column == "number":
            continue
        old = _get(existing, spec.read or spec.api)
        if spec.read is None and old is None and spec.by == "id":
            old = _get(existing, spec.api)
        if not same(old, new):
            found.append((spec.api, old, new))
    return found


def same(old: Any, new: Any) -> bool:
    """Equal as Rackbeat means it: ``12.5`` is ``"12.50"``, ``None`` is ``""``."""
    if old in (None, "") and new in (None, ""):
        return True
    if isinstance(old, bool) or isinstance(new, bool):
        return bool(old) == bool(new) if old is not None else False
    try:
        return Decimal(str(old)) == Decimal(str(new))
    except (InvalidOperation, ValueError):
        return str(old).strip() == str(new).strip()


def tracking_changes(body: dict[str, Any], existing: dict[str, Any]) -> list[str]:
    """The tracking switches (batch, serial) ``body`` would turn on or off on ``existing``."""
    out = []
    for path in TRACKING:
        new = _get(body, path)
        if new is not None and bool(new) != bool(_get(existing, path)):
            out.append(path.split(".")[0])
    return out


def has_stock(existing: dict[str, Any]) -> bool:
    for key in ("stock_quantity", "available_quantity"):
        try:
            if Decimal(str(existing.get(key) or 0)) != 0:
                return True
        except InvalidOperation:
            return True  # unreadable: assume the worst, the preview stops
    return False


def _id(value: str) -> Value | int:
    return int(value) if value.isdigit() else value


def _put(body: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        body = body.setdefault(part, {})
    body[last] = value


def _get(record: dict[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
