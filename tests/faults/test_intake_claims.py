"""Claims on shared files under faults: a claim whose worker died is taken over once, a
worker whose claim was taken over cannot write any more, and clock jumps neither strand a
claim nor hand a live one to a second worker. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from core.store.database import create_database_engine, migrate
from core.store.models import ProcessedFile
from core.store.registers_repo import INTAKE_LEASE, Claim, RegistersRepository
from core.store.uow import UnitOfWorkFactory, unit_of_work_factory

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(database_url: str) -> Iterator[UnitOfWorkFactory]:
    engine = create_database_engine(database_url)
    migrate(engine)
    yield unit_of_work_factory(engine)
    engine.dispose()


def claim(store: UnitOfWorkFactory, at: datetime, file_id: str = "F1") -> Claim | None:
    with store() as unit:
        taken = RegistersRepository(unit.session).claim_file(
            "T1", file_id, "C1", "a.csv", at, thread_ts="1.000001", user_id="U1", text="tuotteet"
        )
        unit.commit()
    return taken


def write(store: UnitOfWorkFactory, action: str, held: Claim, at: datetime = NOW) -> bool:
    with store() as unit:
        repo = RegistersRepository(unit.session)
        done = {
            "renew": lambda: repo.renew(held, at),
            "reply": lambda: repo.set_reply(held, "2.000002"),
            "uploaded": lambda: repo.mark_uploaded(held, frozenset({"report"})),
            "finish": lambda: repo.finish(held, "checked", at),
        }[action]()
        unit.commit()
    return done


def stale(store: UnitOfWorkFactory, at: datetime) -> list[tuple[str, str]]:
    with store() as unit:
        found = RegistersRepository(unit.session).stale_claims(at)
        unit.commit()
    return found


def test_a_live_claim_is_not_taken_and_an_expired_one_is_taken_once_with_what_it_knew(
    store: UnitOfWorkFactory,
) -> None:
    first = claim(store, NOW)
    assert first is not None and first.attempt == 1 and not first.resumed
    assert write(store, "reply", first)
    assert write(store, "uploaded", first)
    assert claim(store, NOW + INTAKE_LEASE - timedelta(seconds=1)) is None
    later = NOW + INTAKE_LEASE + timedelta(seconds=1)
    second = claim(store, later)
    assert second is not None and second.resumed and second.attempt == 2
    assert (second.reply_ts, second.uploaded) == ("2.000002", frozenset({"report"}))
    assert (second.thread_ts, second.user_id, second.share_text) == ("1.000001", "U1", "tuotteet")
    assert claim(store, later) is None  # the takeover renewed the lease


def test_a_worker_whose_claim_was_taken_over_can_write_nothing(store: UnitOfWorkFactory) -> None:
    first = claim(store, NOW)
    assert first is not None
    second = claim(store, NOW + INTAKE_LEASE * 2)
    assert second is not None
    for action in ("renew", "reply", "uploaded", "finish"):
        assert not write(store, action, first), action
    assert write(store, "finish", second)


def test_a_finished_file_is_never_claimed_again(store: UnitOfWorkFactory) -> None:
    first = claim(store, NOW)
    assert first is not None and write(store, "finish", first)
    assert claim(store, NOW + timedelta(days=30)) is None
    assert stale(store, NOW + timedelta(days=30)) == []


def test_renewing_keeps_a_slow_check_from_being_taken_over(store: UnitOfWorkFactory) -> None:
    first = claim(store, NOW)
    assert first is not None
    assert write(store, "renew", first, NOW + INTAKE_LEASE - timedelta(seconds=1))
    assert claim(store, NOW + INTAKE_LEASE + timedelta(seconds=1)) is None
    assert stale(store, NOW + INTAKE_LEASE + timedelta(seconds=1)) == []


def test_stale_claims_are_listed_oldest_first_and_only_when_they_can_be_answered(
    store: UnitOfWorkFactory,
) -> None:
    claim(store, NOW, "F1")
    claim(store, NOW + timedelta(seconds=5), "F2")
    with store() as unit:
        # A row from before 0005: no thread to answer in, no lease.
        legacy = ProcessedFile(team_id="T1", file_id="F0", channel_id="C1", received_at=NOW)
        unit.session.add(legacy)
        unit.commit()
    assert stale(store, NOW + INTAKE_LEASE) == []
    assert stale(store, NOW + INTAKE_LEASE * 2) == [("T1", "F1"), ("T1", "F2")]


def test_a_clock_jumping_days_ahead_lets_stale_claims_go_but_renewed_ones_stay(
    store: UnitOfWorkFactory,
) -> None:
    dead, live = claim(store, NOW, "F1"), claim(store, NOW, "F2")
    assert dead is not None and live is not None
    jumped = NOW + timedelta(days=3)
    # The live worker renews with the jumped clock before anyone looks; the dead one cannot.
    assert write(store, "renew", live, jumped)
    assert stale(store, jumped) == [("T1", "F1")]
    assert claim(store, jumped, "F2") is None


def test_a_clock_jumping_hours_back_does_not_strand_a_claim_until_it_catches_up(
    store: UnitOfWorkFactory,
) -> None:
    assert claim(store, NOW) is not None  # then the process dies
    back = NOW - timedelta(hours=5)
    assert stale(store, back) == []  # the lease now lies hours ahead: pulled back to one lease
    assert stale(store, back + INTAKE_LEASE + timedelta(seconds=1)) == [("T1", "F1")]
    resumed = claim(store, back + INTAKE_LEASE + timedelta(seconds=1))
    assert resumed is not None and resumed.attempt == 2


def test_a_claim_from_before_leases_is_taken_over_one_lease_after_it_was_received(
    store: UnitOfWorkFactory,
) -> None:
    first = claim(store, NOW)
    assert first is not None
    with store() as unit:
        unit.session.execute(update(ProcessedFile).values(lease_until=None))
        unit.commit()
    assert claim(store, NOW + INTAKE_LEASE - timedelta(seconds=1)) is None
    assert claim(store, NOW + INTAKE_LEASE + timedelta(seconds=1)) is not None
