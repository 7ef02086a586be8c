"""The stored snapshot on SQLite and PostgreSQL: a failed read keeps the last good one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.account.model import AccountSnapshot, Reference
from core.account.repository import AccountRepository
from core.onboarding.orders_gate import open_orders_of
from core.store.database import create_database_engine, migrate
from core.store.models import Onboarding, Workspace
from core.store.uow import unit_of_work_factory

READ = datetime(2026, 12, 6, 14, 3, tzinfo=UTC)


def test_a_snapshot_survives_a_failed_read_and_is_replaced_by_the_next_good_one(
    database_url: str,
) -> None:
    engine = create_database_engine(database_url)
    migrate(engine)
    uow = unit_of_work_factory(engine)
    with uow() as unit:
        unit.session.add(Workspace(team_id="T1", created_at=READ))
        unit.session.flush()
        row = Onboarding(
            team_id="T1",
            channel_id="C1",
            company_name="Oy",
            owner_id="U1",
            created_at=READ,
            updated_at=READ,
        )
        unit.session.add(row)
        unit.commit()
        onboarding_id = row.id
    products = tuple(
        {
            "number": str(n),
            "name": f"Tuote {n}",
            "stock": "1",
            "batch_tracking": False,
            "serial_numbers": True,
        }
        for n in range(3000)
    )
    first = AccountSnapshot(
        "Oy", READ, {"units": (Reference("1", "kpl", 7),)}, {"products": products}
    )
    with uow() as unit:
        AccountRepository(unit.session).save(onboarding_id, first)
        unit.commit()
    later = READ + timedelta(hours=2)
    with uow() as unit:
        repo = AccountRepository(unit.session)
        repo.record_failure(onboarding_id, "customers", "http_503", "down", later)
        repo.save_orders(onboarding_id, [("5001", "open")], later)
        unit.commit()
    with uow() as unit:
        stored = AccountRepository(unit.session).row(onboarding_id)
        assert stored is not None
        kept = AccountRepository.snapshot(stored)
        assert kept is not None and kept.read_at == READ
        assert kept.count("products") == 3000 and kept.lists["units"][0].id == 7
        assert (stored.failed_list, stored.failed_at) == ("customers", later)
        assert AccountRepository.counts(stored)["products"] == 3000
        assert open_orders_of(unit.session, onboarding_id) == ("5001 (open)",)
    second = AccountSnapshot("Oy", later, {}, {})
    with uow() as unit:
        AccountRepository(unit.session).save(onboarding_id, second)
        unit.commit()
    with uow() as unit:
        stored = AccountRepository(unit.session).row(onboarding_id)
        assert stored is not None and stored.failed_list is None
        snapshot = AccountRepository.snapshot(stored)
        assert snapshot is not None and snapshot.read_at == later
    engine.dispose()
