"""What every area that talks about Rackbeat and Netvisor shares: the two upstreams, the two
document series whose numbers they share, how a document number is read, and the errors an
upstream answers with.

It sits below ``core/numbering`` (which watches the numbers), ``core/account`` (which reads an
account) and ``core/sources`` (the HTTP clients), so none of them imports another for these
words. Numbers are Python ``int``: Netvisor invoice numbers are strings of digits that can be
long, and ``int`` has no upper bound, so nothing is lost by parsing them.

Errors carry a machine-readable ``code`` so a cause can be shown and tracked over time.
``reason`` is user-safe (no token, key, URL with secrets or upstream free text); ``code`` is a
short stable identifier: Netvisor's own codes (``AUTHENTICATION_FAILED``, ``INVALID_DATA``, …)
or ours (``timeout``, ``connection``, ``rate_limited``, ``http_503``, ``malformed``,
``unauthorized``, ``not_found``, ``invalid_request``).
"""

from __future__ import annotations

from enum import StrEnum

from core.errors import UpstreamRejected, UpstreamUnavailable


class Series(StrEnum):
    """The two document series whose numbers Rackbeat and Netvisor share."""

    ORDER = "order"
    INVOICE = "invoice"


class Source(StrEnum):
    """Where a value came from."""

    MANUAL = "manual"
    RACKBEAT = "rackbeat"
    NETVISOR = "netvisor"


MAX_DIGITS = 30
"""Longest number accepted: far above any real series, short enough to store as text."""


def parse_number(text: str) -> int:
    """A document number from text: digits only (spaces and leading zeros tolerated).

    Raises ``ValueError`` (with the offending text) for anything else.

    >>> parse_number("1000024")
    1000024
    >>> parse_number(" 00042 ")
    42
    >>> parse_number("1 000 024")
    1000024
    >>> parse_number("INV-12")
    Traceback (most recent call last):
    ...
    ValueError: not a document number: 'INV-12'
    """
    compact = "".join(text.split())
    if not compact.isascii() or not compact.isdigit() or len(compact) > MAX_DIGITS:
        raise ValueError(f"not a document number: {text!r}")
    return int(compact)


class SourceUnavailable(UpstreamUnavailable):
    """No usable answer for now (timeout, connection, 5xx, 429, garbage): try again later."""

    def __init__(self, source: Source, code: str, reason: str) -> None:
        super().__init__(reason)
        self.source = source
        self.code = code


class SourceRejected(UpstreamRejected):
    """The upstream said no (credentials, rights, invalid request): someone must fix something."""

    def __init__(self, source: Source, code: str, reason: str) -> None:
        super().__init__(reason)
        self.source = source
        self.code = code
