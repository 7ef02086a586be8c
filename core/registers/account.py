"""What the file checks need from a Rackbeat account: reference lists and existing records.

The account area (``core/account``) reads Rackbeat and builds this; ``validate --account``
builds it from a snapshot file. The register rules only ever see these plain facts, so they
stay free of HTTP and storage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from core.registers.model import Register

PRODUCT_FLAGS = ("has_stock", "batch_tracking", "serial_numbers")
"""Boolean columns of the products frame besides the register's own text columns."""


@dataclass(frozen=True)
class ReferenceEntry:
    number: str
    name: str


@dataclass(frozen=True)
class AccountFacts:
    """``lists``: reference lists by name (``product_groups``, ``units``, …).
    ``records``: existing products, customers and suppliers, one row per number, columns named
    like the register's canonical columns (all text), plus ``PRODUCT_FLAGS`` for products.
    """

    company: str
    lists: Mapping[str, tuple[ReferenceEntry, ...]]
    records: Mapping[Register, pl.DataFrame] = field(default_factory=dict)

    def numbers(self, register: Register) -> pl.Series:
        frame = self.records.get(register)
        if frame is None:
            return pl.Series("number", [], dtype=pl.String)
        return frame.get_column("number")
