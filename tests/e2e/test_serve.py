"""`serve` as operators run it: health, routing, a real process on a free port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from sqlalchemy import Engine

from bot.localslack import LocalSlack
from bot.localslack.driver import SlackDriver, http_transport
from handlers.messages import t
from tests.harness import SIGNING_SECRET, BotUnderTest
from tests.waiting import until

ROOT = Path(__file__).resolve().parents[2]


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_healthz_is_ok_with_the_database(bot: BotUnderTest) -> None:
    status, body = get(bot.url + "/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_gone(bot: BotUnderTest) -> None:
    engine: Engine = bot.runtime.engine
    database = Path(str(engine.url.database))
    engine.dispose()
    database.parent.rename(database.parent.with_name("moved-away"))
    try:
        status, body = get(bot.url + "/healthz")
        assert status == 503
        assert json.loads(body)["database"] == "unreachable"
    finally:
        database.parent.with_name("moved-away").rename(database.parent)
    assert get(bot.url + "/healthz")[0] == 200


def test_unknown_path_is_404_and_events_need_post(bot: BotUnderTest) -> None:
    assert get(bot.url + "/nothing-here")[0] == 404
    assert get(bot.url + "/slack/events")[0] == 405


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_python_m_bot_serve_answers_a_signed_help_command(
    slack: LocalSlack, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "PORT": str(port),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:

        def ready() -> bool:
            try:
                return get(f"http://127.0.0.1:{port}/healthz")[0] == 200
            except OSError:
                return False

        until(ready, "serve to answer /healthz with 200", timeout=60)
        driver = SlackDriver(
            slack, SIGNING_SECRET, http_transport(f"http://127.0.0.1:{port}/slack/events")
        )
        assert driver.command("help", user="U1", channel="C1").status == 200
        # From the worker, at a lower CPU priority: generous for a loaded machine.
        assert t("help.intro") in slack.wait_for("response_url", timeout=90).params["text"]
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0
    assert "serve mode (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set" in stderr
    assert slack.bot_token not in stderr
