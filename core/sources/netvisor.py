"""Netvisor XML client: sales invoices and orders (pre-invoices), read incrementally.

Authentication per domain.md ("APIs for the monitor"): every request carries the
``X-Netvisor-*`` headers and a MAC = hex HMAC-SHA256, keyed with ``CustomerKey&PartnerKey``, over
``url&Sender&CustomerId&Timestamp&Language&OrganisationId&TransactionId&TimestampUnix&
CustomerKey&PartnerKey`` with the URL exactly as sent. The transaction id is new for every
request, retries included (Netvisor rejects a reused one with ``REQUEST_NOT_UNIQUE``).
``TimestampUnix`` is in seconds, and Netvisor hashes text as ISO-8859-15 (Netvisor's
authentication documentation); every value we hash is ASCII, where the two agree.

Netvisor asks for one call at a time per customer environment and a generous timeout (its API
guide suggests at least 120 s); serialising calls per company is the caller's job (one client
per company, used by one thread at a time).

Answers are parsed with defusedxml (no DTDs, no entity expansion). A single
``<SalesInvoice>`` is a list of one. ``Root/ResponseStatus/Status`` ``FAILED`` plus
``CODE :: message`` becomes ``SourceRejected`` (or ``SourceUnavailable`` for Netvisor's
transient codes) carrying the code; Netvisor's free text is not passed on.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlencode
from xml.etree.ElementTree import Element, ParseError

import httpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from core.credentials import NetvisorCredentials
from core.sources.http import (
    OwnedHttpClient,
    Retry,
    RetryPolicy,
    call_with_retries,
    tls_context,
    transient_status,
)
from core.upstream import Series, Source, SourceRejected, SourceUnavailable, parse_number

SENDER = "rackbeat-onboarding-bot"
DEFAULT_TIMEOUT = httpx.Timeout(120.0, connect=10.0)
PAGE_SIZE = 500
"""Netvisor caps list answers; a shorter page means we have read everything."""
MAX_PAGES = 200

TRANSIENT_CODES = frozenset({"REQUEST_NOT_UNIQUE", "SYSTEM_MAINTENANCE", "TECHNICAL_ERROR"})


@dataclass(frozen=True, slots=True)
class NetvisorDocument:
    key: int
    """NetvisorKey: grows with every new document, the cursor of incremental reads."""
    number: int | None
    """InvoiceNumber when it is a string of digits (``None`` otherwise)."""
    invoice_date: date | None
    status: str


@dataclass(frozen=True, slots=True)
class NetvisorScan:
    """What an incremental read found above the cursor it started from."""

    highest_number: int | None
    last_key: int | None
    """The largest NetvisorKey seen (or the starting cursor when nothing was new)."""
    documents: int
    non_numeric: int

    def merged_with(self, earlier_highest: int | None) -> int | None:
        """The series' highest number given what earlier reads already found."""
        known = [n for n in (earlier_highest, self.highest_number) if n is not None]
        return max(known, default=None)


def compute_mac(url: str, credentials: NetvisorCredentials, headers: dict[str, str]) -> str:
    """The ``X-Netvisor-Authentication-MAC`` for a request to ``url`` with ``headers``."""
    customer_key = credentials.customer_key.get_secret_value()
    partner_key = credentials.partner_key.get_secret_value()
    parts = [
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
    key = f"{customer_key}&{partner_key}".encode("iso-8859-15")
    return hmac.new(key, "&".join(parts).encode("iso-8859-15"), hashlib.sha256).hexdigest()


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _new_transaction_id() -> str:
    return uuid.uuid4().hex


class NetvisorClient(OwnedHttpClient):
    """Reads one Netvisor company. Not for concurrent use: Netvisor wants one call at a time."""

    def __init__(
        self,
        base_url: str,
        credentials: NetvisorCredentials,
        *,
        http: httpx.Client | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = _utc_now,
        transaction_id: Callable[[], str] = _new_transaction_id,
        sender: str = SENDER,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self._base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._credentials = credentials
        self._owns_http = http is None
        self._http = (
            http if http is not None else httpx.Client(timeout=timeout, verify=tls_context())
        )
        self._timeout = timeout
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._transaction_id = transaction_id
        self._sender = sender
        self._page_size = page_size

    def __repr__(self) -> str:
        return (
            f"NetvisorClient(base_url={self._base_url!r}, "
            f"organisation_id={self._credentials.organisation_id!r})"
        )

    def test_connection(self) -> str:
        """Checks the credentials with a cheap read; returns the company's business id.

        Netvisor has no "who am I" resource in the API we use, so the organisation id the
        credentials were accepted for names the company.
        """
        self.list_documents(Series.INVOICE, above_key=2**62)
        return self._credentials.organisation_id

    def list_documents(
        self, series: Series, above_key: int | None = None
    ) -> list[NetvisorDocument]:
        """One ``salesinvoicelist.nv`` answer: invoices, or orders (``listtype=preinvoice``)."""
        params: dict[str, str] = {}
        if series is Series.ORDER:
            params["listtype"] = "preinvoice"
        if above_key is not None:
            params["invoicesabovenetvisorkey"] = str(above_key)
        root = self._get("salesinvoicelist.nv", params)
        return [_document(element) for element in root.iterfind("SalesInvoiceList/SalesInvoice")]

    def scan(self, series: Series, above_key: int | None = None) -> NetvisorScan:
        """Reads every document above ``above_key`` (all of them for ``None``), page by page."""
        cursor, highest, documents, non_numeric = above_key, None, 0, 0
        for _ in range(MAX_PAGES):
            page = self.list_documents(series, cursor)
            if not page:
                break
            documents += len(page)
            numbers = [doc.number for doc in page if doc.number is not None]
            non_numeric += len(page) - len(numbers)
            highest = max([*numbers, *([highest] if highest is not None else [])], default=None)
            newest = max(doc.key for doc in page)
            if cursor is not None and newest <= cursor:
                break  # the filter was not applied: do not loop forever
            cursor = newest
            if len(page) < self._page_size:
                break
        return NetvisorScan(highest, cursor, documents, non_numeric)

    def _get(self, resource: str, params: dict[str, str]) -> Element:
        url = self._base_url + resource + (f"?{urlencode(params)}" if params else "")

        def build() -> httpx.Request:
            request = self._http.build_request("GET", url, timeout=self._timeout)
            request.headers.update(self._auth_headers(str(request.url)))
            return request

        return call_with_retries(
            self._http.send,
            build,
            _handle,
            source=Source.NETVISOR,
            policy=self._retry,
            sleep=self._sleep,
        )

    def _auth_headers(self, url: str) -> dict[str, str]:
        now = self._clock().astimezone(UTC)
        headers = {
            "X-Netvisor-Authentication-Sender": self._sender,
            "X-Netvisor-Authentication-CustomerId": self._credentials.customer_id,
            "X-Netvisor-Authentication-PartnerId": self._credentials.partner_id,
            "X-Netvisor-Authentication-Timestamp": now.strftime("%Y-%m-%d %H:%M:%S.")
            + f"{now.microsecond // 1000:03d}",
            "X-Netvisor-Authentication-TimestampUnix": str(int(now.timestamp())),
            "X-Netvisor-Authentication-TransactionId": self._transaction_id(),
            "X-Netvisor-Authentication-MACHashCalculationAlgorithm": "HMACSHA256",
            "X-Netvisor-Authentication-UseHTTPResponseStatusCodes": "1",
            "X-Netvisor-Interface-Language": self._credentials.language,
            "X-Netvisor-Organisation-ID": self._credentials.organisation_id,
        }
        headers["X-Netvisor-Authentication-MAC"] = compute_mac(url, self._credentials, headers)
        return headers


def _handle(response: httpx.Response) -> Element:
    root = _parse(response)
    if root is not None:
        failure = _failure_code(root)
        if failure in TRANSIENT_CODES:
            raise Retry(
                SourceUnavailable(Source.NETVISOR, failure, f"Netvisor answered {failure}.")
            )
        if failure is not None:
            raise SourceRejected(Source.NETVISOR, failure, f"Netvisor answered {failure}.")
        if response.is_success:
            return root
    retry = transient_status(response, Source.NETVISOR)
    if retry is not None:
        raise retry
    if root is None and response.is_success:
        raise _malformed("the answer is not XML")
    if response.is_client_error:
        raise SourceRejected(
            Source.NETVISOR,
            f"http_{response.status_code}",
            f"Netvisor refused the request (HTTP {response.status_code}).",
        )
    raise SourceUnavailable(
        Source.NETVISOR,
        f"http_{response.status_code}",
        f"Netvisor gave an unexpected answer (HTTP {response.status_code}).",
    )


def _parse(response: httpx.Response) -> Element | None:
    """The XML root, ``None`` for an empty or non-XML error page; unsafe XML is refused."""
    if not response.content.strip():
        return None
    try:
        root: Element = fromstring(response.content, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise SourceUnavailable(
            Source.NETVISOR, "unsafe_xml", "Netvisor's answer contained forbidden XML."
        ) from exc
    except ParseError:
        if response.is_success:
            raise _malformed("the answer is not well-formed XML") from None
        return None
    if root.find("ResponseStatus") is None:
        if response.is_success:
            raise _malformed("the answer has no ResponseStatus")
        return None
    return root


def _failure_code(root: Element) -> str | None:
    """``None`` for ``OK``; the code of ``FAILED`` (``CODE :: message``) otherwise."""
    statuses = [(status.text or "").strip() for status in root.iterfind("ResponseStatus/Status")]
    if statuses and statuses[0].upper() == "OK":
        return None
    if not statuses or statuses[0].upper() != "FAILED":
        return "UNKNOWN_STATUS"
    for text in statuses[1:]:
        code = text.split("::", 1)[0].strip().upper()
        if code and code.replace("_", "").isalnum() and len(code) <= 64:
            return code
    return "FAILED"


def _document(element: Element) -> NetvisorDocument:
    key_text = (element.findtext("NetvisorKey") or "").strip()
    if not key_text.isdigit():
        raise _malformed("a SalesInvoice has no NetvisorKey")
    try:
        number: int | None = parse_number(element.findtext("InvoiceNumber") or "")
    except ValueError:
        number = None
    return NetvisorDocument(
        key=int(key_text),
        number=number,
        invoice_date=_date(element.findtext("Invoicedate")),
        status=(element.findtext("InvoiceStatus") or "").strip(),
    )


def _date(text: str | None) -> date | None:
    """``Invoicedate`` comes as ISO (``format="ansi"``) or Finnish ``DD.MM.YYYY``."""
    value = (text or "").strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _malformed(what: str) -> SourceUnavailable:
    return SourceUnavailable(
        Source.NETVISOR, "malformed", f"Netvisor's answer is unusable: {what}."
    )
