"""Upstream failures in the reader's language: the code picks the words, never the English
reason the source client wrote for logs."""

from __future__ import annotations

import pytest

from core.numbering.service import NumberingRefusal
from core.upstream import Source
from handlers.blocks.upstream import failure_text
from handlers.numbering import localized


def test_a_refused_connection_is_explained_in_finnish() -> None:
    refusal = NumberingRefusal(
        "numbering.connect.failed",
        "Rackbeat refused the API token (HTTP 401).",
        reason="Rackbeat refused the API token (HTTP 401).",
        code="unauthorized",
        source="rackbeat",
    )
    assert localized(refusal, "fi") == (
        "Yhteys ei onnistunut: Rackbeat hylkäsi API-tunnisteen (HTTP 401). Mitään ei tallennettu."
    )
    assert localized(refusal, "en") == (
        "Could not connect: Rackbeat refused the API token (HTTP 401). Nothing was stored."
    )


@pytest.mark.parametrize(
    ("code", "finnish"),
    [
        ("http_503", "Netvisor ei vastaa normaalisti (HTTP 503)."),
        ("http_418", "Netvisor hylkäsi pyynnön (HTTP 418)."),
        ("AUTHENTICATION_FAILED", "Netvisor hylkäsi tunnukset (`AUTHENTICATION_FAILED`)."),
        ("INVALID_DATA", "Netvisor vastasi koodilla `INVALID_DATA`."),
        ("connection", "Palveluun Netvisor ei saatu yhteyttä."),
    ],
)
def test_each_kind_of_failure_has_its_finnish_sentence(code: str, finnish: str) -> None:
    assert failure_text(Source.NETVISOR, code, "fi") == finnish
