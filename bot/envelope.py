"""The shape of a request to `/slack/events`, checked before Bolt sees it.

Bolt reads a request's envelope (who, where, which action or view) before any listener runs,
and it trusts the shape Slack documents: a body that is not UTF-8, JSON that is not an object,
a ``payload=`` that is not JSON, ``event`` as a string, an ``action_id`` as a number or an
empty ``actions`` list make it raise, and the server answers 500. Slack re-sends an event that
got no 2xx (slack.md), so a payload that can never parse would come back again and again.

``problem`` names what is wrong with such a request (``None`` when Bolt can take it); the
server refuses it with 400 and ``X-Slack-No-Retry: 1``. In Socket Mode, ``payload_problem``
checks the parsed payload, and the envelope is acknowledged without being dispatched (an
unacknowledged envelope is re-sent too). Only the envelope is checked here:
what a listener reads from a well-formed payload is the listener's to validate.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

# Objects Bolt or the listeners walk into, wherever they appear in the envelope.
_OBJECTS = (
    "event",
    "message",
    "previous_message",
    "item",
    "assistant_thread",
    "view",
    "container",
    "state",
    "function_data",
)
# Ids Bolt accepts as a string or as an object with an "id".
_IDS = ("user", "channel", "team", "enterprise")
# Values Bolt matches with a pattern or hands to an HTTP client: strings only.
_STRINGS = ("type", "action_id", "block_id", "callback_id", "response_url", "private_metadata")
# Lists of objects.
_LISTS = ("authorizations", "actions", "response_urls")
# What Bolt indexes into as soon as the key is there: null is as bad as a string.
_NOT_NULL = ("event", "view", "actions", "response_urls")
_MAX_DEPTH = 4


def problem(body: bytes, content_type: str | None) -> str | None:
    """What makes ``body`` unusable for Bolt, or ``None``.

    >>> problem(b'{"type": "event_callback", "event": "oops"}', "application/json")
    "'event' is not an object"
    >>> problem(b"command=%2Frackbeat&text=help", "application/x-www-form-urlencoded")
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not UTF-8"
    parsed = _parse(text, (content_type or "").split(";")[0].strip().lower())
    if isinstance(parsed, str):
        return parsed
    return payload_problem(parsed, interactive=_is_interactivity(text, content_type))


def payload_problem(payload: Any, *, interactive: bool) -> str | None:
    """What makes an already parsed payload unusable for Bolt, or ``None`` (Socket Mode
    delivers payloads parsed; ``interactive`` for clicks, forms and shortcuts).

    >>> payload_problem({"type": "block_actions", "actions": []}, interactive=True)
    "'actions' is empty"
    """
    if not isinstance(payload, dict):
        return "the payload is not a JSON object"
    if interactive:
        # Slack sends who and where of a click or a form as objects, never as bare ids.
        for key in _IDS:
            if not isinstance(payload.get(key), dict | None):
                return f"'{key}' is not an object"
    return _envelope(payload, "", 0)


def _is_interactivity(text: str, content_type: str | None) -> bool:
    return not text.startswith("{") and "json" not in (content_type or "") and "payload" in text


def _parse(text: str, content_type: str) -> dict[str, Any] | str:
    """The body as Bolt will parse it (``slack_bolt.request.internals.parse_body``)."""
    if not text:
        return {}
    if content_type == "application/json" or text.startswith("{"):
        return _json_object(text, "the body")
    if "payload" not in text:
        return {}  # a slash command's form: every field is a string
    payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
    if payload is None:
        return {}
    return _json_object(payload, "'payload'")


def _json_object(text: str, what: str) -> dict[str, Any] | str:
    try:
        value = json.loads(text)
    except ValueError:
        return f"{what} is not JSON"
    if not isinstance(value, dict):
        return f"{what} is not a JSON object"
    return value


def _envelope(node: dict[str, Any], name: str, depth: int) -> str | None:
    for key in _STRINGS:
        if key in node and not isinstance(node[key], str | None):
            return f"'{key}' is not a string"
    for key in _IDS:
        if key in node and not isinstance(node[key], str | dict | None):
            return f"'{key}' is neither an id nor an object"
    for key in _LISTS:
        value = node.get(key)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(v, dict) for v in value)
        ):
            return f"'{key}' is not a list of objects"
    for key in _NOT_NULL:
        if key in node and node[key] is None:
            return f"'{key}' is null"
    if node.get("type") == "block_actions" and "actions" in node and not node["actions"]:
        return "'actions' is empty"
    view = node.get("view")
    if node.get("type") == "view_submission" and isinstance(view, dict) and "type" not in view:
        return "'view.type' is missing"  # Bolt reads it to tell a workflow step's form
    for key in _OBJECTS:
        if key in node and not isinstance(node[key], dict | None):
            return f"'{key}' is not an object"
    if name == "state" and "values" in node and not _state_values(node["values"]):
        return "'state.values' is not block id → action id → object"
    if depth >= _MAX_DEPTH:
        return None
    children = [(k, node[k]) for k in (*_OBJECTS, *_IDS) if isinstance(node.get(k), dict)]
    children += [(k, item) for k in _LISTS for item in node.get(k) or []]
    for key, child in children:
        found = _envelope(child, key, depth + 1)
        if found is not None:
            return found
    return None


def _state_values(values: Any) -> bool:
    """A view's ``state.values``: block id → action id → the element's state (an object)."""
    return isinstance(values, dict) and all(
        isinstance(actions, dict) and all(isinstance(v, dict) for v in actions.values())
        for actions in values.values()
    )
