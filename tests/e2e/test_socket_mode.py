"""Socket Mode: `python -m bot` picks it from SLACK_APP_TOKEN, answers over the websocket, and
acknowledges a malformed envelope without dispatching it (else Slack re-sends it forever)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.localslack import LocalSlack
from bot.localslack.driver import SlackDriver, http_transport
from handlers.messages import t

ROOT = Path(__file__).resolve().parents[2]
# The answer comes from the worker process, which runs at a lower CPU priority: on a loaded
# 2-core machine it took over 10 s. The acknowledgement itself is checked against 3 s elsewhere.
ANSWER = 90


class SocketBot:
    """A running `python -m bot` in Socket Mode."""

    def __init__(self, slack: LocalSlack, workdir: Path) -> None:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(ROOT),
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_APP_TOKEN": slack.app_token,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": f"sqlite:///{workdir / 'bot.db'}",
        }
        self.slack = slack
        self.log = workdir / "socket.log"
        with self.log.open("w") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot"],
                cwd=workdir,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )

    def stop(self) -> str:
        """SIGTERM; its stderr, checked for what must never be there."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        stderr = self.log.read_text(encoding="utf-8")
        assert self.process.returncode == 0, stderr
        assert self.slack.app_token not in stderr
        assert "Traceback" not in stderr, stderr
        return stderr


@pytest.fixture
def socket_bot(slack: LocalSlack, tmp_path: Path) -> Iterator[SocketBot]:
    bot = SocketBot(slack, tmp_path)
    try:
        slack.wait_socket(timeout=30)
        yield bot
    finally:
        bot.stop()


def driver(slack: LocalSlack) -> SlackDriver:
    # The driver only signs HTTP requests; over the socket it sends envelopes.
    return SlackDriver(slack, "unused", http_transport("http://127.0.0.1:9/unused"))


def test_socket_mode_answers_help_over_a_websocket(
    slack: LocalSlack, socket_bot: SocketBot
) -> None:
    ack = driver(slack).socket_command("help", user="U1", channel="C1")
    assert ack["envelope_id"].startswith("env")
    assert t("help.intro") in slack.wait_for("response_url", timeout=ANSWER).params["text"]
    assert "socket mode (SLACK_APP_TOKEN is set)" in socket_bot.stop()


MALFORMED = [
    ("events_api", {"type": "event_callback", "event": "oops"}),
    ("events_api", {"type": "event_callback", "event": None}),
    ("interactive", {"type": "block_actions", "user": "U1", "actions": []}),
    ("interactive", {"type": "block_actions", "user": {"id": "U1"}, "actions": [1, 2]}),
    # slack_sdk reads a string payload as {"text": …}: well-formed, but nothing listens to it.
    ("slash_commands", "command=/rackbeat"),
]


def test_a_malformed_envelope_is_acknowledged_and_dropped(
    slack: LocalSlack, socket_bot: SocketBot
) -> None:
    session = slack.wait_socket()
    for kind, payload in MALFORMED:
        envelope_id = slack.new_id("env")
        session.send_json({"envelope_id": envelope_id, "type": kind, "payload": payload})
        assert session.wait_ack(envelope_id, timeout=10)["envelope_id"] == envelope_id
    driver(slack).socket_command("help", user="U1", channel="C1")
    assert t("help.intro") in slack.wait_for("response_url", timeout=ANSWER).params["text"]
    log = socket_bot.stop()  # it finishes what it took and exits: nothing can come after
    assert [c.method for c in slack.calls if c.method == "response_url"] == ["response_url"]
    assert log.count("refused a malformed Socket Mode request") == len(MALFORMED) - 1
    assert "refused a malformed Socket Mode request: 'event' is not an object" in log
    assert "no listener takes a Socket Mode request of type slash_commands (answer 404)" in log
