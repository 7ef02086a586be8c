"""Hostile files shared in a channel, end to end through the Slack emulator: each gets exactly
one clear reply in its thread, never the apology, no traceback in the logs, no live formula in
the files the bot uploads, and nothing of the file's text turns into a mention or a link."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest

from bot.localslack import LocalSlack
from bot.localslack.state import Message
from handlers.messages import t
from tests.harness import BotUnderTest
from tests.security.corpus import everything, live_formulas

CHANNEL = "C0HOSTILE"
ANN = "U0ANN"
FILES = everything()

# File → the refusal it gets (handlers/messages/registers.py), or None: checked, with a verdict.
SUBSET: dict[str, str | None] = {
    "binary_random_bytes.csv": "registers.refused.not_csv",
    "zip_archive_named.csv": "registers.refused.not_csv",
    "xlsx_workbook_named.csv": "registers.refused.not_csv",
    "png_image_named.csv": "registers.refused.not_csv",
    "html_login_page_saved.csv": "registers.refused.html",
    "empty_zero_bytes.csv": "registers.refused.empty",
    "bom_only_utf8.csv": "registers.refused.empty",
    "header_only_with_newline.csv": "registers.refused.header_only",
    "unknown_register_header.csv": "registers.refused.unknown_register",
    "huge_single_line_1mb.csv": "registers.refused.header_only",
    "huge_unclosed_quote_1mb.csv": "registers.refused.not_csv",
    "ten_thousand_columns.csv": None,
    "formula_injection_products.csv": None,
    "formula_injection_in_valid_file.csv": None,
    "formula_injection_in_header.csv": None,
    # Judged like the same bytes at the top (issue 17): refused, with the line.
    "nul_bytes_after_first_4k.csv": "registers.refused.control_characters",
    "control_characters_after_first_4k.csv": "registers.refused.control_characters",
    "utf16le_without_bom.csv": None,
    "right_to_left_text_and_emoji.csv": None,
    "slack_mentions_and_links_in_cells.csv": None,
}

# The line a refusal names, where it names one.
LINE_OF = {"nul_bytes_after_first_4k.csv": 302, "control_characters_after_first_4k.csv": 302}

# Slack turns these into mentions, channel links and links (api.slack.com, "Formatting text").
CONTROL = re.compile(r"<[!@#]|<https?:")


@pytest.fixture(scope="module")
def slack() -> Iterator[LocalSlack]:
    with LocalSlack() as emulator:
        emulator.add_user(ANN, "ann")
        yield emulator


@pytest.fixture(scope="module")
def bot(slack: LocalSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotUnderTest]:
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'onboarding.db'}"
    under_test = BotUnderTest(slack, url)
    assert under_test.driver.command("start Acme Oy", user=ANN, channel=CHANNEL).status == 200
    under_test.settle()
    yield under_test
    under_test.stop()


def texts(message: Message) -> list[str]:
    found = [message.text]
    for block in message.blocks:
        if isinstance(block.get("text"), dict):
            found.append(block["text"]["text"])
        found += [e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return found


@pytest.mark.parametrize("name", list(SUBSET))
def test_a_hostile_file_gets_exactly_one_clear_reply_in_its_thread(
    bot: BotUnderTest, slack: LocalSlack, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    caplog.set_level(logging.INFO)
    _, shared, reply = bot.driver.upload(name, FILES[name], user=ANN, channel=CHANNEL)
    bot.settle()

    assert reply.status == 200
    answers = [
        m for m in slack.thread(CHANNEL, shared.ts) if m.user == slack.bot_user_id and not m.files
    ]
    assert len(answers) == 1, [m.text for m in answers]
    (answer,) = answers
    assert answer.text != t("error.apology", "en")
    refusal = SUBSET[name]
    if refusal is not None:
        assert answer.text == t(refusal, "en", name=name, line=LINE_OF.get(name))
    else:
        assert name in answer.text
    for text in texts(answer):
        assert not CONTROL.search(text), text
    for upload in (f for f in slack.uploads if f.thread_ts == shared.ts):
        assert live_formulas(upload.content) == [], upload.name
    bugs = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not bugs, [r.getMessage() for r in bugs]


def test_a_file_name_with_slack_markup_is_not_turned_into_a_mention(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    name = "<!channel> <@U0ANN>.csv"
    _, shared, _ = bot.driver.upload(name, FILES["empty_zero_bytes.csv"], user=ANN, channel=CHANNEL)
    bot.settle()
    (answer,) = [
        m for m in slack.thread(CHANNEL, shared.ts) if m.user == slack.bot_user_id and not m.files
    ]
    for text in texts(answer):
        assert not CONTROL.search(text), text
    assert "&lt;!channel&gt;" in answer.text
