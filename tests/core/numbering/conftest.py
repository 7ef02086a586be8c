"""Fixtures of the numbering service tests: a migrated database with one onboarding, a clock
the test moves, local Rackbeat and Netvisor, the service, and a notifier that records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine

from bot.upstreams import build_numbering
from core.numbering.checker import Delivery
from core.numbering.service import NumberingService
from core.numbering.view import NumberingView
from core.store.database import create_database_engine, migrate
from core.store.models import Member, Onboarding, Workspace
from core.store.uow import UnitOfWorkFactory, unit_of_work_factory
from core.tenancy import Actor, Channel
from tests.fakes.world import FakeUpstreams, fake_upstreams

SECRET_KEY = "numbering-test-secret-key-0123456789"
OWNER = Actor("U_OWNER")
STRANGER = Actor("U_STRANGER")
WHERE = Channel("T1", "C1")
INTERVAL = timedelta(minutes=60)


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 8, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class RecordingNotifier:
    deliveries: list[Delivery] = field(default_factory=list)
    checked_views: list[NumberingView] = field(default_factory=list)
    fail: int = 0

    def deliver(self, delivery: Delivery) -> str:
        if self.fail:
            self.fail -= 1
            raise RuntimeError("slack is down")
        self.deliveries.append(delivery)
        return f"{len(self.deliveries)}.000100"

    def checked(self, view: NumberingView) -> None:
        self.checked_views.append(view)

    @property
    def keys(self) -> list[tuple[str, str, str]]:
        return [(d.kind.value, d.series.value, d.level.value) for d in self.deliveries]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db(database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


def add_onboarding(uow: UnitOfWorkFactory, where: Channel, now: datetime) -> int:
    with uow() as unit:
        if unit.session.get(Workspace, where.team_id) is None:
            unit.session.add(Workspace(team_id=where.team_id, created_at=now))
            unit.session.flush()
        row = Onboarding(
            team_id=where.team_id,
            channel_id=where.channel_id,
            company_name="Testi Oy",
            owner_id=OWNER.user_id,
            created_at=now,
            updated_at=now,
        )
        row.members = [Member(user_id=OWNER.user_id, role="owner", added_by="x", added_at=now)]
        unit.session.add(row)
        unit.commit()
        return row.id


@pytest.fixture
def uow(db: Engine, clock: Clock) -> UnitOfWorkFactory:
    factory = unit_of_work_factory(db)
    add_onboarding(factory, WHERE, clock())
    return factory


@pytest.fixture
def world() -> Iterator[FakeUpstreams]:
    with fake_upstreams() as upstreams:
        yield upstreams


@pytest.fixture
def service(
    uow: UnitOfWorkFactory, clock: Clock, world: FakeUpstreams
) -> Iterator[NumberingService]:
    built = build_numbering(
        uow,
        clock,
        rackbeat_url=world.rackbeat.url,
        netvisor_url=world.netvisor.url,
        secret_key=SecretStr(SECRET_KEY),
        interval=INTERVAL,
    )
    yield built
    built.close()


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()
