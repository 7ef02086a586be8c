"""Socket Mode smoke test: `python -m bot` picks it from SLACK_APP_TOKEN and answers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.localslack import LocalSlack
from bot.localslack.driver import SlackDriver, http_transport
from handlers.messages import t

ROOT = Path(__file__).resolve().parents[2]


def test_socket_mode_answers_help_over_a_websocket(slack: LocalSlack, tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_APP_TOKEN": slack.app_token,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
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
        # The driver only signs HTTP requests; over the socket it sends envelopes.
        driver = SlackDriver(slack, "unused", http_transport("http://127.0.0.1:9/unused"))
        slack.wait_socket(timeout=30)
        ack = driver.socket_command("help", user="U1", channel="C1")
        assert ack["envelope_id"].startswith("env")
        assert t("help.intro") in slack.wait_for("response_url", timeout=10).params["text"]
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    assert "socket mode (SLACK_APP_TOKEN is set)" in stderr
    assert slack.app_token not in stderr
