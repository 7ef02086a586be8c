"""The account lists of the fake Rackbeat: reference lists, products, customers, suppliers.

Kept apart from ``tests/fakes/rackbeat.py`` (which serves the numbering's two lists) so the
import's fake endpoints can grow beside these. Records are stored in Rackbeat's *read* shape
(domain.md, "The Rackbeat API"), so the client's parsing is tested against what Rackbeat
sends, not against our own snapshot format. Lists page like Rackbeat: HTTP 206, ``limit`` up
to 1000 (more is a 422), ``page`` from 1, ``pages`` and ``total`` in the envelope.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.server import Reply

ACCOUNT_LISTS = {
    "product-groups": "product_groups",
    "customer-groups": "customer_groups",
    "supplier-groups": "supplier_groups",
    "units": "units",
    "locations": "locations",
    "payment-terms": "payment_terms",
    "layouts": "layouts",
    "employees": "employees",
    "products": "products",
    "customers": "customers",
    "suppliers": "suppliers",
}


@dataclass
class AccountLists:
    """Rows per resource path, in Rackbeat's read shape."""

    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {path: [] for path in ACCOUNT_LISTS}
    )
    next_id: int = 1

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def reference(self, path: str, number: int, name: str) -> dict[str, Any]:
        row = {"id": self._id(), "number": number, "name": name}
        self.rows[path].append(row)
        return row

    def id_of(self, path: str, number: int | str) -> int | None:
        for row in self.rows[path]:
            if str(row["number"]) == str(number):
                return int(row["id"])
        return None

    def product(
        self,
        number: str,
        name: str,
        group: int,
        *,
        cost_price: float = 1.0,
        sales_price: float = 2.0,
        stock: float = 0.0,
        batch: bool = False,
        serial: bool = False,
        unit: int | None = None,
    ) -> dict[str, Any]:
        group_row = next((g for g in self.rows["product-groups"] if g["number"] == group), None)
        row = {
            "id": self._id(),
            "number": number,
            "name": name,
            "group": {"number": group, "name": group_row["name"] if group_row else ""},
            "group_id": group_row["id"] if group_row else None,
            "cost_price": cost_price,
            "sales_price": sales_price,
            "unit_id": self.id_of("units", unit) if unit is not None else None,
            "barcode": None,
            "stock_quantity": stock,
            "available_quantity": stock,
            "batch_control": {"is_active": batch},
            "serial_numbers": {"is_active": serial},
        }
        self.rows["products"].append(row)
        return row

    def party(
        self, path: str, number: int, name: str, group: int, payment_terms: int = 1
    ) -> dict[str, Any]:
        kind = "customer" if path == "customers" else "supplier"
        row = {
            "id": self._id(),
            "number": number,
            "company_name": name,
            f"{kind}_group_id": self.id_of(f"{kind}-groups", group),
            "payment_terms_id": self.id_of("payment-terms", payment_terms),
            "vat_zone": "1",
            "currency": "EUR",
            "address_country": "FI",
        }
        self.rows[path].append(row)
        return row

    def standard(self) -> AccountLists:
        """A small, plausible Finnish account: two of everything."""
        self.reference("product-groups", 1, "Tarvikkeet")
        self.reference("product-groups", 2, "Työkalut")
        self.reference("customer-groups", 1, "Kotimaa")
        self.reference("supplier-groups", 1, "Kotimaiset")
        self.reference("units", 1, "kpl")
        self.reference("units", 2, "m")
        self.reference("locations", 1, "Päävarasto")
        self.reference("payment-terms", 1, "14 päivää netto")
        self.reference("layouts", 1, "Perus")
        self.reference("employees", 1, "Anna Admin")
        return self


def list_reply(lists: AccountLists, path: str, query: dict[str, list[str]]) -> Reply:
    try:
        limit = int(query.get("limit", ["20"])[0])
        page = int(query.get("page", ["1"])[0])
    except ValueError:
        return _json(422, {"message": "The given data was invalid."})
    if not 1 <= limit <= 1000 or page < 1:
        return _json(422, {"message": "The given data was invalid."})
    rows = lists.rows[path]
    total = len(rows)
    chunk = rows[(page - 1) * limit : page * limit]
    envelope = {
        ACCOUNT_LISTS[path]: chunk,
        "total": total,
        "pages": max(1, -(-total // limit)),
        "limit": limit,
        "page": page,
    }
    return _json(206, envelope)


def _json(status: int, body: Any) -> Reply:
    return Reply(status, json.dumps(body).encode())
