"""Bytes of an input file, read in blocks, and their conversion to UTF-8 blocks."""

from __future__ import annotations

import codecs
from collections.abc import Iterator

from core.registers.model import FileInput
from core.registers.sniff import MIXED_PREFIX

BLOCK = 4 * 1024 * 1024
HEAD = 64 * 1024


class ByteSource:
    """Reads a ``FileInput`` (bytes in memory or a path) in blocks, as often as needed."""

    def __init__(self, file: FileInput) -> None:
        self._file = file

    def head(self, size: int = HEAD) -> bytes:
        if self._file.data is not None:
            return self._file.data[:size]
        assert self._file.path is not None
        with self._file.path.open("rb") as fh:
            return fh.read(size)

    def blocks(self, size: int | None = None) -> Iterator[bytes]:
        # BLOCK is read at each call, not bound as a default: tests shrink it to cut small
        # files at many places.
        size = size or BLOCK
        if self._file.data is not None:
            data = self._file.data
            view = memoryview(data)
            for start in range(0, len(data), size):
                yield bytes(view[start : start + size])
            return
        assert self._file.path is not None
        with self._file.path.open("rb") as fh:
            while chunk := fh.read(size):
                yield chunk


class Utf8Stats:
    """What transcoding noticed: replacement characters for undecodable bytes, and the lines
    of a mixed file that were not UTF-8."""

    def __init__(self) -> None:
        self.replaced = 0
        self.legacy_lines = 0


def utf8_blocks(
    source: ByteSource, codec: str, bom_len: int, *, cr_only: bool, stats: Utf8Stats
) -> Iterator[bytes]:
    """The file's content as UTF-8 byte blocks, without the BOM.

    UTF-8 passes through untouched (the fast path); other encodings are decoded incrementally
    (so a character split across blocks is fine) and re-encoded. Old Mac files that end lines
    with CR only get LF.
    """
    blocks = _without_bom(source, bom_len)
    if codec in ("utf-8", "utf-8-sig") and not cr_only:
        yield from blocks
        return
    if codec.startswith(MIXED_PREFIX):
        yield from _mixed_blocks(blocks, codec, cr_only, stats)
        return
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    for block in blocks:
        yield _finish(decoder.decode(block), cr_only, stats)
    tail = decoder.decode(b"", final=True)
    if tail:
        yield _finish(tail, cr_only, stats)


def _mixed_blocks(
    blocks: Iterator[bytes], codec: str, cr_only: bool, stats: Utf8Stats
) -> Iterator[bytes]:
    """A file pasted together from UTF-8 and legacy exports, decoded line by line (a line cut
    by the block boundary waits for its end)."""
    carry = b""
    for block in blocks:
        data = carry + block
        cut = max(data.rfind(b"\n"), data.rfind(b"\r")) + 1
        carry = data[cut:]
        if cut:
            yield _finish(_mixed_text(data[:cut], codec, stats), cr_only, stats)
    if carry:
        yield _finish(_mixed_text(carry, codec, stats), cr_only, stats)


def _mixed_text(data: bytes, codec: str, stats: Utf8Stats) -> str:
    legacy = codec.removeprefix(MIXED_PREFIX)
    lines = []
    for line in data.splitlines(keepends=True):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode(legacy, errors="replace"))
            stats.legacy_lines += 1
    return "".join(lines)


def _without_bom(source: ByteSource, bom_len: int) -> Iterator[bytes]:
    blocks = source.blocks()
    first = next(blocks, b"")
    if first[bom_len:]:
        yield first[bom_len:]
    yield from blocks


def _finish(text: str, cr_only: bool, stats: Utf8Stats) -> bytes:
    stats.replaced += text.count("\ufffd")
    if cr_only:
        text = text.replace("\r", "\n")
    return text.encode("utf-8")
