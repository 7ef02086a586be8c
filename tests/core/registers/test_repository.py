"""CSV intake's persistence: one claim per file, known registers per onboarding."""

from __future__ import annotations

from datetime import UTC, datetime

from core.registers import FileInput, Register, Snapshot, validate_files
from core.registers.repository import RegistersRepository
from core.store.database import create_database_engine, migrate
from core.store.models import Onboarding, Workspace
from core.store.uow import UnitOfWorkFactory, unit_of_work_factory

NOW = datetime(2024, 5, 1, tzinfo=UTC)


def test_a_file_is_claimed_once(uow: UnitOfWorkFactory) -> None:
    with uow() as unit:
        repo = RegistersRepository(unit.session)
        first = repo.claim_file("T1", "F1", "C1", "a.csv", NOW)
        assert first is not None and repo.finish(first, "checked", NOW)
        again = repo.claim_file("T1", "F1", "C1", "a.csv", NOW)
        other_team = repo.claim_file("T2", "F1", "C1", "a.csv", NOW)
        unit.commit()
    assert again is None and other_team is not None


def _onboarding(unit: object) -> int:
    session = unit.session  # type: ignore[attr-defined]
    session.add(Workspace(team_id="T1", created_at=NOW))
    session.flush()
    onboarding = Onboarding(
        team_id="T1",
        channel_id="C1",
        company_name="Acme",
        owner_id="U1",
        created_at=NOW,
        updated_at=NOW,
    )
    session.add(onboarding)
    session.flush()
    return int(onboarding.id)


def test_known_registers_keep_the_latest_snapshot(uow: UnitOfWorkFactory) -> None:
    first = Snapshot.from_json({"register": "products", "keys": ["1", "2"], "serial": ["2"]})
    second = Snapshot.from_json({"register": "products", "keys": ["7"]})
    suppliers = Snapshot.from_json({"register": "suppliers", "keys": ["500"]})
    with uow() as unit:
        onboarding_id = _onboarding(unit)
        repo = RegistersRepository(unit.session)
        repo.remember(onboarding_id, first, "p.csv", 2, NOW)
        repo.remember(onboarding_id, suppliers, "s.csv", 1, NOW)
        unit.commit()
    with uow() as unit:
        known = RegistersRepository(unit.session).known(onboarding_id)
        assert known.get(Register.PRODUCTS) is not None
        assert known.get(Register.PRODUCTS).serial.to_list() == ["2"]  # type: ignore[union-attr]
        RegistersRepository(unit.session).remember(onboarding_id, second, "p2.csv", 1, NOW)
        unit.commit()
    with uow() as unit:
        known = RegistersRepository(unit.session).known(onboarding_id)
    assert known.get(Register.PRODUCTS).keys.to_list() == ["7"]  # type: ignore[union-attr]
    assert known.get(Register.SUPPLIERS).keys.to_list() == ["500"]  # type: ignore[union-attr]


def test_judged_before_lists_the_inventory_checked_since_the_previous_products(
    database_url: str,
) -> None:
    engine = create_database_engine(database_url)
    migrate(engine)
    factory = unit_of_work_factory(engine)
    products = b"number;name;group;cost_price;sales_price\n1;A;1;1;1\n"
    inventory = b"date;product;location;quantity;cost_price;reason\n01.01.2024;1;1;1;1;R\n"

    def checked(unit: object, repo: RegistersRepository, file_id: str, data: bytes) -> int:
        claim = repo.claim_file("T1", file_id, "C1", f"{file_id}.csv", NOW, thread_ts="1.1")
        assert claim is not None
        result = validate_files([FileInput(f"{file_id}.csv", data=data)]).files[0]
        repo.save_result(claim.id, onboarding_id, "T1", "C1", result, NOW)
        unit.session.flush()  # type: ignore[attr-defined]
        return claim.id

    try:
        with factory() as unit:
            onboarding_id = _onboarding(unit)
            repo = RegistersRepository(unit.session)
            checked(unit, repo, "INV0", inventory)  # before the first products: judged on none
            first_products = checked(unit, repo, "P1", products)
            checked(unit, repo, "INV1", inventory)
            checked(unit, repo, "INV2", inventory)
            second_products = checked(unit, repo, "P2", products)
            unit.commit()
        with factory() as unit:
            repo = RegistersRepository(unit.session)
            first = repo.judged_before(onboarding_id, "inventory", "products", first_products)
            second = repo.judged_before(onboarding_id, "inventory", "products", second_products)
        assert [c.file_id for c in first] == ["INV0"]
        assert [c.file_id for c in second] == ["INV2", "INV1"]
        assert all(c.was_valid and c.thread_ts == "1.1" for c in second)
    finally:
        engine.dispose()
