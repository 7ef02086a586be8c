"""What the import needs from the outside: the account's records and references, and writes.

``core.sources.rackbeat`` implements both against the REST API; the account snapshot of the
other open issue can back ``AccountReader`` later. Errors: ``RecordRejected`` is one record's
failure (422, or an update of a record that is gone); ``core.errors.UpstreamRejected`` means
the account refuses us (token revoked: the import stops, resumable);
``core.errors.UpstreamUnavailable`` is worth another try (``retry_after`` seconds if the answer
said so).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Protocol

from core.errors import DomainError
from core.registers.model import Register


class RecordRejected(DomainError):
    """Rackbeat refused this record; ``reason`` is its own message (kept in the result)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AccountReader(Protocol):
    def find_existing(self, register: Register, numbers: Collection[str]) -> dict[str, Any]:
        """The records of ``register`` among ``numbers`` that exist: number → record."""
        ...

    def reference_ids(self, path: str) -> dict[str, str]:
        """A reference list (``product-groups``, ``payment-terms``…): number → id."""
        ...


class RecordWriter(Protocol):
    def create_record(self, register: Register, body: dict[str, Any]) -> str:
        """Create the record; Rackbeat's id of it."""
        ...

    def update_record(self, register: Register, number: str, body: dict[str, Any]) -> str:
        """Update the record ``number``; Rackbeat's id of it."""
        ...

    def find_record(self, register: Register, number: str) -> dict[str, Any] | None:
        """One record by number (``None`` if there is none): did an earlier call reach it?"""
        ...


class RackbeatAccount(AccountReader, RecordWriter, Protocol):
    """Both sides of one connected account."""
