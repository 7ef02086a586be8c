"""The stored credentials of the watch, as other areas and start-up need them.

``StoredCredentials`` hands the account snapshot (``core/account``) the sealed tokens it reads
with, through its port (``core.account.ports.SealedCredentials``); ``reseal_stored``
re-encrypts them after a ``SECRET_KEY`` rotation (docs/operations.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.credentials import SecretBox
from core.errors import ConfigurationError
from core.store.uow import UnitOfWorkFactory
from core.upstream import Source


class StoredCredentials:
    """The sealed (encrypted) credentials of an onboarding, by source."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    def sealed(self, onboarding_id: int) -> dict[Source, str]:
        with self._uow() as uow:
            stored = uow.numbering.credentials(onboarding_id)
            return {source: row.sealed for source, row in stored.items()}


@dataclass(frozen=True)
class Resealed:
    """What ``reseal_stored`` found: re-encrypted now, already current, opening with no key."""

    resealed: int
    current: int
    unreadable: int


def reseal_stored(uow: UnitOfWorkFactory, box: SecretBox) -> Resealed:
    """Re-encrypt under the current key every stored credential that opens only with a
    previous one, in one transaction (rows locked where the database can, so processes
    starting together take turns). Tokens no key opens are left as they are: the right key
    may still come back, and the numbering check names the cause meanwhile."""
    resealed = current = unreadable = 0
    with uow() as unit:
        for row in unit.numbering.every_credential(lock=True):
            if box.is_current(row.sealed):
                current += 1
                continue
            try:
                row.sealed = box.rotate(row.sealed)
            except ConfigurationError:
                unreadable += 1
            else:
                resealed += 1
        unit.commit()
    return Resealed(resealed, current, unreadable)
