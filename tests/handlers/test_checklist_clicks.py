"""Parsing a checklist button click: tenancy from Slack's payload, the step from the value."""

from __future__ import annotations

from typing import Any

import pytest

from core.errors import InvalidArgument
from core.onboarding.steps import StepId
from handlers.checklist import parse_click
from handlers.errors import render_error


def payload(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U_ANN", "team_id": "T1"},
        "channel": {"id": "C1"},
        "container": {"type": "message", "message_ts": "1.2", "channel_id": "C1"},
    }
    body.update(overrides)
    return body


def test_a_click_names_team_channel_user_and_step() -> None:
    click = parse_click(payload(), {"action_id": "checklist:done", "value": "batch_serial"})
    assert (click.team_id, click.channel_id, click.user_id) == ("T1", "C1", "U_ANN")
    assert click.step is StepId.BATCH_SERIAL
    assert not click.ephemeral


def test_a_forged_step_value_is_refused_with_the_valid_ones() -> None:
    with pytest.raises(InvalidArgument) as refused:
        parse_click(payload(), {"action_id": "checklist:done", "value": "everything"})
    assert "`initial_balances`" in render_error(refused.value, "en")


def test_a_click_without_a_channel_is_refused() -> None:
    body = payload(channel=None, container={"type": "view", "view_id": "V1"})
    with pytest.raises(InvalidArgument):
        parse_click(body, {"action_id": "checklist:done", "value": "login"})


def test_an_ephemeral_copy_is_recognised() -> None:
    body = payload(container={"type": "message", "channel_id": "C1", "is_ephemeral": True})
    assert parse_click(body, {"action_id": "checklist:skip", "value": "customers"}).ephemeral
