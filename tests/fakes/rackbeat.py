"""A local Rackbeat REST API: accounts by bearer token, the two list resources and ``self``.

Lists answer 206 with the envelope domain.md describes; ``order_by=number`` with
``order_direction=DESC`` is honoured (anything else is a 422, so a client that forgets it is
caught). Failures are scripted with ``fail_next`` (see the ``reply_*`` helpers);
``number_reads_held`` keeps the number lists' readers waiting (a check caught mid-read).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from tests.fakes.rackbeat_account import ACCOUNT_LISTS, AccountLists, list_reply
from tests.fakes.rackbeat_records import RECORD_KEYS, RecordsRoutes
from tests.fakes.server import FakeHandler, FakeUpstream, Reply

LISTS = {"customer-invoices": "customer_invoices", "orders": "orders"}
SERIES_PATH = {"invoice": "customer-invoices", "order": "orders"}
# A held read is let go after this long at the latest, so a test that forgets cannot hang.
HOLD_LIMIT = 120.0


@dataclass
class RackbeatAccount:
    token: str
    company_name: str
    numbers: dict[str, list[int]] = field(default_factory=lambda: {p: [] for p in LISTS})
    # Customers, suppliers and products by number (tests/fakes/rackbeat_records.py).
    records: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {p: {} for p in RECORD_KEYS}
    )
    # Reference lists (product-groups, payment-terms…): rows with id, number, name.
    references: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # A plausible account with one or two of each reference list (group 1, unit kpl, …), so
    # files that use them check clean once Rackbeat is connected; pass AccountLists() for none.
    lists: AccountLists = field(default_factory=lambda: AccountLists().standard())


def json_reply(status: int, body: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, json.dumps(body).encode(), headers=headers or {})


def reply_unauthorized() -> Reply:
    return json_reply(401, {"message": "Unauthenticated."})


def reply_rate_limited(retry_after: str | None = "1") -> Reply:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return json_reply(429, {"message": "Too Many Attempts."}, headers)


def reply_server_error(status: int = 500) -> Reply:
    return Reply(status, b"<html>Server Error</html>", content_type="text/html")


def reply_malformed() -> Reply:
    return Reply(206, b'{"customer_invoices": [{"number": 1', content_type="application/json")


class FakeRackbeat(RecordsRoutes, FakeUpstream):
    base_path: ClassVar[str] = "/api/"

    def __init__(self, latency: float = 0.0) -> None:
        super().__init__(latency)
        self._accounts: dict[str, RackbeatAccount] = {}
        self._data_lock = threading.Lock()
        self.init_records()
        self._list_failures: dict[str, list[Reply]] = {}
        self._numbers_let_go: threading.Event | None = None
        self._numbers_arrived = threading.Event()

    def add_account(
        self,
        token: str,
        company_name: str = "Testi Oy",
        *,
        invoice: int | None = None,
        order: int | None = None,
        lists: AccountLists | None = None,
    ) -> RackbeatAccount:
        account = RackbeatAccount(token, company_name)
        if lists is not None:
            account.lists = lists
        with self._data_lock:
            self._accounts[token] = account
        if invoice is not None:
            self.add_document(token, "invoice", invoice)
        if order is not None:
            self.add_document(token, "order", order)
        return account

    def add_document(self, token: str, series: str, number: int) -> None:
        with self._data_lock:
            self._accounts[token].numbers[SERIES_PATH[series]].append(number)

    @contextmanager
    def number_reads_held(self) -> Iterator[threading.Event]:
        """Reads of the order and invoice numbers wait until the block ends; yields an event
        set when the first one arrives."""
        arrived, let_go = threading.Event(), threading.Event()
        self._numbers_let_go, self._numbers_arrived = let_go, arrived
        try:
            yield arrived
        finally:
            self._numbers_let_go = None
            let_go.set()

    def respond(self, handler: FakeHandler) -> Reply:
        url = urlsplit(handler.path)
        if not url.path.startswith(self.base_path):
            return json_reply(404, {"message": "Not Found"})
        resource = url.path[len(self.base_path) :]
        let_go = self._numbers_let_go
        if let_go is not None and resource in LISTS:
            self._numbers_arrived.set()
            let_go.wait(HOLD_LIMIT)
        auth = handler.headers.get("Authorization", "")
        with self._data_lock:
            account = self._accounts.get(auth.removeprefix("Bearer ")) if auth else None
            if account is None or not auth.startswith("Bearer "):
                return reply_unauthorized()
            if resource == "self":
                return json_reply(200, {"user_account": {"company_name": account.company_name}})
            # Two views of one account: the import's records and references (written by
            # POST/PUT, tests/fakes/rackbeat_records.py) and the account reader's lists
            # (tests/fakes/rackbeat_account.py). A list a test gave records or references for is
            # served from those; any other list read comes from the reader's lists.
            if (
                resource in ACCOUNT_LISTS
                and handler.command == "GET"
                and not account.records.get(resource)
                and resource not in account.references
            ):
                return self._account_list(account, resource, parse_qs(url.query))
            if self.is_records_route(resource):
                return self.records_route(handler, account, resource, parse_qs(url.query))
            if resource not in LISTS:
                return json_reply(404, {"message": "Not Found"})
            return self._list(account, resource, parse_qs(url.query))

    def account(self, token: str) -> RackbeatAccount:
        return self._accounts[token]

    def fail_list(self, resource: str, reply: Reply, times: int = 1) -> None:
        """The next ``times`` requests for ``resource`` (e.g. ``customers``) get ``reply``."""
        with self._data_lock:
            self._list_failures.setdefault(resource, []).extend([reply] * times)

    def _account_list(
        self, account: RackbeatAccount, resource: str, query: dict[str, list[str]]
    ) -> Reply:
        scripted = self._list_failures.get(resource)
        if scripted:
            return scripted.pop(0)
        return list_reply(account.lists, resource, query)

    def _list(self, account: RackbeatAccount, resource: str, query: dict[str, list[str]]) -> Reply:
        order_by = query.get("order_by", [""])[0]
        direction = query.get("order_direction", ["ASC"])[0].upper()
        limit = int(query.get("limit", ["20"])[0])
        if order_by != "number" or direction not in ("ASC", "DESC") or not 1 <= limit <= 1000:
            return json_reply(422, {"message": "The given data was invalid."})
        rows = sorted(account.numbers[resource], reverse=direction == "DESC")
        page = [{"number": number} for number in rows[:limit]]
        total = len(rows)
        envelope = {
            LISTS[resource]: page,
            "total": total,
            "pages": max(1, -(-total // limit)),
            "limit": limit,
            "page": 1,
        }
        return json_reply(206, envelope)
