"""Rackbeat REST client: the highest invoice and order numbers, and a connection test.

Per domain.md ("APIs for the monitor"): bearer token, JSON, lists answer HTTP 206 with
``{"<plural>": [...], "total", "pages", "limit", "page"}``; the highest number of a series is
the first row of ``order_by=number&order_direction=DESC&limit=1``; ``GET self`` names the
account. No rate limit is published, so 429 is met with backoff (``Retry-After`` honoured).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from core.numbering.model import Series, Source, parse_number
from core.sources.credentials import RackbeatCredentials
from core.sources.errors import SourceRejected, SourceUnavailable
from core.sources.http import (
    DEFAULT_TIMEOUT,
    OwnedHttpClient,
    RetryPolicy,
    call_with_retries,
    tls_context,
    transient_status,
)
from core.sources.identity import user_agent as default_user_agent

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


class RackbeatClient(OwnedHttpClient):
    """Reads from one Rackbeat account. Share one ``httpx.Client`` among many to pool sockets."""

    def __init__(
        self,
        base_url: str,
        credentials: RackbeatCredentials,
        *,
        http: httpx.Client | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = USER_AGENT,
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
        self._user_agent = user_agent

    def __repr__(self) -> str:
        return f"RackbeatClient(base_url={self._base_url!r})"

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
        def build() -> httpx.Request:
            return self._http.build_request(
                "GET",
                self._base_url + path,
                params=params,
                headers={
                    "Authorization": f"Bearer {self._credentials.api_token.get_secret_value()}",
                    "Accept": "application/json",
                    "User-Agent": self._user_agent,
                },
                timeout=self._timeout,
            )

        return call_with_retries(
            self._http,
            build,
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
