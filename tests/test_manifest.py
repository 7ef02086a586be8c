"""`app.yaml` declares exactly what the handlers listen to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.app import registrar_of
from tests.harness import BotUnderTest

ROOT = Path(__file__).resolve().parents[1]

# Slack subscribes to message events per conversation kind.
EVENT_SUBSCRIPTIONS = {"message": {"message.channels", "message.groups"}}


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "app.yaml").read_text(encoding="utf-8"))
    return data


def test_manifest_declares_every_registered_command_and_nothing_else(bot: BotUnderTest) -> None:
    declared = {c["command"] for c in manifest()["features"]["slash_commands"]}
    assert declared == registrar_of(bot.app).commands


def test_manifest_subscribes_to_every_registered_event_and_nothing_else(bot: BotUnderTest) -> None:
    declared = set(manifest()["settings"]["event_subscriptions"]["bot_events"])
    registered = set()
    for event in registrar_of(bot.app).events:
        registered |= EVENT_SUBSCRIPTIONS.get(event, {event})
    assert declared == registered


def test_manifest_has_the_scopes_the_features_need() -> None:
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    assert {
        "commands",
        "chat:write",
        "files:read",
        "files:write",
        "channels:history",
        "groups:history",
        "users:read",
    } <= scopes


def test_slash_command_escapes_mentions_so_members_add_gets_user_ids() -> None:
    # Without escaping Slack sends "@bob" as plain text, and `members add` needs the id.
    (command,) = manifest()["features"]["slash_commands"]
    assert command["should_escape"] is True


def test_manifest_turns_on_interactivity_socket_mode_and_the_home_tab() -> None:
    data = manifest()
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert data["settings"]["socket_mode_enabled"] is True
    assert data["features"]["app_home"]["home_tab_enabled"] is True
