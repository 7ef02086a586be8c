"""What the emulated workspace holds: users, messages, ephemerals, views, files, calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class User:
    id: str
    name: str
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    tz: str = "Europe/Helsinki"
    locale: str = "en-US"  # users.info sends it with include_locale=true

    def as_api(self, team_id: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "real_name": self.name,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_bot": self.is_bot,
            "deleted": False,
            "tz": self.tz,
            "locale": self.locale,
            "profile": {"real_name": self.name, "display_name": self.name},
        }


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    user: str
    bot_id: str | None = None
    thread_ts: str | None = None
    files: list[dict[str, Any]] = field(default_factory=list)
    subtype: str | None = None
    edited: int = 0
    deleted: bool = False
    # Message metadata (event_type, event_payload): hidden from people, read back by apps
    # that ask for it (``include_all_metadata``).
    metadata: dict[str, Any] | None = None

    def as_api(self, with_metadata: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": "message",
            "channel": self.channel,
            "ts": self.ts,
            "text": self.text,
            "blocks": self.blocks,
            "user": self.user,
        }
        if self.bot_id:
            data["bot_id"] = self.bot_id
        if self.thread_ts:
            data["thread_ts"] = self.thread_ts
        if self.files:
            data["files"] = self.files
        if self.subtype:
            data["subtype"] = self.subtype
        if with_metadata and self.metadata:
            data["metadata"] = self.metadata
        return data


@dataclass
class Ephemeral:
    channel: str
    user: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None = None
    replaced: int = 0


@dataclass
class View:
    id: str
    user: str
    view: dict[str, Any]
    kind: str = "modal"  # or "home"
    closed: bool = False
    stack: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SlackFile:
    id: str
    name: str
    content: bytes
    mimetype: str
    filetype: str
    user: str
    channel: str | None = None
    thread_ts: str | None = None
    title: str | None = None
    size: int | None = None

    @property
    def reported_size(self) -> int:
        return len(self.content) if self.size is None else self.size


@dataclass
class Call:
    """One request the emulator received, as a test or the console sees it."""

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any]
    seq: int
    # The bearer token the call came with (one per workspace with OAuth installations).
    token: str = ""


@dataclass
class Failure:
    """An injected failure for the next call(s) to a method."""

    status: int = 500
    retry_after: int | None = None
    error: str | None = None
    delay: float = 0.0
    body: bytes | None = None
    content_type: str = "application/json"
    times: int = 1
