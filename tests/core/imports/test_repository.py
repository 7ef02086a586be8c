"""The import journal's guards: one confirmation, one claim, leases, retries of failures."""

from __future__ import annotations

from datetime import timedelta

from core.imports.model import Mode, State, Status
from core.imports.repository import ImportsRepository
from core.store.uow import UnitOfWorkFactory
from tests.core.imports.conftest import NOW, add_import, rows


def test_a_preview_is_confirmed_once(uow: UnitOfWorkFactory) -> None:
    import_id = add_import(uow, rows(range(1, 4)), confirm=False)
    with uow() as unit:
        repo = ImportsRepository(unit.session)
        assert repo.confirm(import_id, Mode.CREATE, "U1", NOW)
        assert not repo.confirm(import_id, Mode.UPDATE, "U2", NOW)
        view = repo.get(import_id)
    assert view is not None and (view.status, view.mode, view.confirmed_by) == (
        Status.QUEUED,
        Mode.CREATE,
        "U1",
    )


def test_a_claim_is_taken_once_until_its_lease_runs_out(uow: UnitOfWorkFactory) -> None:
    import_id = add_import(uow, rows(range(1, 3)))
    with uow() as unit:
        repo = ImportsRepository(unit.session)
        first = repo.claim(import_id, NOW)
        assert first == 1
        assert repo.claim(import_id, NOW + timedelta(seconds=30)) is None
        assert repo.stale(NOW + timedelta(seconds=30)) == []
        later = NOW + timedelta(minutes=2)
        assert repo.stale(later) == [import_id]
        assert repo.claim(import_id, later) == 2
        assert not repo.renew(import_id, first, later)  # the first runner lost it


def test_retrying_failed_records_requeues_only_those(uow: UnitOfWorkFactory) -> None:
    import_id = add_import(uow, rows(range(1, 4)))
    with uow() as unit:
        repo = ImportsRepository(unit.session)
        attempt = repo.claim(import_id, NOW)
        assert attempt is not None
        first, second, third = repo.all_records(import_id)
        repo.mark(first.id, State.CREATED, NOW, rackbeat_id="1")
        repo.mark(second.id, State.FAILED, NOW, message="no")
        repo.mark(third.id, State.CREATED, NOW, rackbeat_id="3")
        assert repo.finish(import_id, attempt, Status.DONE, NOW)
        assert repo.requeue(import_id, "U1", NOW, failed=True)
        assert not repo.requeue(import_id, "U1", NOW, failed=True)  # not finished now
        assert [r.number for r in repo.records_in(import_id, State.PENDING)] == ["2"]
