"""Stopping Socket Mode ends even when slack_sdk's reading thread comes back mid-close."""

from __future__ import annotations

import threading

from slack_bolt import App
from slack_sdk import WebClient

from bot.localslack import LocalSlack
from bot.modes import CheckedSocketModeHandler
from tests.waiting import until


def test_the_stop_ends_when_the_reading_thread_comes_back_between_mark_and_socket_close(
    slack: LocalSlack,
) -> None:
    app = App(
        client=WebClient(token=slack.bot_token, base_url=slack.api_url),
        token_verification_enabled=False,
    )
    handler = CheckedSocketModeHandler(app, slack.app_token)
    handler.connect()
    client = handler.client
    until(client.is_connected, "the socket to connect")
    until(client.current_session_runner.is_alive, "the reading thread to run")

    # slack_sdk's race, made certain: the reader comes back after close() marked the session
    # terminated and before the socket is closed.
    closing, came_back = threading.Event(), threading.Event()
    runner = client.current_session_runner
    read = runner.target

    def reader() -> None:
        if closing.is_set():
            came_back.set()
        read()

    runner.target = reader
    disconnect = client.disconnect

    def late_disconnect() -> None:
        closing.set()
        came_back.wait(2)  # with the fix it never comes back: the wait runs out, harmlessly
        disconnect()

    client.disconnect = late_disconnect  # type: ignore[method-assign]
    stopping = threading.Thread(target=handler.close, daemon=True)
    stopping.start()
    stopping.join(20)
    assert not stopping.is_alive(), "the Socket Mode stop hung"
