"""What later files are checked against: keys and tracking flags of registers seen before.

In an onboarding the bot keeps, per register, the snapshot of the latest error-free file. For
inventory the keys are the products that got a balance: their batch/serial setting can no
longer change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from core.registers.model import Register


@dataclass(frozen=True)
class Snapshot:
    """Keys of one register (sorted, unique) and, for products, their tracking flags.

    ``batch`` and ``serial`` list the product numbers with batch tracking / serial numbers.
    """

    register: Register
    keys: pl.Series
    batch: pl.Series = field(default_factory=lambda: pl.Series([], dtype=pl.String))
    serial: pl.Series = field(default_factory=lambda: pl.Series([], dtype=pl.String))

    def __len__(self) -> int:
        return self.keys.len()

    def flags(self) -> pl.DataFrame:
        """number, batch, serial for every key."""
        return pl.DataFrame({"number": self.keys}).with_columns(
            batch=pl.col("number").is_in(self.batch.implode()),
            serial=pl.col("number").is_in(self.serial.implode()),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "register": self.register.value,
            "keys": self.keys.to_list(),
            "batch": self.batch.to_list(),
            "serial": self.serial.to_list(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Snapshot:
        return cls(
            Register(data["register"]),
            pl.Series(data.get("keys", []), dtype=pl.String),
            pl.Series(data.get("batch", []), dtype=pl.String),
            pl.Series(data.get("serial", []), dtype=pl.String),
        )


@dataclass(frozen=True)
class KnownRegisters:
    """Snapshots by register; immutable, ``with_snapshot`` returns a new one."""

    snapshots: Mapping[Register, Snapshot] = field(default_factory=dict)

    def get(self, register: Register) -> Snapshot | None:
        return self.snapshots.get(register)

    def with_snapshot(self, snapshot: Snapshot) -> KnownRegisters:
        return KnownRegisters({**self.snapshots, snapshot.register: snapshot})

    def without(self, register: Register) -> KnownRegisters:
        return KnownRegisters({k: v for k, v in self.snapshots.items() if k is not register})

    def to_json(self) -> dict[str, Any]:
        return {reg.value: snap.to_json() for reg, snap in self.snapshots.items()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> KnownRegisters:
        return cls({Register(k): Snapshot.from_json(v) for k, v in data.items()})
