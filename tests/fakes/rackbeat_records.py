"""The fake Rackbeat's customers, suppliers, products and reference lists (the import's API).

``POST products|customers|suppliers`` creates (201, the record under its singular key), ``PUT
<path>/<number>`` updates (200), ``GET <path>/<number>`` reads one (404 if absent), ``GET
<path>`` and the reference lists page like every list (206, ``limit`` ≤ 1000, ``page``). The
API's validation (domain.md): required fields, a unique number, references that must exist;
a 422 carries ``{"message", "errors": {field: [text]}}``.

Scripting: ``fail_number`` makes one record's writes fail (422, 429 with Retry-After, 5xx);
``answer_late`` saves a record and answers after a delay (a client that timed out has still
created it); ``revoke`` turns a token away (401). Every request's arrival time is kept, so a
test can count requests per window the way Rackbeat would (``most_in_a_window``).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from tests.fakes.server import FakeHandler, RecordedRequest, Reply

if TYPE_CHECKING:
    from tests.fakes.rackbeat import RackbeatAccount

# Record path → key of one record in an answer.
RECORD_KEYS = {"products": "product", "customers": "customer", "suppliers": "supplier"}
REFERENCE_LISTS = (
    "product-groups",
    "customer-groups",
    "supplier-groups",
    "units",
    "locations",
    "payment-terms",
    "layouts",
)
# Field → the reference list its id (or, for a product's group, its number) must exist in.
_ID_REFERENCES = {
    "unit_id": "units",
    "default_location_id": "locations",
    "default_supplier_id": "suppliers",
    "customer_group_id": "customer-groups",
    "supplier_group_id": "supplier-groups",
    "payment_terms_id": "payment-terms",
    "layout_id": "layouts",
}
_REQUIRED = {
    "products": ("number", "name", "group", "sales_price"),
    "customers": ("number", "company_name", "customer_group_id", "payment_terms_id"),
    "suppliers": ("number", "company_name", "supplier_group_id", "payment_terms_id"),
}


def _reply(status: int, body: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, json.dumps(body).encode(), headers=headers or {})


def invalid(errors: dict[str, list[str]]) -> Reply:
    return _reply(422, {"message": "The given data was invalid.", "errors": errors})


@dataclass
class _Scripted:
    reply: Reply
    times: int | None  # None: every time


class RecordsRoutes:
    """Mixed into ``FakeRackbeat`` (which holds the accounts and the data lock)."""

    _data_lock: threading.Lock
    _accounts: dict[str, RackbeatAccount]

    def init_records(self) -> None:
        self._by_number: dict[str, _Scripted] = {}
        self._late: dict[str, float] = {}
        self.arrivals: list[float] = []
        self._next_id = 1000

    # -- scripting ---------------------------------------------------------------------------

    def add_reference(self, token: str, path: str, number: str, name: str = "") -> int:
        with self._data_lock:
            self._next_id += 1
            rows = self._accounts[token].references.setdefault(path, [])
            rows.append({"id": self._next_id, "number": number, "name": name or number})
            return self._next_id

    def add_record(self, token: str, path: str, record: dict[str, Any]) -> dict[str, Any]:
        with self._data_lock:
            self._next_id += 1
            stored = {"id": self._next_id, "stock_quantity": 0, **record}
            self._accounts[token].records[path][str(record["number"])] = stored
            return stored

    def records_of(self, token: str, path: str) -> dict[str, dict[str, Any]]:
        with self._data_lock:
            return dict(self._accounts[token].records[path])

    def fail_number(self, number: str, reply: Reply, times: int | None = None) -> None:
        with self._data_lock:
            self._by_number[str(number)] = _Scripted(reply, times)

    def answer_late(self, number: str, delay: float) -> None:
        """Save ``number`` as usual but answer only after ``delay`` seconds (once)."""
        with self._data_lock:
            self._late[str(number)] = delay

    def revoke(self, token: str) -> None:
        with self._data_lock:
            account = self._accounts.pop(token)
            self._accounts[f"revoked:{token}"] = account

    def unrevoke(self, token: str) -> None:
        """The same account answers ``token`` again (as if connected with a new token)."""
        with self._data_lock:
            self._accounts[token] = self._accounts.pop(f"revoked:{token}")

    def record(self, request: RecordedRequest) -> None:
        super().record(request)  # type: ignore[misc]
        with self._data_lock:
            self.arrivals.append(time.time())

    def most_in_a_window(self, window: float = 60.0) -> int:
        """The most requests that arrived in one window (windows aligned on the clock, as a
        per-minute counter would count them)."""
        with self._data_lock:
            counts = Counter(int(at // window) for at in self.arrivals)
        return max(counts.values(), default=0)

    def writes(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method in ("POST", "PUT")]  # type: ignore[attr-defined]

    # -- routes ------------------------------------------------------------------------------

    def is_records_route(self, resource: str) -> bool:
        head = resource.split("/", 1)[0]
        return head in RECORD_KEYS or head in REFERENCE_LISTS

    def records_route(
        self,
        handler: FakeHandler,
        account: RackbeatAccount,
        resource: str,
        query: dict[str, list[str]],
    ) -> Reply:
        head, _, rest = resource.partition("/")
        number = unquote(rest) if rest else None
        method = handler.command
        if head in REFERENCE_LISTS:
            if method != "GET" or number:
                return _reply(405, {"message": "Method Not Allowed"})
            return _page(head.replace("-", "_"), account.references.get(head, []), query)
        records = account.records[head]
        if method == "GET" and number is None:
            return _page(head, list(records.values()), query)
        if method == "GET":
            found = records.get(number or "")
            if found is None:
                return _reply(404, {"message": "Not Found"})
            return _reply(200, {RECORD_KEYS[head]: found})
        try:
            body = json.loads(handler.request_body or b"{}")
        except ValueError:
            return _reply(400, {"message": "Malformed JSON"})
        if not isinstance(body, dict):
            return _reply(400, {"message": "Malformed JSON"})
        target = number if method == "PUT" else str(body.get("number", ""))
        scripted = self._scripted(target)
        if scripted is not None:
            return scripted
        if method == "POST":
            reply = self._create(account, head, body)
        elif method == "PUT":
            reply = self._update(account, head, number or "", body)
        else:
            return _reply(405, {"message": "Method Not Allowed"})
        late = self._late.pop(target, None)
        return replace(reply, delay_after=late) if late else reply

    def _scripted(self, number: str) -> Reply | None:
        scripted = self._by_number.get(number)
        if scripted is None:
            return None
        if scripted.times is not None:
            scripted.times -= 1
            if scripted.times <= 0:
                del self._by_number[number]
        return scripted.reply

    def _create(self, account: RackbeatAccount, path: str, body: dict[str, Any]) -> Reply:
        errors = _validate(account, path, body, creating=True)
        number = str(body.get("number", ""))
        if number in account.records[path]:
            errors.setdefault("number", []).append("The number has already been taken.")
        if errors:
            return invalid(errors)
        self._next_id += 1
        stored = _stored(account, path, {"id": self._next_id, "stock_quantity": 0, **body})
        account.records[path][number] = stored
        return _reply(201, {RECORD_KEYS[path]: stored})

    def _update(
        self, account: RackbeatAccount, path: str, number: str, body: dict[str, Any]
    ) -> Reply:
        found = account.records[path].get(number)
        if found is None:
            return _reply(404, {"message": "Not Found"})
        errors = _validate(account, path, body, creating=False)
        if "number" in body and str(body["number"]) != number:
            errors.setdefault("number", []).append("The number cannot be changed.")
        if errors:
            return invalid(errors)
        merged = _stored(account, path, _merge(found, body))
        account.records[path][number] = merged
        return _reply(200, {RECORD_KEYS[path]: merged})


def _merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    out = dict(old)
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def _validate(
    account: RackbeatAccount, path: str, body: dict[str, Any], *, creating: bool
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if creating:
        for name in _REQUIRED[path]:
            if body.get(name) in (None, ""):
                errors.setdefault(name, []).append(f"The {name} field is required.")
    number = body.get("number")
    if path == "products" and number is not None and len(str(number)) > 25:
        errors.setdefault("number", []).append("The number may not be greater than 25.")
    if path != "products" and number is not None and not isinstance(number, int):
        errors.setdefault("number", []).append("The number must be an integer.")
    for name in ("sales_price", "recommended_cost_price", "min_stock"):
        if name in body:
            try:
                Decimal(str(body[name]))
            except InvalidOperation:
                errors.setdefault(name, []).append(f"The {name} must be a number.")
    if path == "products" and body.get("group") is not None:
        groups = {str(g["number"]) for g in account.references.get("product-groups", [])}
        if str(body["group"]) not in groups:
            errors.setdefault("group", []).append("The selected group is invalid.")
    for name, reference in _ID_REFERENCES.items():
        if body.get(name) is None:
            continue
        if reference == "suppliers":
            ids = {str(r["id"]) for r in account.records["suppliers"].values()}
        else:
            ids = {str(r["id"]) for r in account.references.get(reference, [])}
        if str(body[name]) not in ids:
            errors.setdefault(name, []).append(f"The selected {name} is invalid.")
    return errors


def _stored(account: RackbeatAccount, path: str, record: dict[str, Any]) -> dict[str, Any]:
    """The record as a read returns it: a product's group as an object, its cost price."""
    out = dict(record)
    if path == "products":
        group = out.get("group")
        if group is not None and not isinstance(group, dict):
            rows = account.references.get("product-groups", [])
            found = next((g for g in rows if str(g["number"]) == str(group)), None)
            out["group"] = {"number": str(group), "name": found["name"] if found else ""}
            out["group_id"] = found["id"] if found else None
        if "recommended_cost_price" in out:
            out["cost_price"] = out["recommended_cost_price"]
    return out


def _page(key: str, rows: list[dict[str, Any]], query: dict[str, list[str]]) -> Reply:
    try:
        limit = int(query.get("limit", ["20"])[0])
        page = int(query.get("page", ["1"])[0])
    except ValueError:
        return invalid({"limit": ["The limit must be an integer."]})
    if not 1 <= limit <= 1000 or page < 1:
        return invalid({"limit": ["The limit must be between 1 and 1000."]})
    total = len(rows)
    start = (page - 1) * limit
    envelope = {
        key: rows[start : start + limit],
        "total": total,
        "pages": max(1, -(-total // limit)),
        "limit": limit,
        "page": page,
    }
    return _reply(206, envelope)
