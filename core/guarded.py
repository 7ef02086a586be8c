"""One guarded change with audit, for every area that changes an onboarding.

A change runs in one unit of work: the area loads the onboarding (row lock where the backend
has one), checks the actor's permission (``check_permission``), applies its change and adds
its audit rows; this module commits. Two writers at once: the database serialises them and
the onboarding's ``version`` column catches anything else. A ``StaleDataError`` makes the
change run again from a fresh read, so the second writer is judged on the state the first
one left, never on what it read before.

``channel_onboarding`` is how every area finds the onboarding it changes, through the unit of
work's repository (no area imports another's repository).

A refusal (``DomainError``) ends the attempt. The refusals an area audits are handed to
``record`` after the change's transaction has ended (rolled back), and the audit row
is written in a transaction of its own (``record_in_own_transaction``): the refusal still
reaches the user when that write fails. The row keeps the refusal's code and its params
(``with_refusal``), never words: the history says it in the language of whoever reads it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError

from core.errors import DomainError, NotFound
from core.language import language_of
from core.store.errors import StoreUnavailable
from core.store.models import AuditEvent, Onboarding
from core.store.uow import UnitOfWork, UnitOfWorkFactory
from core.tenancy import Actor, Capability, Channel, Role, require

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


def channel_onboarding(
    uow: UnitOfWork, where: Channel, *, lock: bool = False, asker: Actor | None = None
) -> Onboarding:
    """The channel's onboarding (``lock``: with its row lock), or ``NotFound`` telling how to
    start one. Without an onboarding the error hook says it in the language the channel chose
    before (``/rackbeat language fi``); with ``asker``, in their Slack locale when the channel
    chose none."""
    repo = uow.onboardings
    row = repo.for_channel(where, lock=lock)
    if row is None:
        raise missing_onboarding(repo.channel_language(where), asker)
    return row


def missing_onboarding(chosen: str | None, asker: Actor | None) -> NotFound:
    """``NotFound`` for a channel without an onboarding; with ``asker``, to be said in the
    language the channel chose (``chosen``), else in the asker's Slack locale."""
    refusal = NotFound("onb.not_found")
    if asker is not None:
        refusal.for_reader(language_of(chosen or asker.locale))
    return refusal


def check_permission(row: Onboarding, actor: Actor, capability: Capability) -> Role:
    """``actor``'s role on the onboarding ``row``, or ``PermissionDenied``."""
    return require(
        actor,
        capability,
        owner_id=row.owner_id,
        member_ids={member.user_id for member in row.members},
    )


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


def with_refusal(event: AuditEvent, refusal: DomainError) -> AuditEvent:
    """``event`` carrying ``refusal`` as data: its code, and its params as JSON."""
    event.refusal_code = refusal.code
    event.refusal_params = {name: as_json(value) for name, value in refusal.params.items()}
    return event


def as_json(value: object) -> Any:
    """A refusal's parameter as JSON: an enum as its value, a datetime in ISO 8601, a
    sequence as a list; anything else that JSON cannot hold as its text.

    >>> as_json({"levels": (("order", "ok"),), "at": datetime(2026, 1, 2, 9, 5)})
    {'levels': [['order', 'ok']], 'at': '2026-01-02T09:05:00'}
    """
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [as_json(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
