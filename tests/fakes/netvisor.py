"""A local Netvisor API: ``salesinvoicelist.nv`` for invoices and pre-invoices (orders).

It checks what the real one checks, independently of the client's code: every authentication
header, the MAC (HMAC-SHA256 keyed ``CustomerKey&PartnerKey`` over the URL as received and the
header values, per domain.md), and that a transaction id is never reused under one partner
(``REQUEST_NOT_UNIQUE``). It counts calls that overlap for one company, which Netvisor asks
integrations never to do. Failures are scripted with ``fail_next`` (see the ``reply_*`` helpers).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from tests.fakes.server import FakeHandler, FakeUpstream, Reply

REQUIRED_HEADERS = (
    "X-Netvisor-Authentication-Sender",
    "X-Netvisor-Authentication-CustomerId",
    "X-Netvisor-Authentication-PartnerId",
    "X-Netvisor-Authentication-Timestamp",
    "X-Netvisor-Authentication-TimestampUnix",
    "X-Netvisor-Authentication-TransactionId",
    "X-Netvisor-Authentication-MAC",
    "X-Netvisor-Authentication-MACHashCalculationAlgorithm",
    "X-Netvisor-Authentication-UseHTTPResponseStatusCodes",
    "X-Netvisor-Interface-Language",
    "X-Netvisor-Organisation-ID",
)

FAILURE_STATUS = {
    "AUTHENTICATION_FAILED": 403,
    "REQUEST_NOT_UNIQUE": 400,
    "INVALID_DATA": 400,
    "SERVICE_ACCESS_ERROR": 403,
    "SYSTEM_MAINTENANCE": 503,
    "TECHNICAL_ERROR": 500,
}


@dataclass(frozen=True)
class Document:
    key: int
    number: str
    date: str = "2025-01-02"
    status: str = "open"


@dataclass
class NetvisorCompany:
    customer_id: str
    customer_key: str
    partner_id: str
    organisation_id: str
    invoices: list[Document] = field(default_factory=list)
    preinvoices: list[Document] = field(default_factory=list)


def xml_reply(status: int, inner: str) -> Reply:
    body = f'<?xml version="1.0" encoding="utf-8"?>\n<Root>{inner}</Root>'
    return Reply(status, body.encode(), content_type="text/xml; charset=utf-8")


def reply_failed(code: str, message: str = "details") -> Reply:
    status = FAILURE_STATUS.get(code, 400)
    inner = (
        "<ResponseStatus><Status>FAILED</Status>"
        f"<Status>{escape(code)} :: {escape(message)}</Status>"
        "<TimeStamp>2025-01-06 12:00:00</TimeStamp></ResponseStatus>"
    )
    return xml_reply(status, inner)


def reply_malformed() -> Reply:
    return Reply(200, b"<Root><ResponseStatus><Status>OK</Status>", content_type="text/xml")


def reply_entity_bomb() -> Reply:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<Root><ResponseStatus><Status>OK</Status></ResponseStatus>"
        b"<SalesInvoiceList><SalesInvoice><NetvisorKey>1</NetvisorKey>"
        b"<InvoiceNumber>&lol2;</InvoiceNumber></SalesInvoice></SalesInvoiceList></Root>"
    )
    return Reply(200, body, content_type="text/xml")


def reply_server_error(status: int = 503, retry_after: str | None = None) -> Reply:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Reply(status, b"<html>busy</html>", content_type="text/html", headers=headers)


def reply_rate_limited(retry_after: str | None = "1") -> Reply:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Reply(429, b"", content_type="text/plain", headers=headers)


def expected_mac(url: str, headers: dict[str, str], customer_key: str, partner_key: str) -> str:
    fields = [
        url,
        headers["X-Netvisor-Authentication-Sender"],
        headers["X-Netvisor-Authentication-CustomerId"],
        headers["X-Netvisor-Authentication-Timestamp"],
        headers["X-Netvisor-Interface-Language"],
        headers["X-Netvisor-Organisation-ID"],
        headers["X-Netvisor-Authentication-TransactionId"],
        headers["X-Netvisor-Authentication-TimestampUnix"],
        customer_key,
        partner_key,
    ]
    key = (customer_key + "&" + partner_key).encode("latin-1")
    return hmac.new(key, "&".join(fields).encode("latin-1"), hashlib.sha256).hexdigest()


class FakeNetvisor(FakeUpstream):
    def __init__(self, latency: float = 0.0, page_size: int = 500) -> None:
        super().__init__(latency)
        self.page_size = page_size
        self.partners: dict[str, str] = {}
        self._companies: dict[str, NetvisorCompany] = {}
        self._transaction_ids: set[tuple[str, str]] = set()
        self._in_flight: Counter[str] = Counter()
        self.max_in_flight: Counter[str] = Counter()
        self.overlaps = 0
        self.rejected: Counter[str] = Counter()
        self._data_lock = threading.Lock()

    def add_partner(self, partner_id: str, partner_key: str) -> None:
        self.partners[partner_id] = partner_key

    def add_company(self, company: NetvisorCompany) -> NetvisorCompany:
        with self._data_lock:
            self._companies[company.customer_id] = company
        return company

    def add_document(
        self, customer_id: str, series: str, number: str, status: str = "open"
    ) -> Document:
        with self._data_lock:
            company = self._companies[customer_id]
            documents = company.invoices if series == "invoice" else company.preinvoices
            key = max((d.key for d in company.invoices + company.preinvoices), default=0) + 1
            document = Document(key, number, status=status)
            documents.append(document)
            return document

    def invoice(self, customer_id: str, key: int) -> None:
        """The order ``key`` was invoiced in Netvisor (its status says so from now on)."""
        with self._data_lock:
            company = self._companies[customer_id]
            company.preinvoices = [
                Document(d.key, d.number, d.date, "Invoiced") if d.key == key else d
                for d in company.preinvoices
            ]

    @contextmanager
    def concurrency(self, handler: FakeHandler) -> Iterator[None]:
        customer = handler.headers.get("X-Netvisor-Authentication-CustomerId", "")
        with self._data_lock:
            self._in_flight[customer] += 1
            if self._in_flight[customer] > 1:
                self.overlaps += 1
            self.max_in_flight[customer] = max(
                self.max_in_flight[customer], self._in_flight[customer]
            )
        try:
            yield
        finally:
            with self._data_lock:
                self._in_flight[customer] -= 1

    def respond(self, handler: FakeHandler) -> Reply:
        headers = {name: handler.headers.get(name, "") for name in REQUIRED_HEADERS}
        problem = self._authenticate(handler, headers)
        if problem is not None:
            with self._data_lock:
                self.rejected[problem] += 1
            return reply_failed(problem)
        url = urlsplit(handler.path)
        if url.path != "/salesinvoicelist.nv":
            return reply_failed("INVALID_DATA", "unknown resource")
        query = parse_qs(url.query)
        above = query.get("invoicesabovenetvisorkey", [None])[0]
        if above is not None and not above.isdigit():
            return reply_failed("INVALID_DATA", "invoicesabovenetvisorkey")
        with self._data_lock:
            company = self._companies[headers["X-Netvisor-Authentication-CustomerId"]]
            preinvoice = query.get("listtype", [""])[0] == "preinvoice"
            documents = company.preinvoices if preinvoice else company.invoices
            selected = sorted(
                (d for d in documents if above is None or d.key > int(above)),
                key=lambda d: d.key,
            )[: self.page_size]
        rows = "".join(
            "<SalesInvoice>"
            f"<NetvisorKey>{d.key}</NetvisorKey>"
            f"<InvoiceNumber>{escape(d.number)}</InvoiceNumber>"
            f'<Invoicedate format="ansi">{d.date}</Invoicedate>'
            f"<InvoiceStatus>{escape(d.status)}</InvoiceStatus>"
            "</SalesInvoice>"
            for d in selected
        )
        status = "<ResponseStatus><Status>OK</Status><TimeStamp>x</TimeStamp></ResponseStatus>"
        return xml_reply(200, f"{status}<SalesInvoiceList>{rows}</SalesInvoiceList>")

    def _authenticate(self, handler: FakeHandler, headers: dict[str, str]) -> str | None:
        if any(not value for value in headers.values()):
            return "AUTHENTICATION_FAILED"
        if headers["X-Netvisor-Authentication-MACHashCalculationAlgorithm"] != "HMACSHA256":
            return "AUTHENTICATION_FAILED"
        with self._data_lock:
            company = self._companies.get(headers["X-Netvisor-Authentication-CustomerId"])
            partner_key = self.partners.get(headers["X-Netvisor-Authentication-PartnerId"])
        if company is None or partner_key is None:
            return "AUTHENTICATION_FAILED"
        if headers["X-Netvisor-Organisation-ID"] != company.organisation_id:
            return "AUTHENTICATION_FAILED"
        url = f"http://{handler.headers.get('Host', '')}{handler.path}"
        mac = expected_mac(url, headers, company.customer_key, partner_key)
        if not hmac.compare_digest(mac, headers["X-Netvisor-Authentication-MAC"]):
            return "AUTHENTICATION_FAILED"
        transaction = (
            headers["X-Netvisor-Authentication-PartnerId"],
            headers["X-Netvisor-Authentication-TransactionId"],
        )
        with self._data_lock:
            if transaction in self._transaction_ids:
                return "REQUEST_NOT_UNIQUE"
            self._transaction_ids.add(transaction)
        return None
