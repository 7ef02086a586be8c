"""The registrar in a job worker (inline): a listener's outcome is kept for the job, and a
passing failure waits for the job's retry instead of apologising, except on the last attempt."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from slack_bolt import App

from handlers.background import RetryLater, TrackingExecutor
from handlers.registry import Registrar


class Hook:
    def __init__(self) -> None:
        self.errors: list[Exception] = []

    def __call__(self, *, error: Exception, **_: Any) -> None:
        self.errors.append(error)


def worker_registrar(hook: Hook) -> Registrar:
    app = App(token="xoxb-test", signing_secret="s", token_verification_enabled=False)
    return Registrar(app, TrackingExecutor(max_workers=1), hook, inline=True)


def run(registrar: Registrar, listener: Any) -> None:
    args = SimpleNamespace(
        ack=lambda: None, body={}, client=None, respond=None, logger=None, request=None
    )
    registrar.deferred(listener)(args)  # type: ignore[arg-type]


def test_a_passing_failure_is_kept_for_the_job_without_an_apology() -> None:
    hook = Hook()
    registrar = worker_registrar(hook)

    def slack_away(body: dict[str, Any]) -> None:
        raise RetryLater("Slack is away")

    registrar.last_attempt(False)
    run(registrar, slack_away)
    assert isinstance(registrar.take_failure(), RetryLater)
    assert hook.errors == []
    assert registrar.take_failure() is None  # taken once


def test_on_the_last_attempt_a_passing_failure_gets_the_apology() -> None:
    hook = Hook()
    registrar = worker_registrar(hook)

    def slack_away(body: dict[str, Any]) -> None:
        raise RetryLater("Slack is away")

    registrar.last_attempt(True)
    run(registrar, slack_away)
    assert isinstance(registrar.take_failure(), RetryLater)
    assert len(hook.errors) == 1


def test_a_bug_gets_the_apology_and_fails_the_job() -> None:
    hook = Hook()
    registrar = worker_registrar(hook)

    def broken(body: dict[str, Any]) -> None:
        raise KeyError("oops")

    run(registrar, broken)
    assert isinstance(registrar.take_failure(), KeyError)
    assert len(hook.errors) == 1
    run(registrar, lambda body: None)
    assert registrar.take_failure() is None
