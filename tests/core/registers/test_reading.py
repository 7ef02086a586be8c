"""Reading: encodings, delimiters, quoting, line ends, spreadsheet row numbers, refusals."""

from __future__ import annotations

import codecs
import threading
from typing import Any

import polars as pl
import pytest

import core.registers.engine as engine
import core.registers.rules.base as rules_base
import core.registers.source as source
from core.registers import FileInput, UnreadableFile, validate_file, write_normalized
from core.registers.reading import sniff_dialect
from tests.core.registers.conftest import DATA, PRODUCTS_HEADER, found, run_check

ROWS = "1001;Sähkö;1;12,50;19,90\n1002;Öljy Åbo;1;3,00;4,00\n"


def names(result_text: bytes, encoding_name: str) -> None:
    dialect = sniff_dialect(FileInput("p.csv", data=result_text))
    assert dialect.encoding == encoding_name


def test_windows_1252_fixture_decodes_finnish_letters() -> None:
    result = run_check((DATA / "products_cp1252.csv").read_bytes(), "tuotteet.csv")
    assert result.encoding == "cp1252"
    assert result.register == "products"
    assert result.error_count == 0

    out = write_normalized(
        FileInput("t.csv", data=(DATA / "products_cp1252.csv").read_bytes()), result
    )
    assert out is not None
    text = out.decode("utf-8-sig")
    assert "Sähköjohto 3×1,5 mm²" in text and "Öljynsuodatin Åbo" in text


def test_utf16_with_bom_and_tabs_as_excel_unicode_text_writes() -> None:
    result = run_check((DATA / "customers_utf16.txt").read_bytes(), "asiakkaat.txt")
    assert (result.encoding, result.delimiter, result.register) == ("utf-16-le", "\t", "customers")
    assert result.rows == 2 and result.error_count == 0


def test_utf8_with_bom_and_commas() -> None:
    result = run_check((DATA / "suppliers_utf8_bom.csv").read_bytes(), "toimittajat.csv")
    assert (result.encoding, result.delimiter, result.register) == ("utf-8-sig", ",", "suppliers")


def test_iso_8859_15_netvisor_inventory_template_is_recognised() -> None:
    data = (DATA / "inventory_netvisor_iso8859_15.csv").read_bytes()
    result = run_check(data, "saldot.csv")
    assert result.register == "inventory"
    assert result.error_count == 0
    assert "ä" in "".join(result.dialect.header if result.dialect else ())


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_every_supported_encoding_reads_the_same_rows(encoding: str) -> None:
    data = (PRODUCTS_HEADER + "\n" + ROWS).encode(encoding)
    result = run_check(data, "p.csv")
    assert result.rows == 2 and result.error_count == 0


def test_windows_1252_euro_sign_decides_against_latin_9() -> None:
    data = (PRODUCTS_HEADER + ";description\n1;A;1;1;1;hinta 5 €\n").encode("cp1252")
    assert run_check(data).encoding == "cp1252"


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_delimiters_are_recognised(delimiter: str) -> None:
    rows = ["number", "name", "group", "cost_price", "sales_price"], ["1", "A", "1", "2", "3"]
    text = "\n".join(delimiter.join(r) for r in rows) + "\n"
    result = run_check(text)
    assert result.delimiter == delimiter and result.error_count == 0


def test_decimal_commas_do_not_fool_the_delimiter_sniffer() -> None:
    text = PRODUCTS_HEADER + "\n" + "1;A,B,C;1;12,50;1,5\n" * 3
    assert run_check(text).delimiter == ";"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_ends_lf_crlf_and_old_mac_cr(newline: str) -> None:
    text = newline.join([PRODUCTS_HEADER, "1;A;1;1;1", "2;B;x;1;1"]) + newline
    result = run_check(text)
    assert found(result) == {(3, "group", "reference_not_number")}


def test_quoted_line_breaks_keep_spreadsheet_row_numbers() -> None:
    text = PRODUCTS_HEADER + '\n1;"two\nlines";1;1;1\n2;"three\r\nlines\nhere";1;1;1\n3;C;x;1;1\n'
    result = run_check(text)
    assert found(result) == {(4, "group", "reference_not_number")}


def test_blank_rows_keep_their_number_and_trailing_blank_lines_are_ignored() -> None:
    text = PRODUCTS_HEADER + "\n1;A;1;1;1\n\n;;;;\n2;B;x;1;1\n\n\n\n"
    result = run_check(text)
    assert result.rows == 2
    assert found(result) == {(5, "group", "reference_not_number")}


def test_stray_quotes_fall_back_to_spreadsheet_reading_with_exact_rows() -> None:
    text = PRODUCTS_HEADER + '\n1;12" pipe;1;1;1\n2;B;1;1;1\n3;C;x;1;1\n4;"q""d";y;1;1\n'
    result = run_check(text)
    assert found(result) == {
        (4, "group", "reference_not_number"),
        (5, "group", "reference_not_number"),
    }


def test_row_with_more_fields_than_the_header_is_an_error() -> None:
    text = PRODUCTS_HEADER + "\n1;A;1;1;1\n2;B;1;1;1;surplus\n3;C;1;1;1;\n"
    result = run_check(text)
    assert found(result) == {(3, None, "extra_fields")}


def test_excel_leading_apostrophe_is_dropped_outside_free_text() -> None:
    text = PRODUCTS_HEADER + ";barcode\n'00123;'Name;'1;'12,50;1;'73513537\n"
    result = run_check(text)
    assert result.error_count == 0


def test_big_file_spans_many_blocks_with_exact_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "BLOCK", 256)
    lines = [PRODUCTS_HEADER]
    for i in range(500):
        name = f'"multi\nline {i}"' if i % 7 == 0 else f"Name {i}"
        group = "x" if i % 50 == 0 else "1"
        lines.append(f"{i};{name};{group};1;1")
    result = run_check("\n".join(lines) + "\n")
    assert result.rows == 500
    assert {r for r, _, _ in found(result)} == {i + 2 for i in range(0, 500, 50)}


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"\r\n\r\n", "empty"),
        (codecs.BOM_UTF8, "empty"),
        (PRODUCTS_HEADER.encode() + b"\r\n", "header_only"),
        (PRODUCTS_HEADER.encode(), "header_only"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 50, "spreadsheet"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "binary"),
        (b"\x00\x01\x02\x03binary\xff\xfe", "binary"),
        (b"<!DOCTYPE html><html><body>Sign in to Slack</body></html>", "html"),
        (b"hello world\nthis is not a register\n", "unknown_register"),
    ],
)
def test_files_that_are_not_register_csvs_are_refused_with_a_code(data: bytes, code: str) -> None:
    with pytest.raises(UnreadableFile) as refused:
        validate_file(FileInput("x.csv", data=data))
    assert refused.value.code == code
    assert refused.value.reason
    assert run_check(data).unreadable


def test_ambiguous_register_is_settled_by_the_file_name() -> None:
    text = CUSTOMERS + "\n1;A;1;1;14\n"
    assert run_check(text, "asiakkaat.csv").register == "customers"
    assert run_check(text, "toimittajat.csv").register == "suppliers"
    refused = run_check(text, "data.csv")
    assert refused.unreadable and "ambiguous_register" in refused.counts


def test_explicit_register_override_wins() -> None:
    text = CUSTOMERS + "\n1;A;1;1;14\n"
    assert run_check(text, "data.csv", register_override="suppliers").register == "suppliers"


CUSTOMERS = "number;name;group;vat_zone;payment_terms"


def test_a_file_mixing_utf8_and_windows_1252_lines_reads_each_line_right(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(source, "BLOCK", 16)  # lines cut by block boundaries, too
    data = (
        PRODUCTS_HEADER.encode()
        + "\n1;Sähköjohto;1;1;1\n".encode()
        + "2;Öljy € “lainaus”;1;1;1\n".encode("cp1252")
        + "3;Jäähdytin;1;1;1\n".encode()
    )
    file = FileInput("mixed.csv", data=data)
    result = validate_file(file)
    assert result.encoding == "utf-8+cp1252"
    assert {code for _, _, code in found(result)} == {"encoding_mixed"}
    assert result.valid
    normalized = write_normalized(file, result).decode("utf-8-sig")
    assert "Sähköjohto" in normalized and "Öljy € “lainaus”" in normalized
    assert "Jäähdytin" in normalized and "Ã" not in normalized


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_excel_sep_line_names_the_delimiter_and_is_no_row(codec: str) -> None:
    text = "sep=,\r\nnumber,name,group,cost_price,sales_price\r\n1,Sähkö,1,1,2\r\n2,B,x,1,1\r\n"
    file = FileInput("p.csv", data=text.encode(codec))
    result = validate_file(file)
    assert result.delimiter == "," and result.rows == 2
    assert found(result) == {(3, "group", "reference_not_number")}


def test_a_clean_file_with_excel_sep_line_gets_a_normalized_copy_without_it() -> None:
    file = FileInput("p.csv", data=b'"sep=;"\n' + PRODUCTS_HEADER.encode() + b"\n1;A;1;1;2\n")
    result = validate_file(file)
    assert result.valid
    lines = write_normalized(file, result).decode("utf-8-sig").splitlines()
    assert lines == ["number;name;group;cost_price;sales_price", "1;A;1;1;2"]


def test_a_control_byte_blocks_later_is_refused_with_its_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(source, "BLOCK", 64)  # the byte is many blocks into the file
    lines = [PRODUCTS_HEADER] + [f"{i};Name {i};1;1;1" for i in range(1, 600)]
    lines[500] = "500;Na\x00me;1;1;1"  # past the first 4k, which are looked at whole
    with pytest.raises(UnreadableFile) as refused:
        validate_file(FileInput("p.csv", data="\n".join(lines).encode()))
    assert (refused.value.code, refused.value.row) == ("binary", 501)


@pytest.mark.parametrize("block", [7, 8, 9, 10, 11])
def test_utf8_letters_cut_by_block_boundaries_are_still_utf8(
    monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    monkeypatch.setattr(source, "BLOCK", block)  # every cut through `ä`, `€` and `𝄞`
    data = (PRODUCTS_HEADER + "\n1;Sähkö € 𝄞;1;1;1\n2;Jäähdytin;1;1;1\n").encode()
    assert sniff_dialect(FileInput("p.csv", data=data)).encoding == "utf-8"
    broken = data.replace("Jää".encode(), b"J\xe4\xe4")  # one Windows-1252 line late on
    assert sniff_dialect(FileInput("p.csv", data=broken)).encoding == "utf-8+cp1252"


def test_checks_run_ahead_in_the_worker_find_what_one_batch_checked_in_order_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Many batches, issues of many kinds in each, the decimal mark decided by the first rows
    # (so later batches are checked ahead), and duplicates across batches.
    monkeypatch.setattr(source, "BLOCK", 512)
    lines = [PRODUCTS_HEADER + ";barcode;batch_tracking"]
    for i in range(400):
        price = ["12,50", "1.234", "-3", "1 234,50", "abc", "7"][i % 6]
        barcode = ["73513537", "73513538", "", "123"][i % 4]
        number = str(i % 150) if i % 9 else f"0{i}"
        lines.append(f"{number};=cmd{i};{'x' if i % 11 == 0 else 1};{price};1;{barcode};KYLLÄ")
    data = ("\n".join(lines) + "\n").encode()
    threads: set[str] = set()
    real = engine.run_checks

    def spied(*args: Any, **kwargs: Any) -> list[pl.DataFrame]:
        threads.add(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "run_checks", spied)  # in the worker
    monkeypatch.setattr(rules_base, "run_checks", spied)  # in the caller
    ahead = validate_file(FileInput("p.csv", data=data))
    assert any(name.startswith("prepare") for name in threads)  # the worker did check
    threads.clear()
    monkeypatch.setattr(source, "BLOCK", 1024 * 1024)  # one batch: nothing runs ahead
    in_order = validate_file(FileInput("p.csv", data=data))
    assert threads == {"MainThread"}
    assert ahead.counts == in_order.counts and len(ahead.counts) >= 8
    assert ahead.all_issues is not None and in_order.all_issues is not None
    assert ahead.all_issues.rows() == in_order.all_issues.rows()
