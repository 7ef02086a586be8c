"""The files an import leaves in the thread: the result and the preview's diff.

Same conventions as the error report (``core.registers.report``): UTF-8 with BOM, ``;``,
CRLF, and every cell that echoes the user's data or Rackbeat's words escaped against CSV
injection (a leading ``'`` before ``=``, ``+``, ``-``, ``@``, tab or CR).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from core.imports.planner import Change
from core.imports.repository import JournalRecord
from core.registers.report import BOM
from core.registers.values import FORMULA_START

_FORMULA = re.compile(FORMULA_START)
RESULT_HEADER = ("row", "number", "outcome", "rackbeat_id", "message")
DIFF_HEADER = ("row", "number", "field", "in_rackbeat", "in_file")


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if _FORMULA.search(text) else text


def _csv(header: tuple[str, ...], rows: Iterable[Iterable[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return BOM + buffer.getvalue().encode("utf-8")


def result_csv(records: Iterable[JournalRecord]) -> bytes:
    """``row;number;outcome;rackbeat_id;message``, one line per record of the file."""
    return _csv(
        RESULT_HEADER,
        (
            (r.row, r.number, r.state.value, r.rackbeat_id or "", r.message or "")
            for r in sorted(records, key=lambda r: r.row)
        ),
    )


def diff_csv(changes: Iterable[Change]) -> bytes:
    """``row;number;field;in_rackbeat;in_file``: what an update would change."""
    return _csv(DIFF_HEADER, ((c.row, c.number, c.field, c.current, c.new) for c in changes))
