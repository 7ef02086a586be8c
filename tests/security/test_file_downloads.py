"""The bot sends its Slack token only to the hosts in `SLACK_FILE_HOSTS`, and never follows a
redirect with it (slack.md: "Never send the token to a host outside SLACK_FILE_HOSTS and do not
follow redirects with it").

The emulator serves files at ``file_host`` while the bot trusts ``127.0.0.1`` only: with
``file_host="localhost"`` the URL Slack hands out points elsewhere (to the same emulator, so a
request that went there anyway would be recorded). With ``redirect_downloads`` set, a download
answers 302 to a ``/files-moved/`` copy that records whether the follow-up carried the token.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.localslack import LocalSlack
from bot.localslack.state import Message
from core.registers.intake import Refusal
from handlers.file_source import download
from handlers.messages import t
from tests.harness import BotUnderTest

CHANNEL = "C0FILES"
ANN = "U0ANN"
PRODUCTS = b"number;name;group;cost_price;sales_price\n1001;Vasara;1;12,50;19,90\n"


@pytest.fixture
def elsewhere() -> Iterator[LocalSlack]:
    """A Slack whose file URLs name `localhost`, a host the bot does not trust."""
    with LocalSlack(file_host="localhost") as emulator:
        yield emulator


def share(bot: BotUnderTest, slack: LocalSlack, name: str = "products.csv") -> Message:
    slack.add_user(ANN, "ann")
    _, message, reply = bot.driver.upload(name, PRODUCTS, user=ANN, channel=CHANNEL)
    assert reply.status == 200
    bot.settle()
    [answer] = [
        m for m in slack.thread(CHANNEL, message.ts) if m.user == slack.bot_user_id and not m.files
    ]
    return answer


def test_a_file_on_a_host_outside_slack_file_hosts_is_refused_without_a_request(
    elsewhere: LocalSlack, sqlite_url: str
) -> None:
    bot = BotUnderTest(elsewhere, sqlite_url)  # SLACK_FILE_HOSTS=127.0.0.1
    try:
        answer = share(bot, elsewhere)
    finally:
        bot.stop()
    assert elsewhere.calls_to("files.info")  # it did look the file up
    assert elsewhere.calls_to("files.download") == []  # but sent nothing, token or not
    assert answer.text == t("registers.refused.host", "en", name="products.csv", host="localhost")


def test_the_host_list_is_what_decides(elsewhere: LocalSlack, sqlite_url: str) -> None:
    bot = BotUnderTest(elsewhere, sqlite_url, slack_file_hosts=("localhost",))
    try:
        answer = share(bot, elsewhere)
    finally:
        bot.stop()
    [fetched] = elsewhere.calls_to("files.download")
    assert fetched.params["authorized"] is True
    assert "products" in answer.text and "registers.refused" not in answer.text


@pytest.mark.parametrize("target", ["127.0.0.1", "localhost"], ids=["same host", "other host"])
def test_a_redirected_download_is_not_followed_with_the_token(
    bot: BotUnderTest, slack: LocalSlack, target: str
) -> None:
    slack.redirect_downloads = target
    answer = share(bot, slack)
    [first] = slack.calls_to("files.download")
    assert first.status == 302 and first.params["authorized"] is True
    followed = slack.calls_to("files.moved")
    assert [call for call in followed if call.params["authorized"]] == []
    assert followed == []  # not followed at all: the bot answers instead
    assert answer.text == t("registers.refused.redirect", "en", name="products.csv")


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:{port}/files-pri/T-F1/a.csv",
        "http://127.0.0.1:{port}@localhost:{port}/files-pri/T-F1/a.csv",
        "http://127.0.0.1.localhost:{port}/files-pri/T-F1/a.csv",
        "http://[::1]:{port}/files-pri/T-F1/a.csv",
        "file:///etc/passwd",
        "/files-pri/T-F1/a.csv",
        "",
    ],
)
def test_download_refuses_every_url_whose_host_is_not_listed(slack: LocalSlack, url: str) -> None:
    with pytest.raises(Refusal) as refused:
        download(url.format(port=slack.port), slack.bot_token, ("127.0.0.1",), 1024)
    assert refused.value.code == "registers.refused.host"
    assert slack.calls == []


def test_download_sends_the_token_to_a_listed_host(slack: LocalSlack) -> None:
    upload = slack.add_file(name="a.csv", content=PRODUCTS, user=ANN)
    url = slack.file_info(upload)["url_private_download"]
    assert download(url, slack.bot_token, ("127.0.0.1",), 1024) == PRODUCTS
    [fetched] = slack.calls_to("files.download")
    assert fetched.params["authorized"] is True
