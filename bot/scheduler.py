"""The numbering watch inside `serve`, `socket` and `worker`: APScheduler 3 ticks.

Every process may run the scheduler. On PostgreSQL a tick only asks the job queue for a round
(a job with a queueing lock: however many processes tick, one round waits and one worker runs
it); on SQLite the tick runs the round itself. A round claims the onboardings whose check is due
(``numbering_leases``: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so two processes on one
database split the work and never run the same check twice; a claim moves the next due time
one interval on, and missed runs coalesce into one. The job itself ticks every minute (or
every interval, if shorter) with ``coalesce`` and ``max_instances=1``: a slow round is never
overlapped by the next in the same process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.oauth import WorkspaceClients
from bot.wiring import Runtime
from core.numbering.checker import (
    DEFAULT_CONCURRENCY,
    Delivery,
    Notifier,
    NumberingChecker,
    RoundReport,
)
from core.numbering.view import NumberingView
from handlers.deps import Deps
from handlers.numbering import SlackNotifier

log = logging.getLogger("bot.scheduler")

MAX_TICK = timedelta(minutes=1)
FIRST_RUN_DELAY = timedelta(seconds=5)


class NumberingScheduler:
    def __init__(
        self,
        checker: NumberingChecker,
        notifier: Notifier,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        defer: Callable[[datetime], bool] | None = None,
    ) -> None:
        self.checker = checker
        self.notifier = notifier
        self.concurrency = concurrency
        # On PostgreSQL: ask the job queue for the round instead of running it here.
        self.defer = defer
        self.tick = min(MAX_TICK, checker.interval)
        self._scheduler = BackgroundScheduler(timezone=UTC)

    def start(self) -> NumberingScheduler:
        self._scheduler.add_job(
            self.tick_once,
            IntervalTrigger(seconds=self.tick.total_seconds(), timezone=UTC),
            id="numbering-check",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(self.tick.total_seconds()),
            next_run_time=datetime.now(UTC) + FIRST_RUN_DELAY,
        )
        self._scheduler.start()
        log.info(
            "numbering checks every %s (ticking every %s, %d at a time)",
            self.checker.interval,
            self.tick,
            self.concurrency,
        )
        return self

    def tick_once(self) -> None:
        if self.defer is None:
            self.run_round()
            return
        try:
            self.defer(datetime.now(UTC))
        except Exception:
            # The database may be away: the next tick asks again.
            log.warning("could not ask for a numbering round", exc_info=True)

    def run_round(self) -> RoundReport:
        report = self.checker.check_due(self.notifier, self.concurrency)
        if report.checked or report.errors:
            log.info(
                "numbering round: %d checked, %d alerts, %d errors",
                report.checked,
                report.alerts,
                report.errors,
            )
        return report

    def shutdown(self) -> None:
        self._scheduler.shutdown(wait=True)


def _scheduler(
    runtime: Runtime, defer: Callable[[datetime], bool] | None = None
) -> NumberingScheduler | None:
    service = runtime.deps.numbering
    if service is None:
        return None
    notifier = WorkspaceNotifier(runtime.clients, runtime.deps)
    return NumberingScheduler(service.checker, notifier, defer=defer)


def start_numbering_scheduler(
    runtime: Runtime, defer: Callable[[datetime], bool] | None = None
) -> NumberingScheduler | None:
    """The scheduler of `serve` / `socket` / `worker` (``None`` if the numbering service is
    missing); with ``defer`` its ticks ask the job queue for rounds."""
    scheduler = _scheduler(runtime, defer)
    return scheduler.start() if scheduler is not None else None


def build_numbering_round(runtime: Runtime) -> Callable[[], RoundReport] | None:
    """What a worker runs for a numbering-round job (``None`` without the service)."""
    scheduler = _scheduler(runtime)
    return scheduler.run_round if scheduler is not None else None


class WorkspaceNotifier:
    """Posts each onboarding's alerts with its own workspace's token (in OAuth mode every
    workspace has one). A workspace with none (uninstalled) gets nothing posted: the alert
    stays undelivered for a later round, as when Slack is away."""

    def __init__(self, clients: WorkspaceClients, deps: Deps) -> None:
        self.clients = clients
        self.deps = deps

    def _notifier(self, team_id: str) -> SlackNotifier | None:
        client = self.clients.for_team(team_id)
        return None if client is None else SlackNotifier(client, self.deps)

    def deliver(self, delivery: Delivery) -> str:
        team_id = delivery.view.onboarding.team_id
        notifier = self._notifier(team_id)
        if notifier is None:
            raise RuntimeError(f"no bot token for workspace {team_id}: alert not posted")
        return notifier.deliver(delivery)

    def checked(self, view: NumberingView) -> None:
        notifier = self._notifier(view.onboarding.team_id)
        if notifier is not None:
            notifier.checked(view)
