"""Netvisor's sales orders that are still open, for the ``previous_orders`` step.

``salesinvoicelist.nv?listtype=preinvoice`` lists sales orders (domain.md); an order that has
not been invoiced is still open. Netvisor's status words are shown as the API returns them,
and only a status we recognise as invoiced closes an order: an unknown word counts as open
(domain.md: "do not guess a meaning for one you do not recognise"), so the step is never
passed on a guess; a person can still mark it done with a reason.
"""

from __future__ import annotations

from typing import Protocol

from core.sources.netvisor import MAX_PAGES, NetvisorDocument
from core.upstream import Series

INVOICED = frozenset({"invoiced", "laskutettu", "billed"})
"""Status words that mean the order has become an invoice (compared case-insensitively)."""


class OrderLister(Protocol):
    def list_documents(
        self, series: Series, above_key: int | None = None
    ) -> list[NetvisorDocument]: ...


def is_open(status: str) -> bool:
    """
    >>> is_open("Invoiced"), is_open("open"), is_open("Toimitettu")
    (False, True, True)
    """
    return status.strip().casefold() not in INVOICED


def open_orders(client: OrderLister) -> list[tuple[str, str]]:
    """``(number, status)`` of every order not yet invoiced, oldest first."""
    found: list[tuple[int, str, str]] = []
    cursor: int | None = None
    for _ in range(MAX_PAGES):
        page = client.list_documents(Series.ORDER, cursor)
        if not page:
            break
        for doc in page:
            if is_open(doc.status):
                number = str(doc.number) if doc.number is not None else f"#{doc.key}"
                found.append((doc.key, number, doc.status or "?"))
        newest = max(doc.key for doc in page)
        if cursor is not None and newest <= cursor:
            break  # the filter was not applied: do not loop forever
        cursor = newest
    return [(number, status) for _, number, status in sorted(found)]
