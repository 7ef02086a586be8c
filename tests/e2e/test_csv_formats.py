"""Register files saved the way spreadsheets save them, checked through the thread reply in
English and Finnish: headers, grouped numbers, ISO dates, Excel's damage, counts and plurals."""

from __future__ import annotations

import pytest

from bot.localslack import LocalSlack
from bot.localslack.methods import message_event
from bot.localslack.state import Message
from handlers.messages import t
from handlers.messages.formatting import tn
from tests.harness import BotUnderTest

CHANNEL = "C0ACME"
ANN = "U0ANN"

# What a Finnish Excel user saves: run-together and misspelt headers, a VAT note, a trailing
# delimiter, dotted thousands, and one barcode Excel turned into scientific notation.
PRODUCTS = (
    "Tuotenumro;Nimi;ProductGroup;CostPrice;Myyntihinta (alv 0 %);EAN-13;\n"
    "1001;Vasara;1;1.234,50;1.999,00;6410000001008;\n"
    "1002;Saha;1;8,00;12,00;6,41235E+12;\n"
)


@pytest.fixture(autouse=True)
def people(slack: LocalSlack) -> None:
    slack.add_user(ANN, "ann")


def in_language(bot: BotUnderTest, language: str) -> None:
    for line in ("start Acme Oy", f"language {language}"):
        assert bot.driver.command(line, user=ANN, channel=CHANNEL).status == 200
        bot.settle()


def share(bot: BotUnderTest, slack: LocalSlack, name: str, content: str, text: str = "") -> str:
    """The bot's final reply to ``content`` shared as ``name`` with the message ``text``."""
    slack_file = slack.add_file(name=name, content=content.encode(), user=ANN)
    message = slack.share_file(CHANNEL, ANN, slack_file, text=text)
    assert bot.driver.send_event(message_event(slack, message)).status == 200
    bot.settle()
    return all_text(final_reply(slack, message))


def final_reply(slack: LocalSlack, message: Message) -> Message:
    found = [
        m for m in slack.thread(CHANNEL, message.ts) if m.user == slack.bot_user_id and not m.files
    ]
    assert len(found) == 1, [m.text for m in found]
    return found[0]


def all_text(message: Message) -> str:
    parts = [message.text]
    for block in message.blocks:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        parts.extend(e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str))
    return "\n".join(parts)


@pytest.mark.parametrize("language", ["en", "fi"])
def test_a_products_file_as_excel_saves_it(
    bot: BotUnderTest, slack: LocalSlack, language: str
) -> None:
    in_language(bot, language)
    text = share(bot, slack, "tuotteet.csv", PRODUCTS)
    one_error = tn("registers.count.errors", language, 1)
    one_warning = tn("registers.count.warnings", language, 1)
    two_rows = tn("registers.count.rows", language, 2)
    assert f"{one_error} {'and' if language == 'en' else 'ja'} {one_warning}" in text
    assert two_rows in text
    assert t("registers.code.excel_scientific", language) in text
    assert t("registers.code.header_guessed", language) in text
    guessed = t("registers.issue.header_guessed", language, header="Tuotenumro", column="number")
    assert guessed in text
    # Nothing else: the run-together, noted and dotted headers are accepted names.
    assert t("registers.code.unknown_column", language) not in text
    assert t("registers.code.decimal_invalid", language) not in text


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "our suppliers"), ("fi", "tässä toimittajarekisteri"), ("fi", "toimittajia.csv")],
)
def test_the_register_named_in_any_inflection_decides(
    bot: BotUnderTest, slack: LocalSlack, language: str, message: str
) -> None:
    in_language(bot, language)
    content = (
        "number;name;group;vat_zone;payment_terms;country;currency\n500;Tukku;1;3;30;Japani;JPY\n"
    )
    text = share(bot, slack, "data.csv", content, text=message)
    assert t("registers.name.suppliers", language) in text
    assert t("registers.code.country_name", language) in text
    assert tn("registers.count.warnings", language, 1) in text


@pytest.mark.parametrize("language", ["en", "fi"])
def test_inventory_with_iso_dates_and_a_negative_balance(
    bot: BotUnderTest, slack: LocalSlack, language: str
) -> None:
    in_language(bot, language)
    content = (
        "Kirjauspäivä;Tuote;Varastopaikka;Varasto;A-hinta;Syy;relative\n"
        "2024-04-01;1001;1;-3;2,00;Alkusaldo;0\n"
        "1.4.2024;1001;1;-2;;Hävikki;1\n"
    )
    text = share(bot, slack, "saldot.csv", content)
    assert t("registers.code.balance_negative", language) in text
    assert t("registers.code.header_ambiguous", language) in text
    read_as = t("registers.issue.header_ambiguous", language, header="Varasto", column="quantity")
    assert read_as in text
    assert t("registers.code.date_invalid", language) not in text
    assert tn("registers.count.errors", language, 1) in text
