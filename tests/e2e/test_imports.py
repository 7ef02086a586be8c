"""The Rackbeat import over real, signed HTTP: the Slack emulator, the fake Rackbeat (with the
API's validation), the bot's HTTP app. Preview, import, result, double click, cancel, a file
changed after the preview, a disconnected account, a token revoked mid-import."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from bot.localslack import LocalSlack
from bot.localslack.methods import message_event
from bot.localslack.state import Message
from core.imports.model import Status
from core.store.imports_models import ImportRun
from core.upstream import Source
from handlers.blocks.imports import (
    ACTION_CANCEL,
    ACTION_CREATE,
    ACTION_PREVIEW,
    ACTION_RESUME,
    ACTION_RETRY,
    ACTION_UPDATE,
)
from handlers.blocks.registers import ACTION_MARK_DONE
from handlers.blocks.upstream import failure_text
from handlers.messages import t
from tests.fakes.rackbeat import reply_server_error
from tests.fakes.rackbeat_records import invalid
from tests.fakes.world import Company, FakeUpstreams, fake_upstreams
from tests.harness import BotUnderTest
from tests.imports_support import (
    ANN,
    CHANNEL,
    EVE,
    SECRET_KEY,
    bot_replies,
    buttons,
    connect,
    posts_per_number,
    press,
    products_csv,
    text_of,
    wait_until,
    with_button,
)


@pytest.fixture
def world() -> Iterator[FakeUpstreams]:
    with fake_upstreams() as upstreams:
        yield upstreams


@pytest.fixture
def bot(slack: LocalSlack, database_url: str, world: FakeUpstreams) -> Iterator[BotUnderTest]:
    slack.add_user(ANN, "ann")
    slack.add_user(EVE, "eve")
    under_test = BotUnderTest(
        slack,
        database_url,
        secret_key=SecretStr(SECRET_KEY),
        rackbeat_api_url=world.rackbeat.url,
        netvisor_api_url=world.netvisor.url,
        # The ceiling has its own tests and benchmark; here it would only make tests slow.
        rackbeat_max_requests_per_minute=100_000,
    )
    yield under_test
    under_test.stop()


@pytest.fixture
def company(bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams) -> Company:
    """An onboarding in CHANNEL, connected to an account with product group 1."""
    made = world.add_company(3)
    world.rackbeat.add_reference(made.token, "product-groups", "1", "Työkalut")
    assert bot.driver.command("start Acme Oy", user=ANN, channel=CHANNEL).status == 200
    bot.settle()
    connect(bot.driver, slack, made.token)
    bot.settle()
    return made


def share(bot: BotUnderTest, content: bytes, name: str = "products.csv") -> Message:
    _, message, reply = bot.driver.upload(name, content, user=ANN, channel=CHANNEL)
    assert reply.status == 200
    bot.settle()
    return message


def preview(bot: BotUnderTest, slack: LocalSlack, shared: Message, user: str = ANN) -> Message:
    press(bot.driver, with_button(slack, shared.ts, ACTION_PREVIEW), ACTION_PREVIEW, user)
    bot.settle()
    return [m for m in bot_replies(slack, shared.ts) if not m.files][-1]


def result_rows(slack: LocalSlack, shared: Message) -> list[dict[str, str]]:
    [upload] = [
        f for f in slack.uploads if f.thread_ts == shared.ts and f.name.endswith("-result.csv")
    ]
    text = upload.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def final(bot: BotUnderTest, slack: LocalSlack) -> Message:
    """The import's progress message, as it is now (at its end: the result)."""
    with bot.deps.uow() as uow:
        [ts] = [run.progress_ts for run in uow.session.query(ImportRun)]
    assert ts is not None
    found = slack.message(CHANNEL, ts)
    assert found is not None
    return found


def test_a_clean_file_is_offered_the_import_and_its_preview_counts_what_would_happen(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    rackbeat = world.rackbeat
    for number, price in (("1001", "19.90"), ("1002", "25.00")):
        rackbeat.add_record(
            company.token,
            "products",
            {
                "number": number,
                "name": f"Tuote {number}",
                "group": {"number": "1", "name": "Työkalut"},
                "cost_price": "12.50",
                "sales_price": price,
            },
        )
    shared = share(bot, products_csv([1001, 1002, 1003, 1004]))
    shown = preview(bot, slack, shared)
    counts = t("imports.preview.counts", "en", creates=2, updates=1, unchanged=1)
    assert counts in text_of(shown)
    assert {ACTION_CREATE, ACTION_UPDATE} <= set(buttons(shown))
    [diff] = [f for f in slack.uploads if f.name.endswith("-import-diff.csv")]
    lines = diff.content.decode("utf-8-sig").splitlines()
    assert lines == ["row;number;field;in_rackbeat;in_file", "3;1002;sales_price;25.00;19.90"]
    assert rackbeat.writes() == []  # a preview sends nothing


def test_a_thousand_products_with_ten_refused_end_with_990_created_and_10_in_the_result(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    refused = {str(2000 + i * 100) for i in range(10)}
    for number in refused:
        world.rackbeat.fail_number(number, invalid({"barcode": ["The barcode is invalid."]}))
    shared = share(bot, products_csv(range(2000, 3000)))
    shown = preview(bot, slack, shared)
    press(bot.driver, shown, ACTION_CREATE)
    bot.settle(timeout=120)
    created = world.rackbeat.records_of(company.token, "products")
    assert len(created) == 990 and not refused & set(created)
    done = final(bot, slack)
    expected = t(
        "imports.done",
        "en",
        name="products.csv",
        created="990",
        updated="0",
        unchanged="0",
        failed="10",
    )
    assert done.text == expected
    rows = result_rows(slack, shared)
    assert len(rows) == 1000
    failed = {r["number"]: r for r in rows if r["outcome"] == "failed"}
    assert set(failed) == refused
    assert all("The barcode is invalid." in r["message"] for r in failed.values())
    ok = [r for r in rows if r["outcome"] == "created"]
    assert all(r["rackbeat_id"] == str(created[r["number"]]["id"]) for r in ok)
    assert ACTION_MARK_DONE in buttons(done)
    assert bot.driver.command("history", user=ANN, channel=CHANNEL).status == 200
    bot.settle()
    assert "created 990" in slack.ephemerals_for(ANN)[-1].text


def test_two_clicks_on_the_import_button_start_one_import(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    shared = share(bot, products_csv(range(1, 41)))
    shown = preview(bot, slack, shared)
    clicks = [
        threading.Thread(target=press, args=(bot.driver, shown, ACTION_CREATE)) for _ in range(2)
    ]
    for click in clicks:
        click.start()
    for click in clicks:
        click.join()
    bot.settle(timeout=60)
    assert posts_per_number(world.rackbeat) == {str(n): 1 for n in range(1, 41)}
    assert t("imports.refused.running", "en") in [e.text for e in slack.ephemerals_for(ANN)]
    with bot.deps.uow() as uow:
        assert uow.session.query(ImportRun).count() == 1


def test_the_import_identifies_itself_to_rackbeat_like_every_other_request(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    shared = share(bot, products_csv(range(1, 4)))
    press(bot.driver, preview(bot, slack, shared), ACTION_CREATE)
    bot.settle(timeout=60)
    agents = {
        (r.method == "POST", r.headers.get("User-Agent", "")) for r in world.rackbeat.requests
    }
    sent = {agent for posted, agent in agents if posted}
    read = {agent for posted, agent in agents if not posted}
    # One User-Agent (with RACKBEAT_CONTACT, issue 11) for the reads and the import's writes.
    assert len(sent) == 1 and sent == read, agents
    assert next(iter(sent)).startswith("rackbeat-onboarding-bot/")


def test_a_running_import_can_be_cancelled_and_what_was_created_stays(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    world.rackbeat.latency = 0.05
    shared = share(bot, products_csv(range(1, 1001)))
    press(bot.driver, preview(bot, slack, shared), ACTION_CREATE)
    wait_until(lambda: len(world.rackbeat.records_of(company.token, "products")) >= 20)
    progress = with_button(slack, shared.ts, ACTION_CANCEL)
    press(bot.driver, progress, ACTION_CANCEL)
    bot.settle(timeout=60)
    created = len(world.rackbeat.records_of(company.token, "products"))
    assert 20 <= created < 1000
    ended = slack.message(CHANNEL, progress.ts)
    assert ended is not None
    assert ended.text == t(
        "imports.cancelled",
        "en",
        name="products.csv",
        created=f"{created:,}",
        updated="0",
        left=f"{1000 - created:,}",
    )
    writes = len(world.rackbeat.writes())
    bot.settle()
    assert len(world.rackbeat.writes()) == writes == created


def test_a_newer_file_in_the_thread_makes_the_confirm_refuse_and_nothing_is_sent(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    shared = share(bot, products_csv(range(1, 4)))
    shown = preview(bot, slack, shared)
    newer = slack.add_file(
        name="products.csv",
        content=products_csv(range(1, 5)),
        user=ANN,
        mimetype="text/csv",
        filetype="csv",
    )
    reply_with_file = slack.share_file(CHANNEL, ANN, newer)
    reply_with_file.thread_ts = shared.ts
    assert bot.driver.send_event(message_event(slack, reply_with_file)).status == 200
    bot.settle()
    press(bot.driver, shown, ACTION_CREATE)
    bot.settle()
    assert slack.ephemerals_for(ANN)[-1].text == t("imports.refused.file_changed", "en")
    assert world.rackbeat.writes() == []


def test_a_disconnected_account_refuses_the_preview_with_how_to_reconnect(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    shared = share(bot, products_csv(range(1, 4)))
    offer = with_button(slack, shared.ts, ACTION_PREVIEW)
    assert bot.driver.command("disconnect rackbeat", user=ANN, channel=CHANNEL).status == 200
    bot.settle()
    press(bot.driver, offer, ACTION_PREVIEW)
    bot.settle()
    assert slack.ephemerals_for(ANN)[-1].text == t("imports.refused.not_connected", "en")
    assert world.rackbeat.writes() == []


def test_someone_who_may_not_change_the_onboarding_gets_the_usual_refusal(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    shared = share(bot, products_csv(range(1, 4)))
    press(bot.driver, with_button(slack, shared.ts, ACTION_PREVIEW), ACTION_PREVIEW, EVE)
    bot.settle()
    assert "<@U0ANN>" in slack.ephemerals_for(EVE)[-1].text  # who can grant access
    with bot.deps.uow() as uow:
        assert uow.session.query(ImportRun).count() == 0


def test_an_unknown_reference_stops_the_preview_with_the_reason(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    # Group 9 exists when the file is checked, and is deleted in Rackbeat before the preview:
    # the preview reads the account afresh and stops.
    world.rackbeat.add_reference(company.token, "product-groups", "9", "Poistuva")
    shared = share(bot, products_csv(range(1, 4), group="9"))
    groups = world.rackbeat.account(company.token).references["product-groups"]
    groups[:] = [row for row in groups if row["number"] != "9"]
    shown = preview(bot, slack, shared)
    assert "does not exist in Rackbeat" in shown.text and "`9`" in shown.text
    assert ACTION_CREATE not in buttons(shown)
    with bot.deps.uow() as uow:
        assert uow.session.query(ImportRun).count() == 0


def test_an_unknown_reference_is_caught_by_the_file_check_and_no_import_is_offered(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    shared = share(bot, products_csv(range(1, 4), group="9"))
    verdict = [m for m in bot_replies(slack, shared.ts) if not m.files][-1]
    # An error verdict that names the missing group; nothing to import from it.
    assert text_of(verdict).startswith(":x:") and "`9`" in text_of(verdict)
    assert ACTION_PREVIEW not in buttons(verdict)


def test_a_token_revoked_mid_import_stops_it_resumable_and_resuming_sends_nothing_twice(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    world.rackbeat.latency = 0.02
    shared = share(bot, products_csv(range(1, 301)))
    press(bot.driver, preview(bot, slack, shared), ACTION_CREATE)
    wait_until(lambda: len(world.rackbeat.records_of(company.token, "products")) >= 30)
    world.rackbeat.revoke(company.token)
    bot.settle(timeout=60)
    stopped = final(bot, slack)
    assert "Rackbeat refused the API token" in stopped.text
    assert ACTION_RESUME in buttons(stopped)
    with bot.deps.uow() as uow:
        assert uow.session.query(ImportRun).one().status == Status.STOPPED
    before = len(world.rackbeat.records_of(f"revoked:{company.token}", "products"))
    assert before < 300
    # A new token for the same account, connected again; then resume.
    world.rackbeat.unrevoke(company.token)
    press(bot.driver, stopped, ACTION_RESUME)
    bot.settle(timeout=60)
    assert len(world.rackbeat.records_of(company.token, "products")) == 300
    # A record is posted twice only if its first call was turned away (401), never created.
    assert set(posts_per_number(world.rackbeat)) == {str(n) for n in range(1, 301)}
    assert final(bot, slack).text == t(
        "imports.done",
        "en",
        name="products.csv",
        created="300",
        updated="0",
        unchanged="0",
        failed="0",
    )


@pytest.mark.parametrize("language", ["en", "fi"])
def test_rackbeat_unreachable_during_the_preview_says_so_in_the_thread_and_stores_nothing(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company, language: str
) -> None:
    bot.driver.command(f"language {language}", user=ANN, channel=CHANNEL)
    shared = share(bot, products_csv(range(1, 4)))
    world.rackbeat.fail_next(reply_server_error(503), times=50)
    shown = preview(bot, slack, shared)
    # Wholly in the reader's language: the source's failure too, not its English log line.
    why = failure_text(Source.RACKBEAT, "http_503", language)
    assert shown.text == t("imports.refused.unreachable", language, reason=why)
    with bot.deps.uow() as uow:
        assert uow.session.query(ImportRun).count() == 0


def test_retrying_the_failed_records_sends_only_those_and_the_result_adds_up(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    world.rackbeat.fail_number("2", invalid({"name": ["The name is taken."]}), times=1)
    shared = share(bot, products_csv(range(1, 6)))
    press(bot.driver, preview(bot, slack, shared), ACTION_CREATE)
    bot.settle(timeout=60)
    done = final(bot, slack)
    assert "4 created" in done.text and "1 failed" in done.text
    press(bot.driver, done, ACTION_RETRY)
    bot.settle(timeout=60)
    assert final(bot, slack).text == t(
        "imports.done",
        "en",
        name="products.csv",
        created="5",
        updated="0",
        unchanged="0",
        failed="0",
    )
    assert posts_per_number(world.rackbeat) == {"1": 1, "2": 2, "3": 1, "4": 1, "5": 1}
    results = [f for f in slack.uploads if f.name == "products-import-result.csv"]
    assert len(results) == 2 and ";failed;" not in results[-1].content.decode("utf-8-sig")


def test_a_clean_inventory_file_says_where_rackbeats_import_screen_is(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    inventory = (
        "date;product;location;quantity;cost_price;reason\n01.01.2026;1001;1;5;12,50;Alkusaldo\n"
    )
    # Product 1001 exists in the account (the file check looks there for inventory products).
    world.rackbeat.account(company.token).lists.product("1001", "Tuote", 1)
    shared = share(bot, inventory.encode(), name="saldot.csv")
    verdict = [m for m in bot_replies(slack, shared.ts) if not m.files][-1]
    assert t("imports.inventory_note", "en") in text_of(verdict)
    assert ACTION_PREVIEW not in buttons(verdict)


def test_customers_are_imported_with_their_group_and_payment_terms_as_rackbeat_ids(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    group = world.rackbeat.add_reference(company.token, "customer-groups", "1", "Kotimaa")
    terms = world.rackbeat.add_reference(company.token, "payment-terms", "14", "14 pv netto")
    customers = (
        "number;name;group;vat_zone;payment_terms\n1001;Asiakas Oy;1;1;14\n1002;Toinen Oy;1;1;14\n"
    )
    shared = share(bot, customers.encode(), name="asiakkaat.csv")
    shown = preview(bot, slack, shared)
    press(bot.driver, shown, ACTION_CREATE)
    bot.settle(timeout=60)
    created = world.rackbeat.records_of(company.token, "customers")
    assert set(created) == {"1001", "1002"}
    assert created["1001"]["customer_group_id"] == group
    assert created["1001"]["payment_terms_id"] == terms
    assert created["1001"]["number"] == 1001  # an integer in the API


def test_an_import_cannot_be_cancelled_from_another_channel(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    world.rackbeat.latency = 0.02
    shared = share(bot, products_csv(range(1, 801)))
    press(bot.driver, preview(bot, slack, shared), ACTION_CREATE)
    assert bot.driver.command("start Muu Oy", user=ANN, channel="C0OTHER").status == 200
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "C0OTHER", timeout=30)
    slack.wait_for(
        "chat.postMessage", lambda c: ACTION_CANCEL in str(c.params.get("blocks")), timeout=30
    )
    cancel, _ = buttons(with_button(slack, shared.ts, ACTION_CANCEL))[ACTION_CANCEL]
    assert bot.driver.click(cancel, user=ANN, channel="C0OTHER").status == 200
    bot.settle(timeout=90)
    assert t("imports.refused.not_running", "en") in [e.text for e in slack.ephemerals_for(ANN)]
    assert len(world.rackbeat.records_of(company.token, "products")) == 800


def test_a_group_the_check_resolved_by_name_is_imported_as_its_number(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    # Finnish headers, and a group by name: the check (against the account) says "ready", so
    # the preview must read the file the same way and send the group's number.
    products = (
        "Tuotenumero;Nimi;Tuoteryhmä;Kustannushinta;Myyntihinta\n"
        "1001;Vasara;Työkalut;12,50;19,90\n1002;Saha;1;5,00;9,90\n"
    )
    shared = share(bot, products.encode(), name="tuotteet.csv")
    shown = preview(bot, slack, shared)
    assert ACTION_CREATE in buttons(shown), text_of(shown)
    press(bot.driver, shown, ACTION_CREATE)
    bot.settle(timeout=60)
    created = world.rackbeat.records_of(company.token, "products")
    assert set(created) == {"1001", "1002"}
    assert created["1001"]["group"] == created["1002"]["group"]


def test_a_products_file_shared_as_customers_is_previewed_as_the_products_its_header_names(
    bot: BotUnderTest, slack: LocalSlack, company: Company
) -> None:
    stored = slack.add_file(name="lista.csv", content=products_csv([1001, 1002]), user=ANN)
    shared = slack.share_file(CHANNEL, ANN, stored, text="customers list attached")
    assert bot.driver.send_event(message_event(slack, shared)).status == 200
    bot.settle()
    shown = preview(bot, slack, shared)
    assert ACTION_CREATE in buttons(shown), text_of(shown)


def test_a_file_checked_after_an_import_counts_the_imported_records_as_in_rackbeat(
    bot: BotUnderTest, slack: LocalSlack, world: FakeUpstreams, company: Company
) -> None:
    # The check before the import read the account; the import changed it. The next check
    # must not judge against the account as it was before the bot's own import.
    first = share(bot, products_csv([1001, 1002]))
    press(bot.driver, preview(bot, slack, first), ACTION_CREATE)
    bot.settle(timeout=60)
    assert set(world.rackbeat.records_of(company.token, "products")) == {"1001", "1002"}
    again = share(bot, products_csv([1001, 1002]), name="products-again.csv")
    verdict = bot_replies(slack, again.ts)[0]
    assert t("registers.code.already_in_rackbeat", "en") in str(verdict.blocks), text_of(verdict)
