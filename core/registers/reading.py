"""Reading a register CSV: sniffing, the header row, and batches of rows as polars frames.

Batches come from polars' CSV reader (fast, multi-threaded) on record-aligned blocks. A block
that polars cannot read the way a spreadsheet would (extra fields, stray quotes, a row count
that differs from the record count) is read with Python's csv module instead, so row numbers
stay the spreadsheet's whatever the engine: the header is row 1, every record after it (blank
ones and ones with quoted line breaks included) is one row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from typing import Literal

import polars as pl

from core.registers import sniff
from core.registers.errors import UnreadableFile
from core.registers.model import FileInput
from core.registers.records import Block, record_blocks, split_first_record
from core.registers.source import HEAD, ByteSource, Utf8Stats, utf8_blocks

ROW = "__row"
_PY_BATCH = 50_000
# The most a header row may take; one longer than the first sniffed block is read whole.
HEADER_MAX = 4 * 1024 * 1024


@dataclass(frozen=True)
class Dialect:
    """How a file is written: everything needed to read it again (for the normalized copy)."""

    encoding: str
    bom_len: int
    """Bytes skipped before the first row: the byte-order mark and Excel's `sep=` line."""
    delimiter: str
    header: tuple[str, ...]
    header_row: int
    cr_only: bool


@dataclass
class Batch:
    """Rows of a file: column ``f<i>`` is the i-th field, ``__row`` the spreadsheet row."""

    frame: pl.DataFrame
    extra: list[tuple[int, str]] = field(default_factory=list)  # (row, surplus fields)
    next_row: int = 0  # the row number after this batch
    # False when no cell can start with Excel's apostrophe: the block read has no `'` at all
    # (one byte search, far cheaper than testing every value of every code column).
    apostrophes: bool = True


@dataclass(frozen=True)
class Sniffed:
    """A dialect, and what it presumes about the rest of the file."""

    dialect: Dialect
    confirm: Callable[[], bool] | None = None
    """Set when the dialect presumes, from the first 64 KB, that the whole file is UTF-8
    without control bytes: the scan of the whole file that says whether it is. None when
    nothing is presumed."""


def sniff_dialect(file: FileInput) -> Dialect:
    """Encoding, delimiter and header of ``file``; raises ``UnreadableFile`` for non-CSV."""
    return _sniff(file, presume=False).dialect


def presume_dialect(file: FileInput) -> Sniffed:
    """``sniff_dialect`` without reading a file whose start is plain UTF-8 to its end first:
    the dialect is the one that reading would give if the rest is plain UTF-8 too, and
    ``confirm`` is that reading, to run alongside (``core.registers.presumed``)."""
    return _sniff(file, presume=True)


def _sniff(file: FileInput, *, presume: bool) -> Sniffed:
    source = ByteSource(file)
    head = source.head(HEAD)
    sniff.refuse_non_csv(head)
    encoding, bom_len = sniff.bom_of(head)
    if encoding is None:
        encoding = sniff.utf16_without_bom(head)
    line: int | None = None
    confirm: Callable[[], bool] | None = None
    if encoding is None and presume and len(head) == HEAD and sniff.plain_utf8(head):
        encoding = "utf-8"
        confirm = partial(_plain_utf8_throughout, source)
    elif encoding is None:
        # No byte-order mark: one read of the whole file says both whether it is UTF-8 and
        # where a control byte is, if any (it is reported after the start is looked at).
        utf8, line = sniff.utf8_and_control_line(source.blocks)
        encoding = "utf-8" if utf8 else sniff.legacy_encoding(head)
        if not utf8 and sniff.has_utf8_characters(source.blocks()):
            encoding = sniff.MIXED_PREFIX + encoding
    else:
        line = sniff.first_control_line(
            lambda: _after(source, bom_len), encoding.removeprefix(sniff.MIXED_PREFIX)
        )
    text_head = sniff.decode_text(head[bom_len:], encoding)
    if sniff.looks_binary(text_head[:4096]):
        raise UnreadableFile("binary", "It is a binary file, not a CSV file.")
    if line is not None:
        raise UnreadableFile(
            "binary",
            f"Line {line} has control characters that text never has: the file is damaged or "
            "binary, not a CSV to import.",
            row=line,
        )
    declared = sniff.excel_separator(text_head)
    if declared is not None:
        # Excel's `sep=;` first line names the delimiter and is no row: Excel shows the
        # header as row 1. It is skipped like the byte-order mark.
        delimiter, sep_line = declared
        bom_len += len(sep_line.encode(_plain(encoding)))
        text_head = text_head[len(sep_line) :]
    cr_only = "\n" not in text_head and "\r" in text_head
    if cr_only:
        text_head = text_head.replace("\r", "\n")
    if declared is None:
        delimiter = sniff.sniff_delimiter(text_head)
    header, header_row, complete = _header(text_head, delimiter)
    if not complete and len(head) == HEAD:
        # Thousands of columns: the header row goes on past the sample. Read all of it, or
        # the columns after the cut would be reported missing although they are there.
        long_head = source.head(HEADER_MAX)
        text = sniff.decode_text(long_head[bom_len:], encoding)
        header, header_row, complete = _header(
            text.replace("\r", "\n") if cr_only else text, delimiter
        )
        if not complete and len(long_head) == HEADER_MAX:
            raise UnreadableFile(
                "not_text",
                f"The first row is longer than {HEADER_MAX // 2**20} MB: it is not the header "
                "row of a register CSV.",
            )
    return Sniffed(Dialect(encoding, bom_len, delimiter, header, header_row, cr_only), confirm)


def _plain_utf8_throughout(source: ByteSource) -> bool:
    return sniff.utf8_and_control_line(source.blocks) == (True, None)


def _plain(encoding: str) -> str:
    """The codec that encodes text as the file has it (no BOM, no mixed marker)."""
    codec = encoding.removeprefix(sniff.MIXED_PREFIX)
    return "utf-8" if codec == "utf-8-sig" else codec


def _after(source: ByteSource, skip: int) -> Iterator[bytes]:
    """The file's blocks without its first ``skip`` bytes (the byte-order mark)."""
    blocks = source.blocks()
    first = next(blocks, b"")
    yield first[skip:]
    yield from blocks


def _header(text_head: str, delimiter: str) -> tuple[tuple[str, ...], int, bool]:
    """The first non-blank row, its row number, and whether it ends within ``text_head``."""
    buffer = io.StringIO(text_head, newline="")
    reader = csv.reader(buffer, delimiter=delimiter)
    try:
        for index, row in enumerate(reader, start=1):
            if any(cell.strip() for cell in row):
                complete = text_head[: buffer.tell()].endswith(("\n", "\r"))
                return tuple(row), index, complete
    except csv.Error as exc:  # a header cell longer than the csv module's field limit
        raise UnreadableFile("not_text", f"The file cannot be read as CSV ({exc}).") from exc
    raise UnreadableFile("empty", "The file is empty.")


def iter_batches(file: FileInput, dialect: Dialect, stats: Utf8Stats) -> Iterator[Batch]:
    """The data rows after the header, in batches, every row numbered as a spreadsheet would."""
    source = ByteSource(file)
    chunks = utf8_blocks(
        source, dialect.encoding, dialect.bom_len, cr_only=dialect.cr_only, stats=stats
    )
    rest = _skip_header(chunks, dialect.header_row)
    width = len(dialect.header)
    next_row = dialect.header_row + 1
    blocks = record_blocks(rest, dialect.delimiter)
    for block in blocks:
        if not block.regular:
            # Stray quotes: only the csv module reads the rest as a spreadsheet does.
            tail = chain([block.data], (b.data for b in blocks))
            yield from _python_batches(tail, dialect.delimiter, width, next_row)
            return
        batch = _polars_batch(block, dialect.delimiter, width, next_row)
        if batch is not None:
            yield batch
            next_row += block.records
            continue
        for batch in _python_batches(iter([block.data]), dialect.delimiter, width, next_row):
            yield batch
            next_row = batch.next_row


def _skip_header(chunks: Iterator[bytes], header_row: int) -> Iterator[bytes]:
    buf = b""
    skipped = 0
    for chunk in chunks:
        buf += chunk
        while skipped < header_row:
            end = split_first_record(buf)
            if end == len(buf) and not buf.endswith(b"\n"):
                break
            buf = buf[end:]
            skipped += 1
        if skipped == header_row:
            break
    if skipped < header_row:
        return  # header only, without a line end
    if buf:
        yield buf
    yield from chunks


def _names(width: int) -> list[str]:
    return [f"f{i}" for i in range(width)]


def _polars_batch(block: Block, delimiter: str, width: int, first_row: int) -> Batch | None:
    names = _names(width)
    # A block is nearly always valid UTF-8 (a UTF-8 file is checked whole while sniffing, any
    # other encoding is re-encoded): polars' strict reader is a sixth faster than the lossy
    # one. A block it refuses is read again, replacing what is not UTF-8, as before.
    frame = _read_block(block.data, delimiter, names, "utf8")
    if frame is None:
        frame = _read_block(block.data, delimiter, names, "utf8-lossy")
    if frame is None or frame.height != block.records:
        return None
    rows = pl.int_range(first_row, first_row + frame.height, eager=True).alias(ROW)
    frame = frame.hstack([rows])  # no query: a column added as it is
    return Batch(frame, next_row=first_row + frame.height, apostrophes=b"'" in block.data)


def _read_block(
    data: bytes, delimiter: str, names: list[str], encoding: Literal["utf8", "utf8-lossy"]
) -> pl.DataFrame | None:
    try:
        return pl.read_csv(
            data,
            has_header=False,
            new_columns=names,
            schema=dict.fromkeys(names, pl.String),
            separator=delimiter,
            quote_char='"',
            encoding=encoding,
            raise_if_empty=False,
        )
    except (pl.exceptions.PolarsError, OSError):
        return None


def _python_batches(
    chunks: Iterator[bytes], delimiter: str, width: int, first_row: int
) -> Iterator[Batch]:
    lines = _text_lines(chunks)
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True)
    columns: list[list[str | None]] = [[] for _ in range(width)]
    rows: list[int] = []
    extra: list[tuple[int, str]] = []
    row = first_row
    for record in reader:
        if len(record) > width:
            surplus = record[width:]
            if any(cell.strip() for cell in surplus):
                extra.append((row, delimiter.join(surplus)))
        for i in range(width):
            columns[i].append(record[i] if i < len(record) and record[i] != "" else None)
        rows.append(row)
        row += 1
        if len(rows) >= _PY_BATCH:
            yield _frame(columns, rows, extra, row)
            columns, rows, extra = [[] for _ in range(width)], [], []
    if rows or extra:
        yield _frame(columns, rows, extra, row)


def _frame(
    columns: list[list[str | None]], rows: list[int], extra: list[tuple[int, str]], next_row: int
) -> Batch:
    data: dict[str, pl.Series] = {
        name: pl.Series(name, col, dtype=pl.String)
        for name, col in zip(_names(len(columns)), columns, strict=True)
    }
    data[ROW] = pl.Series(ROW, rows, dtype=pl.Int64)
    return Batch(pl.DataFrame(data), extra, next_row)


def _text_lines(chunks: Iterator[bytes]) -> Iterator[str]:
    """Lines as the csv module wants them (``newline=""``): CR, LF and CRLF kept at the end.

    Chunks end after an LF, so a CRLF pair is never split between two of them.
    """
    for chunk in chunks:
        yield from io.StringIO(chunk.decode("utf-8", errors="replace"), newline="")
