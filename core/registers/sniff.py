"""Looking at the first bytes: refusals, encoding and delimiter.

Excel with a Finnish locale writes `;`-separated files in Windows-1252 ("CSV (semicolon)"),
UTF-8 with a BOM ("CSV UTF-8") or UTF-16 LE with a BOM and tabs ("Unicode text").
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable
from itertools import islice

from core.registers.errors import UnreadableFile

DELIMITERS = (";", ",", "\t", "|")

_MAGIC: list[tuple[bytes, str, str]] = [
    (b"PK\x03\x04", "spreadsheet", "It is a zip archive or an Excel workbook, not a CSV file."),
    (b"\xd0\xcf\x11\xe0", "spreadsheet", "It is an old Excel workbook (.xls), not a CSV file."),
    (b"%PDF", "binary", "It is a PDF document, not a CSV file."),
    (b"\x89PNG", "binary", "It is an image, not a CSV file."),
    (b"\xff\xd8\xff", "binary", "It is an image, not a CSV file."),
    (b"GIF8", "binary", "It is an image, not a CSV file."),
    (b"\x1f\x8b", "binary", "It is a compressed archive, not a CSV file."),
]

_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def bom_of(head: bytes) -> tuple[str | None, int]:
    """The encoding a byte-order mark announces and the mark's length."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name, len(bom)
    return None, 0


def refuse_non_csv(head: bytes) -> None:
    """Raise ``UnreadableFile`` for empty, binary and HTML content (checked on the first bytes)."""
    if not head.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise UnreadableFile("empty", "The file is empty.")
    for magic, code, reason in _MAGIC:
        if head.startswith(magic):
            raise UnreadableFile(code, reason)
    probe = head.lstrip(codecs.BOM_UTF8 + b" \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head")):
        # Slack answers a download without the files:read scope with a login page (200, HTML).
        raise UnreadableFile("html", "It is a web page (HTML), not the CSV file.")


def utf16_without_bom(head: bytes) -> str | None:
    """Guess UTF-16 without a BOM from the NUL bytes of ASCII text."""
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def looks_binary(text_head: str) -> bool:
    """Control characters other than tab/CR/LF in the decoded start of the file."""
    bad = sum(1 for ch in text_head if ord(ch) < 32 and ch not in "\t\r\n")
    return bad > 0


_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_BYTE_LIST = tuple(bytes([c]) for c in range(32) if c not in (9, 10, 13))


def first_control_line(blocks: Callable[[], Iterable[bytes]], encoding: str) -> int | None:
    """The first line (1-based) with a control character other than tab, CR and LF.

    The same judgement as ``looks_binary`` on the start, over the whole file: one stray byte
    deep in a file must not reach the import-ready copy when the same byte near the top gets
    the file refused. Byte-wise for one-byte encodings and UTF-8 (a byte below 0x20 is that
    character there), on decoded text for UTF-16/32. ``blocks`` gives the file's blocks each
    time it is called: lines are counted (a second read) only in a file that has such a byte.

    >>> first_control_line(lambda: [b"a;b\\n1;2\\n", b"3;\\x00\\n"], "utf-8")
    3
    """
    if encoding.startswith(("utf-16", "utf-32")):
        return _first_control_line_wide(blocks(), encoding)
    for index, block in enumerate(blocks()):
        if _has_control_byte(block):
            return _control_line(blocks, index, block)
    return None


def utf8_and_control_line(blocks: Callable[[], Iterable[bytes]]) -> tuple[bool, int | None]:
    """``is_utf8`` and ``first_control_line`` of a file without a byte-order mark, from one
    read of it instead of two: both judge the bytes as they are (a control byte is that same
    byte in UTF-8 and in the one-byte encodings, whichever the file turns out to be in).

    >>> utf8_and_control_line(lambda: [b"a;\\xc3", b"\\xa4\\n1;\\x01\\n"])
    (True, 2)
    """
    utf8 = _Utf8Check()
    found: tuple[int, bytes] | None = None
    for index, block in enumerate(blocks()):
        utf8.feed(block)
        if found is None and _has_control_byte(block):
            found = index, block
    line = _control_line(blocks, *found) if found is not None else None
    return utf8.valid(), line


def plain_utf8(head: bytes) -> bool:
    """Whether ``head`` (the start of a file) is UTF-8 without control bytes; a character cut
    by its end does not count against it."""
    return _Utf8Check().feed(head) and not _has_control_byte(head)


def _has_control_byte(block: bytes) -> bool:
    # One memchr search per control byte (29 of them) costs 1.4 ms for 4 MB, deleting them
    # all with ``translate`` and comparing lengths 2.3 ms, a regular expression about ten
    # times more. Files rarely have any, so every search usually runs to the end.
    return any(byte in block for byte in _CONTROL_BYTE_LIST)


def _control_line(blocks: Callable[[], Iterable[bytes]], index: int, block: bytes) -> int:
    """The line of the first control byte in ``block``, the ``index``-th block."""
    hit = _CONTROL_BYTES.search(block)
    assert hit is not None
    before = sum(b.count(b"\n") for b in islice(blocks(), index))
    return 1 + before + block.count(b"\n", 0, hit.start())


def _first_control_line_wide(blocks: Iterable[bytes], encoding: str) -> int | None:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    lines = 1
    for block in blocks:
        text = decoder.decode(block)
        found = _CONTROL_CHARS.search(text)
        if found:
            return lines + text.count("\n", 0, found.start())
        lines += text.count("\n")
    return None


def is_utf8(blocks: Iterable[bytes]) -> bool:
    """Whether the whole byte stream decodes as UTF-8 (checked block by block).

    polars checks a block about ten times faster than Python's decoder, by the same rules
    (no surrogates, no overlong forms, nothing past U+10FFFF). A character cut by the end of
    a block is carried to the next one.

    >>> is_utf8([b"ok \\xc3", b"\\xa4"]), is_utf8([b"cut \\xc3"]), is_utf8([b"\\xed\\xa0\\x80"])
    (True, False, False)
    """
    check = _Utf8Check()
    for block in blocks:
        if not check.feed(block):
            return False
    return check.valid()


class _Utf8Check:
    """UTF-8 validity of a byte stream fed block by block; a character cut by the end of a
    block is carried to the next one."""

    def __init__(self) -> None:
        self._carry = b""
        self._valid = True

    def feed(self, block: bytes) -> bool:
        """Whether the stream is still valid (once invalid, later blocks are not looked at)."""
        if not self._valid:
            return False
        data = self._carry + block if self._carry else block
        cut = _last_char_start(data)
        self._carry = data[cut:]
        self._valid = not cut or _valid_utf8(data[:cut])
        return self._valid

    def valid(self) -> bool:
        return self._valid and (not self._carry or _valid_utf8(self._carry))


def _last_char_start(data: bytes) -> int:
    """Where the last (maybe incomplete) character of ``data`` starts; ``len(data)`` when its
    last byte is ASCII or no lead byte is near the end (then the data is invalid anyway)."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return len(data)
        if byte & 0xC0 != 0x80:  # a lead byte
            return len(data) - back
    return len(data)


def _valid_utf8(data: bytes) -> bool:
    import polars as pl  # loaded with the engine anyway; sniffing alone should not need it

    try:
        pl.Series([data], dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.PolarsError:
        return False
    return True


MIXED_PREFIX = "utf-8+"
"""``utf-8+cp1252``: lines that are UTF-8 are read as such, the others in the legacy one."""


def has_utf8_characters(blocks: Iterable[bytes]) -> bool:
    """Whether a file that is not UTF-8 as a whole still has UTF-8 encoded letters (a file
    pasted together from two exports): read as one legacy encoding, they would be garbled.

    Decoding as UTF-8 replaces every byte that is not part of a well-formed character; what
    is left beyond ASCII are real UTF-8 letters. In Windows-1252 text such byte pairs are
    "Ã¤"-like letters that Finnish text never has. (In C: about 25 ms for 3.5 MB.)
    """
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    for block in blocks:
        if not decoder.decode(block).replace("\ufffd", "").isascii():
            return True
    return not decoder.decode(b"", final=True).replace("\ufffd", "").isascii()


def decode_text(data: bytes, encoding: str) -> str:
    """``data`` decoded, line by line for a mixed file (``MIXED_PREFIX``)."""
    if not encoding.startswith(MIXED_PREFIX):
        return data.decode(encoding, errors="replace")
    return "".join(decode_line(line, encoding) for line in data.splitlines(keepends=True))


def decode_line(line: bytes, encoding: str) -> str:
    """One line of a mixed file: UTF-8 if it is, else the legacy encoding."""
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode(encoding.removeprefix(MIXED_PREFIX), errors="replace")


def legacy_encoding(sample: bytes) -> str:
    """Windows-1252 or ISO-8859-15 for a file that is not UTF-8.

    They agree on ä, ö and å. Bytes 0x80–0x9F are printable only in Windows-1252 (€, quotes,
    dashes), so they decide; otherwise charset-normalizer chooses between the two, and
    Windows-1252 (what Excel writes on Finnish Windows) is the default.
    """
    if any(0x80 <= b <= 0x9F for b in sample):
        return "cp1252"
    from charset_normalizer import from_bytes  # ~15 ms to import: only files not in UTF-8

    best = from_bytes(sample, cp_isolation=["cp1252", "iso8859_15"]).best()
    if best is not None and best.encoding in ("iso8859_15", "latin_9"):
        return "iso-8859-15"
    return "cp1252"


_EXCEL_SEPARATOR = re.compile(r'"?sep=([;,\t|])"?[;,\t|]*(?:\r\n|\r|\n)', re.IGNORECASE)


def excel_separator(text_head: str) -> tuple[str, str] | None:
    r"""Excel's first line ``sep=;`` (it declares the delimiter and is not shown as a row):
    the delimiter and the line as written, or ``None``.

    >>> excel_separator("sep=;\r\nnumber;name\r\n")
    (';', 'sep=;\r\n')
    """
    found = _EXCEL_SEPARATOR.match(text_head)
    return None if found is None else (found.group(1), found.group(0))


def sniff_delimiter(text_head: str) -> str:
    """The delimiter that splits the first lines into the same number (>1) of fields.

    Decimal commas in data rows make `,` frequent; the header and the consistency of field
    counts decide, not raw frequency.
    """
    lines = text_head.splitlines(keepends=True)[:50]
    if len(text_head) >= 60_000 and len(lines) > 1:
        lines = lines[:-1]  # the last line of a cut sample may be partial
    best, best_score = ";", (-1.0, 0)
    for delim in DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO("".join(lines), newline=""), delimiter=delim)]
        except csv.Error:
            continue
        rows = [r for r in rows if any(cell.strip() for cell in r)]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        data = rows[1:] or rows
        agree = sum(1 for r in data if len(r) == width) / len(data)
        score = (agree, width)
        if score > best_score:
            best, best_score = delim, score
    return best
