"""The one guarded change: retried from a fresh read when stale, refusals recorded after the
change's own transaction has ended."""

from __future__ import annotations

from types import TracebackType

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from core.errors import DomainError, NotFound, PermissionDenied
from core.guarded import run_guarded
from core.store.uow import UnitOfWork


class FakeUnit:
    """Stands in for a unit of work: counts what was opened, committed and is still open."""

    def __init__(self, log: list[str]) -> None:
        self.log = log

    def __enter__(self) -> FakeUnit:
        self.log.append("open")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.log.append("close")

    def commit(self) -> None:
        self.log.append("commit")


def factory(log: list[str]) -> object:
    return lambda: FakeUnit(log)


def test_a_stale_change_runs_again_from_a_fresh_unit() -> None:
    log: list[str] = []
    calls: list[int] = []

    def change(unit: UnitOfWork) -> str:
        calls.append(len(calls))
        if len(calls) == 1:
            raise StaleDataError("someone else wrote first")
        return "second look"

    result = run_guarded(factory(log), change, record=lambda refusal: None)  # type: ignore[arg-type]

    assert result == "second look"
    assert log == ["open", "close", "open", "commit", "close"]


def test_staleness_that_never_clears_is_raised_after_the_last_attempt() -> None:
    log: list[str] = []

    def change(unit: UnitOfWork) -> None:
        raise StaleDataError("always")

    with pytest.raises(StaleDataError):
        run_guarded(factory(log), change, record=lambda r: None, max_attempts=3)  # type: ignore[arg-type]
    assert log.count("open") == 3


def test_only_the_errors_named_are_retried() -> None:
    def change(unit: UnitOfWork) -> None:
        raise IntegrityError("insert", {}, Exception("duplicate"))

    log: list[str] = []
    with pytest.raises(IntegrityError):
        run_guarded(factory(log), change, record=lambda r: None)  # type: ignore[arg-type]
    assert log.count("open") == 1

    log.clear()
    with pytest.raises(IntegrityError):
        run_guarded(  # type: ignore[arg-type]
            factory(log), change, record=lambda r: None, retry_on=(IntegrityError,), max_attempts=2
        )
    assert log.count("open") == 2


def test_an_audited_refusal_is_recorded_after_its_transaction_closed() -> None:
    log: list[str] = []
    recorded: list[tuple[DomainError, list[str]]] = []

    def change(unit: UnitOfWork) -> None:
        raise PermissionDenied("onb.permission.change")

    with pytest.raises(PermissionDenied):
        run_guarded(  # type: ignore[arg-type]
            factory(log),
            change,
            record=lambda refusal: recorded.append((refusal, list(log))),
            audited=(PermissionDenied,),
        )
    assert len(recorded) == 1
    assert recorded[0][1] == ["open", "close"]  # nothing committed, the unit already closed


def test_a_refusal_not_audited_passes_unrecorded() -> None:
    recorded: list[DomainError] = []

    def change(unit: UnitOfWork) -> None:
        raise NotFound("onb.not_found")

    with pytest.raises(NotFound):
        run_guarded(  # type: ignore[arg-type]
            factory([]), change, record=recorded.append, audited=(PermissionDenied,)
        )
    assert recorded == []
