"""Logging set-up: one format, and a filter that keeps secrets out of every line."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

from bot.config import Settings, database_password

# Slack tokens in any text that reaches a log line, known or not.
TOKEN_PATTERN = re.compile(r"xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")


class RedactSecrets(logging.Filter):
    """Replaces configured secret values and anything shaped like a Slack token."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return TOKEN_PATTERN.sub("***", text)


class WithholdRequestBody(logging.Filter):
    """Cuts the request body out of Bolt's "Invalid request signature detected (signature: …,
    timestamp: …, body: …)" line: a refused (forged or stale) form may hold an API token
    someone typed into the connect modal, and the body is no help in finding the cause."""

    def filter(self, record: logging.LogRecord) -> bool:
        head, separator, _ = record.getMessage().partition(", body: ")
        if separator:
            record.msg, record.args = f"{head}, body withheld)", None
        return True


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # urllib3/httpx at DEBUG print headers; keep them quieter than our own logs.
    for noisy in ("httpx", "httpcore", "urllib3", "waitress.queue", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))


def secrets_of(settings: Settings) -> list[str]:
    """What the log filter redacts: every configured secret, the database password too."""
    values = [
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
        settings.slack_client_secret,
        settings.secret_key,
        *settings.secret_key_previous,
    ]
    secrets = [v.get_secret_value() for v in values if v is not None]
    password = database_password(settings.database_url)
    return [*secrets, password] if password else secrets
