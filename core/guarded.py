"""One guarded change with audit, for every area that changes an onboarding.

A change runs in one unit of work: the area loads the onboarding (row lock where the backend
has one), checks the actor's permission (``check_permission``), applies its change and adds
its audit rows; this module commits. Two writers at once: the database serialises them and
the onboarding's ``version`` column catches anything else. A ``StaleDataError`` makes the
change run again from a fresh read, so the second writer is judged on the state the first
one left, never on what it read before.

A refusal (``DomainError``) ends the attempt. The refusals an area audits are handed to
``record`` after the change's transaction has ended (rolled back), and the audit row
is written in a transaction of its own (``record_in_own_transaction``): the refusal still
reaches the user when that write fails.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError

from core.errors import DomainError
from core.language import Language, language_of
from core.store.errors import StoreUnavailable
from core.store.models import AuditEvent, Onboarding
from core.store.uow import UnitOfWork, UnitOfWorkFactory
from core.tenancy import Actor, Capability, Role, require

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_ATTEMPTS = 5


def run_guarded(
    uow: UnitOfWorkFactory,
    change: Callable[[UnitOfWork], T],
    *,
    record: Callable[[DomainError], None],
    audited: tuple[type[DomainError], ...] = (DomainError,),
    retry_on: tuple[type[Exception], ...] = (StaleDataError,),
    max_attempts: int = MAX_ATTEMPTS,
    what: object = "an onboarding",
) -> T:
    """Run ``change`` in a unit of work and commit; again from a fresh read when a
    concurrent writer made it stale (``retry_on``; at most ``max_attempts`` times). A refusal
    of an ``audited`` kind is handed to ``record`` once its transaction is over, then
    re-raised."""
    for attempt_no in range(1, max_attempts + 1):
        try:
            with uow() as unit:
                result = change(unit)
                unit.commit()
                return result
        except retry_on:
            # Another writer committed between our read and our write: decide again on
            # what they left.
            log.info("%s changed concurrently; deciding again", what)
            if attempt_no == max_attempts:
                raise
        except audited as refusal:
            record(refusal)
            raise
    raise AssertionError("unreachable")  # pragma: no cover


def check_permission(row: Onboarding, actor: Actor, capability: Capability) -> Role:
    """``actor``'s role on the onboarding ``row``, or ``PermissionDenied`` in its language."""
    return require(
        actor,
        capability,
        owner_id=row.owner_id,
        member_ids={member.user_id for member in row.members},
        language=onboarding_language(row),
    )


def onboarding_language(row: Onboarding) -> Language:
    return language_of(row.language)


def record_in_own_transaction(uow: UnitOfWorkFactory, event: AuditEvent) -> None:
    """Write the audit row of a refused attempt; losing it is logged, never raised."""
    try:
        with uow() as unit:
            unit.session.add(event)
            unit.commit()
    except (SQLAlchemyError, StoreUnavailable):
        log.exception(
            "could not record a refused attempt (%s) on %s", event.action, event.channel_id
        )
