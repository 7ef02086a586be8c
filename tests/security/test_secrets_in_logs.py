"""Secrets never show: not in a log line (even at DEBUG), not in what the bot says in Slack,
not in ``repr()``, not in the messages of upstream errors, not in the database in clear.

The end-to-end flows run with distinctive secret values (bot token, signing secret,
SECRET_KEY, a Rackbeat token, Netvisor keys, and a wrong token someone types) and every log
record of every logger is captured at DEBUG, as raw records and as the redacting handler of
`python -m bot` would print them.
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from pydantic import SecretStr
from slack_bolt.middleware.request_verification import RequestVerification
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from bot.app import withhold_refused_request_bodies
from bot.config import ConfigError, load_settings
from bot.localslack import LocalSlack
from bot.localslack.driver import SlackDriver, http_transport
from bot.localslack.state import Message
from bot.logs import RedactSecrets, secrets_of
from core.credentials import NetvisorCredentials, RackbeatCredentials, SecretBox
from core.sources.netvisor import NetvisorClient
from core.sources.rackbeat import RackbeatClient
from core.upstream import Series, SourceRejected, SourceUnavailable
from handlers.blocks.checklist import ACTION_DONE
from handlers.blocks.numbering import ACTION_CHECK
from tests.fakes.netvisor import FakeNetvisor, NetvisorCompany, reply_failed
from tests.fakes.rackbeat import FakeRackbeat, json_reply, reply_server_error
from tests.harness import BotUnderTest
from tests.security.sec_support import element, fingerprint

BOT_TOKEN = "xoxb-0000-SECRETBOTTOKEN-7f3a9c2e51"
SIGNING = "SECRET-signing-4d8e1b7a0c93f2"
SECRET_KEY = "SECRET-key-9b2f6e1d4c7a8e3f05"
RACKBEAT_TOKEN = "SECRET-rackbeat-5e2c8a1f9d"
WRONG_TOKEN = "SECRET-mistyped-6d0b3e7a2c"
CUSTOMER_KEY = "SECRET-customerkey-3a7d91"
PARTNER_KEY = "SECRET-partnerkey-8c1e42"
SECRETS = (BOT_TOKEN, SIGNING, SECRET_KEY, RACKBEAT_TOKEN, WRONG_TOKEN, CUSTOMER_KEY, PARTNER_KEY)

CHANNEL = "C0SECRETS"
ANN, BOB = "U0ANN", "U0BOB"
CUSTOMER_ID, PARTNER_ID, ORGANISATION = "customer-77", "partner-77", "1572860-0"
PRODUCTS = b"number;name;group;cost_price;sales_price\n1001;Vasara;1;12,50;19,90\n"


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@pytest.fixture
def upstreams() -> Iterator[tuple[FakeRackbeat, FakeNetvisor]]:
    rackbeat, netvisor = FakeRackbeat(), FakeNetvisor()
    rackbeat.start()
    netvisor.start()
    rackbeat.add_account(RACKBEAT_TOKEN, "Salainen Oy", invoice=10_100, order=4_000)
    netvisor.add_partner(PARTNER_ID, PARTNER_KEY)
    netvisor.add_company(NetvisorCompany(CUSTOMER_ID, CUSTOMER_KEY, PARTNER_ID, ORGANISATION))
    netvisor.add_document(CUSTOMER_ID, "invoice", "1000010")
    try:
        yield rackbeat, netvisor
    finally:
        rackbeat.stop()
        netvisor.stop()


class Printed:
    """What `python -m bot` prints: the root handler with the redacting filter."""

    def __init__(self) -> None:
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.handler.addFilter(RedactSecrets([BOT_TOKEN, SIGNING, SECRET_KEY]))
        self.handler.setLevel(logging.DEBUG)

    def __enter__(self) -> Printed:
        logging.getLogger().addHandler(self.handler)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger().removeHandler(self.handler)


def every_record_text(records: list[logging.LogRecord]) -> str:
    formatter = logging.Formatter()
    parts = []
    for record in records:
        parts.append(record.getMessage())
        parts.append(repr(record.args))
        if record.exc_info:
            parts.append(formatter.formatException(record.exc_info))
        if record.exc_text:
            parts.append(record.exc_text)
        if record.stack_info:
            parts.append(record.stack_info)
    return "\n".join(parts)


def text_input(value: str) -> dict[str, Any]:
    return {"value": {"type": "plain_text_input", "value": value}}


class Flows:
    def __init__(self, bot: BotUnderTest, slack: LocalSlack, driver: SlackDriver) -> None:
        self.bot, self.slack, self.driver = bot, slack, driver

    def run(self, text: str, user: str = ANN) -> None:
        assert self.driver.command(text, user=user, channel=CHANNEL).status == 200
        self.bot.settle()

    def submit(self, values: dict[str, Any], user: str = ANN) -> None:
        modal = self.slack.open_modal(user)
        assert modal is not None
        assert self.driver.submit_view(modal, values, user=user).status == 200
        self.bot.settle()

    def bot_posts(self) -> list[Message]:
        return [m for m in self.slack.channel_messages(CHANNEL) if m.user == self.slack.bot_user_id]

    def onboarding(self) -> None:
        for text in (
            "start Salainen Oy",
            "status",
            "done login",
            "set valuation fifo",
            f"members add <@{BOB}>",
            "language fi",
            "language en",
            "history",
            "next",
        ):
            self.run(text)
        self.run("done settings", user="U0EVE")  # refused: not a member
        checklist = next(m for m in self.bot_posts() if m.text.startswith("Rackbeat onboarding"))
        button = element(checklist, ACTION_DONE, "settings")
        self.driver.click(button, user=BOB, channel=CHANNEL, message_ts=checklist.ts)
        self.bot.settle()
        self.driver.open_home(user=ANN)
        self.bot.settle()

    def file_intake(self) -> None:
        self.driver.upload("products.csv", PRODUCTS, user=ANN, channel=CHANNEL)
        self.bot.settle()
        assert any(c.params.get("authorized") for c in self.slack.calls_to("files.download"))
        self.slack.serve_login_page = True  # the files:read scope missing
        self.driver.upload("suppliers.csv", PRODUCTS, user=ANN, channel=CHANNEL)
        self.bot.settle()
        self.slack.serve_login_page = False

    def numbering(self) -> None:
        self.run("connect rackbeat")
        self.submit({"api_token": text_input(WRONG_TOKEN)})  # refused by Rackbeat: 401
        self.run("connect rackbeat")
        self.submit({"api_token": text_input(RACKBEAT_TOKEN)})
        self.run("connect netvisor")
        self.submit(
            {
                "customer_id": text_input(CUSTOMER_ID),
                "customer_key": text_input(CUSTOMER_KEY),
                "partner_id": text_input(PARTNER_ID),
                "partner_key": text_input(PARTNER_KEY),
                "organisation_id": text_input(ORGANISATION),
            }
        )
        self.run("numbering strategy mixed")
        self.run("numbering check")
        self.run("numbering")
        status = [m for m in self.bot_posts() if m.text.startswith("Numbering:")][-1]
        self.driver.click(
            element(status, ACTION_CHECK), user=ANN, channel=CHANNEL, message_ts=status.ts
        )
        self.bot.settle()

    def upstream_failures(self, rackbeat: FakeRackbeat) -> None:
        rackbeat.fail_next(reply_server_error(503), times=8)
        self.run("numbering check")
        self.slack.fail_next("chat.postMessage", status=500, times=6)
        self.run("status")

    def stale_and_forged_submissions(self) -> None:
        """A connect form with a token in it, refused for its signature: Bolt logs refused
        requests, and the body must not go into that line."""
        self.run("connect rackbeat")
        modal = self.slack.open_modal(ANN)
        assert modal is not None
        values = {"api_token": text_input(RACKBEAT_TOKEN)}
        for timestamp, secret in ((int(time.time()) - 600, SIGNING), (None, "forged-secret")):
            stale = SlackDriver(self.slack, secret, self.driver.transport)
            reply = stale_submit(stale, modal, values, timestamp)
            assert reply.status == 401
        self.bot.settle()


def stale_submit(driver: SlackDriver, modal: Any, values: dict[str, Any], stamp: int | None) -> Any:
    payload = {
        "type": "view_submission",
        "team": {"id": driver.slack.team_id, "domain": "local"},
        "user": {"id": ANN, "username": "ann", "team_id": driver.slack.team_id},
        "api_app_id": "A0LOCAL",
        "token": "local",
        "trigger_id": driver.slack.new_trigger_id(ANN),
        "view": {**modal.view, "id": modal.id, "type": "modal", "state": {"values": values}},
    }
    return driver.send_payload(payload, timestamp=stamp)


def test_end_to_end_flows_never_log_or_show_a_secret(
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    upstreams: tuple[FakeRackbeat, FakeNetvisor],
) -> None:
    rackbeat, netvisor = upstreams
    caplog.set_level(logging.DEBUG)
    with LocalSlack(bot_token=BOT_TOKEN) as slack, Printed() as printed:
        for user, name in ((ANN, "ann"), (BOB, "bob"), ("U0EVE", "eve")):
            slack.add_user(user, name)
        bot = BotUnderTest(
            slack,
            f"sqlite:///{tmp_path / 'bot.db'}",
            slack_signing_secret=SecretStr(SIGNING),
            secret_key=SecretStr(SECRET_KEY),
            rackbeat_api_url=rackbeat.url,
            netvisor_api_url=netvisor.url,
            log_level="DEBUG",
        )
        driver = SlackDriver(slack, SIGNING, http_transport(bot.events_url))
        slack.event_sink = driver.send_event_quietly
        try:
            flows = Flows(bot, slack, driver)
            flows.onboarding()
            flows.file_intake()
            flows.numbering()
            flows.upstream_failures(rackbeat)
            flows.stale_and_forged_submissions()
            database = json.dumps(fingerprint(bot.runtime.engine))
        finally:
            bot.stop()
        said = [json.dumps([c.method, c.params, c.response], default=str) for c in slack.calls]
        messages = [json.dumps(m.as_api()) for m in slack.messages.values()]
        views = [json.dumps(v.view) for v in [*slack.views.values(), *slack.homes.values()]]

    connected = [m for m in flows.bot_posts() if "Salainen Oy" in m.text and "Rackbeat" in m.text]
    assert connected, "the flows did not get as far as connecting Rackbeat"
    assert len(caplog.records) > 100, "too few log records: is DEBUG really captured?"
    assert leaks(every_record_text(caplog.records)) == []
    assert leaks(caplog.text) == []
    assert leaks(printed.stream.getvalue()) == []
    assert leaks("\n".join(said + messages + views)) == []
    assert leaks(database) == []


# --- repr, str and exceptions ---------------------------------------------------------------


def test_settings_never_show_theirsecrets_of(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (
        ("SLACK_BOT_TOKEN", BOT_TOKEN),
        ("SLACK_SIGNING_SECRET", SIGNING),
        ("SLACK_APP_TOKEN", "xapp-1-SECRET-apptoken-99"),
        ("SECRET_KEY", SECRET_KEY),
        ("DATABASE_URL", "postgresql+psycopg://bot:SECRET-dbpassword-1@db:5432/bot"),
    ):
        monkeypatch.setenv(name, value)
    settings = load_settings(_env_file=None)
    shown = " ".join(
        [
            repr(settings),
            str(settings),
            settings.model_dump_json(),
            json.dumps(settings.model_dump(mode="json")),
        ]
    )
    assert leaks(shown) == []
    assert "xapp-1-SECRET-apptoken-99" not in shown
    assert "SECRET-dbpassword-1" not in repr(settings) + str(settings)
    assert "postgresql+psycopg://bot:***@db:5432/bot" in repr(settings)

    assert "SECRET-dbpassword-1" in secrets_of(settings)  # redacted from log lines too
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == BOT_TOKEN


def test_a_wrong_setting_does_not_echo_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "SECRET-not-a-bot-token")
    monkeypatch.setenv("SLACK_APP_TOKEN", "SECRET-not-an-app-token")
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)
    assert "SLACK_BOT_TOKEN" in str(caught.value)
    assert "SECRET" not in str(caught.value)


def test_credentials_clients_and_the_box_never_showsecrets_of() -> None:
    rackbeat = RackbeatCredentials(api_token=SecretStr(RACKBEAT_TOKEN))
    netvisor = NetvisorCredentials(
        customer_id=CUSTOMER_ID,
        customer_key=SecretStr(CUSTOMER_KEY),
        partner_id=PARTNER_ID,
        partner_key=SecretStr(PARTNER_KEY),
        organisation_id=ORGANISATION,
    )
    box = SecretBox(SECRET_KEY, previous_keys=[SIGNING])
    shown = [
        repr(rackbeat),
        str(rackbeat),
        repr(netvisor),
        str(netvisor),
        rackbeat.model_dump_json(),
        netvisor.model_dump_json(),
        repr(box),
        box.seal(netvisor),
        repr(RackbeatClient("http://127.0.0.1:9/", rackbeat)),
        repr(NetvisorClient("http://127.0.0.1:9/", netvisor)),
    ]
    assert leaks("\n".join(shown)) == []


@pytest.mark.parametrize("status", [401, 403, 404, 422, 429, 500, 503])
def test_upstream_errors_never_carry_credentials(status: int) -> None:
    rackbeat_fake, netvisor_fake = FakeRackbeat().start(), FakeNetvisor().start()
    try:
        rackbeat_fake.fail_next(json_reply(status, {"message": f"no {RACKBEAT_TOKEN}"}), times=9)
        netvisor_fake.fail_next(reply_failed("AUTHENTICATION_FAILED", CUSTOMER_KEY), times=9)
        rackbeat = RackbeatClient(
            rackbeat_fake.url,
            RackbeatCredentials(api_token=SecretStr(RACKBEAT_TOKEN)),
            sleep=lambda _: None,
        )
        netvisor = NetvisorClient(
            netvisor_fake.url,
            NetvisorCredentials(
                customer_id=CUSTOMER_ID,
                customer_key=SecretStr(CUSTOMER_KEY),
                partner_id=PARTNER_ID,
                partner_key=SecretStr(PARTNER_KEY),
                organisation_id=ORGANISATION,
            ),
            sleep=lambda _: None,
        )
        for call in (rackbeat.company_name, lambda: netvisor.list_documents(Series.INVOICE)):
            with pytest.raises((SourceRejected, SourceUnavailable)) as caught:
                call()
            error = caught.value
            chain = []
            current: BaseException | None = error
            while current is not None:
                chain.extend([str(current), repr(current), repr(current.args)])
                current = current.__cause__ or current.__context__
            assert leaks("\n".join(chain)) == [], error
        rackbeat.close()
        netvisor.close()
    finally:
        rackbeat_fake.stop()
        netvisor_fake.stop()


def test_bolts_own_signature_refusal_logs_no_request_body(caplog: pytest.LogCaptureFixture) -> None:
    """`serve` refuses unsigned requests before Bolt sees them; should one still reach Bolt's
    own check (a timestamp turning stale in between), its log line keeps the body out."""

    withhold_refused_request_bodies()
    caplog.set_level(logging.DEBUG)
    state = {"values": {"api_token": {"value": {"value": RACKBEAT_TOKEN}}}}
    payload = {"type": "view_submission", "view": {"state": state}}
    request = BoltRequest(
        body="payload=" + quote(json.dumps(payload)),
        headers={
            "x-slack-request-timestamp": [str(int(time.time()) - 600)],
            "x-slack-signature": ["v0=stale"],
        },
    )
    refused = RequestVerification(SIGNING).process(
        req=request, resp=BoltResponse(status=200), next=lambda: BoltResponse(status=200)
    )
    assert refused.status == 401
    assert "Invalid request signature" in caplog.text
    assert leaks(caplog.text) == []
    assert leaks(every_record_text(caplog.records)) == []


def test_the_redacting_filter_hides_configured_secrets_and_slack_token_shapes() -> None:
    redact = RedactSecrets([SIGNING, SECRET_KEY])
    record = logging.LogRecord(
        "t", logging.INFO, __file__, 1, "%s %s %s", (SIGNING, SECRET_KEY, BOT_TOKEN), None
    )
    redact.filter(record)
    assert leaks(record.getMessage()) == []
