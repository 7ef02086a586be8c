"""Claims on shared files under faults: a claim whose attempt stopped is taken over with what
it knew, an attempt whose claim was taken over cannot write any more, and the clock plays no
part (no leases: the job queue decides when an attempt is dead). SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from core.registers.repository import Claim, RegistersRepository
from core.store.database import create_database_engine, migrate
from core.store.registers_models import ProcessedFile
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
            "still_mine": lambda: repo.still_mine(held),
            "reply": lambda: repo.set_reply(held, "2.000002"),
            "uploaded": lambda: repo.mark_uploaded(held, frozenset({"report"})),
            "finish": lambda: repo.finish(held, "checked", at),
        }[action]()
        unit.commit()
    return done


def unfinished(store: UnitOfWorkFactory) -> list[tuple[str, str]]:
    with store() as unit:
        return RegistersRepository(unit.session).unfinished_claims()


def test_a_claim_still_received_is_taken_over_once_with_what_it_knew(
    store: UnitOfWorkFactory,
) -> None:
    first = claim(store, NOW)
    assert first is not None and first.attempt == 1 and not first.resumed
    assert write(store, "reply", first)
    assert write(store, "uploaded", first)
    second = claim(store, NOW + timedelta(seconds=1))  # the job runs again
    assert second is not None and second.resumed and second.attempt == 2
    assert (second.reply_ts, second.uploaded) == ("2.000002", frozenset({"report"}))
    assert (second.thread_ts, second.user_id, second.share_text) == ("1.000001", "U1", "tuotteet")


def test_an_attempt_whose_claim_was_taken_over_can_write_nothing(
    store: UnitOfWorkFactory,
) -> None:
    first = claim(store, NOW)
    assert first is not None
    second = claim(store, NOW)
    assert second is not None
    for action in ("still_mine", "reply", "uploaded", "finish"):
        assert not write(store, action, first), action
    assert write(store, "still_mine", second)
    assert write(store, "finish", second)


def test_a_finished_file_is_never_claimed_again(store: UnitOfWorkFactory) -> None:
    first = claim(store, NOW)
    assert first is not None and write(store, "finish", first)
    assert claim(store, NOW + timedelta(days=30)) is None
    assert unfinished(store) == []


def test_unfinished_claims_are_listed_oldest_first_and_only_when_they_can_be_answered(
    store: UnitOfWorkFactory,
) -> None:
    claim(store, NOW + timedelta(seconds=5), "F2")
    claim(store, NOW, "F1")
    with store() as unit:
        # A row from before 0005: no thread to answer in.
        legacy = ProcessedFile(team_id="T1", file_id="F0", channel_id="C1", received_at=NOW)
        unit.session.add(legacy)
        unit.commit()
    assert unfinished(store) == [("T1", "F1"), ("T1", "F2")]


def test_a_clock_set_back_hours_does_not_keep_a_claim_from_being_taken_over(
    store: UnitOfWorkFactory,
) -> None:
    assert claim(store, NOW) is not None  # then the process dies
    resumed = claim(store, NOW - timedelta(hours=5))
    assert resumed is not None and resumed.attempt == 2
