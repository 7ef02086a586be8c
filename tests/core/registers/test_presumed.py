"""A file whose first 64 KB are plain UTF-8 is checked while the whole-file scan runs; what
the scan finds later in the file must give exactly what sniffing first gives."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

import core.registers.reading as reading
import core.registers.sniff as sniff
from core.registers import FileInput, UnreadableFile, validate_file, validate_files
from core.registers.engine import _validate_files
from core.registers.reading import sniff_dialect
from core.registers.source import HEAD
from tests.core.registers.conftest import PRODUCTS_HEADER, TODAY


def _products(rows: int, tail: bytes = b"") -> bytes:
    # Finnish letters in the first rows: the start of the file is UTF-8 with `ä` in it.
    lines = [PRODUCTS_HEADER] + [f"{i};Tuote ä {i};1;12,50;{i % 7 - 1}" for i in range(rows)]
    data = ("\n".join(lines) + "\n").encode()
    assert len(data) > HEAD
    return data + tail


def _unpresumed(file: FileInput) -> Any:
    """The reference: sniffing reads the whole file first, as it always has."""
    run = _validate_files(
        [file],
        sniff_dialect,
        known=None,
        valuation=None,
        override=None,
        hint=None,
        today=TODAY,
        progress=None,
        account=None,
    )
    return run.files[0]


def _scan_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names: list[str] = []
    real = sniff.utf8_and_control_line

    def spied(*args: Any) -> Any:
        names.append(threading.current_thread().name)
        return real(*args)

    monkeypatch.setattr(sniff, "utf8_and_control_line", spied)
    return names


def test_a_plain_utf8_file_is_checked_while_the_scan_runs_beside_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads = _scan_threads(monkeypatch)
    file = FileInput("p.csv", data=_products(4000))
    result = validate_file(file, today=TODAY)
    assert len(threads) == 1 and threads[0].startswith("scan")
    expected = _unpresumed(file)
    assert result.encoding == expected.encoding == "utf-8"
    assert result.counts == expected.counts and result.counts.get("negative_value")
    assert result.all_issues is not None and expected.all_issues is not None
    assert result.all_issues.rows() == expected.all_issues.rows()


def test_legacy_bytes_after_the_first_64_kb_give_what_sniffing_first_gives() -> None:
    # A Windows-1252 `ä` (0xE4) in a row far down: the file is a mix of UTF-8 and cp1252.
    file = FileInput("p.csv", data=_products(4000, b"9999;Tuote \xe4;1;1;1\n"))
    expected = _unpresumed(file)
    reported: list[int] = []
    run = validate_files([file], today=TODAY, progress=reported.append)
    result = run.files[0]
    assert result.encoding == expected.encoding == "utf-8+cp1252"
    assert result.counts == expected.counts
    assert result.all_issues is not None and expected.all_issues is not None
    assert result.all_issues.rows() == expected.all_issues.rows()
    # Checked twice, reported once: the count of rows never goes back.
    assert reported == sorted(set(reported)) and reported[-1] == result.rows


def test_a_control_byte_after_the_first_64_kb_is_refused_with_its_line() -> None:
    data = _products(4000, b"9999;bro\x00ken;1;1;1\n")
    file = FileInput("p.csv", data=data)
    with pytest.raises(UnreadableFile) as first:
        sniff_dialect(file)
    with pytest.raises(UnreadableFile) as presumed:
        validate_file(file, today=TODAY)
    assert (presumed.value.code, presumed.value.row) == (first.value.code, first.value.row)
    assert presumed.value.row == data.count(b"\n")  # the last line
    result = validate_files([file], today=TODAY).files[0]
    assert result.unreadable and result.issues[0].row == first.value.row


def test_a_file_on_disk_is_scanned_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(_products(4000, b"9999;Tuote \xe4;1;1;1\n"))
    result = validate_file(FileInput("p.csv", path=path), today=TODAY)
    assert result.encoding == "utf-8+cp1252"


def test_a_small_file_presumes_nothing() -> None:
    data = (PRODUCTS_HEADER + "\n1;A;1;1;1\n").encode()
    assert reading.presume_dialect(FileInput("p.csv", data=data)).confirm is None
