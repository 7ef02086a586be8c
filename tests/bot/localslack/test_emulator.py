"""The emulator behaves like Slack where the bot could get it wrong."""

from __future__ import annotations

import urllib.request

import pytest
from slack_sdk.errors import SlackApiError

from bot.app import build_client
from bot.localslack import LocalSlack


def test_downloads_need_the_bot_token_else_a_login_page(slack: LocalSlack) -> None:
    slack_file = slack.add_file(name="a.csv", content=b"number;name\n", user="U1")
    url = slack.file_info(slack_file)["url_private_download"]
    with urllib.request.urlopen(url) as response:
        assert response.headers["Content-Type"].startswith("text/html")
        assert b"Sign in" in response.read()
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {slack.bot_token}"})
    with urllib.request.urlopen(request) as response:
        assert response.read() == b"number;name\n"


def test_rate_limit_is_waited_out_by_the_bot_client(slack: LocalSlack) -> None:
    client = build_client(slack.bot_token, slack.api_url)
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    response = client.chat_postMessage(channel="C1", text="hello")
    assert response["ok"]
    statuses = [call.status for call in slack.calls_to("chat.postMessage")]
    assert statuses == [429, 200]
    assert [m.text for m in slack.channel_messages("C1")] == ["hello"]


def test_wrong_token_is_refused(slack: LocalSlack) -> None:
    client = build_client("xoxb-wrong", slack.api_url)
    with pytest.raises(SlackApiError, match="invalid_auth"):
        client.chat_postMessage(channel="C1", text="x")


def test_update_keeps_the_ts_and_thread_replies_keep_thread_ts(slack: LocalSlack) -> None:
    client = build_client(slack.bot_token, slack.api_url)
    ts = client.chat_postMessage(channel="C1", text="one")["ts"]
    client.chat_update(channel="C1", ts=ts, text="two")
    client.chat_postMessage(channel="C1", text="reply", thread_ts=ts)
    message = slack.message("C1", ts)
    assert message is not None
    assert (message.text, message.edited) == ("two", 1)
    assert [m.text for m in slack.thread("C1", ts)] == ["reply"]
    with pytest.raises(SlackApiError, match="message_not_found"):
        client.chat_update(channel="C1", ts="1.0", text="x")


def test_uploads_go_through_the_external_upload_flow(slack: LocalSlack) -> None:
    client = build_client(slack.bot_token, slack.api_url)
    ts = client.chat_postMessage(channel="C1", text="parent")["ts"]
    client.files_upload_v2(
        channel="C1", thread_ts=ts, filename="report.csv", content=b"row,code\n", title="Report"
    )
    assert [(f.name, f.content, f.thread_ts) for f in slack.uploads] == [
        ("report.csv", b"row,code\n", ts)
    ]
