"""Property-based fuzzing of what reaches `/slack/events`: signed bodies whose envelope has the
right keys with arbitrary values (ids as numbers, lists where objects go, actions that are
strings…). Each is either refused by `bot.envelope` (400) or taken by Bolt and the listeners
without a 5xx and without a bug in the log.

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
from bot.server import EVENTS_PATH
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
