"""Unit of work: one transaction, rolled back unless committed.

Repositories take the unit's session, so every area can add its own without this class
knowing about them::

    with uow_factory() as uow:
        onboarding = OnboardingRepository(uow.session).for_channel(team, channel)
        ...
        uow.commit()
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside a `with` block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._session_factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            session.rollback()
        finally:
            session.close()
            self._session = None

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


UnitOfWorkFactory = Callable[[], UnitOfWork]


def unit_of_work_factory(engine: Engine) -> UnitOfWorkFactory:
    """The factory `bot/` builds once and hands to handlers and jobs."""
    session_factory = sessionmaker(bind=engine, expire_on_commit=False)
    return lambda: UnitOfWork(session_factory)
