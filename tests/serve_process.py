"""`python -m bot serve` as a real process for the end-to-end and fault tests: started against
the Slack emulator, waited for on `/healthz`, driven with signed requests, stopped or killed.
Its stderr goes to a file, so a chatty process never blocks on a full pipe."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bot.localslack import LocalSlack
from bot.localslack.driver import SlackDriver, http_transport
from bot.localslack.state import Failure, Message
from tests.harness import SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def healthz(base_url: str, timeout: float = 10) -> tuple[int, dict[str, Any]]:
    """`GET /healthz` on ``base_url``: the status and the JSON body, 503s included."""
    try:
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=timeout) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def bot_environment(
    slack: LocalSlack, database_url: str, env: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment of a `python -m bot` process against the emulator."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "SLACK_FILE_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "INFO",
        **(env or {}),
    }


class ServeProcess:
    def __init__(
        self,
        slack: LocalSlack,
        database_url: str,
        workdir: Path,
        env: dict[str, str] | None = None,
        start_timeout: float = 60,
    ) -> None:
        self.port = free_port()
        self.log = workdir / f"serve-{self.port}.log"
        environment = bot_environment(slack, database_url, {"PORT": str(self.port), **(env or {})})
        with self.log.open("w") as stderr:
            # A session (and process group) of its own: `kill_group` reaches its workers too.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve"],
                cwd=workdir,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,
            )
        deadline = time.monotonic() + start_timeout
        while self.health()[0] != 200:
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.process.kill()
                raise AssertionError(f"serve did not start:\n{self.stderr()}")
            time.sleep(0.05)
        self.driver = SlackDriver(slack, SIGNING_SECRET, http_transport(self.url + "/slack/events"))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def health(self) -> tuple[int, dict[str, Any]]:
        """`/healthz`'s status and body; (0, {}) while nothing answers."""
        try:
            return healthz(self.url)
        except OSError:
            return 0, {}

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def workers(self) -> list[int]:
        """The pids of this serve's worker processes (Linux: read from /proc)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.process.pid and b"spawn_main" in command:
                found.append(int(entry.name))
        return sorted(found)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def kill_group(self) -> None:
        """SIGKILL to serve and every process it started, at the same instant."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self, timeout: float = 60) -> int:
        """SIGTERM, as process managers stop it; the exit code."""
        self.process.terminate()
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.terminate()


class WorkerProcess:
    """`python -m bot worker` as a real process (its stderr in a file)."""

    def __init__(
        self,
        slack: LocalSlack,
        database_url: str,
        workdir: Path,
        env: dict[str, str] | None = None,
        concurrency: int = 4,
    ) -> None:
        self.log = workdir / f"worker-{free_port()}.log"
        with self.log.open("w") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "worker", "--concurrency", str(concurrency)],
                cwd=workdir,
                env=bot_environment(slack, database_url, env),
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,
            )

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while " ready: up to " not in self.stderr():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.process.kill()
                raise AssertionError(f"worker did not start:\n{self.stderr()}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)


def share_during_a_slow_download(
    slack: LocalSlack, serve: ServeProcess, user: str, channel: str, content: bytes, delay: float
) -> Message:
    """Start an onboarding, share ``content`` as products.csv, and return the shared message
    once the bot is waiting for its download, which the emulator holds ``delay`` seconds (then
    answers 500: the bot's retry gets the file)."""
    serve.driver.command("start Acme Oy", user=user, channel=channel)
    slack.wait_for("chat.postMessage", timeout=20)
    held = Failure(status=500, delay=delay)
    slack.fail_next("files.download", held)
    _, message, reply = serve.driver.upload("products.csv", content, user=user, channel=channel)
    assert reply.status == 200
    deadline = time.monotonic() + 20
    while held.times > 0:  # the emulator took the download request and holds it
        assert time.monotonic() < deadline, "the download never started"
        time.sleep(0.02)
    return message
