"""The account snapshot of an onboarding: read it, keep it, say how old it is.

Pure of Slack. A read that fails (an outage, a refusal, an answer that is not what Rackbeat
documents) is logged with the list that failed, recorded beside the last good snapshot and
never replaces it: the checks go on with the last snapshot and the reply says how old it is,
never a silent "ok".
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TypeVar

from core.account.model import AccountSnapshot
from core.account.orders import open_orders
from core.account.ports import SealedCredentials
from core.account.reader import AccountReadFailed, ReadStats, read_account
from core.account.repository import AccountRepository
from core.credentials import NetvisorCredentials, RackbeatCredentials, SecretBox
from core.errors import ConfigurationError
from core.registers.account import AccountFacts
from core.sources.rackbeat import RackbeatClient
from core.sources.upstreams import Upstreams
from core.store.models import AuditEvent, Onboarding
from core.store.uow import UnitOfWorkFactory
from core.upstream import Source, SourceRejected, SourceUnavailable

log = logging.getLogger(__name__)

C = TypeVar("C", RackbeatCredentials, NetvisorCredentials)


@dataclass(frozen=True)
class ReadFailure:
    list_name: str
    code: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class AccountView:
    """What ``/rackbeat account`` shows (no snapshot data opened)."""

    connected: bool
    company: str | None = None
    read_at: datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)
    failure: ReadFailure | None = None
    """The latest read failed (after ``read_at``): the snapshot shown is older."""
    orders: list[tuple[str, str]] | None = None
    orders_read_at: datetime | None = None
    orders_failure: str | None = None

    @property
    def has_snapshot(self) -> bool:
        return self.read_at is not None


@dataclass(frozen=True)
class CheckAccount:
    """The snapshot a file check uses, and whether it could be brought up to date."""

    snapshot: AccountSnapshot | None
    failure: ReadFailure | None
    facts: AccountFacts | None = None
    """The snapshot as the register checks take it (``None`` without a snapshot)."""


CACHED_SNAPSHOTS = 8
"""Snapshots kept ready for checks per process: opening a 50,000-product snapshot and building
its frames costs more than checking a large file against it, and files come in series."""


class AccountService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        upstreams: Upstreams,
        box: SecretBox | None,
        credentials: SealedCredentials,
        *,
        clock: Callable[[], datetime],
        max_age: timedelta,
    ) -> None:
        self._uow = uow
        self._upstreams = upstreams
        self._box = box
        self._stored = credentials
        self._clock = clock
        self.max_age = max_age
        self._locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()
        self._ready: OrderedDict[tuple[int, datetime], tuple[AccountSnapshot, AccountFacts]] = (
            OrderedDict()
        )

    # -- reading what is stored -----------------------------------------------------------

    def view(self, onboarding_id: int) -> AccountView:
        connected = Source.RACKBEAT in self._stored.sealed(onboarding_id)
        with self._uow() as uow:
            row = uow.accounts.row(onboarding_id)
            if row is None:
                return AccountView(connected)
            failure = (
                ReadFailure(
                    row.failed_list, row.failed_code or "", row.failed_reason or "", row.failed_at
                )
                if row.failed_list and row.failed_at
                else None
            )
            return AccountView(
                connected,
                row.company,
                row.read_at,
                AccountRepository.counts(row),
                failure,
                AccountRepository.orders(row) if row.open_orders is not None else None,
                row.orders_read_at,
            )

    def unknown_references(self, onboarding_id: int) -> list[str]:
        """References in the latest uploaded files that the account does not have."""
        with self._uow() as uow:
            return uow.accounts.unknown_references(onboarding_id)

    def valuation(self, onboarding_id: int) -> str | None:
        """The valuation method recorded in the onboarding (Rackbeat's API does not show it)."""
        with self._uow() as uow:
            row = uow.onboardings.by_id(onboarding_id)
            return row.valuation_method if row is not None else None

    def snapshot(self, onboarding_id: int) -> AccountSnapshot | None:
        with self._uow() as uow:
            row = uow.accounts.row(onboarding_id)
            return AccountRepository.snapshot(row) if row is not None else None

    # -- reading Rackbeat -----------------------------------------------------------------

    def refresh(self, onboarding_id: int, actor: str | None = None) -> AccountView:
        """Read the account now (``actor`` is audited when a person asked for it)."""
        self._read(onboarding_id, actor)
        return self.view(onboarding_id)

    def for_checks(self, onboarding_id: int) -> CheckAccount | None:
        """The snapshot for a file check, read again first when older than ``max_age``;
        ``None`` without a Rackbeat connection (the checks then run as before)."""
        view = self.view(onboarding_id)
        if not view.connected:
            return None
        failure: ReadFailure | None = None
        read_at = view.read_at
        if read_at is None or self._clock() - read_at > self.max_age:
            failure = self._read(onboarding_id, None, only_if_older=self.max_age)
            read_at = self.view(onboarding_id).read_at
        if read_at is None:
            return CheckAccount(None, failure)
        snapshot, facts = self._prepared(onboarding_id, read_at)
        return CheckAccount(snapshot, failure, facts)

    def _prepared(
        self, onboarding_id: int, read_at: datetime
    ) -> tuple[AccountSnapshot | None, AccountFacts | None]:
        key = (onboarding_id, read_at)
        with self._guard:
            found = self._ready.get(key)
            if found is not None:
                self._ready.move_to_end(key)
                return found
        snapshot = self.snapshot(onboarding_id)
        if snapshot is None:
            return None, None
        facts = snapshot.facts()
        with self._guard:
            self._ready[(onboarding_id, snapshot.read_at)] = (snapshot, facts)
            while len(self._ready) > CACHED_SNAPSHOTS:
                self._ready.popitem(last=False)
        return snapshot, facts

    def _read(
        self, onboarding_id: int, actor: str | None, only_if_older: timedelta | None = None
    ) -> ReadFailure | None:
        with self._lock(onboarding_id):
            if only_if_older is not None:
                # Another thread may have read it while this one waited for the lock.
                read_at = self.view(onboarding_id).read_at
                if read_at is not None and self._clock() - read_at <= only_if_older:
                    return None
            try:
                client = self._rackbeat(onboarding_id)
                stats = ReadStats()
                snapshot = read_account(client, self._clock, stats)
            except AccountReadFailed as error:
                return self._failed(onboarding_id, error.list_name, error.code, error.reason)
            with self._uow() as uow:
                uow.accounts.save(onboarding_id, snapshot)
                if actor is not None:
                    onboarding = uow.onboardings.by_id(onboarding_id)
                    assert onboarding is not None
                    uow.onboardings.add_audit(_audit(onboarding, actor, self._clock(), snapshot))
                uow.commit()
            log.info(
                "account of onboarding %s read: %d requests, %d products",
                onboarding_id,
                stats.requests,
                snapshot.count("products"),
            )
            return None

    def _failed(self, onboarding_id: int, list_name: str, code: str, reason: str) -> ReadFailure:
        now = self._clock()
        log.warning(
            "could not read %s from Rackbeat for onboarding %s (%s): %s; the last good "
            "snapshot is kept",
            list_name,
            onboarding_id,
            code,
            reason,
        )
        with self._uow() as uow:
            uow.accounts.record_failure(onboarding_id, list_name, code, reason, now)
            uow.commit()
        return ReadFailure(list_name, code, reason, now)

    def read_orders(self, onboarding_id: int) -> AccountView:
        """Netvisor's open sales orders, stored for the ``previous_orders`` step."""
        credentials = self._credentials(onboarding_id, Source.NETVISOR, NetvisorCredentials)
        if credentials is None:
            return self.view(onboarding_id)
        client = self._upstreams.netvisor(credentials)
        try:
            with self._upstreams.netvisor_lock(credentials):
                orders = open_orders(client)
        except (SourceRejected, SourceUnavailable) as error:
            log.warning("could not read Netvisor's sales orders: %s", error.reason)
            view = self.view(onboarding_id)
            return replace(view, orders_failure=error.reason)
        with self._uow() as uow:
            uow.accounts.save_orders(onboarding_id, orders, self._clock())
            uow.commit()
        return self.view(onboarding_id)

    # -- machinery --------------------------------------------------------------------------

    def _lock(self, onboarding_id: int) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(onboarding_id, threading.Lock())

    def _rackbeat(self, onboarding_id: int) -> RackbeatClient:
        credentials = self._credentials(onboarding_id, Source.RACKBEAT, RackbeatCredentials)
        if credentials is None:
            raise AccountReadFailed(
                "self", "not_connected", "Rackbeat is not connected.", rejected=True
            )
        return self._upstreams.rackbeat(credentials)

    def _credentials(self, onboarding_id: int, source: Source, kind: type[C]) -> C | None:
        sealed = self._stored.sealed(onboarding_id).get(source)
        if sealed is None:
            return None
        if self._box is None:
            raise AccountReadFailed(
                "self",
                "secret_key",
                "SECRET_KEY is not set: stored credentials are unusable.",
                rejected=True,
            )
        try:
            return self._box.open(sealed, kind)
        except ConfigurationError as error:
            raise AccountReadFailed("self", "secret_key", error.code, rejected=True) from error


def _audit(row: Onboarding, actor: str, at: datetime, snapshot: AccountSnapshot) -> AuditEvent:
    return AuditEvent(
        onboarding_id=row.id,
        team_id=row.team_id,
        channel_id=row.channel_id,
        actor=actor,
        at=at,
        action="account.refresh",
        subject="rackbeat",
        new_value=f"{snapshot.company}: {snapshot.count('products')} products, "
        f"{snapshot.count('customers')} customers, {snapshot.count('suppliers')} suppliers",
    )
