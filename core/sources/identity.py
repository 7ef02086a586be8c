"""How the bot names itself to upstream APIs.

Rackbeat asks integrations to identify themselves with a descriptive ``User-Agent`` that
carries a contact (domain.md, "The Rackbeat API"): ``name/version (contact)``. The contact is
``RACKBEAT_CONTACT`` (an e-mail or URL of whoever runs the bot); without it, the project's own
address is sent, which is better than nothing but reaches the authors, not the operator.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

PRODUCT = "rackbeat-onboarding-bot"
PROJECT_URL = "https://example.invalid/rackbeat-onboarding-bot"
"""Placeholder until the project has a public home: operators set RACKBEAT_CONTACT."""


def bot_version() -> str:
    try:
        return version(PRODUCT)
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


def user_agent(contact: str | None = None) -> str:
    """``rackbeat-onboarding-bot/VERSION (CONTACT)``; control characters never reach a header.

    >>> user_agent("ops@example.fi").split(" ", 1)[1]
    '(ops@example.fi)'
    """
    cleaned = "".join(ch for ch in (contact or "").strip() if ch.isprintable() and ch not in "()")
    return f"{PRODUCT}/{bot_version()} ({cleaned or PROJECT_URL})"
