"""Rackbeat's answers → snapshot records. The one place that knows Rackbeat's field names.

Per domain.md ("The Rackbeat API"): lists answer ``{"<plural>": [...], "total", "pages",
"limit", "page"}`` with the plural being the path with ``-`` → ``_`` **[guess]**; reference
records have ``id``, ``number``, ``name`` **[clients]**; a product's ``group`` is an object on
read (plus ``group_id``), its cost is ``cost_price`` on read (``recommended_cost_price`` on
create), tracking is ``batch_control.is_active`` / ``serial_numbers.is_active``, stock is
``stock_quantity`` **[clients]**; customers and suppliers name their group by
``customer_group_id`` / ``supplier_group_id`` **[guess]** and payment terms and layout by id.
Where a shape is a guess, an unexpected one is an ``AccountUnreadable`` naming the list and
what was wrong, never a crash and never a silently empty list.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from core.account.model import RECORD_FIELDS, Record, Reference


class AccountUnreadable(Exception):
    """An answer for ``list_name`` that is not what Rackbeat documents."""

    def __init__(self, list_name: str, what: str) -> None:
        super().__init__(f"could not read {list_name} from Rackbeat: {what}")
        self.list_name = list_name
        self.what = what


def list_key(path: str) -> str:
    return path.replace("-", "_")


def page_rows(list_name: str, body: Mapping[str, Any]) -> tuple[list[Any], int]:
    """The rows of one page and the number of pages (``pages``, 1 when absent)."""
    rows = body.get(list_name)
    if not isinstance(rows, list):
        raise AccountUnreadable(list_name, f"the answer has no '{list_name}' list")
    pages = body.get("pages", 1)
    if isinstance(pages, bool) or not isinstance(pages, int) or pages < 0:
        raise AccountUnreadable(list_name, "'pages' is not a whole number")
    return rows, max(1, pages)


def company_name(body: Mapping[str, Any]) -> str:
    account = body.get("user_account")
    name = account.get("company_name") if isinstance(account, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise AccountUnreadable("self", "no user_account.company_name")
    return name.strip()


def reference(list_name: str, row: object) -> Reference:
    if not isinstance(row, dict):
        raise AccountUnreadable(list_name, "an entry is not an object")
    number = _text(row.get("number"))
    ident = row.get("id")
    if number is None:
        if list_name != "employees" or not isinstance(ident, int):
            raise AccountUnreadable(list_name, "an entry has no number")
        number = str(ident)  # employees may be known by id only
    name = row.get("name")
    if name is None and list_name == "employees":
        name = row.get("email") or ""
    if not isinstance(name, str):
        raise AccountUnreadable(list_name, f"entry {number} has no name")
    if ident is not None and (isinstance(ident, bool) or not isinstance(ident, int)):
        raise AccountUnreadable(list_name, f"entry {number} has an id that is not a number")
    return Reference(number, name.strip(), ident)


class IdNumbers:
    """Rackbeat ids → numbers, per reference list (records point at groups by id)."""

    def __init__(self, lists: Mapping[str, tuple[Reference, ...]]) -> None:
        self._by_id = {
            name: {r.id: r.number for r in refs if r.id is not None} for name, refs in lists.items()
        }

    def add(self, list_name: str, ident: int | None, number: str) -> None:
        if ident is not None:
            self._by_id.setdefault(list_name, {})[ident] = number

    def number(self, list_name: str, ident: object) -> str | None:
        if isinstance(ident, bool) or not isinstance(ident, int):
            return None
        return self._by_id.get(list_name, {}).get(ident)


def product(row: object, ids: IdNumbers) -> Record:
    data = _object("products", row)
    number = _number("products", data)
    group = data.get("group")
    group_number = (
        _text(group.get("number")) if isinstance(group, dict) else _text(group)
    ) or ids.number("product_groups", data.get("group_id"))
    record: dict[str, Any] = {
        "number": number,
        "name": _field_text("products", number, data, "name"),
        "group": group_number,
        "cost_price": _decimal("products", number, data, "cost_price", "recommended_cost_price"),
        "sales_price": _decimal("products", number, data, "sales_price"),
        "unit": ids.number("units", data.get("unit_id")),
        "barcode": _text(data.get("barcode")),
        "supplier": ids.number("suppliers", data.get("default_supplier_id")),
        "location": ids.number("locations", data.get("default_location_id")),
        "description": _text(data.get("description")),
        "min_stock": _decimal("products", number, data, "min_stock"),
        "stock": _decimal("products", number, data, "stock_quantity") or "0",
        "batch_tracking": _active("products", number, data, "batch_control"),
        "serial_numbers": _active("products", number, data, "serial_numbers"),
    }
    return record


def party(list_name: str, row: object, ids: IdNumbers) -> tuple[Record, int | None]:
    """A customer or supplier, and its Rackbeat id (products name their supplier by id)."""
    data = _object(list_name, row)
    number = _number(list_name, data)
    kind = "customer" if list_name == "customers" else "supplier"
    group = data.get("group")
    group_number = (_text(group.get("number")) if isinstance(group, dict) else None) or ids.number(
        f"{kind}_groups", data.get(f"{kind}_group_id")
    )
    values: dict[str, Any] = {
        "number": number,
        "name": _field_text(list_name, number, data, "company_name", "name"),
        "group": group_number,
        "vat_zone": _text(data.get("vat_zone")),
        "payment_terms": ids.number("payment_terms", data.get("payment_terms_id")),
        "layout": ids.number("layouts", data.get("layout_id")),
        "vat_number": _text(data.get("company_vat")),
        "address": _text(data.get("address_street")),
        "address2": _text(data.get("address_street2")),
        "zip": _text(data.get("address_zipcode")),
        "city": _text(data.get("address_city")),
        "country": _text(data.get("address_country")),
        "email": _text(data.get("contact_email")),
        "phone": _text(data.get("contact_phone")),
        "currency": _text(data.get("currency")),
    }
    record = {key: values.get(key) for key in RECORD_FIELDS[list_name]}
    ident = data.get("id")
    return record, ident if isinstance(ident, int) and not isinstance(ident, bool) else None


# -- small readers ---------------------------------------------------------------------------


def _object(list_name: str, row: object) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise AccountUnreadable(list_name, "an entry is not an object")
    return row


def _number(list_name: str, data: Mapping[str, Any]) -> str:
    number = _text(data.get("number"))
    if number is None:
        raise AccountUnreadable(list_name, "an entry has no number")
    return number


def _text(value: object) -> str | None:
    """Text, or a whole number as text; anything else (objects, floats, booleans) is None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def _field_text(list_name: str, number: str, data: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise AccountUnreadable(list_name, f"{number}: '{key}' is not text")
        return value.strip() or None
    return None


def _decimal(list_name: str, number: str, data: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise AccountUnreadable(list_name, f"{number}: '{key}' is not a number")
        try:
            parsed = Decimal(str(value).strip())
        except InvalidOperation:
            raise AccountUnreadable(list_name, f"{number}: '{key}' is not a number") from None
        if not parsed.is_finite():
            raise AccountUnreadable(list_name, f"{number}: '{key}' is not a number")
        return format(parsed.normalize(), "f")
    return None


def _active(list_name: str, number: str, data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if not isinstance(value, dict):
        raise AccountUnreadable(list_name, f"{number}: '{key}' is not an object")
    active = value.get("is_active", False)
    if not isinstance(active, bool):
        raise AccountUnreadable(list_name, f"{number}: '{key}.is_active' is not true/false")
    return active
