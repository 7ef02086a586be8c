"""A process dying in the middle of a file check (here: a BaseException thrown where a kill
could land, so that no `except` or `finally` of ours runs its clean-up as it would not after
SIGKILL; tests/faults/test_intake_kill.py kills a real `serve`). Slack has had its ack and will
not re-send the event: on SQLite the next start (here: the resumer) or a retried event takes
the claim over and completes the check, with exactly one verdict in the thread, the
"checking…" reply reused, and no output uploaded twice. (On PostgreSQL the job runs again:
tests/e2e/test_job_queue.py.)"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import build_client
from bot.localslack import LocalSlack
from bot.localslack.state import Failure, Message
from bot.recovery import resume_unfinished
from bot.wiring import Runtime
from core.onboarding.steps import StepId, StepState
from core.registers import intake
from core.store.registers_models import ProcessedFile, ValidationResult
from handlers import file_answers, file_source
from handlers.file_answers import SlackAnswers, resume_check
from handlers.messages import t
from tests.faults.support import (
    ANN,
    CHANNEL,
    PRODUCTS_WITH_WARNING,
    answers_in_thread,
    run,
    snapshot,
    texts,
    uploads_in_thread,
)
from tests.harness import BotUnderTest

BOTH = ["products-errors.csv", "products-normalized.csv"]
# How long one Slack call may take here: long enough that a healthy call to the local emulator
# never hits it on a loaded 2-core machine, short enough that a test of a hang stays quick.
TIMEOUT = 2.0
HANG = {"delay": TIMEOUT + 1.5, "status": 500}  # no answer within the client timeout


class Killed(BaseException):
    """Stands in for the process dying: nothing of ours catches a BaseException."""


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 30, 12, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def jump(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def bot(slack: LocalSlack, sqlite_url: str, clock: Clock) -> Iterator[BotUnderTest]:
    slack.add_user(ANN, "ann")

    def use_clock(runtime: Runtime) -> None:
        runtime.deps.clock = clock

    under_test = BotUnderTest(slack, sqlite_url, customize=use_clock, slack_timeout_seconds=TIMEOUT)
    yield under_test
    under_test.stop()


def die_once(monkeypatch: pytest.MonkeyPatch, target: Any, name: str, on_call: int = 1) -> None:
    """Make the ``on_call``-th call of ``target.name`` kill the worker."""
    original: Callable[..., Any] = getattr(target, name)
    calls = {"n": 0}

    def dying(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == on_call:
            raise Killed
        return original(*args, **kwargs)

    static = isinstance(inspect.getattr_static(target, name), staticmethod)
    monkeypatch.setattr(target, name, staticmethod(dying) if static else dying)


def share(bot: BotUnderTest, content: bytes = PRODUCTS_WITH_WARNING) -> Message:
    _, message, reply = bot.driver.upload("products.csv", content, user=ANN, channel=CHANNEL)
    assert reply.status == 200
    bot.settle()
    return message


def resume(bot: BotUnderTest, slack: LocalSlack) -> int:
    """What `serve` on SQLite does at start."""
    found = resume_unfinished(bot.deps, build_client(slack.bot_token, slack.api_url))
    bot.settle()
    return found


@dataclass(frozen=True)
class Row:
    status: str
    attempts: int


def claim_row(bot: BotUnderTest) -> Row:
    with bot.deps.uow() as unit:
        row = unit.session.scalars(select(ProcessedFile)).one()
        return Row(row.status, row.attempts)


def results(bot: BotUnderTest) -> int:
    with bot.deps.uow() as unit:
        return len(unit.session.scalars(select(ValidationResult)).all())


def assert_answered_once(slack: LocalSlack, message: Message) -> None:
    [verdict] = answers_in_thread(slack, message)
    assert "products.csv" in texts(verdict) and "ready to import" in texts(verdict)
    assert uploads_in_thread(slack, message) == BOTH
    posted = [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.params.get("thread_ts") == message.ts and c.status == 200
    ]
    assert len(posted) == 1  # one "checking…" reply, edited into the verdict


KILL_POINTS = {
    "before the checking reply": (SlackAnswers, "checking", 1),
    "while validating": (intake, "validate_files", 1),
    "after the verdict, before the uploads": (SlackAnswers, "upload", 1),
    "between the two uploads": (SlackAnswers, "upload", 2),
    "after the uploads, before finishing": (file_answers, "begin_step", 1),
}


@pytest.mark.parametrize("where", list(KILL_POINTS))
def test_the_resumer_completes_a_check_whose_process_died(
    bot: BotUnderTest,
    slack: LocalSlack,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    run(bot, "start Acme Oy")
    target, name, on_call = KILL_POINTS[where]
    with monkeypatch.context() as patch:
        die_once(patch, target, name, on_call)
        message = share(bot)
    assert claim_row(bot).status == "received"
    bot.restart()  # a new process on the same database
    assert resume(bot, slack) == 1
    assert_answered_once(slack, message)
    row = claim_row(bot)
    assert (row.status, row.attempts) == ("checked", 2)
    assert results(bot) == 1
    assert snapshot(bot, slack).step(StepId.PRODUCTS).state is StepState.IN_PROGRESS
    assert resume(bot, slack) == 0


def test_a_retried_event_for_a_file_whose_attempt_died_completes_it(
    bot: BotUnderTest, slack: LocalSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        die_once(patch, intake, "validate_files")
        message = share(bot)
    event = {
        "token": "local",
        "team_id": slack.team_id,
        "api_app_id": "A0LOCAL",
        "type": "event_callback",
        "event_id": "EvRETRIED",
        "event_time": 1,
        "event": {**message.as_api(), "channel_type": "channel"},
    }
    assert answers_in_thread(slack, message)[0].text == t(
        "registers.checking", "en", name="products.csv"
    )
    bot.driver.send_event(event, retry_num=1)
    bot.settle()
    assert_answered_once(slack, message)


def test_a_file_that_keeps_killing_its_worker_is_given_up_with_one_apology(
    bot: BotUnderTest, slack: LocalSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always_dies(*args: Any, **kwargs: Any) -> Any:
        raise Killed

    monkeypatch.setattr(intake, "validate_files", always_dies)
    message = share(bot)
    for _ in range(intake.MAX_ATTEMPTS + 2):
        resume(bot, slack)
    [reply] = answers_in_thread(slack, message)
    assert reply.text == t("error.apology", "en")
    row = claim_row(bot)
    assert (row.status, row.attempts) == ("failed", intake.MAX_ATTEMPTS + 1)
    assert resume(bot, slack) == 0


def test_a_worker_whose_claim_was_taken_over_stops_without_answering(
    bot: BotUnderTest, slack: LocalSlack, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that was paused (a stopped VM) long enough to be taken for dead comes back
    after another process took the file over: it must not store, edit or upload anything
    more."""
    seen: dict[str, Any] = {}
    original = intake.FileIntake._store

    def paused_then_overtaken(self: intake.FileIntake, *args: Any, **kwargs: Any) -> None:
        if "done" not in seen:
            seen["done"] = True
            claim = args[0]
            seen["took_over"] = resume_check(
                bot.deps,
                build_client(slack.bot_token, slack.api_url),
                claim.team_id,
                claim.file_id,
            )
        original(self, *args, **kwargs)

    monkeypatch.setattr(intake.FileIntake, "_store", paused_then_overtaken)
    message = share(bot)
    assert seen["took_over"] is True
    assert_answered_once(slack, message)
    assert results(bot) == 1
    row = claim_row(bot)
    assert (row.status, row.attempts) == ("checked", 2)


OUTAGES = {
    "the checking reply": ("chat.postMessage", HANG),
    "files.info": ("files.info", HANG),
    "the download": ("files.download", {"status": 503, "times": file_source.DOWNLOAD_ATTEMPTS}),
    "the verdict edit": ("chat.update", HANG),
    "the upload ticket": ("files.getUploadURLExternal", HANG),
    "the upload completion": ("files.completeUploadExternal", HANG),
}


@pytest.mark.parametrize("where", list(OUTAGES))
def test_slack_failing_mid_check_in_process_gets_the_apology_at_once(
    bot: BotUnderTest, slack: LocalSlack, where: str
) -> None:
    """In-process (SQLite) there is no durable later: the person is told at once, and can
    share the file again. (A job worker retries the job instead: ``RetryLater``.)"""
    run(bot, "start Acme Oy")
    method, fault = OUTAGES[where]
    slack.fail_next(method, **fault)
    message = share(bot)
    assert claim_row(bot).status == "failed"
    apologies = [m for m in answers_in_thread(slack, message) if m.text == t("error.apology", "en")]
    assert len(apologies) == 1
    assert resume(bot, slack) == 0


def test_a_progress_edit_slack_refuses_does_not_stop_the_check(
    bot: BotUnderTest, slack: LocalSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    validate = intake.validate_files

    def with_progress(*args: Any, **kwargs: Any) -> Any:
        kwargs["progress"].__dict__["_last"] = float("-inf")  # report at once
        kwargs["progress"](150_000)
        return validate(*args, **kwargs)

    monkeypatch.setattr(intake, "validate_files", with_progress)
    slack.fail_next("chat.update", **HANG)
    message = share(bot)
    progress_edit = slack.wait_for("chat.update", lambda c: "150,000" in str(c.params))
    assert progress_edit.status == 500
    assert_answered_once(slack, message)
    assert claim_row(bot).status == "checked"


def test_a_retried_event_while_the_file_is_being_checked_leaves_the_live_attempt_alone(
    bot: BotUnderTest, slack: LocalSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """Without leases, a claim still "received" is taken over at once; only this process's
    own live attempt is left alone (a Slack retry of a late acknowledgement on SQLite)."""
    caplog.set_level(logging.INFO, logger="core.registers.intake")
    held = Failure(status=500, delay=1.5)
    slack.fail_next("files.download", held)
    _, message, reply = bot.driver.upload(
        "products.csv", PRODUCTS_WITH_WARNING, user=ANN, channel=CHANNEL
    )
    assert reply.status == 200
    deadline = time.monotonic() + 20
    while held.times > 0:  # the download is being held: the check is live
        assert time.monotonic() < deadline
        time.sleep(0.02)
    event = {
        "token": "local",
        "team_id": slack.team_id,
        "api_app_id": "A0LOCAL",
        "type": "event_callback",
        "event_id": "EvLATE",
        "event_time": 1,
        "event": {**message.as_api(), "channel_type": "channel"},
    }
    assert bot.driver.send_event(event, retry_num=1).status == 200
    bot.settle()
    assert "being checked right now" in caplog.text
    assert_answered_once(slack, message)
    assert claim_row(bot) == Row("checked", 1)
