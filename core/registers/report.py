"""Reports of a checked file: the full error report CSV and issues grouped for reading.

Every cell that echoes a value from the user's file is escaped against CSV injection: a
spreadsheet runs a cell beginning with `=`, `+`, `-`, `@`, tab or CR as a formula (OWASP,
"CSV Injection"), so such cells get a leading apostrophe.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import polars as pl

from core.registers import values
from core.registers.codes import CODES
from core.registers.model import FileResult, Severity

REPORT_COLUMNS = ("row", "column", "value", "code", "severity", "message")
BOM = "\ufeff".encode()


def write_error_report(result: FileResult, out: BinaryIO | Path | None = None) -> bytes | None:
    """Every issue of ``result`` as CSV (UTF-8 with BOM, `;`, CRLF), sorted by row.

    Columns: row, column, value, code, severity, message. Returns the bytes when ``out`` is
    None, else writes to the path or binary stream.
    """
    issues = result.all_issues
    if issues is None:
        issues = pl.DataFrame(
            [i.to_json() for i in result.issues],
            schema={
                "row": pl.Int64,
                "column": pl.String,
                "code": pl.String,
                "value": pl.String,
                "message": pl.String,
                "severity": pl.String,
            },
        )
    severities = {code: c.severity.value for code, c in CODES.items()}
    table = issues.select(
        pl.col("row"),
        pl.col("column"),
        values.escape_formula(pl.col("value")).alias("value"),
        pl.col("code"),
        pl.col("code").replace_strict(severities, default="error").alias("severity"),
        values.escape_formula(pl.col("message")).alias("message"),
    )
    buffer = io.BytesIO()
    buffer.write(BOM)
    table.write_csv(buffer, separator=";", line_terminator="\r\n", quote_style="necessary")
    return _deliver(buffer.getvalue(), out)


def _deliver(data: bytes, out: BinaryIO | Path | None) -> bytes | None:
    if out is None:
        return data
    if isinstance(out, Path):
        out.write_bytes(data)
    else:
        out.write(data)
    return None


def row_ranges(rows: list[int] | pl.Series, limit: int = 12) -> str:
    """`[5, 9, 17, 18, 19, 20]` → `5, 9, 17–20`; past ``limit`` ranges, `…` and the last one,
    so the span shown is always the real one (`2, 4, …, 301`)."""
    ordered = pl.Series("row", rows, dtype=pl.Int64).unique().sort()
    if ordered.is_empty():
        return ""
    # A range starts where the step from the previous row is not 1, and ends before the next
    # start: computed on the whole column, so a 100,000-row group costs no Python loop.
    starts_here = ordered.diff().fill_null(0) != 1
    starts = ordered.filter(starts_here).to_list()
    ends = ordered.filter(starts_here.shift(-1, fill_value=True)).to_list()
    parts = [str(a) if a == b else f"{a}–{b}" for a, b in zip(starts, ends, strict=True)]
    if len(parts) > limit:
        return ", ".join(parts[:limit]) + ", …, " + parts[-1]
    return ", ".join(parts)


@dataclass(frozen=True)
class IssueGroup:
    """Issues of one code in one column: how many, which rows, a few example values."""

    code: str
    column: str | None
    severity: Severity
    count: int
    rows: str
    samples: tuple[str, ...]
    message: str  # the first issue's message (file-level issues are listed one by one)


def group_issues(result: FileResult, limit: int = 15) -> tuple[list[IssueGroup], int]:
    """Issues grouped by (code, column), errors first; returns (groups, groups left out).

    File-level issues (no row) each form their own group, since their messages differ.
    """
    issues = result.all_issues
    if issues is None or issues.height == 0:
        return [], 0
    groups: list[IssueGroup] = []
    file_level = issues.filter(pl.col("row").is_null())
    for _, column, code, value, message in file_level.iter_rows():
        groups.append(
            IssueGroup(
                code, column, CODES[code].severity, 1, "", (value,) if value else (), message
            )
        )
    per_row = issues.filter(pl.col("row").is_not_null())
    summary = per_row.group_by("code", "column", maintain_order=True).agg(
        pl.len().alias("count"),
        pl.col("row").alias("rows"),
        pl.col("value").drop_nulls().unique(maintain_order=True).head(3).alias("samples"),
        pl.col("message").first().alias("message"),
    )
    for code, column, count, rows, samples, message in summary.iter_rows():
        groups.append(
            IssueGroup(
                code, column, CODES[code].severity, count, row_ranges(rows), tuple(samples), message
            )
        )
    groups.sort(key=lambda g: g.severity != Severity.ERROR)
    return groups[:limit], max(0, len(groups) - limit)
