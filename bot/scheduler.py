"""The numbering watch inside `serve` and `socket`: APScheduler 3 runs check rounds.

Every process may run the scheduler. A round claims the onboardings whose check is due
(``numbering_leases``: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so two processes on one
database split the work and never run the same check twice; a claim moves the next due time
one interval on, and missed runs coalesce into one. The job itself ticks every minute (or
every interval, if shorter) with ``coalesce`` and ``max_instances=1``: a slow round is never
overlapped by the next in the same process.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import Settings
from bot.oauth import WorkspaceClients
from core.numbering.checker import (
    DEFAULT_CONCURRENCY,
    Delivery,
    Notifier,
    NumberingChecker,
    RoundReport,
)
from core.numbering.service import NumberingService, build_numbering
from core.numbering.view import NumberingView
from handlers.deps import Deps
from handlers.numbering import SlackNotifier

if TYPE_CHECKING:
    from bot.wiring import Runtime

log = logging.getLogger("bot.scheduler")

MAX_TICK = timedelta(minutes=1)
FIRST_RUN_DELAY = timedelta(seconds=5)


def attach_numbering(deps: Deps, settings: Settings) -> NumberingService:
    """Build the process's numbering service and plug it into the listeners' dependencies
    (and the ``numbering`` step's guard)."""
    service = build_numbering(
        deps.uow,
        lambda: deps.clock(),  # noqa: PLW0108 - late-bound: tests replace deps.clock
        rackbeat_url=settings.rackbeat_api_url,
        netvisor_url=settings.netvisor_api_url,
        secret_key=settings.secret_key,
        previous_keys=settings.secret_key_previous,
        interval=timedelta(minutes=settings.numbering_check_minutes),
        rackbeat_contact=settings.rackbeat_contact,
        rackbeat_max_per_minute=settings.rackbeat_max_requests_per_minute,
    )
    deps.numbering = service
    deps.numbering_status = service.levels
    return service


class NumberingScheduler:
    def __init__(
        self,
        checker: NumberingChecker,
        notifier: Notifier,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> None:
        self.checker = checker
        self.notifier = notifier
        self.concurrency = concurrency
        self.tick = min(MAX_TICK, checker.interval)
        self._scheduler = BackgroundScheduler(timezone=UTC)

    def start(self) -> NumberingScheduler:
        self._scheduler.add_job(
            self.run_round,
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


def start_numbering_scheduler(runtime: Runtime) -> NumberingScheduler | None:
    """The scheduler of `serve` / `socket` (``None`` if the numbering service is missing)."""
    service = runtime.deps.numbering
    if service is None:
        return None
    notifier = WorkspaceNotifier(runtime.clients, runtime.deps)
    return NumberingScheduler(service.checker, notifier).start()


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
