"""The emulator's OAuth: codes exchanged once with the app's credentials, a token per
workspace that `auth.test` and every method recognise, revoked on uninstall."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.localslack import LocalSlack
from bot.localslack.oauth import CLIENT_ID, CLIENT_SECRET, Workspace

ACME = Workspace("T0ACME", "Acme Oy", bot_user_id="U0ACMEBOT", bot_id="B0ACME")
REDIRECT = "https://bot.example/slack/oauth_redirect"


def code_for(slack: LocalSlack, workspace: Workspace) -> str:
    consent = "https://slack.example/oauth/v2/authorize?" + urlencode(
        {"client_id": CLIENT_ID, "scope": "commands,chat:write", "state": "s1"}
    )
    back = parse_qs(urlsplit(slack.oauth.approve(consent, workspace, REDIRECT)).query)
    assert back["state"] == ["s1"]
    return back["code"][0]


def test_a_code_is_exchanged_once_for_a_token_of_its_workspace(slack: LocalSlack) -> None:
    client = WebClient(base_url=slack.api_url)
    code = code_for(slack, ACME)
    answer = client.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code)
    assert answer["team"] == {"id": "T0ACME", "name": "Acme Oy"}
    assert answer["scope"] == "commands,chat:write"
    token = answer["access_token"]
    assert token.startswith("xoxb-")
    identity = client.auth_test(token=token)
    assert (identity["team_id"], identity["bot_id"]) == ("T0ACME", "B0ACME")
    with pytest.raises(SlackApiError) as again:
        client.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code)
    assert again.value.response["error"] == "invalid_code"


def test_the_app_must_bring_its_own_client_secret(slack: LocalSlack) -> None:
    client = WebClient(base_url=slack.api_url)
    with pytest.raises(SlackApiError) as refused:
        client.oauth_v2_access(
            client_id=CLIENT_ID, client_secret="guess", code=code_for(slack, ACME)
        )
    assert refused.value.response["error"] == "invalid_client_id"


def test_the_own_workspace_and_installed_ones_answer_auth_test_with_their_team(
    slack: LocalSlack,
) -> None:
    client = WebClient(base_url=slack.api_url)
    token = client.oauth_v2_access(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code_for(slack, ACME)
    )["access_token"]
    assert client.auth_test(token=slack.bot_token)["team_id"] == slack.team_id
    assert client.auth_test(token=token)["team_id"] == "T0ACME"
    client.chat_postMessage(token=token, channel="C1", text="hello")
    assert slack.wait_for("chat.postMessage").token == token


def test_uninstall_revokes_the_workspaces_tokens(slack: LocalSlack) -> None:
    client = WebClient(base_url=slack.api_url)
    token = client.oauth_v2_access(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code_for(slack, ACME)
    )["access_token"]
    event = slack.oauth.uninstall("T0ACME")
    assert event["event"]["type"] == "app_uninstalled"
    assert event["team_id"] == "T0ACME"
    with pytest.raises(SlackApiError) as revoked:
        client.auth_test(token=token)
    assert revoked.value.response["error"] == "invalid_auth"
    assert client.auth_test(token=slack.bot_token)["ok"]  # the emulator's own stays
