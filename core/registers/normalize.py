"""The import-ready copy of an error-free file.

What it looks like, and why (docs/csv-formats.md has the user-facing version):

* UTF-8 with a BOM: Rackbeat's importer wants UTF-8, and Excel needs the BOM to show ä/ö/å.
* `;` between fields and `,` as decimal mark, no thousands separators: the file survives being
  opened and saved again by Excel in a Finnish (or Danish) locale, where `12.50` would turn
  into a date or text. ``decimal_mark="."`` writes points instead.
* Canonical headers, in the register's column order; only columns the file had.
* Dates as DD.MM.YYYY, yes/no as `1`/`0`, country names as ISO codes, IBAN/VAT/BIC compact.
* Any cell that a spreadsheet would run as a formula gets a leading apostrophe (CSV
  injection): free text, and codes too, since a product number, unit, batch or serial may start
  with `=` and is only warned about (and Excel's own `'` is dropped from codes when reading).
  Decimals, yes/no and dates are written from parsed values and cannot start a formula.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import BinaryIO

import polars as pl

from core.registers import values
from core.registers.columns import Kind
from core.registers.header import map_header
from core.registers.known import KnownRegisters
from core.registers.model import FileInput, FileResult
from core.registers.reading import iter_batches
from core.registers.report import BOM
from core.registers.rules import Context, rules_for
from core.registers.rules.base import b, d, t
from core.registers.source import Utf8Stats

_COMPACT = ("iban", "vat_number", "bic", "currency")


def write_normalized(
    file: FileInput,
    result: FileResult,
    out: BinaryIO | Path | None = None,
    *,
    decimal_mark: str = ",",
    delimiter: str = ";",
) -> bytes | None:
    """Write the normalized CSV of ``file`` (already checked into ``result``, no errors).

    Reads the file again, batch by batch, so memory stays flat. Returns the bytes when
    ``out`` is None.
    """
    if not result.valid or result.dialect is None or result.register is None:
        raise ValueError("only an error-free, checked file has a normalized copy")
    if isinstance(out, Path):
        with out.open("wb") as fh:
            _write(fh, file, result, decimal_mark, delimiter)
        return None
    if out is None:
        buffer = io.BytesIO()
        _write(buffer, file, result, decimal_mark, delimiter)
        return buffer.getvalue()
    _write(out, file, result, decimal_mark, delimiter)
    return None


def _write(
    sink: BinaryIO, file: FileInput, result: FileResult, decimal_mark: str, delimiter: str
) -> None:
    assert result.dialect is not None and result.register is not None
    header = result.header or map_header(result.register, result.dialect.header)
    rules = rules_for(header, Context(KnownRegisters(), None, date.today()))
    columns = rules.columns
    exprs = [_normalized(c.name, c.kind, decimal_mark) for c in columns]
    sink.write(BOM)
    sink.write((delimiter.join(c.name for c in columns) + "\r\n").encode())
    # Names the account resolved to numbers (``reference_by_name``) are written as numbers.
    replaced = [
        pl.col(column).replace(mapping)
        for column, mapping in result.replacements.items()
        if column in rules.present
    ]
    for batch in iter_batches(file, result.dialect, Utf8Stats()):
        prepared = rules.prepare(batch.frame, apostrophes=batch.apostrophes)
        if replaced:
            prepared = prepared.with_columns(replaced)
        prepared.select(exprs).write_csv(
            sink,
            include_header=False,
            separator=delimiter,
            line_terminator="\r\n",
            quote_style="necessary",
            null_value="",
        )


def _normalized(name: str, kind: Kind, mark: str) -> pl.Expr:
    col = pl.col(name)
    if kind == Kind.DECIMAL:
        return values.decimal_normalized(pl.col(t(name)), mark).alias(name)
    if kind == Kind.BOOL:
        return pl.col(b(name)).cast(pl.Int8).cast(pl.String).alias(name)
    if kind == Kind.DATE:
        return pl.col(d(name)).dt.strftime("%d.%m.%Y").alias(name)
    if name == "country":
        col = pl.col("country__v").str.split(":").list.last()
    elif name in _COMPACT:
        col = col.str.replace_all(r"[\s\-.]", "").str.to_uppercase()
    return values.escape_formula(col).alias(name)
