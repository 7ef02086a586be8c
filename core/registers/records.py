"""Cutting a UTF-8 byte stream into blocks that end on record boundaries.

A line break ends a record only outside quotes. With RFC 4180 quoting (a quote opens only at
the start of a field and closes only before a delimiter or line end) the quote count before a
line break tells: even means outside. ``regular`` says whether a block keeps to that rule; if
not, only the Python csv module (Excel's reading of stray quotes) can cut it, and the caller
switches to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

_QUOTE, _LF, _CR = 34, 10, 13


@dataclass(frozen=True)
class Block:
    data: bytes
    records: int  # records (lines outside quotes), including blank ones
    regular: bool


def _scan(buf: bytes, delim: int, final: bool) -> tuple[int, int, bool]:
    """(end of the last complete record, number of records up to it, quoting regular)."""
    if b'"' not in buf:
        last = buf.rfind(b"\n") + 1
        count = buf.count(b"\n", 0, last)
        if final and last < len(buf):
            return len(buf), count + 1, True
        return last, count, True
    import numpy as np  # only files with quotes need it; importing it costs ~0.15 s

    arr = np.frombuffer(buf, dtype=np.uint8)
    quotes = np.flatnonzero(arr == _QUOTE)
    newlines = np.flatnonzero(arr == _LF)
    outside = (np.searchsorted(quotes, newlines) & 1) == 0
    ends = newlines[outside]
    last = int(ends[-1]) + 1 if len(ends) else 0
    count = len(ends)
    if final and last < len(buf):
        last, count = len(buf), count + 1
    q = quotes[quotes < last]
    opens, closes = q[0::2], q[1::2]
    if len(q) % 2:
        return last, count, False
    prev = arr[opens[opens > 0] - 1]
    ok_open = bool(np.isin(prev, (delim, _LF, _QUOTE)).all())
    nxt_idx = closes + 1
    inside = nxt_idx < len(arr)
    nxt = arr[nxt_idx[inside]]
    ok_close = bool(np.isin(nxt, (delim, _LF, _CR, _QUOTE)).all())
    return last, count, ok_open and ok_close


def record_blocks(chunks: Iterator[bytes], delimiter: str) -> Iterator[Block]:
    """Re-cut ``chunks`` so that every block ends where a record ends."""
    delim = ord(delimiter)
    carry = b""
    for chunk in chunks:
        buf = carry + chunk if carry else chunk
        last, count, regular = _scan(buf, delim, final=False)
        if last == 0:
            carry = buf
            continue
        yield Block(buf[:last], count, regular)
        carry = buf[last:]
    if carry:
        last, count, regular = _scan(carry, delim, final=True)
        yield Block(carry, count, regular)


def split_first_record(buf: bytes) -> int:
    """Offset just past the first record of ``buf`` (``len(buf)`` if it has no end yet)."""
    pos = 0
    while True:
        nl = buf.find(b"\n", pos)
        if nl < 0:
            return len(buf)
        if buf.count(b'"', 0, nl) % 2 == 0:
            return nl + 1
        pos = nl + 1
