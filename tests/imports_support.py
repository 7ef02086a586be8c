"""Shared by the import tests: an onboarding connected to the fake Rackbeat, files, buttons."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from bot.localslack import LocalSlack
from bot.localslack.driver import SlackDriver
from bot.localslack.state import Message
from tests.fakes.rackbeat import FakeRackbeat

CHANNEL = "C0IMPORT"
ANN, EVE = "U0ANN", "U0EVE"
SECRET_KEY = "e2e-secret-key-for-imports-0123456789"
HEADER = "number;name;group;cost_price;sales_price\n"


def products_csv(numbers: range | list[int], group: str = "1", price: str = "19,90") -> bytes:
    lines = [f"{n};Tuote {n};{group};12,50;{price}" for n in numbers]
    return (HEADER + "\n".join(lines) + "\n").encode()


def connect(
    driver: SlackDriver, slack: LocalSlack, token: str, user: str = ANN, channel: str = CHANNEL
) -> None:
    assert driver.command("connect rackbeat", user=user, channel=channel).status == 200
    slack.wait_for("views.open", timeout=20)
    modal = slack.open_modal(user)
    assert modal is not None
    values = {"api_token": {"value": {"type": "plain_text_input", "value": token}}}
    assert driver.submit_view(modal, values, user=user).status == 200


def buttons(message: Message) -> dict[str, tuple[dict[str, Any], str]]:
    """action_id → (button, block_id) of a message."""
    found = {}
    for block in message.blocks:
        for element in block.get("elements", []):
            if element.get("type") == "button":
                found[element["action_id"]] = (element, block.get("block_id", "b"))
    return found


def press(driver: SlackDriver, message: Message, action_id: str, user: str = ANN) -> None:
    button, block_id = buttons(message)[action_id]
    reply = driver.click(
        button, user=user, channel=CHANNEL, message_ts=message.ts, block_id=block_id
    )
    assert reply.status == 200


def bot_replies(slack: LocalSlack, thread_ts: str) -> list[Message]:
    return [m for m in slack.thread(CHANNEL, thread_ts) if m.user == slack.bot_user_id]


def with_button(slack: LocalSlack, thread_ts: str, action_id: str) -> Message:
    found = [m for m in bot_replies(slack, thread_ts) if action_id in buttons(m)]
    assert found, [m.text for m in bot_replies(slack, thread_ts)]
    return found[-1]


def text_of(message: Message) -> str:
    """The message's text and every text of its blocks, one per line."""
    parts = [message.text]
    for block in message.blocks:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            text = element.get("text")
            parts.append(text["text"] if isinstance(text, dict) else str(text or ""))
    return "\n".join(parts)


def posts_per_number(rackbeat: FakeRackbeat) -> dict[str, int]:
    counts: dict[str, int] = {}
    for request in rackbeat.requests:
        if request.method == "POST":
            number = str(json.loads(request.body)["number"])
            counts[number] = counts.get(number, 0) + 1
    return counts


def wait_until(check: Callable[[], bool], timeout: float = 60) -> None:
    """Poll a condition another thread or process brings about (the fake's records)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
