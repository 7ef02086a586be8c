"""What a worker does with a job from the queue (``bot.jobqueue``).

A request job is dispatched through the worker's own Bolt app (same listeners, run inline):
the job ends when the work does, so a worker that dies mid-way leaves the job "doing", and it
runs again once the worker's heartbeat is missed (``bot.worker_cmd``). Running a job twice
shows nothing twice: the work keeps its own unique keys (file claims with the reply `ts` and
the uploads recorded, alert keys, the checklist `ts`).

Outcomes: done; ``RetryLater`` (Slack or the database away): run again later, a few times;
any other failure: the error hook has apologised and logged the traceback, and the job is
failed for good. A payload that no longer parses (an upgrade changed its shape) fails at once
with one log line naming the job and the reason: never retried, never blocking the queue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import procrastinate
from procrastinate import JobContext
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from slack_bolt import App, BoltContext, BoltRequest
from slack_bolt.request.internals import build_context

from bot.app import registrar_of
from bot.jobqueue import REQUEST_TASK, ROUND_LOCK, ROUND_TASK
from core.numbering.checker import rerunnable
from handlers.background import RetryLater

log = logging.getLogger("bot.jobs")

# A job that stopped for a passing reason runs again this many times in all.
MAX_ATTEMPTS = 5


class StoredRequest(BaseModel):
    """A request job's payload (``bot.jobqueue.request_payload``)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    key: str = Field(min_length=1)
    mode: Literal["http", "socket_mode"]
    body: dict[str, Any]
    content_type: str = ""

    def bolt_request(self) -> BoltRequest:
        headers: dict[str, str | Sequence[str]] = (
            {"content-type": self.content_type} if self.content_type else {}
        )
        # Bolt wants the raw text in HTTP mode; nothing after the ack reads it (the signature
        # was checked by the front), so the payload as the front parsed it goes in as is (it
        # corrects one misreading of Bolt's).
        rebuilt = BoltRequest(body="", headers=headers, mode=self.mode)
        rebuilt.body = self.body
        rebuilt.context = build_context(BoltContext(), self.body)
        return rebuilt


def job_holder(job_id: int) -> str:
    """The numbering checks a job runs are held by the job, not its worker: the job run
    again after its worker died takes them back (``core.numbering.checker.rerunnable``)."""
    return f"job:{job_id}"


class UnusableJob(Exception):
    """A job whose payload cannot be run: failed at once."""


class RequestFailed(Exception):
    """A listener failed; the user has had the apology, the log the traceback."""


def describe(error: ValidationError) -> str:
    """One line: which fields are wrong and how (never the values: payloads hold user text)."""
    parts = []
    for problem in error.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in problem["loc"]) or "payload"
        parts.append(f"{where}: {problem['msg']}")
    return "; ".join(parts)


class JobRunner:
    def __init__(self, app: App, numbering_round: Callable[[], object] | None = None) -> None:
        self.app = app
        self.numbering_round = numbering_round

    def run_request(self, job_id: int, payload: dict[str, Any], attempts: int = 0) -> None:
        try:
            stored = StoredRequest.model_validate(payload)
        except ValidationError as error:
            reason = describe(error)
            log.error("job %d failed: its payload does not parse (%s); not retried", job_id, reason)
            raise UnusableJob(f"job {job_id}: {reason}") from None
        registrar = registrar_of(self.app)
        registrar.last_attempt(attempts + 1 >= MAX_ATTEMPTS)
        with rerunnable(job_holder(job_id)):  # listeners run inline, in this thread
            response = self.app.dispatch(stored.bolt_request())
        failure = registrar.take_failure()
        if isinstance(failure, RetryLater):
            raise failure
        if failure is not None:
            raise RequestFailed(f"job {job_id} ({stored.key}) failed") from failure
        if response.status >= 400:
            # Nothing listens to it (any more): done, there is nothing to run.
            log.warning(
                "job %d (%s): no listener takes it (%d)", job_id, stored.key, response.status
            )

    def run_round(self, job_id: int) -> None:
        if self.numbering_round is not None:
            with rerunnable(job_holder(job_id)):
                self.numbering_round()


class RetryPassingFailures(procrastinate.BaseRetryStrategy):
    """Only ``RetryLater`` is retried, after the delay it asks for, ``MAX_ATTEMPTS`` in all."""

    def get_retry_decision(
        self, *, exception: BaseException, job: procrastinate.jobs.Job
    ) -> procrastinate.RetryDecision | None:
        if not isinstance(exception, RetryLater) or job.attempts + 1 >= MAX_ATTEMPTS:
            return None
        retry_at = datetime.now(UTC) + max(exception.after, timedelta(seconds=1))
        return procrastinate.RetryDecision(retry_at=retry_at)


def register_tasks(queue: procrastinate.App, runner: JobRunner) -> None:
    """The tasks a worker runs, under the names fronts defer them by."""

    @queue.task(name=REQUEST_TASK, pass_context=True, retry=RetryPassingFailures())
    def run_request(context: JobContext, /, **payload: Any) -> None:
        job_id = context.job.id
        assert job_id is not None
        runner.run_request(job_id, payload, context.job.attempts)

    @queue.task(name=ROUND_TASK, queueing_lock=ROUND_LOCK, pass_context=True)
    def numbering_round(context: JobContext, /, asked_at: str = "") -> None:
        job_id = context.job.id
        assert job_id is not None
        runner.run_round(job_id)
