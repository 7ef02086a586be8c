"""What a failed Slack call looks like to a handler, after slack-sdk's retries.

``SlackApiError`` (Slack answered, but not ``ok``: a 4xx/5xx or an error code) and
``SlackRequestError`` (e.g. a raw upload refused) are ``SlackClientError``s; no answer within
the client timeout, a refused connection or a reset is an ``OSError`` (``TimeoutError``,
``URLError``, ``ConnectionError``), raised as is by slack-sdk.
"""

from __future__ import annotations

from slack_sdk.errors import SlackApiError, SlackClientError

SLACK_FAILURES: tuple[type[Exception], ...] = (SlackClientError, OSError)


def describe(error: BaseException) -> str:
    """A short, secret-free name for a Slack failure, for the log."""
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or f"HTTP {error.response.status_code}")
    return type(error).__name__


def transient(error: BaseException) -> bool:
    """Worth trying again later: no answer, a rate limit or a server error (not a refusal such
    as ``channel_not_found`` or ``invalid_auth``, which a retry would only repeat)."""
    if isinstance(error, SlackApiError):
        status: int = error.response.status_code
        return status == 429 or status >= 500
    return isinstance(error, OSError | SlackClientError)
