"""What the security tests share: a bot kept for a whole module, requests captured before
they are sent (so they can be re-signed, forged or replayed), payloads of another team, and
a fingerprint of every table to prove that nothing changed."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from sqlalchemy import Engine, MetaData, select

from bot.localslack import LocalSlack
from bot.localslack.driver import Reply, SlackDriver, http_transport, sign
from bot.localslack.state import Message
from core.store.models import AuditEvent
from tests.harness import SIGNING_SECRET, BotUnderTest

FORM = "application/x-www-form-urlencoded"


@contextmanager
def bot_for_module(directory: Path, slack: LocalSlack, **overrides: Any) -> Iterator[BotUnderTest]:
    """A bot against the started ``slack`` on a database in ``directory``, for a module."""
    under_test = BotUnderTest(slack, f"sqlite:///{directory / 'onboarding.db'}", **overrides)
    try:
        yield under_test
    finally:
        under_test.stop()


# --- requests -------------------------------------------------------------------------------


class Capture:
    """A transport that keeps what a driver would send instead of sending it."""

    def __init__(self) -> None:
        self.sent: list[tuple[bytes, dict[str, str]]] = []

    def __call__(self, body: bytes, headers: dict[str, str]) -> Reply:
        self.sent.append((body, headers))
        return Reply(200, b"")


def captured(slack: LocalSlack, act: Callable[[SlackDriver], object]) -> tuple[bytes, str]:
    """The body and content type of the request ``act`` makes through a driver."""
    capture = Capture()
    act(SlackDriver(slack, SIGNING_SECRET, capture))
    body, headers = capture.sent[-1]
    return body, headers["Content-Type"]


def post(url: str, body: bytes, headers: dict[str, str]) -> Reply:
    return http_transport(url)(body, headers)


def signed(body: bytes, content_type: str, **kwargs: Any) -> dict[str, str]:
    return {"Content-Type": content_type, **sign(SIGNING_SECRET, body, **kwargs)}


class TeamDriver(SlackDriver):
    """A driver whose requests all say they come from ``team_id`` (another workspace, or a
    forged team), correctly signed: what the bot does with them is up to its tenancy."""

    def __init__(self, bot: BotUnderTest, team_id: str) -> None:
        super().__init__(bot.slack, SIGNING_SECRET, http_transport(bot.events_url))
        self.team_id = team_id

    def send_form(self, fields: dict[str, str], **kwargs: Any) -> Reply:
        if "payload" in fields:
            payload = json.loads(fields["payload"])
            payload["team"] = {"id": self.team_id, "domain": "other"}
            payload.get("user", {})["team_id"] = self.team_id
            fields = {**fields, "payload": json.dumps(payload)}
        else:
            fields = {**fields, "team_id": self.team_id}
        return super().send_form(fields, **kwargs)

    def send_event(self, body: dict[str, Any], *, retry_num: int | None = None) -> Reply:
        body = {**body, "team_id": self.team_id}
        for authorization in body.get("authorizations", []):
            authorization["team_id"] = self.team_id
        return super().send_event(body, retry_num=retry_num)


def with_payload(body: bytes, change: Callable[[dict[str, Any]], None]) -> bytes:
    """An interactivity body with its JSON payload changed by ``change``."""
    fields = {k: v[-1] for k, v in parse_qs(body.decode()).items()}
    payload = json.loads(fields["payload"])
    change(payload)
    return urlencode({**fields, "payload": json.dumps(payload)}).encode()


# --- what the bot did ---------------------------------------------------------------------


_schemas: dict[Engine, MetaData] = {}


def fingerprint(engine: Engine) -> dict[str, list[str]]:
    """Every row of every table, as text: equal fingerprints mean an unchanged database."""
    metadata = _schemas.get(engine)
    if metadata is None:
        metadata = _schemas[engine] = MetaData()
        metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            for table in metadata.sorted_tables
        }


def without_audit(found: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: rows for name, rows in found.items() if name != AuditEvent.__tablename__}


def audit_rows(bot: BotUnderTest, after_id: int = 0) -> list[AuditEvent]:
    with bot.deps.uow() as uow:
        query = select(AuditEvent).where(AuditEvent.id > after_id).order_by(AuditEvent.id)
        rows = list(uow.session.scalars(query))
        uow.session.expunge_all()
        return rows


def last_audit_id(bot: BotUnderTest) -> int:
    rows = audit_rows(bot)
    return rows[-1].id if rows else 0


def calls_since(slack: LocalSlack, seq: int) -> list[Any]:
    with slack._lock:
        return [call for call in slack.calls if call.seq > seq]


def element(message: Message, action_id: str, value: str | None = None) -> dict[str, Any]:
    """The first button of ``message`` with ``action_id`` (and ``value``)."""
    for block in message.blocks:
        for candidate in block.get("elements", []):
            if (
                isinstance(candidate, dict)
                and candidate.get("action_id") == action_id
                and (value is None or candidate.get("value") == value)
            ):
                return candidate
    raise AssertionError(f"no {action_id} button on {message.text!r}")
