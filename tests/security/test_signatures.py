"""Every request to `POST /slack/events` must carry Slack's signature, made with our signing
secret over this very body, within 5 minutes: otherwise 401, and the bot neither calls Slack
nor touches the database. `GET /healthz` needs no signature and says nothing but its status.

Each kind of request the bot handles is built the way Slack would send it (from the real
messages, buttons and modals of one onboarding), then sent forged in each way below. A
correctly signed copy of each is accepted, so the refusals are not an accident of a broken
request.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.localslack import LocalSlack
from bot.localslack.driver import sign
from bot.localslack.methods import message_event
from bot.localslack.state import Message, View
from handlers.blocks.checklist import ACTION_DONE, ACTION_GUIDE, ACTION_SKIP
from handlers.blocks.numbering import ACTION_ACK, ACTION_CHECK, ACTION_SETUP, ACTION_SNOOZE
from handlers.blocks.registers import ACTION_MARK_DONE
from tests.harness import SIGNING_SECRET, BotUnderTest
from tests.security.sec_support import (
    FORM,
    bot_for_module,
    calls_since,
    captured,
    element,
    fingerprint,
    post,
    signed,
)

CHANNEL = "C0SIGNED"
ANN = "U0ANN"
PRODUCTS = b"number;name;group;cost_price;sales_price\n1001;Vasara;1;12,50;19,90\n"
FIVE_MINUTES = 5 * 60

Build = Callable[[], tuple[bytes, str]]


@dataclass
class Scene:
    """One onboarding with every kind of message, button and modal the bot shows."""

    bot: BotUnderTest
    slack: LocalSlack
    checklist: Message
    result: Message
    status: Message
    modals: dict[str, View] = field(default_factory=dict)

    def click(self, message: Message, action_id: str, value: str | None = None) -> Build:
        button = element(message, action_id, value)
        return lambda: captured(
            self.slack,
            lambda d: d.click(button, user=ANN, channel=CHANNEL, message_ts=message.ts),
        )

    def submit(self, modal: str, values: dict[str, Any]) -> Build:
        view = self.modals[modal]
        return lambda: captured(self.slack, lambda d: d.submit_view(view, values, user=ANN))

    def command(self, text: str) -> Build:
        return lambda: captured(self.slack, lambda d: d.command(text, user=ANN, channel=CHANNEL))

    def file_share(self) -> tuple[bytes, str]:
        upload = self.slack.add_file(name="products.csv", content=PRODUCTS, user=ANN)
        message = self.slack.share_file(CHANNEL, ANN, upload)
        return json.dumps(message_event(self.slack, message)).encode(), "application/json"

    def home(self) -> tuple[bytes, str]:
        return captured(self.slack, lambda d: d.open_home(user=ANN))

    def plain_message(self) -> tuple[bytes, str]:
        message = Message(CHANNEL, self.slack.next_ts(), "hello", [], ANN)
        return json.dumps(message_event(self.slack, message)).encode(), "application/json"

    def url_verification(self) -> tuple[bytes, str]:
        body = {"token": "local", "challenge": "challenge-value", "type": "url_verification"}
        return json.dumps(body).encode(), "application/json"


def run(bot: BotUnderTest, text: str) -> None:
    assert bot.driver.command(text, user=ANN, channel=CHANNEL).status == 200
    bot.settle()


def latest_post(slack: LocalSlack, starts: str) -> Message:
    found = [m for m in slack.channel_messages(CHANNEL) if m.text.startswith(starts)]
    assert found, f"no message starting {starts!r}"
    return found[-1]


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    with (
        LocalSlack() as slack,
        bot_for_module(
            tmp_path_factory.mktemp("signatures"),
            slack,
            secret_key=SecretStr("signature-tests-secret-key-0123456789"),
            # Connecting reaches "Rackbeat" here: the emulator answers 404, a quick refusal.
            rackbeat_api_url=f"http://127.0.0.1:{slack.port}/nothing/",
            netvisor_api_url=f"http://127.0.0.1:{slack.port}/nothing/",
        ) as bot,
    ):
        slack.add_user(ANN, "ann")
        run(bot, "start Signed Oy")
        [checklist] = [m for m in slack.channel_messages(CHANNEL) if m.user == slack.bot_user_id]
        _, shared, _ = bot.driver.upload("products.csv", PRODUCTS, user=ANN, channel=CHANNEL)
        bot.settle()
        [result] = [
            m
            for m in slack.thread(CHANNEL, shared.ts)
            if any(b.get("type") == "actions" for b in m.blocks)
        ]
        run(bot, "numbering")
        status = latest_post(slack, "Numbering:")
        # Copies: the buttons as first shown, whatever the accepted requests change later.
        made = Scene(bot, slack, deepcopy(checklist), deepcopy(result), deepcopy(status))
        bot.driver.click(
            element(status, ACTION_SETUP), user=ANN, channel=CHANNEL, message_ts=status.ts
        )
        bot.settle()
        for name, opened in (
            ("setup", None),
            ("connect rackbeat", "connect rackbeat"),
            ("connect netvisor", "connect netvisor"),
        ):
            if opened:
                run(bot, opened)
            modal = slack.open_modal(ANN)
            assert modal is not None, name
            made.modals[name] = modal
        yield made


def requests(scene: Scene) -> dict[str, Build]:
    alert = {"type": "button", "action_id": ACTION_ACK, "value": "invoice"}
    snooze = {"type": "button", "action_id": ACTION_SNOOZE, "value": "invoice"}

    def alert_click(button: dict[str, Any]) -> Build:
        return lambda: captured(
            scene.slack,
            lambda d: d.click(button, user=ANN, channel=CHANNEL, message_ts=scene.status.ts),
        )

    token = {"api_token": {"value": {"type": "plain_text_input", "value": "rb-token-1"}}}
    netvisor = {
        "customer_id": {"value": {"type": "plain_text_input", "value": "cid"}},
        "customer_key": {"value": {"type": "plain_text_input", "value": "ckey"}},
        "partner_id": {"value": {"type": "plain_text_input", "value": "pid"}},
        "partner_key": {"value": {"type": "plain_text_input", "value": "pkey"}},
        "organisation_id": {"value": {"type": "plain_text_input", "value": "1572860-0"}},
    }
    thresholds = {
        f"threshold.{name}": {"value": {"type": "number_input", "value": value}}
        for name, value in (
            ("warning_days", "30"),
            ("warning_numbers", "1000"),
            ("critical_days", "7"),
            ("critical_numbers", "100"),
        )
    }
    return {
        "slash command": scene.command("done login"),
        "checklist done": scene.click(scene.checklist, ACTION_DONE, "settings"),
        "checklist skip": scene.click(scene.checklist, ACTION_SKIP, "batch_serial"),
        "checklist guide": scene.click(scene.checklist, ACTION_GUIDE, "login"),
        "csv result mark done": scene.click(scene.result, ACTION_MARK_DONE),
        "numbering setup": scene.click(scene.status, ACTION_SETUP),
        "numbering check": scene.click(scene.status, ACTION_CHECK),
        "numbering acknowledge": alert_click(alert),
        "numbering snooze": alert_click(snooze),
        "setup modal": scene.submit("setup", thresholds),
        "connect rackbeat modal": scene.submit("connect rackbeat", token),
        "connect netvisor modal": scene.submit("connect netvisor", netvisor),
        "file share": scene.file_share,
        "app home opened": scene.home,
        "plain message": scene.plain_message,
        "url verification": scene.url_verification,
    }


KINDS = [
    "slash command",
    "checklist done",
    "checklist skip",
    "checklist guide",
    "csv result mark done",
    "numbering setup",
    "numbering check",
    "numbering acknowledge",
    "numbering snooze",
    "setup modal",
    "connect rackbeat modal",
    "connect netvisor modal",
    "file share",
    "app home opened",
    "plain message",
    "url verification",
]


def forged_headers(body: bytes, content_type: str, how: str) -> tuple[bytes, dict[str, str]]:
    now = int(time.time())
    base = {"Content-Type": content_type}
    if how == "wrong secret":
        return body, {**base, **sign("not-our-signing-secret", body)}
    if how == "no signature":
        return body, base
    if how == "timestamp but no signature":
        return body, {**base, "X-Slack-Request-Timestamp": str(now)}
    if how == "signature but no timestamp":
        headers = signed(body, content_type)
        del headers["X-Slack-Request-Timestamp"]
        return body, headers
    if how == "older than 5 minutes":
        return body, signed(body, content_type, timestamp=now - FIVE_MINUTES - 1)
    if how == "more than 5 minutes ahead":
        return body, signed(body, content_type, timestamp=now + FIVE_MINUTES + 30)
    if how == "body changed after signing":
        return body + b"&x=1" if content_type == FORM else body + b" ", signed(body, content_type)
    if how == "signed for another timestamp":
        headers = signed(body, content_type, timestamp=now - 10)
        return body, {**headers, "X-Slack-Request-Timestamp": str(now)}
    if how == "timestamp not a number":
        headers = signed(body, content_type)
        return body, {**headers, "X-Slack-Request-Timestamp": "soon"}
    if how == "not a v0 signature":
        headers = signed(body, content_type)
        headers["X-Slack-Signature"] = headers["X-Slack-Signature"].replace("v0=", "v1=")
        return body, headers
    raise AssertionError(how)


FORGERIES = [
    "wrong secret",
    "no signature",
    "timestamp but no signature",
    "signature but no timestamp",
    "older than 5 minutes",
    "more than 5 minutes ahead",
    "body changed after signing",
    "signed for another timestamp",
    "not a v0 signature",
    "timestamp not a number",
]


@pytest.mark.parametrize("how", FORGERIES)
@pytest.mark.parametrize("kind", KINDS)
def test_a_request_without_a_valid_fresh_signature_is_401_and_does_nothing(
    scene: Scene, kind: str, how: str
) -> None:
    bot, slack = scene.bot, scene.slack
    body, content_type = requests(scene)[kind]()
    bot.settle()
    before, seq = fingerprint(bot.runtime.engine), slack.last_seq
    sent_body, headers = forged_headers(body, content_type, how)

    reply = post(bot.events_url, sent_body, headers)
    bot.settle()

    assert reply.status == 401, reply.text
    assert b"challenge-value" not in reply.body
    assert calls_since(slack, seq) == []
    assert fingerprint(bot.runtime.engine) == before


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_request_correctly_signed_is_accepted(scene: Scene, kind: str) -> None:
    bot, slack = scene.bot, scene.slack
    body, content_type = requests(scene)[kind]()
    bot.settle()
    before, seq = fingerprint(bot.runtime.engine), slack.last_seq

    reply = post(bot.events_url, body, signed(body, content_type))
    bot.settle()

    assert reply.status == 200, reply.text
    if kind == "plain message":
        return  # acknowledged and ignored: nothing to do for it
    if kind == "url verification":
        assert reply.json == {"challenge": "challenge-value"}
        return
    acted = calls_since(slack, seq) or fingerprint(bot.runtime.engine) != before
    assert acted, f"{kind}: the bot did nothing with a correctly signed request"


MALFORMED = {
    "payload not JSON": (b"payload=%7Bnot-json", FORM),
    "event not an object": (b'{"type": "event_callback", "event": "x"}', "application/json"),
    "body not UTF-8": (b"payload=\xff\xfe", FORM),
    "actions empty": (
        b"payload=" + json.dumps({"type": "block_actions", "actions": []}).encode(),
        FORM,
    ),
}


@pytest.mark.parametrize("how", ["wrong secret", "no signature", "older than 5 minutes"])
@pytest.mark.parametrize("body", list(MALFORMED))
def test_the_signature_is_checked_before_anything_is_read_from_the_body(
    scene: Scene, body: str, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    """An unsigned body is refused as unsigned (401), whatever it holds: nobody without the
    signing secret learns how the bot parses, or gets a line into its warnings."""
    bot, slack = scene.bot, scene.slack
    before, seq = fingerprint(bot.runtime.engine), slack.last_seq
    sent_body, headers = forged_headers(*MALFORMED[body], how)
    caplog.set_level("WARNING")

    reply = post(bot.events_url, sent_body, headers)
    bot.settle()

    assert reply.status == 401, reply.text
    assert calls_since(slack, seq) == []
    assert fingerprint(bot.runtime.engine) == before
    assert [r.getMessage() for r in caplog.records if r.levelno >= 30] == []


def test_a_malformed_body_correctly_signed_is_refused_as_malformed(scene: Scene) -> None:
    body, content_type = MALFORMED["payload not JSON"]
    reply = post(scene.bot.events_url, body, signed(body, content_type))
    assert reply.status == 400


def test_a_request_signed_four_minutes_ago_is_still_accepted(scene: Scene) -> None:
    body, content_type = requests(scene)["checklist guide"]()
    seq = scene.slack.last_seq
    stamp = int(time.time()) - 4 * 60
    reply = post(scene.bot.events_url, body, signed(body, content_type, timestamp=stamp))
    scene.bot.settle()
    assert reply.status == 200
    assert [c.method for c in calls_since(scene.slack, seq)] == ["response_url"]


def test_a_retried_event_with_a_forged_signature_is_refused_too(scene: Scene) -> None:
    body, content_type = scene.file_share()
    headers = {
        **sign("not-our-signing-secret", body),
        "Content-Type": content_type,
        "X-Slack-Retry-Num": "1",
        "X-Slack-Retry-Reason": "http_timeout",
    }
    seq = scene.slack.last_seq
    assert post(scene.bot.events_url, body, headers).status == 401
    scene.bot.settle()
    assert calls_since(scene.slack, seq) == []


def test_ssl_check_needs_a_signature_too(scene: Scene) -> None:
    """Slack's `ssl_check` ping carries nothing to act on, and Bolt would answer it before its
    own signature check; unsigned, it is refused like everything else."""
    bot, slack = scene.bot, scene.slack
    body = b"ssl_check=1&token=forged"
    before, seq = fingerprint(bot.runtime.engine), slack.last_seq
    assert post(bot.events_url, body, {"Content-Type": FORM}).status == 401
    reply = post(bot.events_url, body, signed(body, FORM))
    bot.settle()
    assert reply.status == 200 and reply.body == b""
    assert calls_since(slack, seq) == []
    assert fingerprint(bot.runtime.engine) == before


# --- the other paths ------------------------------------------------------------------------


def get(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def secrets_of(bot: BotUnderTest) -> list[str]:
    settings = bot.settings
    return [
        SIGNING_SECRET,
        bot.slack.bot_token,
        settings.secret_key.get_secret_value() if settings.secret_key else "",
        str(Path(str(bot.runtime.engine.url.database)).parent),
        "sqlite",
    ]


def test_healthz_needs_no_signature_and_says_only_its_status(scene: Scene) -> None:
    bot, slack = scene.bot, scene.slack
    seq = slack.last_seq
    for headers in ({}, {"X-Slack-Signature": "v0=forged", "X-Slack-Request-Timestamp": "1"}):
        status, response_headers, body = get(bot.url + "/healthz", headers=headers)
        assert status == 200
        assert json.loads(body) == {"status": "ok", "database": "ok"}
        shown = body.decode() + json.dumps(response_headers)
        assert not [secret for secret in secrets_of(bot) if secret and secret in shown]
        assert "waitress" not in shown.lower() and "python" not in shown.lower()
    status, _, body = get(bot.url + "/healthz", method="HEAD")
    assert (status, body) == (200, b"")
    assert calls_since(slack, seq) == []


def test_healthz_without_a_database_says_so_and_nothing_more(
    slack: LocalSlack, sqlite_url: str
) -> None:
    bot = BotUnderTest(slack, sqlite_url)
    try:
        engine = bot.runtime.engine
        folder = Path(str(engine.url.database)).parent
        engine.dispose()
        folder.rename(folder.with_name("moved-away"))
        try:
            status, headers, body = get(bot.url + "/healthz")
        finally:
            folder.with_name("moved-away").rename(folder)
        assert status == 503
        assert json.loads(body) == {"status": "degraded", "database": "unreachable"}
        shown = body.decode() + json.dumps(headers)
        assert not [secret for secret in secrets_of(bot) if secret and secret in shown]
    finally:
        bot.stop()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/healthz"),
        ("GET", "/slack/events"),
        ("POST", "/slack/events/"),
        ("POST", "/slack/install"),
        ("POST", "/slack/oauth_redirect"),
        ("GET", "/"),
    ],
)
def test_other_paths_and_methods_do_nothing(scene: Scene, method: str, path: str) -> None:
    bot, slack = scene.bot, scene.slack
    body, content_type = requests(scene)["slash command"]()
    before, seq = fingerprint(bot.runtime.engine), slack.last_seq
    request = urllib.request.Request(
        bot.url + path,
        data=body if method == "POST" else None,
        method=method,
        headers=signed(body, content_type),
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    bot.settle()
    assert status in (404, 405)
    assert calls_since(slack, seq) == []
    assert fingerprint(bot.runtime.engine) == before
