"""The clock jumping (an NTP correction, a VM resumed from a snapshot, a wrong clock fixed):
days forward or hours back. History stays in the order things happened, leases and claims
neither hand live work to a second worker nor strand dead work, and nothing raises on a
negative duration."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from core.onboarding.machine import Action
from core.onboarding.service import OnboardingService
from core.onboarding.steps import StepId
from core.store.uow import UnitOfWorkFactory
from core.tenancy import Actor, Channel

WHERE = Channel("T1", "C1")
ANN = Actor("U0ANN")


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 30, 12, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def jump(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def test_history_lists_the_latest_change_first_even_after_the_clock_went_back(
    uow: UnitOfWorkFactory,
) -> None:
    clock = Clock()
    service = OnboardingService(uow, clock=clock)
    service.start(WHERE, ANN, "Acme Oy")
    clock.jump(minutes=1)
    service.change_step(WHERE, ANN, StepId.LOGIN, Action.DONE)
    clock.jump(hours=-3)
    service.change_step(WHERE, ANN, StepId.SETTINGS, Action.DONE)
    clock.jump(days=40)
    service.change_step(WHERE, ANN, StepId.SETTINGS, Action.REOPEN)
    entries = service.history(WHERE).entries
    assert [(e.action, e.subject) for e in entries] == [
        ("step.reopen", "settings"),
        ("step.done", "settings"),
        ("step.done", "login"),
        ("onboarding.start", None),
    ]
