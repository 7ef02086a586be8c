"""Every Finnish subcommand alias does what its English subcommand does, over signed HTTP.

The oracle is the English command itself: the same preparation runs in two channels, then the
English words in one and the Finnish in the other; what the bot did (posts, edits, answers,
modals, with the channel id masked) must be the same. An alias that fell through to the help
or to the wrong command would differ; and a third channel with an unknown word shows that the
English command does something of its own (so "the same" is not two identical refusals)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr

from bot.localslack import LocalSlack
from tests.fakes.world import FakeUpstreams, fake_upstreams
from tests.harness import BotUnderTest

ANN = "U0ANN"
ENGLISH, FINNISH, UNKNOWN = "C0ENGLISH", "C0FINNISH", "C0UNKNOWN"
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
START = "start Alias Oy"
# What the bot does that people see; views.open is a modal opening.
SEEN = {
    "chat.postMessage",
    "chat.update",
    "chat.postEphemeral",
    "response_url",
    "views.open",
    "views.publish",
}

ALIASES = [
    # (English, Finnish, what runs before, in both channels)
    ("start Alias Oy", "aloita Alias Oy", []),
    ("status", "tila", [START]),
    ("next", "seuraava", [START]),
    ("done login", "valmis login", [START]),
    ("done login", "tehty login", [START]),
    ("skip previous_orders", "ohita previous_orders", [START]),
    ("reopen login", "avaa login", [START, "done login"]),
    ("set valuation fifo", "aseta valuation fifo", [START]),
    ("members", "jäsenet", [START]),
    ("members", "jasenet", [START]),
    ("members add <@U0BOB|bob>", "jäsenet add <@U0BOB|bob>", [START]),
    ("history", "historia", [START]),
    ("language fi", "kieli fi", [START]),
    ("numbering", "numerointi", [START]),
    ("numbering", "numerot", [START]),
    ("numbering status", "numbering tila", [START]),
    ("numbering check", "numbering tarkista", [START]),
    ("numbering set invoice rackbeat-next 5", "numbering aseta invoice rackbeat-next 5", [START]),
    ("numbering strategy mixed", "numbering strategia mixed", [START]),
    ("connect rackbeat", "yhdistä rackbeat", [START]),
    ("connect netvisor", "yhdista netvisor", [START]),
    ("disconnect rackbeat", "irrota rackbeat", [START]),
]


@pytest.fixture
def bot(slack: LocalSlack, sqlite_url: str) -> Iterator[BotUnderTest]:
    slack.add_user(ANN, "ann")
    slack.add_user("U0BOB", "bob")
    upstreams: FakeUpstreams
    with fake_upstreams() as upstreams:
        under_test = BotUnderTest(
            slack,
            sqlite_url,
            secret_key=SecretStr("e2e-secret-key-for-aliases-0123456789"),
            rackbeat_api_url=upstreams.rackbeat.url,
            netvisor_api_url=upstreams.netvisor.url,
        )
        under_test.deps.clock = lambda: NOW
        yield under_test
        under_test.stop()


def what_happened(bot: BotUnderTest, slack: LocalSlack, text: str, channel: str) -> list[str]:
    before = slack.last_seq
    assert bot.driver.command(text, user=ANN, channel=channel).status == 200
    bot.settle()
    seen = []
    for call in slack.calls:
        if call.seq > before and call.method in SEEN:
            shown = f"{call.method} {call.params.get('text', '')} {call.params.get('view', '')}"
            # The same thing in another channel: mask the channel and the ids Slack made.
            shown = shown.replace(channel, "<channel>")
            # A message's ts, also as a permalink's `p…` (`status` answers with a link).
            ids = r"\b\d{10}\.\d{6}\b|\bp\d{16}\b|\b[VT]\w*\d{3,}\b"
            seen.append(re.sub(ids, "<id>", shown))
    return sorted(seen)


@pytest.mark.parametrize(("english", "finnish", "before"), ALIASES)
def test_a_finnish_alias_does_what_the_english_subcommand_does(
    bot: BotUnderTest, slack: LocalSlack, english: str, finnish: str, before: list[str]
) -> None:
    for channel in (ENGLISH, FINNISH, UNKNOWN):
        for text in before:
            what_happened(bot, slack, text, channel)
    expected = what_happened(bot, slack, english, ENGLISH)
    assert what_happened(bot, slack, finnish, FINNISH) == expected
    words = english.split()
    if words[0] == "numbering":  # the verb is the alias: replace the verb
        unknown = ["numbering", "frobnicate", *words[2:]]
    else:
        unknown = ["frobnicate", *words[1:]]
    assert what_happened(bot, slack, " ".join(unknown), UNKNOWN) != expected


@pytest.mark.parametrize("alias", ["apua", "ohje"])
def test_help_answers_to_its_finnish_names(
    bot: BotUnderTest, slack: LocalSlack, alias: str
) -> None:
    # An unknown word answers with the help as well, so compare topics: `help csv` names the
    # CSV topic, which the general help does not.
    expected = what_happened(bot, slack, "help csv", ENGLISH)
    assert what_happened(bot, slack, f"{alias} csv", FINNISH) == expected
    assert what_happened(bot, slack, "frobnicate csv", UNKNOWN) != expected
