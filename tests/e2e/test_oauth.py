"""Installation into any workspace (OAuth v2), end to end over HTTP: a browser with cookies
against `serve`'s `/slack/install` and `/slack/oauth_redirect`, Slack's consent page and
`oauth.v2.access` emulated by LocalSlack, on SQLite and PostgreSQL."""

from __future__ import annotations

import html
import http.cookiejar
import io
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import yaml
from pydantic import SecretStr
from sqlalchemy import func, select, update

from bot.cli_numbering import main as check_numbering
from bot.localslack import LocalSlack
from bot.localslack.driver import SlackDriver, http_transport
from bot.localslack.oauth import CLIENT_ID, CLIENT_SECRET, Workspace
from bot.oauth import BOT_SCOPES, page_text
from bot.scheduler import start_numbering_scheduler
from core.numbering import InputField, Strategy
from core.numbering.service import Setup
from core.store.installation_models import OAuthState, SlackInstallation
from core.store.models import Onboarding
from core.store.models import Workspace as WorkspaceRow
from core.store.numbering_models import NumberingLease
from core.tenancy import Actor, Channel
from core.upstream import Series
from handlers.messages import t
from tests.harness import SIGNING_SECRET, BotUnderTest

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "test-secret-key-for-sealing-tokens"
ACME = Workspace("T0ACME", "Acme Oy", bot_user_id="U0ACMEBOT", bot_id="B0ACME")
BETA = Workspace("T0BETA", "Beta Ab", bot_user_id="U0BETABOT", bot_id="B0BETA")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class _BehindTls(http.cookiejar.DefaultCookiePolicy):
    """`serve` runs behind a TLS-terminating load balancer, so the browser speaks https and
    returns Bolt's `Secure` state cookie; the test talks plain http to the bot itself."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return True


class Browser:
    """A person's browser: keeps cookies, shows what a page says, follows no redirects."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar(policy=_BehindTls())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()
        )

    def get(self, url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        request = urllib.request.Request(url, headers=headers or {})
        try:
            with self.opener.open(request, timeout=15) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def set_state_cookie(self, host: str, value: str) -> None:
        """What a forger controls: the cookie in their own browser."""
        cookie = http.cookiejar.Cookie(
            0, "slack-app-oauth-state", value, None, False, host, False, False, "/", True,
            False, None, False, None, None, {},
        )  # fmt: skip
        self.cookies.set_cookie(cookie)


def install_link(browser: Browser, bot: BotUnderTest) -> str:
    """Open the "Add to Slack" page; the consent URL it links to (with a fresh state)."""
    status, page = browser.get(bot.url + "/slack/install")
    assert status == 200
    match = re.search(r'href="([^"]*/oauth/v2/authorize\?[^"]*)"', page)
    assert match, page
    return html.unescape(match.group(1))


def install(
    bot: BotUnderTest, workspace: Workspace, browser: Browser | None = None
) -> tuple[int, str]:
    browser = browser or Browser()
    link = install_link(browser, bot)
    back = bot.slack.oauth.approve(link, workspace, bot.url + "/slack/oauth_redirect")
    return browser.get(back)


@pytest.fixture
def oauth_bot(slack: LocalSlack, database_url: str) -> Iterator[BotUnderTest]:
    under_test = BotUnderTest(
        slack,
        database_url,
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=SecretStr(CLIENT_SECRET),
        secret_key=SecretStr(SECRET_KEY),
    )
    yield under_test
    under_test.stop()


def command(bot: BotUnderTest, workspace: Workspace, text: str, channel: str) -> int:
    fields = bot.driver.command_fields(text, user="U1", channel=channel)
    fields["team_id"] = workspace.team_id
    return bot.driver.send_form(fields).status


def tokens_used(bot: BotUnderTest, channel: str, after: int) -> set[str]:
    """The tokens of the Web API calls about ``channel`` since call number ``after``."""
    bot.settle()
    calls = [c for c in bot.slack.calls if c.seq > after and c.params.get("channel") == channel]
    assert calls, f"nothing was sent to {channel}"
    return {c.token for c in calls}


def installations(bot: BotUnderTest) -> int:
    with bot.deps.uow() as unit:
        return int(unit.session.scalar(select(func.count()).select_from(SlackInstallation)) or 0)


def onboarding_channels(bot: BotUnderTest) -> set[tuple[str, str]]:
    with bot.deps.uow() as unit:
        rows = unit.session.execute(select(Onboarding.team_id, Onboarding.channel_id))
        return {(team, channel) for team, channel in rows.tuples()}


def uninstalled_at(bot: BotUnderTest, team_id: str) -> datetime | None:
    with bot.deps.uow() as unit:
        return unit.session.scalar(
            select(WorkspaceRow.uninstalled_at).where(WorkspaceRow.team_id == team_id)
        )


def test_two_workspaces_install_and_each_is_answered_with_its_own_token(
    oauth_bot: BotUnderTest,
) -> None:
    bot, slack = oauth_bot, oauth_bot.slack
    status, page = install(bot, ACME)
    assert status == 200
    assert page_text(t("install.done", "en", team="Acme Oy")) in page
    assert "<code>/rackbeat start</code>" in page
    assert install(bot, BETA)[0] == 200
    (acme_token,) = slack.oauth.tokens_of(ACME.team_id)
    (beta_token,) = slack.oauth.tokens_of(BETA.team_id)
    assert acme_token != beta_token

    seen = slack.calls[-1].seq if slack.calls else 0
    assert command(bot, ACME, "start Acme Oy", "C0ACME") == 200
    assert command(bot, BETA, "start Beta Ab", "C0BETA") == 200
    assert tokens_used(bot, "C0ACME", seen) == {acme_token}
    assert tokens_used(bot, "C0BETA", seen) == {beta_token}

    with bot.deps.uow() as unit:
        sealed = unit.session.scalars(select(SlackInstallation.tokens_sealed)).all()
    assert len(sealed) == 2
    assert not any(token in value for value in sealed for token in (acme_token, beta_token))


def test_the_bots_identity_is_asked_once_per_token_not_on_every_request(
    oauth_bot: BotUnderTest,
) -> None:
    bot, slack = oauth_bot, oauth_bot.slack
    install(bot, ACME)
    (token,) = slack.oauth.tokens_of(ACME.team_id)
    for text in ("help", "help steps", "help csv"):
        assert command(bot, ACME, text, "C0ACME") == 200
    bot.settle()
    asked = [c for c in slack.calls if c.method == "auth.test" and c.token == token]
    assert len(asked) == 2  # once when installing, once at the first request


def test_uninstall_deletes_the_tokens_keeps_the_onboarding_and_reinstall_brings_it_back(
    oauth_bot: BotUnderTest,
) -> None:
    bot, slack = oauth_bot, oauth_bot.slack
    install(bot, ACME)
    install(bot, BETA)
    command(bot, ACME, "start Acme Oy", "C0ACME")
    command(bot, BETA, "start Beta Ab", "C0BETA")
    bot.settle()

    assert bot.driver.send_event(slack.oauth.uninstall(ACME.team_id)).status == 200
    bot.settle()
    assert installations(bot) == 1
    assert uninstalled_at(bot, ACME.team_id) is not None
    assert (ACME.team_id, "C0ACME") in onboarding_channels(bot)

    # The other workspace keeps working with its own token.
    seen = slack.calls[-1].seq
    assert command(bot, BETA, "status", "C0BETA") == 200
    assert tokens_used(bot, "C0BETA", seen) == set(slack.oauth.tokens_of(BETA.team_id))
    # The uninstalled one is refused quietly: no crash, nothing stored, nothing posted.
    before = onboarding_channels(bot)
    assert command(bot, ACME, "start Acme Again", "C0ACME2") == 401
    bot.settle()
    assert onboarding_channels(bot) == before
    assert not [c for c in slack.calls[seen:] if c.params.get("channel") == "C0ACME2"]

    assert install(bot, ACME)[0] == 200
    assert uninstalled_at(bot, ACME.team_id) is None
    seen = slack.calls[-1].seq
    assert command(bot, ACME, "status", "C0ACME") == 200
    assert tokens_used(bot, "C0ACME", seen) == set(slack.oauth.tokens_of(ACME.team_id))


def test_tokens_revoked_for_the_bot_forgets_the_workspace(oauth_bot: BotUnderTest) -> None:
    bot, slack = oauth_bot, oauth_bot.slack
    install(bot, ACME)
    user_only = {"type": "tokens_revoked", "tokens": {"oauth": ["U1"]}, "event_ts": "1.1"}
    body = {"type": "event_callback", "team_id": ACME.team_id, "api_app_id": "A0LOCAL"}
    assert bot.driver.send_event({**body, "event": user_only, "event_id": "Ev1"}).status == 200
    bot.settle()
    assert installations(bot) == 1
    bot_too = {**user_only, "tokens": {"bot": [ACME.bot_user_id]}}
    assert bot.driver.send_event({**body, "event": bot_too, "event_id": "Ev2"}).status == 200
    bot.settle()
    assert installations(bot) == 0
    assert uninstalled_at(bot, ACME.team_id) is not None
    del slack  # the emulator's tokens are Slack's business; ours are gone


def test_a_workspace_that_never_installed_gets_no_answer_and_nothing_is_stored(
    oauth_bot: BotUnderTest,
) -> None:
    bot = oauth_bot
    seen = bot.slack.calls[-1].seq if bot.slack.calls else 0
    assert command(bot, Workspace("T0NOBODY", "Nobody"), "start Nobody", "C0NOBODY") == 401
    bot.settle()
    assert onboarding_channels(bot) == set()
    # Silent: nothing posted, not even Bolt's "your installation is no longer available".
    assert [c.method for c in bot.slack.calls if c.seq > seen] == []


# --- refusals: a readable page, a log line, nothing stored --------------------------------


def refused(
    bot: BotUnderTest,
    caplog: pytest.LogCaptureFixture,
    status: int,
    page: str,
    reason: str,
    lang: str = "en",
) -> None:
    assert status in {200, 400, 401}
    assert html.escape(t("install.failed", lang)) in page
    assert html.escape(t(f"install.failed.{reason}", lang)) in page
    assert f"installation not completed: {reason}" in caplog.text
    assert installations(bot) == 0


def redirect_with(bot: BotUnderTest, **query: str) -> str:
    return f"{bot.url}/slack/oauth_redirect?{urlencode(query)}"


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.WARNING, logger="bot.oauth")
    return caplog


def test_a_forged_state_is_refused(oauth_bot: BotUnderTest, logs: pytest.LogCaptureFixture) -> None:
    bot = oauth_bot
    browser = Browser()
    link = install_link(browser, bot)
    back = bot.slack.oauth.approve(link, ACME, bot.url + "/slack/oauth_redirect")
    code = parse_qs(urlsplit(back).query)["code"][0]
    # A state this browser was never given.
    status, page = browser.get(redirect_with(bot, code=code, state="forged-state"))
    refused(bot, logs, status, page, "invalid_browser")
    # A forger's own browser, whose cookie matches their forged state: the store knows no such
    # state.
    forger = Browser()
    forger.set_state_cookie("127.0.0.1", "forged-state")
    status, page = forger.get(redirect_with(bot, code=code, state="forged-state"))
    refused(bot, logs, status, page, "invalid_state")


def test_a_replayed_state_is_refused(
    oauth_bot: BotUnderTest, logs: pytest.LogCaptureFixture
) -> None:
    bot = oauth_bot
    browser = Browser()
    link = install_link(browser, bot)
    state = parse_qs(urlsplit(link).query)["state"][0]
    back = bot.slack.oauth.approve(link, ACME, bot.url + "/slack/oauth_redirect")
    assert browser.get(back)[0] == 200
    assert installations(bot) == 1
    with bot.deps.uow() as unit:  # start again from nothing, to see that nothing is stored
        unit.session.execute(SlackInstallation.__table__.delete())
        unit.commit()
    replay = Browser()
    replay.set_state_cookie("127.0.0.1", state)
    second = bot.slack.oauth.approve(link, ACME, bot.url + "/slack/oauth_redirect")
    status, page = replay.get(second)
    refused(bot, logs, status, page, "invalid_state")


def test_an_expired_state_is_refused(
    oauth_bot: BotUnderTest, logs: pytest.LogCaptureFixture
) -> None:
    bot = oauth_bot
    browser = Browser()
    link = install_link(browser, bot)
    with bot.deps.uow() as unit:  # eleven minutes later: states last ten
        past = datetime.now(UTC) - timedelta(minutes=1)
        unit.session.execute(update(OAuthState).values(expires_at=past))
        unit.commit()
    back = bot.slack.oauth.approve(link, ACME, bot.url + "/slack/oauth_redirect")
    status, page = browser.get(back)
    refused(bot, logs, status, page, "invalid_state")


def test_a_redirect_without_a_code_is_refused(
    oauth_bot: BotUnderTest, logs: pytest.LogCaptureFixture
) -> None:
    bot = oauth_bot
    browser = Browser()
    state = parse_qs(urlsplit(install_link(browser, bot)).query)["state"][0]
    status, page = browser.get(redirect_with(bot, state=state))
    refused(bot, logs, status, page, "missing_code")


def test_cancelling_on_slacks_page_is_explained_in_finnish_too(
    oauth_bot: BotUnderTest, logs: pytest.LogCaptureFixture
) -> None:
    bot = oauth_bot
    browser = Browser()
    link = install_link(browser, bot)
    back = bot.slack.oauth.approve(link, ACME, bot.url + "/slack/oauth_redirect", cancel=True)
    status, page = browser.get(back, headers={"Accept-Language": "fi-FI,fi;q=0.9"})
    refused(bot, logs, status, page, "access_denied", lang="fi")
    assert status == 200


def test_a_code_slack_refuses_is_refused(
    oauth_bot: BotUnderTest, logs: pytest.LogCaptureFixture
) -> None:
    bot = oauth_bot
    browser = Browser()
    state = parse_qs(urlsplit(install_link(browser, bot)).query)["state"][0]
    status, page = browser.get(redirect_with(bot, code="code-slack-never-issued", state=state))
    refused(bot, logs, status, page, "invalid_code")
    refusal = bot.slack.wait_for("oauth.v2.access")
    assert refusal.response == {"ok": False, "error": "invalid_code"}
    assert "client_secret" not in refusal.params


def test_the_install_page_asks_for_the_manifests_scopes(oauth_bot: BotUnderTest) -> None:
    query = parse_qs(urlsplit(install_link(Browser(), oauth_bot)).query)
    assert query["client_id"] == [CLIENT_ID]
    manifest = yaml.safe_load((ROOT / "app.yaml").read_text(encoding="utf-8"))
    assert set(query["scope"][0].split(",")) == set(manifest["oauth_config"]["scopes"]["bot"])
    assert list(BOT_SCOPES) == manifest["oauth_config"]["scopes"]["bot"]


def configure_numbering(bot: BotUnderTest, workspace: Workspace, channel: str) -> None:
    """Numbering of the channel's onboarding at 50 numbers from the end: alerts are due."""
    values = {}
    for series in Series:
        values[(series, InputField.RACKBEAT_NEXT)] = 999_950
        values[(series, InputField.NETVISOR_MAX)] = 1_000_010
        values[(series, InputField.NETVISOR_BLOCK_START)] = 1_000_000
    bot.deps.numbering.save_setup(
        Channel(workspace.team_id, channel),
        Actor("U1"),
        Setup(strategies=dict.fromkeys(Series, Strategy.MIXED), values=values),
    )


def alert_tokens(bot: BotUnderTest, channel: str) -> set[str]:
    critical = f"*{t('numbering.level.critical', 'en')}*"
    return {
        call.token
        for call in bot.slack.calls
        if call.method == "chat.postMessage"
        and call.params.get("channel") == channel
        and critical in str(call.params.get("text") or "")
    }


def test_scheduled_numbering_checks_post_with_the_onboardings_workspace_token(
    oauth_bot: BotUnderTest,
) -> None:
    bot, slack = oauth_bot, oauth_bot.slack
    install(bot, ACME)
    install(bot, BETA)
    command(bot, ACME, "start Acme Oy", "C0ACME")
    command(bot, BETA, "start Beta Ab", "C0BETA")
    bot.settle()
    configure_numbering(bot, ACME, "C0ACME")
    configure_numbering(bot, BETA, "C0BETA")
    bot.driver.send_event(slack.oauth.uninstall(BETA.team_id))
    bot.settle()

    scheduler = start_numbering_scheduler(bot.runtime)
    assert scheduler is not None
    try:
        scheduler._scheduler.modify_job("numbering-check", next_run_time=datetime.now(UTC))
        slack.wait_for(
            "chat.postMessage", lambda c: c.token in slack.oauth.tokens_of(ACME.team_id), timeout=30
        )
        bot.settle()
    finally:
        scheduler.shutdown()
    assert alert_tokens(bot, "C0ACME") == set(slack.oauth.tokens_of(ACME.team_id))
    # Uninstalled: its accounts are not read and nothing is posted until it comes back.
    assert alert_tokens(bot, "C0BETA") == set()
    with bot.deps.uow() as unit:
        rows = unit.session.execute(
            select(Onboarding.channel_id, NumberingLease.last_started_at).join(
                NumberingLease, NumberingLease.onboarding_id == Onboarding.id
            )
        )
        started = {channel: at for channel, at in rows.tuples()}
    assert started["C0ACME"] is not None
    assert started["C0BETA"] is None

    install(bot, BETA)
    assert check_numbering([], bot.settings, io.StringIO()) == 1
    assert alert_tokens(bot, "C0BETA") == set(slack.oauth.tokens_of(BETA.team_id))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_python_m_bot_with_oauth_credentials_serves_installation_with_worker_processes(
    slack: LocalSlack, tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    # On PostgreSQL the answer comes from a job worker: its Bolt app authorizes each job with
    # the installation of the job's own workspace.
    database = (
        f"sqlite:///{tmp_path / 'bot.db'}"
        if backend == "sqlite"
        else str(request.getfixturevalue("pg_url"))
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SECRET_KEY": SECRET_KEY,
        "SLACK_API_URL": slack.api_url,
        "SLACK_FILE_HOSTS": "127.0.0.1",
        "DATABASE_URL": database,
        "PORT": str(port),
        "WORKER_PROCESSES": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if Browser().get(url + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        for workspace in (ACME, BETA):
            browser = Browser()
            status, page = browser.get(url + "/slack/install")
            assert status == 200, page
            match = re.search(r'href="([^"]*/oauth/v2/authorize\?[^"]*)"', page)
            assert match
            back = slack.oauth.approve(
                html.unescape(match.group(1)), workspace, url + "/slack/oauth_redirect"
            )
            assert browser.get(back)[0] == 200
        # The worker process answers each workspace with that workspace's own token.
        driver = SlackDriver(slack, SIGNING_SECRET, http_transport(url + "/slack/events"))
        for workspace, channel in ((ACME, "C0ACME"), (BETA, "C0BETA")):
            fields = driver.command_fields("start Acme Oy", user="U1", channel=channel)
            fields["team_id"] = workspace.team_id
            assert driver.send_form(fields).status == 200
            posted = slack.wait_for(
                "chat.postMessage",
                lambda c, channel=channel: c.params.get("channel") == channel,  # type: ignore[misc]
                timeout=30,
            )
            assert posted.token == slack.oauth.tokens_of(workspace.team_id)[0]
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert "serve mode (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set" in stderr
    assert CLIENT_SECRET not in stderr
    assert SECRET_KEY not in stderr
