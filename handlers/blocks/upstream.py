"""The sentence for an upstream failure code, in the reader's language."""

from __future__ import annotations

import re

from core.upstream import Source
from handlers.messages import CATALOG, t

_HTTP = re.compile(r"^http_(\d{3})$")


def failure_text(source: Source | str, code: str, language: str) -> str:
    """``(rackbeat, "unauthorized")`` → ``Rackbeat hylkäsi API-tunnisteen (HTTP 401).``

    >>> failure_text("netvisor", "http_503", "en")
    'Netvisor is not answering properly (HTTP 503).'
    """
    name = t(f"numbering.source.{Source(source).value}", language)
    status = _HTTP.match(code)
    if status:
        kind = "server_error" if status.group(1) >= "500" else "client_error"
        return t(f"upstream.{kind}", language, source=name, status=status.group(1))
    if f"upstream.{code}" in CATALOG:
        return t(f"upstream.{code}", language, source=name)
    return t("upstream.other", language, source=name, code=code)
