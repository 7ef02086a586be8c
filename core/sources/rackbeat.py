"""Rackbeat REST client: the highest invoice and order numbers, and a connection test.

Per domain.md ("APIs for the monitor"): bearer token, JSON, lists answer HTTP 206 with
``{"<plural>": [...], "total", "pages", "limit", "page"}``; the highest number of a series is
the first row of ``order_by=number&order_direction=DESC&limit=1``; ``GET self`` names the
account. No rate limit is published, so 429 is met with backoff (``Retry-After`` honoured).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection
from typing import Any
from urllib.parse import quote

import httpx

from core.credentials import RackbeatCredentials
from core.imports.ports import RecordRejected
from core.sources.http import (
    DEFAULT_TIMEOUT,
    OwnedHttpClient,
    RetryPolicy,
    call_with_retries,
    tls_context,
    transient_status,
)
from core.sources.identity import user_agent as default_user_agent
from core.sources.ratelimit import UNLIMITED, RequestGate
from core.upstream import Series, Source, SourceRejected, SourceUnavailable, parse_number

USER_AGENT = default_user_agent()
"""Without RACKBEAT_CONTACT: the project's address as the contact (core/sources/identity.py)."""

RESOURCES: dict[Series, tuple[str, str]] = {
    Series.INVOICE: ("customer-invoices", "customer_invoices"),
    Series.ORDER: ("orders", "orders"),
}
"""Per series: the URL path and the key of the list in the answer."""

_REJECTIONS = {
    401: ("unauthorized", "Rackbeat refused the API token (HTTP 401)."),
    403: ("forbidden", "The Rackbeat API token may not read this (HTTP 403)."),
    404: ("not_found", "Rackbeat does not know this address (HTTP 404): check RACKBEAT_API_URL."),
    422: ("invalid_request", "Rackbeat refused the request as invalid (HTTP 422)."),
}


class _RackbeatHttp(OwnedHttpClient):
    """What both Rackbeat clients share: the account, the shared ``httpx.Client`` (share one
    among many to pool sockets), and the account's request ceiling ``gate`` that every request
    passes (``core.sources.ratelimit``; the default lets everything through)."""

    def __init__(
        self,
        base_url: str,
        credentials: RackbeatCredentials,
        gate: RequestGate = UNLIMITED,
        *,
        http: httpx.Client | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = USER_AGENT,
        stop: threading.Event | None = None,
    ) -> None:
        self._base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._credentials = credentials
        self._gate = gate
        # Set when the work is cancelled: a request still waiting for the ceiling is dropped.
        self._stop = stop
        self._owns_http = http is None
        self._http = (
            http if http is not None else httpx.Client(timeout=timeout, verify=tls_context())
        )
        self._timeout = timeout
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._user_agent = user_agent

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base_url!r})"

    def _build(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> httpx.Request:
        return self._http.build_request(
            method,
            self._base_url + path,
            params=params,
            json=body,
            headers={
                "Authorization": f"Bearer {self._credentials.api_token.get_secret_value()}",
                "Accept": "application/json",
                "User-Agent": self._user_agent,
            },
            timeout=self._timeout,
        )

    def _send(self, request: httpx.Request) -> httpx.Response:
        """One request through the account's gate (held until the answer came back)."""
        if not self._gate.acquire(self._stop):
            raise RackbeatBusy("stopped", "The import was stopped before this request was sent.")
        try:
            return self._http.send(request)
        finally:
            self._gate.release()


class RackbeatClient(_RackbeatHttp):
    """Reads from one Rackbeat account: numbers, the company's name, pages of lists."""

    def company_name(self) -> str:
        """The account's company name (the connection test: "connected to <company>")."""
        body = self._get_json("self", {})
        account = body.get("user_account")
        name = account.get("company_name") if isinstance(account, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise _malformed("the answer to 'self' has no user_account.company_name")
        return name.strip()

    def highest_number(self, series: Series) -> int | None:
        """The highest document number of ``series`` (``None`` while there is none)."""
        path, key = RESOURCES[series]
        params = {"order_by": "number", "order_direction": "DESC", "limit": "1"}
        body = self._get_json(path, params)
        rows = body.get(key)
        if not isinstance(rows, list):
            raise _malformed(f"the answer to {path!r} has no {key!r} list")
        if not rows:
            return None
        first = rows[0]
        number = first.get("number") if isinstance(first, dict) else None
        if isinstance(number, bool) or not isinstance(number, int | str):
            raise _malformed(f"the first row of {path!r} has no number")
        try:
            return parse_number(str(number))
        except ValueError as exc:
            raise _malformed(f"the first row of {path!r} has a non-numeric number") from exc

    def read_page(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        """One answer of ``path`` as a JSON object (the account snapshot pages lists with it,
        see ``core/account/reader.py``); errors are translated like every other read."""
        return self._get_json(path, params)

    def _get_json(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        return call_with_retries(
            self._send,
            lambda: self._build("GET", path, params=params),
            _handle,
            source=Source.RACKBEAT,
            policy=self._retry,
            sleep=self._sleep,
        )


def _handle(response: httpx.Response) -> dict[str, Any]:
    retry = transient_status(response, Source.RACKBEAT)
    if retry is not None:
        raise retry
    if response.status_code in _REJECTIONS:
        code, reason = _REJECTIONS[response.status_code]
        raise SourceRejected(Source.RACKBEAT, code, reason)
    if response.status_code not in (httpx.codes.OK, httpx.codes.PARTIAL_CONTENT):
        if response.is_client_error:
            raise SourceRejected(
                Source.RACKBEAT,
                f"http_{response.status_code}",
                f"Rackbeat refused the request (HTTP {response.status_code}).",
            )
        raise SourceUnavailable(
            Source.RACKBEAT,
            f"http_{response.status_code}",
            f"Rackbeat gave an unexpected answer (HTTP {response.status_code}).",
        )
    try:
        body = response.json()
    except ValueError as exc:
        raise _malformed("the answer is not JSON") from exc
    if not isinstance(body, dict):
        raise _malformed("the answer is not a JSON object")
    return body


def _malformed(what: str) -> SourceUnavailable:
    return SourceUnavailable(
        Source.RACKBEAT, "malformed", f"Rackbeat's answer is unusable: {what}."
    )


# --- records: the import's reads and writes (core.imports.ports) ----------------------------

# Register → (URL path, key of one record in an answer). Lists use the path as their key.
RECORD_PATHS = {
    "products": ("products", "product"),
    "customers": ("customers", "customer"),
    "suppliers": ("suppliers", "supplier"),
}
# Fewer numbers than this are looked up one by one; more, by reading the whole list.
_SINGLE_LOOKUPS = 20
_PAGE = 1000


class RackbeatBusy(SourceUnavailable):
    """429, 5xx, timeout or no connection: worth another try, after ``retry_after`` if given."""

    def __init__(self, code: str, reason: str, retry_after: float | None = None) -> None:
        super().__init__(Source.RACKBEAT, code, reason)
        self.retry_after = retry_after


class RackbeatRecords(_RackbeatHttp):
    """Reads and writes customers, suppliers and products of one account, one call per request.

    Every request passes ``gate`` (the account's request ceiling). Writes are tried once: the
    import's runner decides about retries, because a create that timed out may have reached
    Rackbeat and must be looked up before it is sent again. Reads retry on their own.
    """

    # -- AccountReader ---------------------------------------------------------------------

    def find_existing(self, register: str, numbers: Collection[str]) -> dict[str, Any]:
        wanted = {str(n) for n in numbers}
        if len(wanted) < _SINGLE_LOOKUPS:
            found = {n: self.find_record(register, n) for n in sorted(wanted)}
            return {n: record for n, record in found.items() if record is not None}
        path, _ = RECORD_PATHS[str(register)]
        return {
            str(row.get("number")): row
            for row in self._all(path)
            if str(row.get("number")) in wanted
        }

    def reference_ids(self, path: str) -> dict[str, str]:
        return {
            str(row.get("number")): str(row.get("id"))
            for row in self._all(path)
            if row.get("number") is not None and row.get("id") is not None
        }

    # -- RecordWriter ----------------------------------------------------------------------

    def find_record(self, register: str, number: str) -> dict[str, Any] | None:
        path, key = RECORD_PATHS[str(register)]
        response = self._with_retries(lambda: self._request("GET", f"{path}/{_quoted(number)}"))
        if response.status_code == httpx.codes.NOT_FOUND:
            return None
        return _record(_accepted(response), key)

    def create_record(self, register: str, body: dict[str, Any]) -> str:
        path, key = RECORD_PATHS[str(register)]
        return _id_of(_record(_accepted(self._request("POST", path, body)), key))

    def update_record(self, register: str, number: str, body: dict[str, Any]) -> str:
        path, key = RECORD_PATHS[str(register)]
        response = self._request("PUT", f"{path}/{_quoted(number)}", body)
        if response.status_code == httpx.codes.NOT_FOUND:
            raise RecordRejected("Rackbeat has no record with this number any more (HTTP 404).")
        return _id_of(_record(_accepted(response), key))

    # -- plumbing --------------------------------------------------------------------------

    def _all(self, path: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        page = 1
        while True:
            params = {"limit": str(_PAGE), "page": str(page)}
            response = self._with_retries(
                lambda params=params: self._request("GET", path, params=params)  # type: ignore[misc]
            )
            body = _accepted(response)
            found = body.get(path.replace("-", "_"))
            if not isinstance(found, list):
                raise _malformed(f"the answer to {path!r} has no list")
            rows.extend(row for row in found if isinstance(row, dict))
            pages = body.get("pages")
            if not found or not isinstance(pages, int) or page >= pages:
                return rows
            page += 1

    def _with_retries(self, call: Callable[[], httpx.Response]) -> httpx.Response:
        for attempt in range(1, self._retry.attempts + 1):
            try:
                return call()
            except RackbeatBusy as busy:
                if attempt == self._retry.attempts:
                    raise
                wait = busy.retry_after
                self._sleep(wait if wait is not None else self._retry.backoff(attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def _request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        params: dict[str, str] | None = None,
    ) -> httpx.Response:
        """One request through the gate; 429/5xx/no answer become ``RackbeatBusy`` and a
        refused token ``SourceRejected``."""
        try:
            response = self._send(self._build(method, path, body, params))
        except httpx.TimeoutException as exc:
            raise RackbeatBusy("timeout", "Rackbeat did not answer in time.") from exc
        except httpx.HTTPError as exc:
            raise RackbeatBusy("connection", "Rackbeat could not be reached.") from exc
        retry = transient_status(response, Source.RACKBEAT)
        if retry is not None:
            raise RackbeatBusy(retry.error.code, retry.error.reason, retry.retry_after)
        if response.status_code in (401, 403):
            code, reason = _REJECTIONS[response.status_code]
            raise SourceRejected(Source.RACKBEAT, code, reason)
        return response


def _accepted(response: httpx.Response) -> dict[str, Any]:
    """The JSON body of a 200/201/206; a 422 as ``RecordRejected`` with Rackbeat's words."""
    if response.status_code == httpx.codes.UNPROCESSABLE_ENTITY:
        raise RecordRejected(_rejection_text(response))
    if response.status_code not in (200, 201, 206):
        return _handle(response)  # raises the same errors the reading client does
    try:
        body = response.json()
    except ValueError as exc:
        raise _malformed("the answer is not JSON") from exc
    if not isinstance(body, dict):
        raise _malformed("the answer is not a JSON object")
    return body


def _rejection_text(response: httpx.Response) -> str:
    """``message`` and every field error of a 422, as one line (kept in the result file)."""
    try:
        body = response.json()
    except ValueError:
        return "Rackbeat refused the record (HTTP 422)."
    if not isinstance(body, dict):
        return "Rackbeat refused the record (HTTP 422)."
    parts = [str(body.get("message") or "Rackbeat refused the record (HTTP 422).")]
    errors = body.get("errors")
    if isinstance(errors, dict):
        for field, texts in errors.items():
            shown = "; ".join(str(t) for t in texts) if isinstance(texts, list) else str(texts)
            parts.append(f"{field}: {shown}")
    return " ".join(parts)[:1000]


def _record(body: dict[str, Any], key: str) -> dict[str, Any]:
    record = body.get(key, body)
    if not isinstance(record, dict):
        raise _malformed(f"the answer has no {key!r}")
    return record


def _id_of(record: dict[str, Any]) -> str:
    value = record.get("id")
    if value is None:
        raise _malformed("the saved record has no id")
    return str(value)


def _quoted(number: str) -> str:
    return quote(number, safe="")
