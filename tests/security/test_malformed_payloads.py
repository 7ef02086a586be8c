"""Malformed Slack payloads over real, signed HTTP: refused or ignored, never a 5xx, never a
retry loop, nothing half-written in the database, no bug report (traceback, apology).

Slack re-sends an event that got no 2xx within 3 s, up to three times (slack.md): an answer
of 500 to a payload that will never parse would only bring it back. Each case is sent once,
then again as Slack's retry, and the bot's calls to the Web API are counted afterwards.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, table

from bot.localslack import LocalSlack
from bot.localslack.driver import Reply, sign
from handlers.messages import t
from tests.harness import SIGNING_SECRET, BotUnderTest

CHANNEL = "C0ACME"
ANN = "U0ANN"

Send = Callable[[BotUnderTest, LocalSlack], Reply]


def command(**overrides: str | None) -> Send:
    def send(bot: BotUnderTest, slack: LocalSlack) -> Reply:
        fields = bot.driver.command_fields("help", user=ANN, channel=CHANNEL)
        for key, value in overrides.items():
            if value is None:
                fields.pop(key, None)
            else:
                fields[key] = value
        return bot.driver.send_form(fields)

    return send


def team() -> dict[str, str]:
    return {"id": "T0LOCAL", "domain": "local"}


def action_payload(**overrides: Any) -> dict[str, Any]:
    """A checklist "Guide" click (read-only) as Slack sends it, with ``overrides`` applied."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": team(),
        "user": {"id": ANN, "username": "ann", "team_id": "T0LOCAL"},
        "api_app_id": "A0LOCAL",
        "token": "local",
        "trigger_id": "1.2.3",
        "channel": {"id": CHANNEL, "name": "c0acme"},
        "container": {"type": "message", "message_ts": "1.000001", "channel_id": CHANNEL},
        "response_url": RESPONSE_URL,
        "actions": [
            {"type": "button", "action_id": "checklist:guide", "block_id": "b", "value": "login"}
        ],
    }
    for key, value in overrides.items():
        if value is _DROP:
            payload.pop(key, None)
        else:
            payload[key] = value
    return payload


_DROP = object()


RESPONSE_URL = "<response_url>"


def payload(body: Any) -> Send:
    """Sends ``body`` as interactivity, with a live response_url where it says RESPONSE_URL."""

    def send(bot: BotUnderTest, slack: LocalSlack) -> Reply:
        text = json.dumps(body)
        url = json.dumps(slack.new_response_url(CHANNEL, ANN))[1:-1]
        return bot.driver.send_form({"payload": text.replace(RESPONSE_URL, url)})

    return send


def raw(body: bytes, content_type: str) -> Send:
    def send(bot: BotUnderTest, slack: LocalSlack) -> Reply:
        return bot.driver.send(body, content_type)

    return send


FILE_ID = "<file id>"


def event(inner: Any, **outer: Any) -> Send:
    """Sends an event_callback around ``inner``; each FILE_ID becomes a new, unknown file id."""

    def send(bot: BotUnderTest, slack: LocalSlack) -> Reply:
        body: dict[str, Any] = {
            "token": "local",
            "team_id": slack.team_id,
            "api_app_id": "A0LOCAL",
            "type": "event_callback",
            "event_id": slack.new_id("Ev"),
            "event_time": int(time.time()),
            "authorizations": [
                {"team_id": slack.team_id, "user_id": slack.bot_user_id, "is_bot": True}
            ],
        }
        if inner is not _DROP:
            body["event"] = inner
        body.update(outer)
        text = json.dumps(body).replace(FILE_ID, slack.new_id("F"))
        return bot.driver.send(text.encode(), "application/json")

    return send


def file_share(**fields: Any) -> dict[str, Any]:
    message: dict[str, Any] = {
        "type": "message",
        "subtype": "file_share",
        "user": ANN,
        "channel": CHANNEL,
        "ts": "1700000000.000100",
        "text": "",
        "files": [{"id": FILE_ID, "name": "x.csv"}],
    }
    for key, value in fields.items():
        if value is _DROP:
            message.pop(key, None)
        else:
            message[key] = value
    return message


def view_submission(view: Any) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": team(),
        "user": {"id": ANN, "username": "ann", "team_id": "T0LOCAL"},
        "api_app_id": "A0LOCAL",
        "token": "local",
        "trigger_id": "1.2.3",
        "view": view,
    }


def setup_view(**fields: Any) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": "V0SETUP",
        "type": "modal",
        "callback_id": "numbering_setup",
        "private_metadata": json.dumps({"team": "T0LOCAL", "channel": CHANNEL}),
        "state": {"values": {}},
    }
    for key, value in fields.items():
        if value is _DROP:
            view.pop(key, None)
        else:
            view[key] = value
    return view


CASES: dict[str, Send] = {
    # slash commands
    "command without team_id": command(team_id=None),
    "command without user_id": command(user_id=None),
    "command without channel_id": command(channel_id=None),
    "command without text": command(text=None),
    "command without response_url": command(response_url=None),
    "command with empty ids": command(team_id="", user_id="", channel_id=""),
    # interactivity
    "block_actions without actions": payload(action_payload(actions=_DROP)),
    "block_actions with empty actions": payload(action_payload(actions=[])),
    "block_actions with actions not a list": payload(action_payload(actions="oops")),
    "block_actions with action not an object": payload(action_payload(actions=["oops"])),
    "block_actions with action_id a number": payload(
        action_payload(actions=[{"type": "button", "action_id": 5, "value": "login"}])
    ),
    "block_actions with action_id a list": payload(
        action_payload(actions=[{"type": "button", "action_id": ["checklist:done"]}])
    ),
    "block_actions with unknown action_id": payload(
        action_payload(actions=[{"type": "button", "action_id": "nope:nope", "value": "x"}])
    ),
    "checklist button with a bogus step": payload(
        action_payload(actions=[{"type": "button", "action_id": "checklist:done", "value": "x"}])
    ),
    "checklist button with value an object": payload(
        action_payload(
            actions=[{"type": "button", "action_id": "checklist:done", "value": {"a": 1}}]
        )
    ),
    "checklist button without container": payload(action_payload(container=_DROP)),
    "checklist button without user": payload(action_payload(user=_DROP)),
    "checklist button with user a string": payload(action_payload(user="U0ANN")),
    "checklist button with team a string": payload(action_payload(team="T0LOCAL")),
    "checklist button with channel a list": payload(action_payload(channel=[CHANNEL])),
    "mark-done button with value not JSON": payload(
        action_payload(
            actions=[{"type": "button", "action_id": "registers:mark_done", "value": "{oops"}]
        )
    ),
    "mark-done button with value a JSON list": payload(
        action_payload(
            actions=[{"type": "button", "action_id": "registers:mark_done", "value": "[1, 2]"}]
        )
    ),
    "mark-done button with value a number": payload(
        action_payload(actions=[{"type": "button", "action_id": "registers:mark_done", "value": 7}])
    ),
    "mark-done button with message a string": payload(
        action_payload(
            message="oops",
            actions=[
                {
                    "type": "button",
                    "action_id": "registers:mark_done",
                    "value": json.dumps({"step": "products"}),
                }
            ],
        )
    ),
    "numbering button with value not a series": payload(
        action_payload(actions=[{"type": "button", "action_id": "numbering:ack", "value": "{"}])
    ),
    "numbering button without user": payload(
        action_payload(
            user=_DROP, actions=[{"type": "button", "action_id": "numbering:check", "value": ""}]
        )
    ),
    "payload without type": payload({"team": team(), "user": {"id": ANN}}),
    "payload of unknown type": payload({"type": "nonsense", "team": team()}),
    "payload a JSON list": payload([1, 2, 3]),
    "payload a JSON string": payload("oops"),
    "payload not JSON": raw(b"payload=%7Boops", "application/x-www-form-urlencoded"),
    "payload empty": raw(b"payload=", "application/x-www-form-urlencoded"),
    # views
    "view_submission without view": payload(
        {k: v for k, v in view_submission({}).items() if k != "view"}
    ),
    "view_submission with view a string": payload(view_submission("oops")),
    "view_submission without state": payload(view_submission(setup_view(state=_DROP))),
    # Found by tests/security/test_fuzz_payloads.py: Bolt reads a submitted view's type.
    "view_submission without the view's type": payload(view_submission(setup_view(type=_DROP))),
    "view_submission with state a string": payload(view_submission(setup_view(state="oops"))),
    "view_submission with values a list": payload(
        view_submission(setup_view(state={"values": ["x"]}))
    ),
    "view_submission with private_metadata garbage": payload(
        view_submission(setup_view(private_metadata="{garbage"))
    ),
    "view_submission with private_metadata a JSON list": payload(
        view_submission(setup_view(private_metadata="[1, 2]"))
    ),
    "view_submission with private_metadata a JSON number": payload(
        view_submission(setup_view(private_metadata="42"))
    ),
    "view_submission with private_metadata an object": payload(
        view_submission(setup_view(private_metadata={"channel": CHANNEL}))
    ),
    "view_submission of a connect modal with garbage": payload(
        view_submission(
            setup_view(callback_id="numbering_connect:rackbeat", private_metadata="{garbage")
        )
    ),
    "view_submission with unknown callback": payload(
        view_submission(setup_view(callback_id="who_knows"))
    ),
    "view_submission without user": payload(
        {k: v for k, v in view_submission(setup_view()).items() if k != "user"}
    ),
    # events
    "event_callback without event": event(_DROP),
    "event_callback with event a string": event("oops"),
    "event_callback with event a list": event([{"type": "message"}]),
    "event_callback with event without type": event({"user": ANN, "channel": CHANNEL}),
    "event of unknown type": event({"type": "nonsense", "user": ANN}),
    "file_share with files a string": event(file_share(files="oops")),
    "file_share with files a number": event(file_share(files=5)),
    "file_share with files [{}]": event(file_share(files=[{}])),
    "file_share with files [null, 1, 'x']": event(file_share(files=[None, 1, "x"])),
    "file_share with a file id not a string": event(file_share(files=[{"id": {"a": 1}}])),
    "file_share without channel": event(file_share(channel=_DROP)),
    "file_share with channel a number": event(file_share(channel=5)),
    "file_share without user": event(file_share(user=_DROP)),
    "file_share without ts": event(file_share(ts=_DROP)),
    "file_share of an unknown file": event(file_share()),
    "app_home_opened without user": event({"type": "app_home_opened", "tab": "home"}),
    "app_home_opened with user a number": event(
        {"type": "app_home_opened", "user": 5, "tab": "home"}
    ),
    "app_home_opened with tab a list": event({"type": "app_home_opened", "user": ANN, "tab": []}),
    "event_callback without team_id": event(
        {"type": "app_home_opened", "user": ANN, "tab": "home"}, team_id=None
    ),
    "event_callback with authorizations garbage": event(
        {"type": "app_home_opened", "user": ANN, "tab": "home"}, authorizations="oops"
    ),
    "url_verification without challenge": raw(
        json.dumps({"type": "url_verification"}).encode(), "application/json"
    ),
    # bodies that are not what they claim
    "non-JSON body with a JSON content type": raw(b"{not json", "application/json"),
    "JSON list body": raw(b"[1, 2, 3]", "application/json"),
    "JSON string body": raw(b'"event_callback"', "application/json"),
    "empty JSON body": raw(b"", "application/json"),
    "binary body": raw(bytes(range(256)), "application/octet-stream"),
    "form body that is not a form": raw(b"\xff\xfe\x00=&&&=", "application/x-www-form-urlencoded"),
}


@pytest.fixture(scope="module")
def slack() -> Iterator[LocalSlack]:
    with LocalSlack() as emulator:
        emulator.add_user(ANN, "ann")
        yield emulator


@pytest.fixture(scope="module")
def bot(slack: LocalSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotUnderTest]:
    """One bot for every case (each compares the database before and after itself)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('malformed') / 'onboarding.db'}"
    under_test = BotUnderTest(slack, url)
    assert under_test.driver.command("start Acme Oy", user=ANN, channel=CHANNEL).status == 200
    under_test.settle()
    yield under_test
    under_test.stop()


def row_counts(bot: BotUnderTest) -> dict[str, int]:
    engine = bot.runtime.engine
    names = [n for n in inspect(engine).get_table_names() if n != "alembic_version"]
    with engine.connect() as connection:
        return {
            name: int(
                connection.execute(select(func.count()).select_from(table(name))).scalar_one()
            )
            for name in names
        }


# A malformed part that does not stop a real action: the step is really marked done (and
# nothing is left half-done), so these may write; the others must leave the database as it was.
ACTS = frozenset(
    {
        "mark-done button with message a string",
        "file_share without user",  # checked, and answered in the file's thread
        "file_share of an unknown file",  # answered in the thread: the file cannot be fetched
    }
)
# Calls that only read.
READS = frozenset({"users.info", "files.info", "conversations.info", "auth.test"})


@pytest.mark.parametrize("case", CASES)
def test_malformed_payload_is_refused_without_a_5xx_a_retry_loop_or_a_half_write(
    bot: BotUnderTest, slack: LocalSlack, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    before_rows = row_counts(bot)
    before_calls = len(slack.calls)
    caplog.clear()
    caplog.set_level(logging.INFO)

    reply = CASES[case](bot, slack)
    bot.settle()

    assert reply.status < 500, (reply.status, reply.text)
    calls = slack.calls[before_calls:]
    if case not in ACTS:
        # At most one answer to the person (no retry loop), and nothing written.
        answers = [c.method for c in calls if c.method not in READS]
        assert len(answers) <= 1, answers
        assert row_counts(bot) == before_rows
    apology = {t("error.apology", "en"), t("error.apology", "fi")}
    said = [c.params.get("text") for c in calls]
    assert not apology.intersection(said), said
    bugs = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not bugs, [r.getMessage() for r in bugs]


def test_a_payload_that_can_never_parse_is_refused_with_400_and_no_retry(
    bot: BotUnderTest,
) -> None:
    body = b'{"type": "event_callback", "event": "oops"}'
    headers = {"Content-Type": "application/json", **sign(SIGNING_SECRET, body)}
    request = urllib.request.Request(bot.events_url, data=body, headers=headers, method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    with refused.value as answer:
        assert answer.code == 400
        # Slack's Events API: this header stops its retries of a request that failed.
        assert answer.headers["X-Slack-No-Retry"] == "1"


# Not malformed at all: slack-bolt 1.30 (`request.internals.parse_body`) reads any form body
# that contains the text "payload" as interactivity, finds no `payload=` field and dispatched
# an empty request: 404, and "dispatch_failed" in Slack (bot/server.py reads the form again).
@pytest.mark.parametrize(
    ("text", "channel_name"),
    [("help payload", "c0acme"), ("help", "payload-team")],
    ids=["in the text", "in the channel name"],
)
def test_a_command_that_mentions_payload_is_answered(
    bot: BotUnderTest, slack: LocalSlack, text: str, channel_name: str
) -> None:
    before = len(slack.calls)
    fields = bot.driver.command_fields(text, user=ANN, channel=CHANNEL)
    fields["channel_name"] = channel_name
    reply = bot.driver.send_form(fields)
    bot.settle()
    assert reply.status == 200
    assert [c.method for c in slack.calls[before:]] == ["response_url"]
