"""The bot as production runs it, for flow tests: a real `python -m bot` process with its
default worker process (`WORKER_PROCESSES=1`), taking requests over HTTP (`serve`) or over
a Socket Mode websocket (`socket`).

A flow test asks for a ``RunningBot`` and drives it through ``bot.driver`` (the same
``SlackDriver`` the in-process tests use: commands, clicks, modal submissions, file shares,
App Home). Over Socket Mode the driver's signed HTTP body is turned into the envelope Slack
would send on the websocket (``socket_transport``), so one flow runs unchanged on both.

The work after an acknowledgement happens in another process, so a flow waits for what it
expects to see (``tests.waiting.until``); ``finish()`` stops the process with SIGTERM, which
drains the acknowledged work, so what the emulator holds afterwards is final.

When the worker hand-off moves to a job queue, ``start_bot`` is the one place to point at it
(its ``env`` already carries ``DATABASE_URL``, the PostgreSQL one when the test runs there).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

from bot.localslack import LocalSlack
from bot.localslack.driver import Reply, SlackDriver, Transport
from tests.harness import SIGNING_SECRET
from tests.serve_process import ROOT, ServeProcess
from tests.waiting import until

SHAPES = ("serve", "socket")


def socket_transport(slack: LocalSlack, timeout: float = 30) -> Transport:
    """Deliver what the driver would POST to `/slack/events` as a Socket Mode envelope on the
    app's open connection; the reply is the app's acknowledgement (its payload as the body)."""

    def send(body: bytes, headers: dict[str, str]) -> Reply:
        text = body.decode("utf-8")
        if "json" in headers.get("Content-Type", ""):
            kind, payload = "events_api", json.loads(text)
        else:
            fields = dict(parse_qsl(text, keep_blank_values=True))
            if "payload" in fields:
                kind, payload = "interactive", json.loads(fields["payload"])
            else:
                kind, payload = "slash_commands", fields
        envelope_id = slack.new_id("env")
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "accepts_response_payload": kind != "events_api",
            "payload": payload,
        }
        if "X-Slack-Retry-Num" in headers:
            envelope["retry_attempt"] = int(headers["X-Slack-Retry-Num"])
            envelope["retry_reason"] = headers.get("X-Slack-Retry-Reason", "")
        session = slack.wait_socket(timeout=timeout)
        session.send_json(envelope)
        ack = session.wait_ack(envelope_id, timeout=timeout)
        return Reply(200, json.dumps(ack.get("payload") or {}).encode())

    return send


@dataclass
class RunningBot:
    shape: str
    slack: LocalSlack
    driver: SlackDriver
    process: subprocess.Popen[bytes]
    log: Path

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def finish(self, timeout: float = 60) -> str:
        """SIGTERM: the process finishes what it acknowledged and exits 0; its log, which
        must hold no traceback."""
        until(lambda: self.slack.pending_emits == 0, "the emulator's events to be delivered")
        self.slack.event_sink = None  # echoes of its last posts would meet a closing process
        if self.process.poll() is None:
            self.process.terminate()
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # Its log says where the stop was stuck; without it a hang is a bare timeout.
            self.process.kill()
            self.process.wait()
            raise AssertionError(
                f"{self.shape} did not stop within {timeout} s of SIGTERM; its log:\n"
                + self.stderr()
            ) from None
        log = self.stderr()
        assert code == 0, log
        assert "Traceback" not in log, log
        return log


def start_bot(
    shape: str, slack: LocalSlack, database_url: str, workdir: Path, env: dict[str, str]
) -> RunningBot:
    """`python -m bot serve` or `python -m bot socket` with production defaults (a worker
    process), against the emulator, waited for until it takes requests."""
    if shape == "serve":
        serve = ServeProcess(slack, database_url, workdir, env)
        bot = RunningBot(shape, slack, serve.driver, serve.process, serve.log)
    else:
        log = workdir / "socket.log"
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(ROOT),
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_APP_TOKEN": slack.app_token,
            "SLACK_API_URL": slack.api_url,
            "SLACK_FILE_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "INFO",
            **env,
        }
        with log.open("w") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "socket"],
                cwd=workdir,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        driver = SlackDriver(slack, SIGNING_SECRET, socket_transport(slack))
        bot = RunningBot(shape, slack, driver, process, log)
        try:
            slack.wait_socket(timeout=60)
        except AssertionError:
            process.kill()
            raise AssertionError(f"socket mode did not connect:\n{bot.stderr()}") from None
    # Slack sends the app the events of what it posts too (the bot ignores its own messages).
    slack.event_sink = bot.driver.send_event_quietly
    return bot
