"""The bot under test: `serve`'s WSGI app on waitress on a free port, against a LocalSlack.

Tests drive it the way Slack does (signed HTTP) through ``bot.driver`` and read what it did
from ``bot.slack``. ``restart()`` builds a new process-equivalent on the same database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from pydantic import SecretStr

from bot.app import build_app
from bot.config import Settings
from bot.localslack import LocalSlack
from bot.localslack.driver import SlackDriver, http_transport
from bot.server import make_server, wsgi_app
from bot.wiring import Runtime, build_runtime
from handlers.background import wait_all_idle

SIGNING_SECRET = "test-signing-secret-0123456789"


def test_settings(database_url: str, slack: LocalSlack, **overrides: Any) -> Settings:
    """Settings for a test, never read from the environment or a `.env` file."""
    values: dict[str, Any] = {
        "slack_bot_token": SecretStr(slack.bot_token),
        "slack_signing_secret": SecretStr(SIGNING_SECRET),
        "slack_api_url": slack.api_url,
        "slack_file_hosts": ("127.0.0.1",),
        "database_url": database_url,
        "port": 3000,
        "log_level": "DEBUG",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class BotUnderTest:
    def __init__(
        self,
        slack: LocalSlack,
        database_url: str,
        *,
        customize: Callable[[Runtime], None] | None = None,
        **overrides: Any,
    ) -> None:
        self.slack = slack
        self.database_url = database_url
        self.customize = customize
        self.settings = test_settings(database_url, slack, **overrides)
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self.start()

    def start(self) -> None:
        self.runtime = build_runtime(self.settings)
        if self.customize is not None:
            self.customize(self.runtime)
        self.app = build_app(self.settings, self.runtime.deps)
        secret = self.settings.slack_signing_secret
        assert secret is not None
        # A short poll: every test stops its server, and waitress notices only between polls.
        self._server = make_server(
            wsgi_app(self.app, self.runtime.engine, secret), "127.0.0.1", 0, poll_seconds=0.02
        )
        self.port = int(self._server.effective_port)
        self._thread = threading.Thread(
            target=self._serve, args=(self._server,), name="waitress", daemon=True
        )
        self._thread.start()
        self.url = f"http://127.0.0.1:{self.port}"
        self.driver = SlackDriver(self.slack, SIGNING_SECRET, http_transport(self.events_url))
        self.slack.event_sink = self.driver.send_event_quietly

    def _serve(self, server: Any) -> None:
        try:
            server.run()
        except OSError:
            # `stop()` closed the listening socket while waitress sat in select() on it (EBADF):
            # that is the stop itself, not a failure; any other time it is one.
            if self._server is server:
                raise

    @property
    def events_url(self) -> str:
        return self.url + "/slack/events"

    @property
    def deps(self) -> Any:
        return self.runtime.deps

    def settle(self, timeout: float = 30.0) -> None:
        """Wait until every listener and background job the last requests started is done."""
        deps = self.runtime.deps
        executors = [deps.listener_executor, deps.executor]
        for _ in range(200):
            wait_all_idle(executors, timeout=timeout)
            self.slack.wait_quiet(quiet=0.02, timeout=1)
            if all(e.pending == 0 for e in executors) and self.slack.pending_emits == 0:
                return
        raise AssertionError("the bot did not settle")

    def stop(self) -> None:
        if self._server is not None:
            self.settle()
            server, self._server = self._server, None
            server.close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self.runtime.close()

    def restart(self) -> None:
        """A new process on the same database and the same Slack."""
        self.stop()
        self.start()
