"""The clean rows of an error-free register file, as plain values for the API.

The same reading as the normalized copy (``core.registers.normalize``) but without what only a
spreadsheet needs: decimals with ``.``, booleans as ``True``/``False``, no formula escaping
(the values travel as JSON, never through a spreadsheet), and each row's spreadsheet number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from core.registers import values
from core.registers.columns import Kind
from core.registers.header import map_header
from core.registers.known import KnownRegisters
from core.registers.model import FileInput, FileResult, Register
from core.registers.reading import ROW, iter_batches
from core.registers.rules import Context, rules_for
from core.registers.rules.base import b, t
from core.registers.source import Utf8Stats

Value = str | bool | None
# Codes the checks accepted with spaces or dashes; the API gets them compact.
_COMPACT = ("iban", "vat_number", "bic", "currency")


@dataclass(frozen=True)
class SourceRow:
    """One data row: its spreadsheet row number and canonical column → value."""

    row: int
    values: dict[str, Value]

    @property
    def number(self) -> str:
        return str(self.values.get("number") or "")


def read_rows(file: FileInput, result: FileResult) -> tuple[Register, list[SourceRow]]:
    """The rows of ``file`` (checked into ``result``, without errors)."""
    if not result.valid or result.dialect is None or result.register is None:
        raise ValueError("only an error-free, checked file can be imported")
    # The header as the check read it (guessed and decided columns included).
    header = result.header or map_header(result.register, result.dialect.header)
    rules = rules_for(header, Context(KnownRegisters(), None, date.today()))
    exprs = [pl.col(ROW).cast(pl.Int64).alias(ROW)]
    for column in rules.columns:
        if column.kind == Kind.DECIMAL:
            exprs.append(values.decimal_normalized(pl.col(t(column.name)), ".").alias(column.name))
        elif column.kind == Kind.BOOL:
            exprs.append(pl.col(b(column.name)).alias(column.name))
        elif column.kind == Kind.DATE:
            exprs.append(pl.col(column.name).cast(pl.String).alias(column.name))
        elif column.name in _COMPACT:
            compact = pl.col(column.name).str.replace_all(r"[\s\-.]", "").str.to_uppercase()
            exprs.append(compact.alias(column.name))
        elif column.name == "country":
            exprs.append(pl.col("country__v").str.split(":").list.last().alias(column.name))
        else:
            exprs.append(pl.col(column.name).cast(pl.String).alias(column.name))
    # Names the account resolved to numbers (``reference_by_name``) are sent as numbers.
    replaced = [
        pl.col(column).replace(mapping)
        for column, mapping in result.replacements.items()
        if column in rules.present
    ]
    rows: list[SourceRow] = []
    for batch in iter_batches(file, result.dialect, Utf8Stats()):
        prepared = rules.prepare(batch.frame, apostrophes=batch.apostrophes)
        if replaced:
            prepared = prepared.with_columns(replaced)
        frame = prepared.select(exprs)
        for record in frame.iter_rows(named=True):
            row = int(record.pop(ROW))
            rows.append(SourceRow(row, {k: _value(v) for k, v in record.items()}))
    return result.register, rows


def _value(value: object) -> Value:
    if value is None or isinstance(value, bool):
        return value
    text = str(value)
    return text if text != "" else None
