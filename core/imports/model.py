"""The words of the import: statuses, record states, modes, and the counts shown to people."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Mode(StrEnum):
    CREATE = "create"  # the default: records that exist in Rackbeat are left untouched
    UPDATE = "update"  # chosen explicitly in the preview: existing records with changes too


class Status(StrEnum):
    PREVIEWED = "previewed"  # waiting for a confirmation
    QUEUED = "queued"  # confirmed, not yet claimed by a runner
    RUNNING = "running"
    CANCELLING = "cancelling"  # asked to stop; the runner ends after the calls in flight
    CANCELLED = "cancelled"
    STOPPED = "stopped"  # could not go on (token revoked, Rackbeat away): resumable
    DONE = "done"
    SUPERSEDED = "superseded"  # its preview went stale (a newer file, a second preview)


# A runner may claim an import in these states (running: only once its lease ran out).
RUNNABLE = (Status.QUEUED, Status.RUNNING, Status.CANCELLING)
FINISHED = (Status.CANCELLED, Status.DONE, Status.SUPERSEDED)


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


class State(StrEnum):
    PENDING = "pending"
    SENT = "sent"  # written before the call: it may have reached Rackbeat
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"  # exists in Rackbeat, and the import only creates
    FAILED = "failed"


@dataclass(frozen=True)
class Counts:
    """Records per outcome; ``total`` is what the import sends (created + updated + failed +
    still to go), the rest were never meant to be sent."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    pending: int = 0  # pending or sent: not finished

    @property
    def done(self) -> int:
        return self.created + self.updated + self.failed

    @property
    def total(self) -> int:
        return self.done + self.pending

    @classmethod
    def of(cls, by_state: dict[str, int]) -> Counts:
        return cls(
            created=by_state.get(State.CREATED, 0),
            updated=by_state.get(State.UPDATED, 0),
            unchanged=by_state.get(State.UNCHANGED, 0),
            skipped=by_state.get(State.SKIPPED, 0),
            failed=by_state.get(State.FAILED, 0),
            pending=by_state.get(State.PENDING, 0) + by_state.get(State.SENT, 0),
        )
