"""Reading a whole Rackbeat account into an ``AccountSnapshot``, politely.

Lists are paged at Rackbeat's largest page (``limit=1000``, domain.md) and read one request at
a time; 429 ``Retry-After`` and transient failures are retried by the client
(``core/sources/http.py``), and the per-account ceiling (``RACKBEAT_MAX_REQUESTS_PER_MINUTE``)
is kept by the client's request gate (``core/sources/ratelimit.py``). A list that cannot be
read stops the read with ``AccountReadFailed`` naming that list: a snapshot is whole or not at
all, so a half-read account never replaces a good one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Protocol, TypeVar

from core.account import parse
from core.account.model import REFERENCE_LISTS, AccountSnapshot, Record, Reference
from core.upstream import SourceRejected, SourceUnavailable

T = TypeVar("T")

PAGE_LIMIT = 1000
MAX_PAGES = 2000
"""Two million records per list: beyond that, something is wrong with the paging."""

PATHS: dict[str, str] = {
    "product_groups": "product-groups",
    "customer_groups": "customer-groups",
    "supplier_groups": "supplier-groups",
    "units": "units",
    "locations": "locations",
    "payment_terms": "payment-terms",
    "layouts": "layouts",
    "employees": "employees",
    "suppliers": "suppliers",
    "customers": "customers",
    "products": "products",
}


class PageReader(Protocol):
    def read_page(self, path: str, params: dict[str, str]) -> dict[str, Any]: ...


class AccountReadFailed(Exception):
    """Reading ``list_name`` failed; ``code`` and ``reason`` come from the source error."""

    def __init__(self, list_name: str, code: str, reason: str, *, rejected: bool) -> None:
        super().__init__(f"{list_name}: {reason}")
        self.list_name = list_name
        self.code = code
        self.reason = reason
        self.rejected = rejected


@dataclass
class ReadStats:
    requests: int = 0


def read_account(
    client: PageReader, clock: Callable[[], datetime], stats: ReadStats | None = None
) -> AccountSnapshot:
    """Everything the snapshot holds; ``read_at`` is when the read started (the oldest fact)."""
    stats = stats if stats is not None else ReadStats()
    started = clock()
    company = _read("self", lambda: parse.company_name(_get(client, "self", {}, stats)))
    lists: dict[str, tuple[Reference, ...]] = {}
    for name in REFERENCE_LISTS:
        lists[name] = _read(name, partial(_references, client, name, stats))
    ids = parse.IdNumbers(lists)

    def parties(name: str) -> tuple[Record, ...]:
        out = []
        for row in _rows(client, name, stats):
            record, ident = parse.party(name, row, ids)
            ids.add(name, ident, record["number"])
            out.append(record)
        return tuple(out)

    suppliers = _read("suppliers", lambda: parties("suppliers"))
    customers = _read("customers", lambda: parties("customers"))
    products = _read(
        "products", lambda: tuple(parse.product(r, ids) for r in _rows(client, "products", stats))
    )
    records = {
        "products": _unique(products),
        "customers": _unique(customers),
        "suppliers": _unique(suppliers),
    }
    return AccountSnapshot(company, started, lists, records)


def _read(list_name: str, work: Callable[[], T]) -> T:
    try:
        return work()
    except parse.AccountUnreadable as error:
        raise AccountReadFailed(
            list_name, "malformed", f"Rackbeat's answer is unusable: {error.what}.", rejected=False
        ) from error
    except SourceRejected as error:
        raise AccountReadFailed(list_name, error.code, error.reason, rejected=True) from error
    except SourceUnavailable as error:
        raise AccountReadFailed(list_name, error.code, error.reason, rejected=False) from error


def _references(client: PageReader, name: str, stats: ReadStats) -> tuple[Reference, ...]:
    return tuple(parse.reference(name, row) for row in _rows(client, name, stats))


def _get(client: PageReader, path: str, params: dict[str, str], stats: ReadStats) -> dict[str, Any]:
    stats.requests += 1
    return client.read_page(path, params)


def _rows(client: PageReader, list_name: str, stats: ReadStats) -> Iterator[Any]:
    """Every row of a list, page by page, as long as ``pages`` says there are more.

    The next page is asked for while the caller parses this one: still one request at a time
    (the politeness Rackbeat asks for), but parsing no longer adds to the waiting.
    """
    path = PATHS[list_name]

    def fetch(page: int) -> tuple[list[Any], int]:
        body = _get(client, path, {"limit": str(PAGE_LIMIT), "page": str(page)}, stats)
        return parse.page_rows(list_name, body)

    with ThreadPoolExecutor(1, thread_name_prefix="rackbeat-page") as pool:
        pending: Future[tuple[list[Any], int]] | None = pool.submit(fetch, 1)
        page = 1
        while pending is not None:
            found, pages = pending.result()
            pending = None
            if found and page < pages:  # an empty page ends the list whatever `pages` says
                if page >= MAX_PAGES:
                    raise parse.AccountUnreadable(list_name, f"more than {MAX_PAGES} pages")
                pending = pool.submit(fetch, page + 1)
            yield from found
            page += 1


def _unique(records: tuple[Record, ...]) -> tuple[Record, ...]:
    """One record per number (the last one read), in reading order: a record created while
    we paged may shift another onto the next page and show it twice."""
    by_number = {r["number"]: r for r in records}
    return tuple(by_number.values())
