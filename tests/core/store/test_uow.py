"""The unit of work: typed repositories over its one session, and an outage as one error."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError

from core.onboarding.repository import OnboardingRepository
from core.store.errors import StoreUnavailable
from core.store.models import Workspace
from core.store.uow import UnitOfWorkFactory

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_repositories_are_built_once_per_unit_and_share_its_session(
    uow: UnitOfWorkFactory,
) -> None:
    with uow() as unit:
        assert isinstance(unit.onboardings, OnboardingRepository)
        assert unit.onboardings is unit.onboardings
        for repository in (
            unit.onboardings,
            unit.registers,
            unit.numbering,
            unit.imports,
            unit.accounts,
            unit.answers,
            unit.installations,
        ):
            assert repository.session is unit.session
        first = unit.onboardings
    with uow() as unit:
        assert unit.onboardings is not first


def test_a_database_that_is_gone_leaves_the_unit_as_store_unavailable(
    engine: Engine, uow: UnitOfWorkFactory
) -> None:
    folder = Path(str(make_url(str(engine.url)).database)).parent
    engine.dispose()
    folder.rename(folder.with_name("away"))
    with pytest.raises(StoreUnavailable) as caught, uow() as unit:
        unit.session.execute(text("SELECT 1"))
    assert isinstance(caught.value.__cause__, OperationalError)


def test_a_broken_constraint_is_a_bug_and_passes_unchanged(uow: UnitOfWorkFactory) -> None:
    with pytest.raises(IntegrityError), uow() as unit:
        unit.session.add_all(
            [Workspace(team_id="T1", created_at=NOW), Workspace(team_id="T1", created_at=NOW)]
        )
        unit.commit()
