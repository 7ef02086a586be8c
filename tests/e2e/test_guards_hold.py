"""Issue 17, the guards that protect the company's Rackbeat account, walked as users walk them:
slash commands and shared files over real, signed HTTP against the Slack emulator."""

from __future__ import annotations

from typing import Any

import pytest

from bot.localslack import LocalSlack
from bot.localslack.methods import message_event
from bot.localslack.state import Message
from core.onboarding.service import OnboardingService
from core.onboarding.snapshot import OnboardingSnapshot
from core.onboarding.steps import STEPS, StepId, StepState, Valuation
from core.tenancy import Channel
from handlers.blocks.onboarding_words import step_name
from handlers.messages import t
from tests.harness import BotUnderTest

CHANNEL = "C0GUARDS"
ANN = "U0ANN"

PRODUCTS = "number;name;group;cost_price;sales_price\n1001;Vasara;1;12,50;19,90\n"
PRODUCTS_WITH_BATCHES = (
    "number;name;group;cost_price;sales_price;batch_tracking\n1001;Vasara;1;12,50;19,90;1\n"
)
INVENTORY = "date;product;location;quantity;cost_price;reason\n01.01.2024;1001;1;5;2,00;Opening\n"
INVENTORY_WITHOUT_REASON = "date;product;location;quantity;cost_price\n01.01.2024;1001;1;5;2,00\n"


@pytest.fixture(autouse=True)
def people(slack: LocalSlack) -> None:
    slack.add_user(ANN, "ann")


def run(bot: BotUnderTest, command: str) -> str:
    assert bot.driver.command(command, user=ANN, channel=CHANNEL).status == 200
    bot.settle()
    return last_answer(bot.slack)


def last_answer(slack: LocalSlack) -> str:
    answers = slack.ephemerals_for(ANN)
    return answers[-1].text if answers else ""


def snapshot(bot: BotUnderTest) -> OnboardingSnapshot:
    found = OnboardingService(bot.deps.uow).find(Channel(bot.slack.team_id, CHANNEL))
    assert found is not None
    return found


def share(bot: BotUnderTest, *files: tuple[str, str], message: str = "") -> Message:
    """One message with ``files`` (name, content) attached, as Slack sends it."""
    slack = bot.slack
    stored = [slack.add_file(name=name, content=body.encode(), user=ANN) for name, body in files]
    shared = slack.share_file(CHANNEL, ANN, stored[0], text=message)
    shared.files = [slack.file_stub(f) for f in stored]
    for extra in stored[1:]:
        extra.channel = CHANNEL
    assert bot.driver.send_event(message_event(slack, shared)).status == 200
    bot.settle()
    return shared


def thread_text(slack: LocalSlack, message: Message) -> str:
    replies = [m for m in slack.thread(CHANNEL, message.ts) if m.user == slack.bot_user_id]
    return "\n".join(_all_text(m) for m in replies)


def _all_text(message: Message) -> str:
    parts = [message.text]
    for block in message.blocks:
        inner: Any = block.get("text")
        if isinstance(inner, dict):
            parts.append(str(inner.get("text", "")))
        for element in block.get("elements", []):
            if isinstance(element.get("text"), str):
                parts.append(element["text"])
            elif isinstance(element.get("text"), dict):
                parts.append(element["text"]["text"])
    return "\n".join(parts)


def locked_words() -> str:
    """A fragment of the batch/serial lock's reason, from the message constants."""
    return t("onb.rule.batch_serial_locked", "en", dep="X", by="").split("X* ")[1][:40]


# --- item 1: the batch/serial decision stays final ------------------------------------------


def test_batch_serial_stays_final_after_initial_balances_are_reopened(bot: BotUnderTest) -> None:
    for command in (
        "start Acme Oy",
        "done login",
        "done settings",
        "set valuation fifo",
        "skip products",
        "skip batch",
        "done initial_balances",
    ):
        run(bot, command)
    run(bot, "reopen batch_serial")
    assert snapshot(bot).step(StepId.BATCH_SERIAL).state is StepState.SKIPPED
    run(bot, "reopen initial_balances oops")
    assert snapshot(bot).step(StepId.INITIAL_BALANCES).state is StepState.IN_PROGRESS

    said = run(bot, "reopen batch_serial")
    assert snapshot(bot).step(StepId.BATCH_SERIAL).state is StepState.SKIPPED
    assert locked_words() in said
    assert "can't be changed" in run(bot, "set valuation average")
    assert snapshot(bot).valuation is Valuation.FIFO


# --- item 3: checking an inventory file moves no stock --------------------------------------


def _settings_done(bot: BotUnderTest) -> None:
    for command in ("start Acme Oy", "done login", "done settings", "set valuation fifo"):
        run(bot, command)


def test_checking_an_inventory_file_does_not_lock_the_valuation(bot: BotUnderTest) -> None:
    _settings_done(bot)
    refused_file = share(bot, ("saldot.csv", INVENTORY_WITHOUT_REASON))
    assert "*Reason* is missing" in thread_text(bot.slack, refused_file)
    assert snapshot(bot).step(StepId.INITIAL_BALANCES).state is StepState.IN_PROGRESS

    run(bot, "set valuation average")
    assert snapshot(bot).valuation is Valuation.AVERAGE


def test_a_checked_inventory_file_does_not_lock_product_tracking(bot: BotUnderTest) -> None:
    _settings_done(bot)
    share(bot, ("tuotteet.csv", PRODUCTS))
    share(bot, ("saldot.csv", INVENTORY))
    switched_on = share(bot, ("tuotteet2.csv", PRODUCTS_WITH_BATCHES))
    said = thread_text(bot.slack, switched_on)
    assert "is ready to import" in said, said


# --- item 4: several files in one message are judged in the documented order ---------------


def test_inventory_shared_before_its_products_in_one_message_is_judged_against_them(
    bot: BotUnderTest,
) -> None:
    _settings_done(bot)
    message = share(bot, ("saldot.csv", INVENTORY), ("tuotteet.csv", PRODUCTS_WITH_BATCHES))
    said = thread_text(bot.slack, message)
    assert "*saldot.csv* is ready to import" not in said, said
    assert t("registers.code.batch_missing", "en") in said
    assert t("registers.recheck.note", "en", name="saldot.csv", products="tuotteet.csv") in said
    uploads = {f.name for f in bot.slack.uploads if f.thread_ts == message.ts}
    assert "saldot-errors.csv" in uploads


def test_a_products_file_in_a_later_message_re_judges_the_clean_inventory(
    bot: BotUnderTest,
) -> None:
    _settings_done(bot)
    share(bot, ("tuotteet.csv", PRODUCTS))
    inventory = share(bot, ("saldot.csv", INVENTORY))
    assert "*saldot.csv* is ready to import" in thread_text(bot.slack, inventory)
    share(bot, ("tuotteet2.csv", PRODUCTS_WITH_BATCHES))
    said = thread_text(bot.slack, inventory)
    assert "*saldot.csv* is ready to import" not in said
    assert t("registers.code.batch_missing", "en") in said


# --- item 7: one numbering of the steps everywhere -----------------------------------------


def test_help_steps_numbers_the_steps_as_the_checklist_and_done_n_marks_that_step(
    bot: BotUnderTest,
) -> None:
    run(bot, "start Acme Oy")
    said = run(bot, "help steps")
    lines = [line for line in said.splitlines() if line[:1].isdigit()]
    assert len(lines) == len(STEPS)
    for entry, line in zip(STEPS, lines, strict=True):
        assert line.startswith(f"{entry.position}. {step_name(entry.id, 'en')} (`{entry.id}`)")
    fourth = next(line for line in lines if line.startswith("4. "))
    run(bot, "done 4")
    done = [e.id for e in STEPS if snapshot(bot).step(e.id).state is StepState.DONE]
    assert len(done) == 1 and f"(`{done[0]}`)" in fourth


# --- item 8: a clear header beats the message text -----------------------------------------


def test_a_clear_products_header_beats_customers_in_the_message_and_the_conflict_is_said(
    bot: BotUnderTest,
) -> None:
    run(bot, "start Acme Oy")
    message = share(bot, ("lista.csv", PRODUCTS), message="customers list attached")
    said = thread_text(bot.slack, message)
    assert "*lista.csv* is ready to import: products" in said, said
    assert t("registers.code.register_hint_overruled", "en") in said


def test_the_message_text_still_breaks_a_tie_between_customers_and_suppliers(
    bot: BotUnderTest,
) -> None:
    run(bot, "start Acme Oy")
    parties = "number;name;group;vat_zone;payment_terms\n500;Tukku;1;1;30\n"
    message = share(bot, ("data.csv", parties), message="suppliers for import")
    said = thread_text(bot.slack, message)
    assert "*data.csv* is ready to import: suppliers" in said, said
    assert t("registers.code.register_hint_overruled", "en") not in said


# --- item 9: row ranges say the real range --------------------------------------------------


def test_an_issue_on_300_rows_names_rows_2_to_301(bot: BotUnderTest) -> None:
    rows = "".join(f"{n};Tuote {n};Työkalut;1;1\n" for n in range(1, 301))
    message = share(bot, ("tuotteet.csv", "number;name;group;cost_price;sales_price\n" + rows))
    said = thread_text(bot.slack, message)
    assert "rows 2–301 (300×)" in said, said


# --- Low: history pages ------------------------------------------------------------------


def test_history_minus_one_is_no_page_and_a_huge_page_says_how_many_there_are(
    bot: BotUnderTest,
) -> None:
    run(bot, "start Acme Oy")
    assert run(bot, "history -1").endswith(t("onb.invalid.page", "en", value="-1"))
    said = run(bot, "history 99999999999")
    assert said.endswith(t("onb.history.page_out_of_range", "en", page=99999999999, pages=1))


# --- Low: members are people Slack knows ---------------------------------------------------


@pytest.mark.parametrize("nobody", ["UDAVE", "U00", "W123ABC"])
def test_members_add_refuses_an_id_slack_knows_no_one_by(bot: BotUnderTest, nobody: str) -> None:
    bot.slack.invent_users = False  # as real Slack: users.info says user_not_found
    run(bot, "start Acme Oy")
    said = run(bot, f"members add {nobody}")
    assert said.endswith(t("onboarding.members.unknown", "en", users=f"`{nobody}`")), said
    assert snapshot(bot).member_ids == {ANN}


def test_members_add_still_adds_a_known_person(bot: BotUnderTest) -> None:
    bot.slack.invent_users = False
    bot.slack.add_user("U0BOB", "bob")
    run(bot, "start Acme Oy")
    run(bot, "members add <@U0BOB|bob>")
    assert snapshot(bot).member_ids == {ANN, "U0BOB"}


# --- Low: the history says what was refused and what was denied -----------------------------


def test_history_shows_every_reason_of_a_refusal_and_what_a_denied_numbering_change_was(
    bot: BotUnderTest,
) -> None:
    bot.slack.add_user("U0EVE", "eve")
    run(bot, "start Acme Oy")
    refusal = run(bot, "done initial_balances")
    reasons = [line.removeprefix("• ") for line in refusal.splitlines()[1:]]
    assert len(reasons) > 1
    assert (
        bot.driver.command(
            "numbering set invoice rackbeat-next 5", user="U0EVE", channel=CHANNEL
        ).status
        == 200
    )
    bot.settle()
    history = run(bot, "history")
    for reason in reasons:
        assert " ".join(reason.split())[:60] in history, reason
    # The denied change in words: which number, and what it would have become.
    assert "Sales invoices, Rackbeat's next number: – → 5" in history, history


# --- Low: pictures and documents for people are left alone ---------------------------------


def _share_picture(bot: BotUnderTest, name: str, mimetype: str, message: str) -> Message:
    slack = bot.slack
    stored = slack.add_file(
        name=name,
        content=b"\x89PNG\r\n\x1a\n",
        user=ANN,
        mimetype=mimetype,
        filetype=name.rsplit(".", 1)[1],
    )
    shared = slack.share_file(CHANNEL, ANN, stored, text=message)
    assert bot.driver.send_event(message_event(slack, shared)).status == 200
    bot.settle()
    return shared


@pytest.mark.parametrize(
    ("name", "mimetype"), [("kuva.png", "image/png"), ("tarjous.pdf", "application/pdf")]
)
def test_a_picture_or_pdf_shared_for_people_gets_no_answer(
    bot: BotUnderTest, name: str, mimetype: str
) -> None:
    run(bot, "start Acme Oy")
    shared = _share_picture(bot, name, mimetype, "here is the offer")
    assert thread_text(bot.slack, shared) == ""
    assert bot.slack.calls_to("files.info") == []


def test_a_picture_shared_with_a_request_to_check_it_is_told_it_is_no_csv(
    bot: BotUnderTest,
) -> None:
    run(bot, "start Acme Oy")
    shared = _share_picture(bot, "tuotteet.png", "image/png", "tarkista tuotteet")
    assert t("registers.refused.not_csv", "en", name="tuotteet.png") in thread_text(
        bot.slack, shared
    )


# --- Low: nothing typed is asked for, not echoed --------------------------------------------


@pytest.mark.parametrize(
    ("command", "key"),
    [("set valuation", "onb.missing.valuation"), ("language", "onb.missing.language")],
)
def test_an_empty_argument_is_asked_for_not_echoed_in_empty_backticks(
    bot: BotUnderTest, command: str, key: str
) -> None:
    run(bot, "start Acme Oy")
    said = run(bot, command)
    assert "``" not in said
    assert said.endswith(t(key, "en"))


def test_refusal_notes_in_the_history_follow_the_language_switch(bot: BotUnderTest) -> None:
    for command in ("start Acme Oy", "done login", "done settings", "set valuation fifo"):
        run(bot, command)
    for command in ("skip products", "skip batch", "done initial_balances"):
        run(bot, command)
    run(bot, "set valuation average")  # refused: stock has moved
    run(bot, "done initial_balances")  # refused: already done
    run(bot, "language fi")
    history = run(bot, "history")
    assert "Arvostusmenetelmää ei voi enää muuttaa" in history, history
    assert "The valuation method can't be changed" not in history
    assert "already" not in history
