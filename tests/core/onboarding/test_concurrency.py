"""Two people at once: state never breaks, and the second gets an answer reflecting the first."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from core.errors import DomainError
from core.onboarding.machine import StepRefused
from core.onboarding.service import OnboardingService
from core.onboarding.snapshot import Outcome
from core.onboarding.steps import StepId, StepState
from core.store.database import create_database_engine, migrate
from core.store.uow import UnitOfWork
from core.tenancy import Actor
from tests.core.onboarding.conftest import ANN, BOB, HERE, Clock


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls on threads released at the same moment; results or raised errors."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            outcomes[index] = call()
        except DomainError as refusal:
            outcomes[index] = refusal

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_clicks_on_done_one_wins_the_other_is_told(service: OnboardingService) -> None:
    service.start(HERE, ANN, "Acme Oy")
    service.add_members(HERE, ANN, [BOB.user_id])
    outcomes = run_together(
        lambda: service.done(HERE, ANN, StepId.LOGIN), lambda: service.done(HERE, BOB, StepId.LOGIN)
    )
    refused = [o for o in outcomes if isinstance(o, StepRefused)]
    applied = [o for o in outcomes if not isinstance(o, DomainError)]
    assert len(refused) == 1 and len(applied) == 1
    winner = applied[0].snapshot.step(StepId.LOGIN).changed_by
    assert refused[0].codes == ("already_done",)
    assert refused[0].params["reasons"][0]["by"] == winner  # type: ignore[index]
    history = service.history(HERE).entries
    assert [e.outcome for e in history if e.subject == "login"].count(Outcome.APPLIED) == 1
    assert service.snapshot(HERE).version == applied[0].snapshot.version


def test_done_and_skip_at_once_leave_one_consistent_answer(service: OnboardingService) -> None:
    service.start(HERE, ANN, "Acme Oy")
    service.add_members(HERE, ANN, [BOB.user_id])
    outcomes = run_together(
        lambda: service.done(HERE, ANN, StepId.PRODUCTS),
        lambda: service.skip(HERE, BOB, StepId.PRODUCTS),
    )
    final = service.snapshot(HERE).step(StepId.PRODUCTS)
    assert final.state in {StepState.DONE, StepState.SKIPPED}
    assert sum(isinstance(o, StepRefused) for o in outcomes) == 1
    loser = next(o for o in outcomes if isinstance(o, StepRefused))
    assert loser.codes == ("settled_reopen_first",)  # "reopen it first if that was wrong"


def test_many_writers_at_once_never_lose_a_change(service: OnboardingService) -> None:
    service.start(HERE, ANN, "Acme Oy")
    steps = [
        StepId.LOGIN,
        StepId.SETTINGS,
        StepId.CUSTOMERS,
        StepId.SUPPLIERS,
        StepId.ACCESS_RIGHTS,
    ]
    run_together(*[lambda s=s: service.done(HERE, ANN, s) for s in steps])
    snapshot = service.snapshot(HERE)
    assert all(snapshot.step(s).state is StepState.DONE for s in steps)
    assert snapshot.version == 1 + len(steps)


@pytest.fixture
def racy_engine(tmp_path: Path) -> Engine:
    """SQLite without `BEGIN IMMEDIATE`: reads take no lock, so a writer can slip in between
    another's read and write — the case the version column exists for (PostgreSQL without the
    row lock behaves the same)."""
    url = f"sqlite:///{tmp_path / 'racy.db'}"
    migrating = create_database_engine(url)
    migrate(migrating)
    migrating.dispose()
    return create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})


def test_a_stale_write_is_decided_again_on_fresh_state(racy_engine: Engine, clock: Clock) -> None:
    sessions = sessionmaker(bind=racy_engine, expire_on_commit=False)
    service = OnboardingService(lambda: UnitOfWork(sessions), clock=clock)
    service.start(HERE, ANN, "Acme Oy")
    service.add_members(HERE, ANN, [BOB.user_id])

    ann_has_read = threading.Event()
    bob_committed = threading.Event()
    ann_flushes: list[int] = []

    @event.listens_for(sessions, "before_flush")
    def hold_ann(session: Session, *_: Any) -> None:
        if threading.current_thread().name != "ann":
            return
        ann_flushes.append(1)
        if len(ann_flushes) == 1:
            # Ann has read "login: todo" and is about to write; Bob gets in first.
            ann_has_read.set()
            assert bob_committed.wait(30)

    outcome: dict[str, Any] = {}

    def ann() -> None:
        try:
            outcome["ann"] = service.done(HERE, ANN, StepId.LOGIN)
        except DomainError as refusal:
            outcome["ann"] = refusal

    thread = threading.Thread(target=ann, name="ann")
    thread.start()
    assert ann_has_read.wait(30)
    bob = service.done(HERE, BOB, StepId.LOGIN, "Bob was quicker")
    bob_committed.set()
    thread.join(60)

    assert isinstance(outcome["ann"], StepRefused)
    assert outcome["ann"].params["reasons"][0]["by"] == "U_BOB"  # type: ignore[index]
    assert len(ann_flushes) >= 2  # the stale attempt, then the decision on fresh state
    final = service.snapshot(HERE).step(StepId.LOGIN)
    assert (final.changed_by, final.note) == ("U_BOB", "Bob was quicker")
    assert bob.snapshot.version == service.snapshot(HERE).version


def test_two_starts_at_once_make_one_onboarding(service: OnboardingService) -> None:
    outcomes = run_together(
        lambda: service.start(HERE, ANN, "Acme Oy"),
        lambda: service.start(HERE, Actor("U_CAROL"), "Acme Oy"),
    )
    assert sum(isinstance(o, DomainError) for o in outcomes) == 1
    assert service.snapshot(HERE).owner_id in {"U_ANN", "U_CAROL"}
