"""Property-based fuzzing of what reaches `/slack/events`, in two kinds:

- bodies whose envelope has the right keys with arbitrary values (ids as numbers, lists where
  objects go, actions that are strings…): each is either refused by `bot.envelope` (400) or
  taken by Bolt without a 5xx and without a bug in the log. Most are refused at the envelope;
- bodies with a well-formed envelope (the shape Slack sends: who, where, a registered action
  id or callback id) around hostile fields (button values, block ids, form inputs, metadata,
  file lists, tabs). The test asserts that the envelope check passes them, so every example
  reaches Bolt and a listener (Bolt answers 404 to what no listener takes; we want 200), and
  that the listener answers without a bug in the log.

The WSGI application is called in-process (the same one `serve` runs on waitress), so a crash
surfaces here as an exception instead of a 500 page.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.envelope import problem
from bot.localslack import LocalSlack
from bot.localslack.driver import sign
from bot.localslack.state import View
from bot.server import EVENTS_PATH
from core.numbering.model import InputField
from core.upstream import Series
from handlers.blocks.checklist import ACTION_DONE, ACTION_GUIDE, ACTION_SKIP
from handlers.blocks.numbering import (
    ACTION_ACK,
    ACTION_CHECK,
    ACTION_SETUP,
    ACTION_SNOOZE,
    CONNECT_CALLBACK,
    NETVISOR_FIELDS,
    SETUP_CALLBACK,
    THRESHOLD_FIELDS,
)
from handlers.blocks.registers import ACTION_MARK_DONE
from tests.harness import SIGNING_SECRET, BotUnderTest

CHANNEL = "C0FUZZ"
ANN = "U0ANN"

KEYS = [
    "type",
    "subtype",
    "user",
    "channel",
    "team",
    "team_id",
    "user_id",
    "channel_id",
    "enterprise",
    "id",
    "ts",
    "thread_ts",
    "text",
    "files",
    "value",
    "values",
    "state",
    "view",
    "private_metadata",
    "callback_id",
    "action_id",
    "block_id",
    "actions",
    "container",
    "message",
    "message_ts",
    "response_url",
    "tab",
]
ACTION_IDS = [
    "checklist:guide",
    "checklist:done",
    "registers:mark_done",
    "numbering:check",
    "numbering:ack",
    "nope",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(["", "x", ANN, CHANNEL, "T0LOCAL", "login", '{"step": "products"}', "{"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)
    ),
    max_leaves=10,
)


def wellformed_user() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"id": st.just(ANN), "team_id": st.just("T0LOCAL")})


@st.composite
def interactivity(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["block_actions", "view_submission", "view_closed", "shortcut"]))
    body: dict[str, Any] = {"type": kind, "team": {"id": "T0LOCAL"}}
    body["user"] = draw(st.one_of(wellformed_user(), values))
    action = draw(st.dictionaries(st.sampled_from(KEYS), values, max_size=4))
    action["action_id"] = draw(st.one_of(st.sampled_from(ACTION_IDS), values))
    body["actions"] = draw(st.one_of(st.just([action]), values))
    body["channel"] = draw(st.one_of(st.just({"id": CHANNEL}), values))
    body["container"] = draw(values)
    callback = draw(st.sampled_from(["numbering_setup", "numbering_connect:rackbeat", "x"]))
    view = {"id": "V1", "callback_id": callback, "state": {"values": draw(values)}}
    view["private_metadata"] = draw(
        st.one_of(st.just(json.dumps({"team": "T0LOCAL", "channel": CHANNEL})), values)
    )
    body["view"] = draw(st.one_of(st.just(view), values))
    body.update(draw(st.dictionaries(st.sampled_from(KEYS), values, max_size=3)))
    return body


@st.composite
def events(draw: st.DrawFn) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": draw(st.sampled_from(["message", "app_home_opened", "file_shared", "x"])),
        "subtype": draw(st.sampled_from(["file_share", None, "bot_message"])),
        "user": draw(st.one_of(st.just(ANN), values)),
        "channel": draw(st.one_of(st.just(CHANNEL), values)),
        "ts": draw(st.one_of(st.just("1700000000.000100"), values)),
        "files": draw(st.one_of(st.just([{"id": "F0NONE"}]), values)),
    }
    event.update(draw(st.dictionaries(st.sampled_from(KEYS), values, max_size=3)))
    body = {
        "type": "event_callback",
        "team_id": "T0LOCAL",
        "event": draw(st.one_of(st.just(event), values)),
    }
    body.update(draw(st.dictionaries(st.sampled_from(KEYS), values, max_size=2)))
    return body


class Bugs(logging.Handler):
    """Records of errors and tracebacks (Bolt's, the error hook's, the executor's)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage())


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotUnderTest]:
    with LocalSlack() as slack:
        slack.add_user(ANN, "ann")
        url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'onboarding.db'}"
        under_test = BotUnderTest(slack, url)
        under_test.driver.command("start Acme Oy", user=ANN, channel=CHANNEL)
        under_test.settle()
        yield under_test
        under_test.stop()


def post(bot: BotUnderTest, body: bytes, content_type: str) -> int:
    application = bot._server.application  # the WSGI app `serve` runs, called in-process
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": EVENTS_PATH,
        "QUERY_STRING": "",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "3000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    for name, value in sign(SIGNING_SECRET, body).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    statuses: list[str] = []
    b"".join(application(environ, lambda status, headers: statuses.append(status)))
    return int(statuses[0].split()[0])


FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check(bot: BotUnderTest, body: bytes, content_type: str) -> None:
    bugs = Bugs()
    logging.getLogger().addHandler(bugs)
    try:
        status = post(bot, body, content_type)
        bot.settle()
    finally:
        logging.getLogger().removeHandler(bugs)
    refused = problem(body, content_type)
    assert status == 400 if refused else status < 500, (status, refused)
    assert not bugs.seen, bugs.seen


@FUZZ
@given(interactivity())
def test_fuzzed_interactivity_is_refused_or_handled(
    bot: BotUnderTest, body: dict[str, Any]
) -> None:
    form = urlencode({"payload": json.dumps(body)}).encode()
    check(bot, form, "application/x-www-form-urlencoded")


@FUZZ
@given(events())
def test_fuzzed_events_are_refused_or_handled(bot: BotUnderTest, body: dict[str, Any]) -> None:
    check(bot, json.dumps(body).encode(), "application/json")


# --- well-formed envelopes around hostile fields ----------------------------------------------

REGISTERED_ACTIONS = [
    ACTION_DONE,
    ACTION_SKIP,
    ACTION_GUIDE,
    ACTION_MARK_DONE,
    ACTION_SETUP,
    ACTION_CHECK,
    ACTION_ACK,
    ACTION_SNOOZE,
]
REGISTERED_VIEWS = [SETUP_CALLBACK, f"{CONNECT_CALLBACK}:rackbeat", f"{CONNECT_CALLBACK}:netvisor"]
FORM_BLOCKS = [
    *(f"value.{s.value}.{f.value}" for s in Series for f in InputField),
    *(f"strategy.{s.value}" for s in Series),
    *(f"threshold.{name}" for name in THRESHOLD_FIELDS),
    "api_token",
    *NETVISOR_FIELDS,
]
hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "login",
            "products",
            "numbering",
            "invoice",
            "mixed",
            "1 000 000",
            "-1",
            "፩",
            "1" * 5000,
            "{",
            "[]",
            "null",
            json.dumps({"step": "products"}),
            json.dumps({"step": 5}),
            json.dumps({"step": ["login"]}),
            json.dumps({"team": "T0OTHER", "channel": CHANNEL}),
            json.dumps({"team": "T0LOCAL", "channel": 7}),
            "<@U0ANN>",
            "\u202e\u0000",
        ]
    ),
)
# Values inside an action or a form element, which Slack types but the envelope check leaves
# to the listener.
hostile = st.one_of(
    hostile_text,
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63),
    st.lists(hostile_text, max_size=2),
    st.dictionaries(st.sampled_from(["step", "value", "id", "text"]), hostile_text, max_size=2),
)
users = st.sampled_from([ANN, "U0STRANGER", "W0ENTERPRISE"])
channels = st.sampled_from([CHANNEL, "C0ELSEWHERE", "D0DIRECT"])


def where(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "team": {"id": "T0LOCAL", "domain": "local"},
        "user": {"id": draw(users), "username": "someone", "team_id": "T0LOCAL"},
        "api_app_id": "A0LOCAL",
        "token": "local",
    }


@st.composite
def clicks(draw: st.DrawFn) -> dict[str, Any]:
    channel = draw(channels)
    action = {
        "type": draw(st.sampled_from(["button", "static_select", "overflow"])),
        "action_id": draw(st.sampled_from(REGISTERED_ACTIONS)),
        "block_id": draw(hostile_text),
        "value": draw(hostile),
        "action_ts": "1700000000.000200",
    }
    action.update(draw(st.dictionaries(st.sampled_from(["selected_option", "text"]), hostile)))
    body = {
        "type": "block_actions",
        **where(draw),
        "trigger_id": "replaced by the test",
        "channel": {"id": channel, "name": "fuzz"},
        "container": {
            "type": "message",
            "message_ts": draw(st.sampled_from(["1700000000.000100", "0", "x"])),
            "channel_id": channel,
        },
        "actions": [action],
    }
    if draw(st.booleans()):
        body["message"] = {"ts": "1700000000.000100", "text": draw(hostile_text)}
    return body


@st.composite
def form_submissions(draw: st.DrawFn) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for block in draw(st.lists(st.sampled_from(FORM_BLOCKS), max_size=6, unique=True)):
        element: dict[str, Any] = {"type": draw(st.sampled_from(["plain_text_input", "x"]))}
        element[draw(st.sampled_from(["value", "selected_option"]))] = draw(hostile)
        values[block] = {draw(st.sampled_from(["value", "other"])): element}
    metadata = st.one_of(st.just(json.dumps({"team": "T0LOCAL", "channel": CHANNEL})), hostile_text)
    return {
        "type": "view_submission",
        **where(draw),
        "view": {
            "id": "replaced by the test",
            "type": "modal",
            "callback_id": draw(st.sampled_from(REGISTERED_VIEWS)),
            "private_metadata": draw(metadata),
            "state": {"values": values},
        },
    }


@st.composite
def wellformed_events(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": draw(users),
            "channel": draw(channels),
            "tab": draw(st.one_of(st.sampled_from(["home", "messages"]), hostile_text)),
        }
    else:
        files = st.lists(
            st.dictionaries(
                st.sampled_from(["id", "name", "filetype", "size", "url_private_download"]),
                hostile,
                max_size=5,
            ),
            max_size=3,
        )
        event = {
            "type": "message",
            "subtype": "file_share",
            "user": draw(users),
            "channel": draw(channels),
            "ts": draw(st.sampled_from(["1700000000.000300", "0", "x"])),
            "text": draw(hostile_text),
            "files": draw(st.one_of(files, hostile)),
        }
        if draw(st.booleans()):
            event["thread_ts"] = draw(hostile_text)
    return {
        "type": "event_callback",
        "team_id": "T0LOCAL",
        "api_app_id": "A0LOCAL",
        "event_id": "Ev0FUZZ",
        "event_time": 1700000000,
        "event": event,
    }


def reaches_a_listener(bot: BotUnderTest, body: bytes, content_type: str) -> None:
    assert problem(body, content_type) is None, "the generator must build well-formed envelopes"
    bugs = Bugs()
    logging.getLogger().addHandler(bugs)
    try:
        status = post(bot, body, content_type)
        bot.settle()
    finally:
        logging.getLogger().removeHandler(bugs)
    assert status == 200, status  # 404: no listener took it; 5xx: a crash
    assert not bugs.seen, bugs.seen


@FUZZ
@given(st.one_of(clicks(), form_submissions()))
def test_fuzzed_clicks_and_forms_reach_a_listener_and_are_handled(
    bot: BotUnderTest, body: dict[str, Any]
) -> None:
    if body["type"] == "block_actions":
        # A trigger Slack issued (a hostile one cannot be signed in; an expired one is a Slack
        # failure, not hostile input).
        body["trigger_id"] = bot.slack.new_trigger_id(body["user"]["id"])
    else:
        # A modal Slack has open (Slack only sends submissions of its own views); what is in
        # it stays hostile.
        view = View(bot.slack.new_id("V"), body["user"]["id"], {"type": "modal"})
        bot.slack.views[view.id] = view
        body["view"]["id"] = view.id
    form = urlencode({"payload": json.dumps(body)}).encode()
    reaches_a_listener(bot, form, "application/x-www-form-urlencoded")


@FUZZ
@given(wellformed_events())
def test_fuzzed_events_in_a_wellformed_envelope_reach_a_listener_and_are_handled(
    bot: BotUnderTest, body: dict[str, Any]
) -> None:
    reaches_a_listener(bot, json.dumps(body).encode(), "application/json")
