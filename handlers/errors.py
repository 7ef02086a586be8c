"""The one error hook: refusals are answered, bugs are logged and apologised for.

A `DomainError` carries a code the user can act on (and the data its words need):
``render_error`` says it in the reader's language (the channel's, or the one the refusal
names) and it is shown to the user who acted, ephemerally. Anything else is a bug: it is
logged with its traceback and the user gets a short apology, never the stack trace. A
database outage gets its own calm message, and so does Slack refusing a form because the
click is too old (a form must open within 3 seconds of the click; a slow moment makes that
happen without any bug).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import OperationalError

from core.errors import DomainError
from core.language import Language
from core.store.errors import StoreUnavailable
from handlers.blocks.refusals import UPSTREAM_FAILURES, refusal_text
from handlers.blocks.upstream import failure_text
from handlers.messages import t


def render_error(error: DomainError, language: str) -> str:
    """A refusal's words in ``language``: its code's words in the catalogue, with every
    parameter said in that language too (``handlers.blocks.refusals``). An upstream error
    names its source and its own code: handlers word it from those."""
    if isinstance(error, UPSTREAM_FAILURES):
        return failure_text(error.source, error.code, language)
    return refusal_text(error.code, error.params, language)


# Slack's answers to a form opened too late after the click (views.open, views.push).
EXPIRED_TRIGGER = frozenset({"expired_trigger_id", "trigger_expired"})


def form_too_late(error: Exception) -> bool:
    return isinstance(error, SlackApiError) and error.response.get("error") in EXPIRED_TRIGGER


class Notice(DomainError):
    """A refusal said as it is, without the refusal mark: a note about work already under way
    or gone (an import running, a file changed since), where a "no" would read as an error."""


def user_message(error: Exception, language: Language) -> str:
    if isinstance(error, Notice):
        return render_error(error, language)
    if isinstance(error, DomainError):
        return t("error.refused", language, reason=render_error(error, language))
    if isinstance(error, StoreUnavailable):
        return t("error.database", language)
    if isinstance(error, OperationalError):
        return t("error.database", language)
    if form_too_late(error):
        return t("error.form_expired", language)
    return t("error.apology", language)


def make_error_handler(language_for: Any) -> Any:
    """Build the Bolt error handler; ``language_for(team, channel)`` picks the language."""

    def handle_error(
        error: Exception,
        body: dict[str, Any],
        client: WebClient,
        respond: Respond | None,
        logger: logging.Logger,
    ) -> None:
        if isinstance(error, DomainError):
            logger.info("refused: %s", error.code)
        elif form_too_late(error):
            logger.warning("a form could not open: the click was too old (%s)", error)
        else:
            logger.error("unhandled error in a listener", exc_info=error)
        team, channel, user = who_and_where(body)
        language: Language = Language.EN
        if isinstance(error, DomainError) and error.language is not None:
            language = error.language  # core knew the reader's language (their Slack locale)
        elif team and channel:
            try:
                language = language_for(team, channel)
            except Exception:  # the database may be the thing that failed
                language = Language.EN
        _tell_user(user_message(error, language), body, client, respond, channel, user, logger)

    return handle_error


def who_and_where(body: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(team, channel, user) of a payload, whichever of Slack's shapes it has; ``None`` for
    what is missing or not a string (the hook must never fail on a malformed payload)."""

    def field(node: Any, flat: str, nested: str) -> str | None:
        if not isinstance(node, dict):
            return None
        value = node.get(flat)
        if not value:
            inner = node.get(nested)
            value = inner.get("id") if isinstance(inner, dict) else inner
        return value if isinstance(value, str) and value else None

    event = body.get("event")
    team = field(body, "team_id", "team")
    channel = field(body, "channel_id", "channel") or field(event, "channel_id", "channel")
    user = field(body, "user_id", "user") or field(event, "user_id", "user")
    return team, channel, user


def _tell_user(
    text: str,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond | None,
    channel: str | None,
    user: str | None,
    logger: logging.Logger,
) -> None:
    try:
        if respond is not None and respond.response_url:
            respond(text=text, response_type="ephemeral", replace_original=False)
        elif channel and user:
            client.chat_postEphemeral(channel=channel, user=user, text=text)
    except Exception:
        # Telling the user failed too (Slack down?): the log has the original error.
        logger.warning("could not tell the user about an error", exc_info=True)
