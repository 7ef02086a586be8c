"""Unit of work: one transaction, rolled back unless committed, and the repositories over it.

Each area keeps its repository in ``core/<area>/repository.py``; the unit hands them out as
typed properties, built on first use and sharing the unit's session::

    with uow_factory() as uow:
        onboarding = uow.onboardings.for_channel(where)
        ...
        uow.commit()

``session`` stays for what no repository says (adding an audit row, tests).

An unreachable database surfaces as one ``StoreUnavailable`` (``core.store.errors``):
SQLAlchemy's ``OperationalError`` and ``InterfaceError`` (the database is down, unreachable,
or its files are gone) are turned into it when they leave the ``with`` block, the original
kept as its cause. Other database errors (a broken constraint) are bugs and pass unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from core.account.repository import AccountRepository
from core.imports.repository import ImportsRepository
from core.numbering.repository import NumberingRepository
from core.onboarding.repository import OnboardingRepository
from core.registers.repository import RegistersRepository
from core.store.answers import AnswersRepository
from core.store.errors import StoreUnavailable
from core.store.installations_repo import InstallationsRepository

# What SQLAlchemy raises when the database is away rather than the statement wrong.
AWAY = (OperationalError, InterfaceError)

R = TypeVar("R")


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None
        self._repositories: dict[Any, Any] = {}

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
        except AWAY as error:
            # Rolling back on a connection that is gone fails too; the first error is the
            # one to tell (it is translated below).
            if exc is None:
                raise StoreUnavailable(str(error)) from error
        finally:
            session.close()
            self._session = None
            self._repositories.clear()
        if isinstance(exc, AWAY):
            raise StoreUnavailable(str(exc)) from exc

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    def _repository(self, kind: Callable[[Session], R]) -> R:
        if kind not in self._repositories:
            self._repositories[kind] = kind(self.session)
        repository: R = self._repositories[kind]
        return repository

    # --- the areas' repositories ------------------------------------------------------------

    @property
    def onboardings(self) -> OnboardingRepository:
        return self._repository(OnboardingRepository)

    @property
    def registers(self) -> RegistersRepository:
        return self._repository(RegistersRepository)

    @property
    def numbering(self) -> NumberingRepository:
        return self._repository(NumberingRepository)

    @property
    def imports(self) -> ImportsRepository:
        return self._repository(ImportsRepository)

    @property
    def accounts(self) -> AccountRepository:
        return self._repository(AccountRepository)

    # --- infrastructure (``core/store``) ----------------------------------------------------

    @property
    def answers(self) -> AnswersRepository:
        return self._repository(AnswersRepository)

    @property
    def installations(self) -> InstallationsRepository:
        return self._repository(InstallationsRepository)


UnitOfWorkFactory = Callable[[], UnitOfWork]


def unit_of_work_factory(engine: Engine) -> UnitOfWorkFactory:
    """The factory `bot/` builds once and hands to handlers and jobs."""
    session_factory = sessionmaker(bind=engine, expire_on_commit=False)
    return lambda: UnitOfWork(session_factory)
