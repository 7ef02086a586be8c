"""The bot looks into the connected Rackbeat account, over real signed HTTP against the Slack
emulator and local Rackbeat and Netvisor: the snapshot, the four account codes on the right
rows, refresh, export, an outage while reading, answers that are not what Rackbeat
documents, and the steps that check themselves (`login`, `previous_orders`)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.localslack import LocalSlack
from bot.localslack.state import Message
from core.account.model import AccountSnapshot
from core.onboarding.service import OnboardingService
from core.store.models import AuditEvent
from core.store.registers_models import ValidationResult
from core.tenancy import Channel
from handlers.blocks.account import ACTION_REFRESH
from handlers.messages import t
from tests.fakes.rackbeat import reply_server_error
from tests.fakes.server import Reply
from tests.fakes.world import Company, FakeUpstreams, fake_upstreams
from tests.harness import BotUnderTest

CHANNEL = "C0ACCOUNT"
ANN = "U0ANN"
SECRET_KEY = "e2e-secret-key-for-the-account-0123456789"

PRODUCTS = (
    "number;name;group;cost_price;sales_price;batch_tracking\n"
    "2001;Uusi tuote;1;1,00;2,00;0\n"  # row 2: fine
    "2002;Ruuvi;7;1,00;2,00;0\n"  # row 3: group 7 is not in the account
    "2003;Pora;Työkalut;1,00;2,00;0\n"  # row 4: group by name
    "1001;Vasara;1;5,00;12,00;0\n"  # row 5: exists, the price would change
    "1002;Saha;1;5,00;10,00;1\n"  # row 6: has stock, batch tracking switched on
)


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 12, 6, 14, 3, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def world() -> Iterator[FakeUpstreams]:
    with fake_upstreams() as upstreams:
        yield upstreams


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def bot(
    slack: LocalSlack, sqlite_url: str, world: FakeUpstreams, clock: Clock
) -> Iterator[BotUnderTest]:
    slack.add_user(ANN, "ann")
    under_test = BotUnderTest(
        slack,
        sqlite_url,
        secret_key=SecretStr(SECRET_KEY),
        rackbeat_api_url=world.rackbeat.url,
        netvisor_api_url=world.netvisor.url,
    )
    under_test.deps.clock = clock
    assert under_test.deps.numbering is not None
    under_test.deps.numbering.upstreams.sleep = lambda _seconds: None  # back off without waiting
    yield under_test
    under_test.stop()


@pytest.fixture
def company(world: FakeUpstreams) -> Company:
    made = world.add_company(11, name="Kone ja Rauta Oy")
    lists = world.rackbeat.account(made.token).lists
    lists.product("1001", "Vasara", 1, cost_price=5.0, sales_price=10.0)
    lists.product("1002", "Saha", 1, cost_price=5.0, sales_price=10.0, stock=5.0)
    for n in range(1500):  # two pages of products
        lists.product(str(50_000 + n), f"Tuote {n}", 2)
    return made


def run(bot: BotUnderTest, text: str) -> None:
    assert bot.driver.command(text, user=ANN, channel=CHANNEL).status == 200
    bot.settle()


def connect(bot: BotUnderTest, slack: LocalSlack, company: Company) -> None:
    run(bot, "start Kone ja Rauta Oy")
    run(bot, "connect rackbeat")
    modal = slack.open_modal(ANN)
    assert modal is not None
    values = {"api_token": {"value": {"type": "plain_text_input", "value": company.token}}}
    assert bot.driver.submit_view(modal, values, user=ANN).status == 200
    bot.settle()


def upload(bot: BotUnderTest, slack: LocalSlack, name: str, content: str) -> Message:
    _, message, reply = bot.driver.upload(name, content.encode(), user=ANN, channel=CHANNEL)
    assert reply.status == 200
    bot.settle()
    found = [
        m for m in slack.thread(CHANNEL, message.ts) if m.user == slack.bot_user_id and not m.files
    ]
    assert len(found) == 1
    return found[0]


def all_text(message: Message) -> str:
    return json.dumps(message.blocks, ensure_ascii=False) + message.text


def said(slack: LocalSlack) -> Any:
    return slack.ephemerals_for(ANN)[-1]


def issue_rows(bot: BotUnderTest) -> set[tuple[int | None, str]]:
    """(row, code) of every issue of the latest checked file, from the stored result."""
    with bot.deps.uow() as uow:
        stored = uow.session.scalars(select(ValidationResult).order_by(ValidationResult.id)).all()
        issues = stored[-1].summary["issues"]
    return {(i["row"], i["code"]) for i in issues}


def test_a_products_file_gets_the_four_account_codes_on_the_right_rows(
    bot: BotUnderTest, slack: LocalSlack, company: Company
) -> None:
    connect(bot, slack, company)
    reply = upload(bot, slack, "products.csv", PRODUCTS)
    text = all_text(reply)
    assert t("registers.code.unknown_reference", "en") in text
    assert (
        t(
            "account.note.checked",
            "en",
            company="Kone ja Rauta Oy",
            when="6 Dec 2026 14:03 UTC",
            existing=2,
            changing=2,
        )
        in text
    )
    rows = issue_rows(bot)
    assert {
        (3, "unknown_reference"),
        (4, "reference_by_name"),
        (5, "already_in_rackbeat"),
        (6, "already_in_rackbeat"),
        (6, "tracking_on_product_with_stock"),
    } <= rows
    assert not [r for r in rows if r[0] == 2]
    report = [f for f in slack.uploads if f.name == "products-errors.csv"][-1].content.decode(
        "utf-8-sig"
    )
    assert "would change sales_price '10' → '12,00'" in report


def test_the_account_view_refresh_button_and_a_changed_account(
    bot: BotUnderTest, slack: LocalSlack, company: Company, world: FakeUpstreams, clock: Clock
) -> None:
    connect(bot, slack, company)
    run(bot, "account")  # never read: read now
    assert [e.text for e in slack.ephemerals_for(ANN)][-2] == t("account.reading", "en")
    view = said(slack)
    assert "Kone ja Rauta Oy" in view.text
    assert "product groups 2" in all_text(view) and "products 1\u00a0502" in all_text(view)
    audit = [e for e in _audit(bot) if e[0] == "account.refresh"]
    assert audit and "1502 products" in str(audit[-1][1])

    upload(bot, slack, "products.csv", PRODUCTS)
    run(bot, "account")
    assert t("account.unknown_references", "en", items="group 7 (products.csv)") in all_text(
        said(slack)
    )

    world.rackbeat.account(company.token).lists.reference("product-groups", 7, "Ruuvit")
    clock.now += timedelta(minutes=5)
    button = next(
        e
        for block in view.blocks
        for e in block.get("elements", [])
        if isinstance(e, dict) and e.get("action_id") == ACTION_REFRESH
    )
    bot.driver.click(button, user=ANN, channel=CHANNEL, message_ts=None, block_id="account_actions")
    bot.settle()
    assert "product groups 3" in all_text(said(slack))
    reply = upload(bot, slack, "products.csv", PRODUCTS)
    assert (3, "unknown_reference") not in issue_rows(bot)
    assert "Ruuvit" not in all_text(reply)


def test_an_outage_while_reading_names_the_list_and_falls_back_to_the_last_snapshot(
    bot: BotUnderTest, slack: LocalSlack, company: Company, world: FakeUpstreams, clock: Clock
) -> None:
    connect(bot, slack, company)
    run(bot, "account refresh")
    clock.now += timedelta(hours=3)  # older than ACCOUNT_MAX_AGE_MINUTES: read again first
    world.rackbeat.fail_list("customers", reply_server_error(503), times=20)
    reply = upload(bot, slack, "products.csv", PRODUCTS)
    text = all_text(reply)
    assert (
        t(
            "account.note.stale",
            "en",
            list=t("account.list.customers", "en"),
            reason="Rackbeat is not answering properly (HTTP 503).",
            age=t("numbering.age.hours", "en", n=3),
        )
        in text
    )
    assert (3, "unknown_reference") in issue_rows(bot)  # the last snapshot still checks
    run(bot, "account")
    assert "could not read customers" in all_text(said(slack))


@pytest.mark.parametrize(
    ("reply", "what"),
    [
        (Reply(206, b'{"units": [{"number": 1}], "pages": 1}'), "entry 1 has no name"),
        (Reply(200, b"<html>Maintenance</html>", content_type="text/html"), "not JSON"),
        (Reply(206, b""), "not JSON"),
        (Reply(206, b'{"units": [], "pages": "2"}'), "'pages' is not a whole number"),
    ],
)
def test_a_malformed_answer_is_a_named_logged_refusal_and_keeps_the_last_good_snapshot(
    bot: BotUnderTest,
    slack: LocalSlack,
    company: Company,
    world: FakeUpstreams,
    caplog: pytest.LogCaptureFixture,
    reply: Reply,
    what: str,
) -> None:
    connect(bot, slack, company)
    run(bot, "account refresh")
    world.rackbeat.fail_list("units", reply)
    with caplog.at_level(logging.WARNING, logger="core.account.service"):
        run(bot, "account refresh")
    text = all_text(said(slack))
    assert "could not read units from Rackbeat" in text and what in text
    assert "products 1\u00a0502" in text  # the last good snapshot is still what is shown
    assert any("could not read units" in r.getMessage() for r in caplog.records)
    assert bot.deps.account is not None
    kept = bot.deps.account.snapshot(_onboarding_id(bot))
    assert kept is not None and kept.count("units") == 2


def test_export_uploads_the_snapshot_that_validate_reads(
    bot: BotUnderTest, slack: LocalSlack, company: Company
) -> None:
    connect(bot, slack, company)
    run(bot, "account export")
    assert said(slack).text == t("account.export.nothing", "en")
    run(bot, "account refresh")
    run(bot, "account export")
    [exported] = [f for f in slack.uploads if f.name.startswith("rackbeat-account-")]
    snapshot = AccountSnapshot.from_json(json.loads(exported.content))
    assert snapshot.company == "Kone ja Rauta Oy"
    assert snapshot.count("products") == 1502
    assert exported.thread_ts is not None


def test_without_a_connection_the_reply_says_once_that_references_were_not_checked(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    run(bot, "start Kone ja Rauta Oy")
    reply = upload(bot, slack, "products.csv", PRODUCTS)
    assert all_text(reply).count(t("account.note.not_checked", "en")) == 1
    assert (4, "reference_not_number") in issue_rows(bot)
    run(bot, "account")
    assert said(slack).text == t("account.not_connected", "en")


def _onboarding_id(bot: BotUnderTest) -> int:
    found = OnboardingService(bot.deps.uow).find(Channel(bot.slack.team_id, CHANNEL))
    assert found is not None
    return found.id


def _audit(bot: BotUnderTest) -> list[tuple[str, str | None]]:
    with bot.deps.uow() as uow:
        return [(e.action, e.new_value) for e in uow.session.scalars(select(AuditEvent))]


# --- steps that check themselves ----------------------------------------------------------


def checklist_text(slack: LocalSlack) -> str:
    posts = [m for m in slack.channel_messages(CHANNEL) if m.user == slack.bot_user_id]
    return "\n".join(json.dumps(m.blocks, ensure_ascii=False) for m in posts)


def audit(bot: BotUnderTest) -> list[tuple[str, str | None, str, str | None, str]]:
    with bot.deps.uow() as uow:
        return [
            (e.action, e.subject, e.actor, e.note, e.outcome)
            for e in uow.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


def connect_netvisor(bot: BotUnderTest, slack: LocalSlack, made: Company) -> None:
    run(bot, "connect netvisor")
    modal = slack.open_modal(ANN)
    assert modal is not None
    keys = made.netvisor
    fields = {
        "customer_id": keys.customer_id,
        "customer_key": keys.customer_key.get_secret_value(),
        "partner_id": keys.partner_id,
        "partner_key": keys.partner_key.get_secret_value(),
        "organisation_id": keys.organisation_id,
    }
    values = {k: {"value": {"type": "plain_text_input", "value": v}} for k, v in fields.items()}
    assert bot.driver.submit_view(modal, values, user=ANN).status == 200
    bot.settle()


def test_connecting_rackbeat_verifies_login_and_the_checklist_says_by_whom(
    bot: BotUnderTest, slack: LocalSlack, company: Company
) -> None:
    run(bot, "start Kone ja Rauta Oy")
    assert t("account.verified", "en", when="6 Dec 2026 14:03 UTC") not in checklist_text(slack)
    connect(bot, slack, company)
    assert t("account.verified", "en", when="6 Dec 2026 14:03 UTC") in checklist_text(slack)
    trail = audit(bot)
    assert ("numbering.connect.rackbeat", "rackbeat", ANN, None, "applied") in trail
    assert ("step.done", "login", "rackbeat", "Kone ja Rauta Oy", "applied") in trail
    run(bot, "history")
    history = said(slack).text + json.dumps(said(slack).blocks, ensure_ascii=False)
    assert "<@rackbeat>" not in history and "Rackbeat" in history


def test_login_ticked_by_a_person_stays_theirs(
    bot: BotUnderTest, slack: LocalSlack, company: Company
) -> None:
    run(bot, "start Kone ja Rauta Oy")
    run(bot, "done login")
    connect(bot, slack, company)
    assert t("account.verified", "en", when="6 Dec 2026 14:03 UTC") not in checklist_text(slack)
    assert not [a for a in audit(bot) if a[2] == "rackbeat"]


def test_previous_orders_needs_the_open_orders_invoiced_or_a_reason(
    bot: BotUnderTest, slack: LocalSlack, company: Company, world: FakeUpstreams
) -> None:
    world.netvisor.add_document(company.customer_id, "order", "5001")
    world.netvisor.add_document(company.customer_id, "order", "5002", status="Invoiced")
    world.netvisor.add_document(company.customer_id, "order", "5003", status="Toimitettu")
    connect(bot, slack, company)
    connect_netvisor(bot, slack, company)
    run(bot, "done previous_orders")
    refused = said(slack).text
    assert "2 open sales orders: 5001 (open), 5003 (Toimitettu)" in refused
    assert "5002" not in refused
    run(bot, "done previous_orders vanhat tilaukset laskutetaan käsin tammikuussa")
    trail = audit(bot)
    assert (
        "step.done",
        "previous_orders",
        ANN,
        "vanhat tilaukset laskutetaan käsin tammikuussa",
        "applied",
    ) in trail
    run(bot, "account")
    assert "2 sales orders still open" in json.dumps(said(slack).blocks)


def test_previous_orders_is_done_without_a_reason_once_nothing_is_open(
    bot: BotUnderTest, slack: LocalSlack, company: Company, world: FakeUpstreams
) -> None:
    order = world.netvisor.add_document(company.customer_id, "order", "5001")
    connect(bot, slack, company)
    connect_netvisor(bot, slack, company)
    run(bot, "done previous_orders")
    assert "1 open sales orders" in said(slack).text
    # Someone invoices it in Netvisor; the next attempt reads the orders again.
    world.netvisor.invoice(company.customer_id, order.key)
    run(bot, "done previous_orders")
    assert ("step.done", "previous_orders", ANN, None, "applied") in audit(bot)


def test_an_inventory_re_judged_after_a_products_file_still_counts_the_account_s_products(
    bot: BotUnderTest, slack: LocalSlack, company: Company
) -> None:
    connect(bot, slack, company)
    run(bot, "set valuation fifo")
    # Product 1001 is in the account only: the inventory is fine as long as the account counts.
    inventory = "date;product;location;quantity;cost_price;reason\n1.4.2024;1001;1;3;5,00;Alku\n"
    first = upload(bot, slack, "saldot.csv", inventory)
    assert t("registers.code.unknown_product", "en") not in all_text(first)
    upload(
        bot, slack, "tuotteet.csv", "number;name;group;cost_price;sales_price\n3001;Uusi;1;1;2\n"
    )
    rejudged = slack.message(CHANNEL, first.ts)
    assert rejudged is not None
    assert t("registers.code.unknown_product", "en") not in all_text(rejudged)
    assert (2, "unknown_product") not in issue_rows(bot)
