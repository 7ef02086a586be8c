"""Messages that can be found again: a hidden metadata mark names what a message answers.

Slack has no idempotency key. A process that dies after Slack took a message but before it
recorded the ts would post it again when the work is retried. A message posted with a mark
(Slack's message metadata, never shown to people) can be looked for first: the retry finds it
among the channel's latest messages, or the thread's replies, and posts nothing.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

# How far back in a channel a mark is looked for: retries come within minutes of the crash.
RECENT_MESSAGES = 200


def mark(event_type: str, key: str) -> dict[str, Any]:
    """The ``metadata`` argument of ``chat.postMessage`` that marks a message with ``key``."""
    return {"event_type": event_type, "event_payload": {"key": key}}


def find_marked(
    client: WebClient, channel: str, marked: dict[str, Any], thread_ts: str | None = None
) -> dict[str, Any] | None:
    """The message carrying ``marked``, if Slack has it; ``None`` if it is not there, or if
    Slack cannot say (then the caller posts again, as it would without the mark)."""
    try:
        if thread_ts:
            page = client.conversations_replies(
                channel=channel, ts=thread_ts, include_all_metadata=True, limit=1000
            )
        else:
            page = client.conversations_history(
                channel=channel, include_all_metadata=True, limit=RECENT_MESSAGES
            )
    except SlackApiError:
        return None
    for message in page.get("messages") or []:
        metadata = message.get("metadata") or {}
        if (
            metadata.get("event_type") == marked["event_type"]
            and metadata.get("event_payload") == marked["event_payload"]
        ):
            return dict(message)
    return None
