"""Drives the bot like Slack does: signed slash commands, button clicks, view submissions
and events, over HTTP to `serve` or straight into a Bolt app (the console).

Signing follows Slack's scheme: ``v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")`` in
``X-Slack-Signature`` with ``X-Slack-Request-Timestamp``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bot.localslack.methods import message_event
from bot.localslack.server import LocalSlack
from bot.localslack.state import Message, SlackFile, View


@dataclass(frozen=True)
class Reply:
    """What the bot answered to one request."""

    status: int
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


Transport = Callable[[bytes, dict[str, str]], Reply]


def http_transport(url: str, timeout: float = 10.0) -> Transport:
    """POST to a running `serve` (``url`` is its ``/slack/events``)."""

    def send(body: bytes, headers: dict[str, str]) -> Reply:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return Reply(response.status, response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read())

    return send


def sign(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + stamp.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


class SlackDriver:
    def __init__(self, slack: LocalSlack, signing_secret: str, transport: Transport) -> None:
        self.slack = slack
        self.signing_secret = signing_secret
        self.transport = transport

    # ------------------------------------------------------------------ raw

    def send(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> Reply:
        headers = {"Content-Type": content_type}
        headers.update(sign(secret or self.signing_secret, body, timestamp))
        headers.update(extra_headers or {})
        return self.transport(body, headers)

    def send_form(self, fields: dict[str, str], **kwargs: Any) -> Reply:
        return self.send(urlencode(fields).encode(), "application/x-www-form-urlencoded", **kwargs)

    def send_payload(self, payload: dict[str, Any], **kwargs: Any) -> Reply:
        return self.send_form({"payload": json.dumps(payload)}, **kwargs)

    def send_event(self, body: dict[str, Any], *, retry_num: int | None = None) -> Reply:
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.send(json.dumps(body).encode(), "application/json", extra_headers=headers)

    def send_event_quietly(self, body: dict[str, Any]) -> None:
        """An event sink for the emulator (Slack ignores what the app answers)."""
        self.send_event(body)

    # ------------------------------------------------------------------ what users do

    def command_fields(self, text: str, *, user: str, channel: str) -> dict[str, str]:
        return {
            "token": "local",
            "team_id": self.slack.team_id,
            "team_domain": "local",
            "channel_id": channel,
            "channel_name": channel.lower(),
            "user_id": user,
            "user_name": self.slack.user(user).name,
            "command": "/rackbeat",
            "text": text,
            "api_app_id": "A0LOCAL",
            "response_url": self.slack.new_response_url(channel, user),
            "trigger_id": self.slack.new_trigger_id(user),
        }

    def socket_command(self, text: str, *, user: str, channel: str) -> dict[str, Any]:
        """``/rackbeat <text>`` delivered over Socket Mode; returns the app's acknowledgement."""
        session = self.slack.wait_socket()
        envelope_id = self.slack.new_id("env")
        session.send_json(
            {
                "envelope_id": envelope_id,
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": self.command_fields(text, user=user, channel=channel),
            }
        )
        return session.wait_ack(envelope_id)

    def command(self, text: str, *, user: str, channel: str, **kwargs: Any) -> Reply:
        """``/rackbeat <text>`` typed by ``user`` in ``channel``."""
        return self.send_form(self.command_fields(text, user=user, channel=channel), **kwargs)

    def click(
        self,
        button: dict[str, Any],
        *,
        user: str,
        channel: str,
        message_ts: str | None = None,
        block_id: str | None = None,
        ephemeral: bool = False,
        view: View | None = None,
    ) -> Reply:
        """Press ``button`` (a Block Kit element) on a message, ephemeral message or view."""
        action = {
            "type": button.get("type", "button"),
            "action_id": button.get("action_id"),
            "block_id": block_id or "b",
            "value": button.get("value"),
            "action_ts": f"{time.time():.6f}",
        }
        if button.get("type") == "static_select" and button.get("selected_option"):
            action["selected_option"] = button["selected_option"]
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": self.slack.team_id, "domain": "local"},
            "user": {
                "id": user,
                "username": self.slack.user(user).name,
                "team_id": self.slack.team_id,
            },
            "api_app_id": "A0LOCAL",
            "token": "local",
            "trigger_id": self.slack.new_trigger_id(user),
            "actions": [action],
        }
        if view is not None:
            payload["view"] = {**view.view, "id": view.id, "type": view.kind}
            payload["container"] = {"type": "view", "view_id": view.id}
        else:
            payload["channel"] = {"id": channel, "name": channel.lower()}
            payload["container"] = {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            }
            payload["response_url"] = self.slack.new_response_url(
                channel, user, message_ts=message_ts, ephemeral=ephemeral
            )
            message = self.slack.message(channel, message_ts) if message_ts else None
            if message is not None and not ephemeral:
                payload["message"] = message.as_api()
        return self.send_payload(payload)

    def submit_view(self, view: View, values: dict[str, dict[str, Any]], *, user: str) -> Reply:
        """Submit a modal; ``values`` is Slack's ``state.values`` (block_id → action_id → value)."""
        payload = {
            "type": "view_submission",
            "team": {"id": self.slack.team_id, "domain": "local"},
            "user": {
                "id": user,
                "username": self.slack.user(user).name,
                "team_id": self.slack.team_id,
            },
            "api_app_id": "A0LOCAL",
            "token": "local",
            "trigger_id": self.slack.new_trigger_id(user),
            "view": {**view.view, "id": view.id, "type": "modal", "state": {"values": values}},
        }
        return self.send_payload(payload)

    def close_view(self, view: View, *, user: str) -> Reply:
        payload = {
            "type": "view_closed",
            "team": {"id": self.slack.team_id, "domain": "local"},
            "user": {"id": user, "team_id": self.slack.team_id},
            "api_app_id": "A0LOCAL",
            "token": "local",
            "view": {**view.view, "id": view.id, "type": "modal"},
            "is_cleared": False,
        }
        return self.send_payload(payload)

    def upload(
        self,
        name: str,
        content: bytes,
        *,
        user: str,
        channel: str,
        mimetype: str = "text/csv",
        filetype: str = "csv",
        size: int | None = None,
        retry_num: int | None = None,
    ) -> tuple[SlackFile, Message, Reply]:
        """A user drops a file in a channel: Slack stores it, posts it, sends `file_share`."""
        slack_file = self.slack.add_file(
            name=name, content=content, user=user, mimetype=mimetype, filetype=filetype, size=size
        )
        message = self.slack.share_file(channel, user, slack_file)
        reply = self.send_event(message_event(self.slack, message), retry_num=retry_num)
        return slack_file, message, reply

    def open_home(self, *, user: str) -> Reply:
        body = {
            "token": "local",
            "team_id": self.slack.team_id,
            "api_app_id": "A0LOCAL",
            "type": "event_callback",
            "event_id": self.slack.new_id("Ev"),
            "event_time": int(time.time()),
            "event": {
                "type": "app_home_opened",
                "user": user,
                "channel": f"D{user}",
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            },
            "authorizations": [
                {"team_id": self.slack.team_id, "user_id": self.slack.bot_user_id, "is_bot": True}
            ],
        }
        return self.send_event(body)
