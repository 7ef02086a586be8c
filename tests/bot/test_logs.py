"""Secrets never reach a log line."""

from __future__ import annotations

import logging

from bot.logs import RedactSecrets


def record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord("t", logging.ERROR, __file__, 1, message, args, exc_info)


def test_configured_secrets_and_token_shapes_are_redacted() -> None:
    redact = RedactSecrets(["my-signing-secret-value"])
    item = record("sent %s with %s", "xoxb-123-abc", "my-signing-secret-value")
    redact.filter(item)
    assert item.getMessage() == "sent *** with ***"


def test_secrets_in_tracebacks_are_redacted() -> None:
    redact = RedactSecrets(["fernet-key-material"])
    try:
        raise ValueError("bad key fernet-key-material near xapp-1-XYZ")
    except ValueError as error:
        item = record("failed", exc=error)
    redact.filter(item)
    assert item.exc_text is not None
    assert "fernet-key-material" not in item.exc_text
    assert "xapp-1-XYZ" not in item.exc_text
