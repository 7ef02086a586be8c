"""Fixtures of the onboarding service tests: a migrated database (SQLite always, PostgreSQL
when `TEST_DATABASE_URL` is set), a clock the test moves, and the service."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from core.onboarding.numbering_gate import NumberingStatusProvider
from core.onboarding.service import OnboardingService
from core.store.database import create_database_engine, migrate
from core.store.uow import unit_of_work_factory
from core.tenancy import Actor, Channel


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 8, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db(database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


ServiceFactory = Callable[..., OnboardingService]


@pytest.fixture
def make_service(db: Engine, clock: Clock) -> ServiceFactory:
    """A new service on the same database: a "restart" when called again."""

    def build(numbering: NumberingStatusProvider | None = None) -> OnboardingService:
        return OnboardingService(unit_of_work_factory(db), numbering=numbering, clock=clock)

    return build


@pytest.fixture
def service(make_service: ServiceFactory) -> OnboardingService:
    return make_service()


HERE = Channel("T_ACME", "C_ONBOARD")
ANN = Actor("U_ANN")  # starts the onboarding: the owner
BOB = Actor("U_BOB")  # a colleague
EVE = Actor("U_EVE")  # just reading the channel
ADMIN = Actor("U_ADMIN", is_workspace_admin=True)
