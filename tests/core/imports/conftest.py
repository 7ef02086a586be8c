"""An import in the database against the fake Rackbeat over HTTP, for the runner's tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import pytest

from core.imports.model import Action, Counts, Mode, Status
from core.imports.payloads import payload
from core.imports.repository import ImportsRepository, ImportView, PlannedRecord
from core.imports.runner import RetryPlan, RunnerDeps
from core.imports.source import SourceRow
from core.registers.model import Register
from core.sources.rackbeat import RackbeatRecords
from core.sources.ratelimit import RequestGate, Unlimited
from core.store.database import create_database_engine, migrate
from core.store.models import Onboarding, Workspace
from core.store.uow import UnitOfWorkFactory, unit_of_work_factory
from tests.fakes.rackbeat import FakeRackbeat
from tests.fakes.world import Company, company

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@dataclass
class RecordingNotifier:
    progress_calls: list[Counts] = field(default_factory=list)
    progress_times: list[float] = field(default_factory=list)
    endings: list[tuple[Status, str | None, Counts]] = field(default_factory=list)

    def progress(self, view: ImportView, counts: Counts) -> None:
        self.progress_calls.append(counts)
        self.progress_times.append(time.monotonic())

    def finished(self, view: ImportView, counts: Counts, status: Status, code: str | None) -> None:
        self.endings.append((status, code, counts))


@pytest.fixture
def uow(database_url: str) -> Iterator[UnitOfWorkFactory]:
    """The journal on SQLite, and on PostgreSQL when ``TEST_DATABASE_URL`` is set."""
    engine = create_database_engine(database_url)
    migrate(engine)
    yield unit_of_work_factory(engine)
    engine.dispose()


@pytest.fixture
def rackbeat() -> Iterator[FakeRackbeat]:
    fake = FakeRackbeat().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def account(rackbeat: FakeRackbeat) -> Company:
    made = company(1)
    rackbeat.add_account(made.token)
    rackbeat.add_reference(made.token, "product-groups", "1", "Työkalut")
    return made


def rows(numbers: range | list[int]) -> list[SourceRow]:
    return [
        SourceRow(
            i + 2,
            {
                "number": str(n),
                "name": f"Tuote {n}",
                "group": "1",
                "cost_price": "12.50",
                "sales_price": "19.90",
            },
        )
        for i, n in enumerate(numbers)
    ]


def add_import(
    uow: UnitOfWorkFactory,
    source: list[SourceRow],
    *,
    mode: Mode = Mode.CREATE,
    actions: dict[str, Action] | None = None,
    confirm: bool = True,
) -> int:
    """A previewed (and by default confirmed) import of ``source`` products."""
    with uow() as unit:
        session = unit.session
        if session.get(Workspace, "T1") is None:
            session.add(Workspace(team_id="T1", created_at=NOW))
            session.flush()
            session.add(
                Onboarding(
                    team_id="T1",
                    channel_id="C1",
                    company_name="Acme",
                    owner_id="U1",
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
            session.flush()
        onboarding = session.query(Onboarding).one()
        repo = ImportsRepository(session)
        planned = [
            PlannedRecord(
                seq,
                row.row,
                row.number,
                (actions or {}).get(row.number, Action.CREATE),
                payload(Register.PRODUCTS, row, {}),
            )
            for seq, row in enumerate(source, start=1)
        ]
        import_id = repo.create_preview(
            onboarding_id=onboarding.id,
            team_id="T1",
            channel_id="C1",
            thread_ts="1.0",
            file_id="F1",
            file_name="products.csv",
            register="products",
            fingerprint="0" * 64,
            created_by="U1",
            records=planned,
            now=NOW,
        )
        if confirm:
            assert repo.confirm(import_id, mode, "U1", NOW)
        unit.commit()
    return import_id


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


def runner_deps(
    http: httpx.Client,
    uow: UnitOfWorkFactory,
    rackbeat: FakeRackbeat,
    account: Company,
    notifier: RecordingNotifier,
    *,
    gate: RequestGate | None = None,
    timeout: float = 5.0,
    concurrency: int = 4,
) -> RunnerDeps:
    def open_account(view: ImportView, stop: threading.Event) -> RackbeatRecords:
        return RackbeatRecords(
            rackbeat.url,
            account.rackbeat,
            gate or Unlimited(),
            http=http,
            timeout=httpx.Timeout(timeout),
            stop=stop,
        )

    return RunnerDeps(
        uow=uow,
        account=open_account,
        notifier=notifier,
        clock=lambda: datetime.now(UTC),
        concurrency=concurrency,
        retry=RetryPlan(attempts=4, base_delay=0.05, max_delay=0.2),
        progress_seconds=0.2,
    )
