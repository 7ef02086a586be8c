"""Upstream errors with a machine-readable code, so a cause can be shown and tracked over time.

``reason`` is user-safe (no token, key, URL with secrets or upstream free text); ``code`` is a
short stable identifier: Netvisor's own codes (``AUTHENTICATION_FAILED``, ``INVALID_DATA``, …)
or ours (``timeout``, ``connection``, ``rate_limited``, ``http_503``, ``malformed``,
``unauthorized``, ``not_found``, ``invalid_request``).
"""

from __future__ import annotations

from core.errors import UpstreamRejected, UpstreamUnavailable
from core.numbering.model import Source


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
