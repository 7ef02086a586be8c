"""CSV intake over real, signed HTTP against the Slack emulator: the thread reply, refusals,
idempotency, rate limits, uploads, the mark-done button, cross-file checks, the console."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.console import run_console
from bot.localslack import LocalSlack
from bot.localslack.methods import message_event
from bot.localslack.state import Failure, Message
from core.onboarding.service import OnboardingService
from core.onboarding.steps import StepId, StepState
from core.registers.intake import Throttle
from core.tenancy import Channel
from handlers.blocks.registers import ACTION_MARK_DONE
from handlers.files import register_override
from handlers.messages import t
from tests.harness import BotUnderTest

CHANNEL = "C0ACME"
ANN = "U0ANN"
PRODUCTS = "number;name;group;cost_price;sales_price\n1001;Vasara;1;12,50;19,90\n1002;Saha;1;8;12\n"
BROKEN = (
    "Tuotenumero;Nimi;Tuoteryhmä;Kustannushinta;Myyntihinta\n"
    "1;A;1;1;1\n2;B;Työkalut;1;1\n3;C;Työkalut;1;1\n4;=D;1;-5;1\n"
)


@pytest.fixture(autouse=True)
def people(slack: LocalSlack) -> None:
    slack.add_user(ANN, "ann")


def start_onboarding(bot: BotUnderTest) -> None:
    assert bot.driver.command("start Acme Oy", user=ANN, channel=CHANNEL).status == 200
    bot.settle()


def upload(bot: BotUnderTest, name: str, content: bytes, **kwargs: Any) -> Message:
    _, message, reply = bot.driver.upload(name, content, user=ANN, channel=CHANNEL, **kwargs)
    assert reply.status == 200
    bot.settle()
    return message


def replies(slack: LocalSlack, message: Message) -> list[Message]:
    return [m for m in slack.thread(CHANNEL, message.ts) if m.user == slack.bot_user_id]


def final_reply(slack: LocalSlack, message: Message) -> Message:
    found = [m for m in replies(slack, message) if not m.files]
    assert len(found) == 1, [m.text for m in found]
    return found[0]


def all_text(message: Message) -> str:
    parts = [message.text]
    for block in message.blocks:
        if "text" in block and isinstance(block["text"], dict):
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            if isinstance(element.get("text"), str):
                parts.append(element["text"])
            elif isinstance(element.get("text"), dict):
                parts.append(element["text"]["text"])
    return "\n".join(parts)


def uploads_in_thread(slack: LocalSlack, message: Message) -> dict[str, bytes]:
    return {f.name: f.content for f in slack.uploads if f.thread_ts == message.ts}


HELD = 5.0


def test_clean_file_gets_a_quick_reply_a_verdict_the_normalized_copy_and_a_button(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    start_onboarding(bot)
    # The first download attempt is held for HELD seconds (then 500: the retry gets the file).
    # "Quick" means the reply does not wait for the download: it is posted while the download
    # is still held, whatever the machine's load (a fixed bound of 2 s was not).
    held = Failure(status=500, delay=HELD)
    slack.fail_next("files.download", held)
    _, message, reply = bot.driver.upload(
        "products.csv", PRODUCTS.encode(), user=ANN, channel=CHANNEL
    )
    assert reply.status == 200
    first = slack.wait_for(
        "chat.postMessage", lambda c: c.params.get("thread_ts") == message.ts, timeout=HELD
    )
    download = slack.wait_for("files.download", timeout=30)  # recorded when it answered
    assert first.seq < download.seq, "the reply waited for the download"
    assert first.params["text"] == t("registers.checking", "en", name="products.csv")
    bot.settle()
    result = final_reply(slack, message)
    assert "products.csv* is ready to import" in all_text(result)
    files = uploads_in_thread(slack, message)
    assert set(files) == {"products-normalized.csv"}
    assert files["products-normalized.csv"].decode("utf-8-sig").splitlines()[1] == (
        "1001;Vasara;1;12,50;19,90"
    )
    buttons = [e for b in result.blocks if b["type"] == "actions" for e in b["elements"]]
    assert buttons and buttons[0]["action_id"] == ACTION_MARK_DONE
    # Our own upload (the normalized copy) produced a file_share event: not checked again.
    assert len([m for m in replies(slack, message) if not m.files]) == 1

    bot.driver.click(buttons[0], user=ANN, channel=CHANNEL, message_ts=result.ts)
    bot.settle()
    snapshot = OnboardingService(bot.deps.uow).find(Channel(slack.team_id, CHANNEL))
    assert snapshot is not None and snapshot.step(StepId.PRODUCTS).state is StepState.DONE
    edited = slack.message(CHANNEL, result.ts)
    assert edited is not None and not any(b["type"] == "actions" for b in edited.blocks)


def test_file_with_errors_lists_them_grouped_and_uploads_the_full_report(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    message = upload(bot, "tuotteet.csv", BROKEN.encode("cp1252"))
    text = all_text(final_reply(slack, message))
    assert "3 errors" in text
    assert "Name instead of a number*, column *Tuoteryhmä* (group): rows 3–4 (2×)" in text
    assert t("registers.hint.no_onboarding", "en") in text  # no onboarding in this channel
    files = uploads_in_thread(slack, message)
    assert set(files) == {"tuotteet-errors.csv"}
    report = files["tuotteet-errors.csv"].decode("utf-8-sig").splitlines()
    assert report[0] == "row;column;value;code;severity;message"
    assert any(line.startswith("5;Nimi (name);'=D;formula_like_text") for line in report)


def test_a_finnish_channel_gets_its_reply_and_its_error_report_in_finnish(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    start_onboarding(bot)
    assert bot.driver.command("language fi", user=ANN, channel=CHANNEL).status == 200
    bot.settle()
    message = upload(bot, "tuotteet.csv", BROKEN.encode("cp1252"))
    text = all_text(final_reply(slack, message))
    assert ":x: *tuotteet.csv*: 3 virhettä ja 1 varoitus (tuotteet, 4 riviä)." in text
    assert "*Nimi numeron sijaan*, sarake *Tuoteryhmä* (group): rivit 3–4 (2×)" in text
    assert "*Negatiivinen arvo*, sarake *Kustannushinta* (cost_price): rivi 5" in text
    report = uploads_in_thread(slack, message)["tuotteet-errors.csv"].decode("utf-8-sig")
    lines = report.splitlines()
    assert lines[0] == "rivi;sarake;arvo;code;vakavuus;selitys"
    assert "3;Tuoteryhmä (group);Työkalut;reference_not_number;virhe;" in report
    assert "5;Kustannushinta (cost_price);'-5;negative_value;virhe;" in report


def test_an_event_delivered_twice_gets_one_reply(bot: BotUnderTest, slack: LocalSlack) -> None:
    message = upload(bot, "products.csv", PRODUCTS.encode())
    event = {
        "token": "local",
        "team_id": slack.team_id,
        "api_app_id": "A0LOCAL",
        "type": "event_callback",
        "event_id": "EvRETRY",
        "event_time": int(time.time()),
        "event": {**message.as_api(), "channel": CHANNEL, "channel_type": "channel"},
    }
    assert bot.driver.send_event(event, retry_num=1).status == 200
    bot.settle()
    assert len([m for m in replies(slack, message) if not m.files]) == 1


def test_a_429_on_the_first_reply_is_retried(bot: BotUnderTest, slack: LocalSlack) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    message = upload(bot, "products.csv", PRODUCTS.encode())
    assert "ready to import" in all_text(final_reply(slack, message))


@pytest.mark.parametrize(
    ("name", "content", "options", "key"),
    [
        ("archive.csv", b"PK\x03\x04" + b"\x00" * 30, {}, "registers.refused.not_csv"),
        ("empty.csv", b"", {}, "registers.refused.empty"),
        (
            "header.csv",
            b"number;name;group;cost_price;sales_price\n",
            {},
            "registers.refused.header_only",
        ),
        ("notes.csv", b"hello\nworld\n", {}, "registers.refused.unknown_register"),
    ],
)
def test_files_that_cannot_be_checked_get_one_clear_message(
    bot: BotUnderTest,
    slack: LocalSlack,
    name: str,
    content: bytes,
    options: dict[str, Any],
    key: str,
) -> None:
    message = upload(bot, name, content, **options)
    reply = final_reply(slack, message)
    assert reply.text == t(key, "en", name=name)
    assert uploads_in_thread(slack, message) == {}


def test_images_and_too_large_files_are_refused_before_any_download(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    big = upload(bot, "huge.csv", PRODUCTS.encode(), size=51 * 1024 * 1024)
    assert final_reply(slack, big).text == t(
        "registers.refused.too_large", "en", name="huge.csv", size=51, limit=50
    )
    upload(bot, "photo.jpg", b"\xff\xd8\xff", mimetype="image/jpeg", filetype="jpg")
    assert slack.calls_to("files.download") == []


def test_a_sign_in_page_instead_of_the_file_names_the_missing_scope(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    slack.serve_login_page = True
    message = upload(bot, "products.csv", PRODUCTS.encode())
    assert final_reply(slack, message).text == t(
        "registers.refused.html", "en", name="products.csv"
    )


def test_inventory_is_checked_against_the_products_remembered_in_the_onboarding(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    start_onboarding(bot)
    upload(bot, "products.csv", PRODUCTS.encode())
    inventory = (
        "date;product;location;quantity;cost_price;reason\n"
        "01.01.2024;1001;1;5;2,00;Opening\n01.01.2024;9999;1;5;2,00;Opening\n"
    )
    message = upload(bot, "saldot.csv", inventory.encode())
    text = all_text(final_reply(slack, message))
    assert "Product not in the products register*, column *product*: row 3" in text
    assert t("registers.hint.no_onboarding", "en") not in text


def test_a_register_named_in_the_message_overrides_recognition(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    text = "number;name;group;vat_zone;payment_terms\n500;Tukku;1;1;30\n"
    slack_file = slack.add_file(name="data.csv", content=text.encode(), user=ANN)
    message = slack.share_file(CHANNEL, ANN, slack_file, text="suppliers for import")

    assert bot.driver.send_event(message_event(slack, message)).status == 200
    bot.settle()
    assert "suppliers" in all_text(final_reply(slack, message))


def test_upload_in_the_terminal_workspace_shows_the_thread_reply(tmp_path: Path) -> None:
    csv_path = tmp_path / "products.csv"
    csv_path.write_text(BROKEN, encoding="cp1252")
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'c.db'}")  # type: ignore[call-arg]
    out = io.StringIO()
    assert run_console(settings, [], stdin=io.StringIO(f"upload {csv_path}\n"), out=out) == 0
    output = out.getvalue()
    assert "products.csv* has 3 errors" in output
    assert "rows 3–4" in output
    assert "products-errors.csv" in output


def test_progress_edits_are_throttled() -> None:
    now = [0.0]
    seen: list[int] = []
    throttle = Throttle(seen.append, seconds=3, clock=lambda: now[0])
    for step in range(10):
        now[0] = step
        throttle(step * 1000)
    assert seen == [3000, 6000, 9000]


def test_register_words_in_the_message() -> None:
    assert register_override("tässä toimittajat") == "suppliers"
    assert register_override("products and customers") is None
