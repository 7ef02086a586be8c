"""A front's lane (``handlers.front_lane``): the requests Bolt would give a deferred listener are
stored and acknowledged without Bolt's listener loop; every other request goes on to Bolt.

The app is the real one (every area registered) in front mode, on SQLite, with a ``hand_off``
that keeps what it is given instead of a job queue.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import App, BoltRequest, BoltResponse

from bot.app import build_app, registrar_of
from bot.localslack import LocalSlack
from bot.localslack.driver import sign
from bot.slack_retries import RetryingRespond
from bot.wiring import build_runtime
from core.store.errors import StoreUnavailable
from tests.harness import SIGNING_SECRET
from tests.harness import test_settings as settings_for

TEAM, CHANNEL, USER = "T0LOCAL", "C0LANE", "U0LANE"

# Every action id and callback id the areas listen to, by example (some are patterns).
ACTION_IDS = [
    "checklist:done",
    "checklist:skip",
    "checklist:guide",
    "numbering:setup",
    "numbering:check",
    "numbering:ack",
    "numbering:snooze",
    "account:refresh",
    "registers:mark_done",
    "imports:preview",
    "imports:confirm_create",
    "imports:confirm_update",
    "imports:cancel",
    "imports:retry_failed",
    "imports:resume",
    "checklist:nothing",  # listened to by nobody
    "somebody:else",
]
VIEW_IDS = ["numbering_setup", "numbering_connect:rackbeat", "numbering_connect:netvisor", "x"]
MESSAGE_SUBTYPES = [None, "file_share", "bot_message", "message_changed", "channel_join"]
EVENTS = ["app_home_opened", "tokens_revoked", "app_uninstalled", "reaction_added"]


class Front:
    def __init__(self, slack: LocalSlack, database_url: str) -> None:
        self.settings = settings_for(database_url, slack)
        self.runtime = build_runtime(self.settings)
        self.stored: list[BoltRequest] = []
        self.refuse: Exception | None = None
        self.app = build_app(self.settings, self.runtime.deps, hand_off=self.hand_off)

    def hand_off(self, request: BoltRequest) -> None:
        if self.refuse is not None:
            raise self.refuse
        self.stored.append(request)

    def dispatch(self, body: dict[str, Any]) -> BoltResponse:
        raw, content_type = encoded(body)
        headers = {"content-type": content_type, **sign(SIGNING_SECRET, raw.encode())}
        return self.app.dispatch(BoltRequest(body=raw, headers=headers))


@pytest.fixture
def front(slack: LocalSlack, sqlite_url: str) -> Iterator[Front]:
    under_test = Front(slack, sqlite_url)
    yield under_test
    under_test.runtime.close()


def encoded(body: dict[str, Any]) -> tuple[str, str]:
    if body.get("command"):
        return urlencode(body), "application/x-www-form-urlencoded"
    if body.get("type") == "event_callback":
        return json.dumps(body), "application/json"
    return urlencode({"payload": json.dumps(body)}), "application/x-www-form-urlencoded"


def command(text: str = "status") -> dict[str, Any]:
    return {
        "command": "/rackbeat",
        "text": text,
        "team_id": TEAM,
        "channel_id": CHANNEL,
        "user_id": USER,
        "trigger_id": "1.2.3",
        "response_url": "http://127.0.0.1:9/hook",
    }


def click(action_id: str) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": USER},
        "channel": {"id": CHANNEL},
        "trigger_id": "1.2.4",
        "actions": [{"action_id": action_id, "block_id": "b", "type": "button", "value": "v"}],
    }


def view(kind: str, callback_id: str) -> dict[str, Any]:
    return {
        "type": kind,
        "team": {"id": TEAM},
        "user": {"id": USER},
        "view": {"id": "V1", "type": "modal", "callback_id": callback_id, "state": {"values": {}}},
    }


def event(kind: str, subtype: str | None = None) -> dict[str, Any]:
    inner: dict[str, Any] = {"type": kind, "user": USER, "channel": CHANNEL, "ts": "1.000001"}
    if subtype is not None:
        inner["subtype"] = subtype
    return {
        "type": "event_callback",
        "team_id": TEAM,
        "event_id": f"Ev{kind}{subtype}",
        "event": inner,
    }


def every_kind_of_request() -> list[dict[str, Any]]:
    return [
        command(),
        {**command(), "command": "/other"},
        *(click(action_id) for action_id in ACTION_IDS),
        *(view(kind, c) for kind in ("view_submission", "view_closed") for c in VIEW_IDS),
        *(event("message", subtype) for subtype in MESSAGE_SUBTYPES),
        *(event(kind) for kind in EVENTS),
    ]


def bolt_would_defer(app: App, body: dict[str, Any]) -> bool:
    """Whether the first listener Bolt matches for ``body`` is a deferred one."""
    request, response = BoltRequest(body=body, mode="socket_mode"), BoltResponse(status=200)
    for listener in app._listeners:  # Bolt's own list, in its order: that is the question
        if listener.matches(req=request, resp=response):
            return bool(listener.ack_function.__qualname__.endswith("acknowledge_then_defer"))
    return False


def test_the_lane_defers_exactly_what_bolt_would_give_a_deferred_listener(front: Front) -> None:
    lane = registrar_of(front.app).lane
    assert lane is not None
    verdicts = {}
    for body in every_kind_of_request():
        expected = bolt_would_defer(front.app, body)
        assert lane.deferred(body) is expected, body
        verdicts[json.dumps(body, sort_keys=True)] = expected
    # The corpus has both kinds, or the comparison above proves little.
    assert sorted(set(verdicts.values())) == [False, True]


def test_a_command_a_click_and_a_file_share_are_stored_then_acknowledged(front: Front) -> None:
    for body in (command(), click("checklist:done"), event("message", "file_share")):
        response = front.dispatch(body)
        assert (response.status, response.body) == (200, "")
    assert [request.body.get("type") for request in front.stored] == [
        None,
        "block_actions",
        "event_callback",
    ]
    assert front.stored[0].body["command"] == "/rackbeat"


def test_a_message_said_in_the_channel_is_acknowledged_without_a_job(front: Front) -> None:
    response = front.dispatch(event("message"))
    assert response.status == 200
    assert front.stored == []


def test_a_modal_submission_is_answered_in_place_not_stored(front: Front) -> None:
    response = front.dispatch(view("view_submission", "numbering_setup"))
    assert response.status == 200
    assert front.stored == []


def test_a_button_nobody_listens_to_is_not_stored(front: Front) -> None:
    response = front.dispatch(click("somebody:else"))
    assert response.status == 404
    assert front.stored == []


def test_a_request_that_cannot_be_stored_reaches_the_error_hook_with_retrying_respond(
    front: Front,
) -> None:
    seen: list[tuple[Exception, Any]] = []
    front.app.error(lambda error, respond: seen.append((error, respond)))
    front.refuse = StoreUnavailable("the database is away")
    response = front.dispatch(command())
    assert response.status == 500
    assert front.stored == []
    assert [type(error) for error, _ in seen] == [StoreUnavailable]
    assert isinstance(seen[0][1], RetryingRespond)
