"""Upstream failures in the reader's language: the code picks the words, never the English
reason the source client wrote for logs."""

from __future__ import annotations

import pytest

from core.errors import InvalidArgument
from core.upstream import Source, SourceRejected, SourceUnavailable
from handlers.blocks.upstream import failure_text
from handlers.errors import render_error, user_message
from handlers.imports import ImportRefused
from handlers.messages import t


def test_a_refused_connection_is_explained_in_finnish() -> None:
    upstream = SourceRejected(Source.RACKBEAT, "unauthorized", "an English reason for the log")
    refusal = InvalidArgument("numbering.connect.failed", reason=upstream)
    assert render_error(refusal, "fi") == (
        "Yhteys ei onnistunut: Rackbeat hylkäsi API-tunnisteen (HTTP 401). Mitään ei tallennettu."
    )
    assert render_error(refusal, "en") == (
        "Could not connect: Rackbeat refused the API token (HTTP 401). Nothing was stored."
    )


def test_an_upstream_error_reaching_the_hook_is_worded_in_the_readers_language() -> None:
    error = SourceUnavailable(Source.NETVISOR, "http_503", "Netvisor answered HTTP 503")
    said = user_message(error, "fi")
    assert "Netvisor ei vastaa normaalisti (HTTP 503)." in said
    assert "answered" not in said


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


def test_rackbeat_unreachable_for_a_preview_is_said_wholly_in_the_reader_s_language() -> None:
    upstream = SourceUnavailable(Source.RACKBEAT, "timeout", "Rackbeat did not answer in time.")
    refusal = ImportRefused("imports.refused.unreachable", reason=upstream)
    for language in ("en", "fi"):
        why = failure_text(Source.RACKBEAT, "timeout", language)
        said = user_message(refusal, language)  # plainly: a notice, not a refusal mark
        assert said == t("imports.refused.unreachable", language, reason=why)
    assert "did not answer" not in user_message(refusal, "fi")
