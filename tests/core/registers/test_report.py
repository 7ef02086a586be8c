"""Reports: JSON shape, counts, caps, the error report CSV, the normalized file."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest

from core.registers import (
    ISSUE_CAP,
    FileInput,
    validate_files,
    values,
    write_error_report,
    write_normalized,
)
from core.registers.report import group_issues, row_ranges
from tests.core.registers.conftest import PRODUCTS_HEADER, TODAY, run_check


def test_json_has_the_contract_shape() -> None:
    run = validate_files(
        [
            FileInput(
                "products.csv",
                data=f"{PRODUCTS_HEADER};barcode\n1;A;1;1;1;6412345678901\n".encode(),
            )
        ],
        today=TODAY,
    )
    doc = run.to_json()
    assert doc["valid"] is False
    entry = doc["files"][0]
    assert {
        "file",
        "register",
        "encoding",
        "delimiter",
        "rows",
        "error_count",
        "warning_count",
        "issues",
        "truncated",
    } <= set(entry)
    assert entry["issues"][0] == {
        "severity": "error",
        "row": 2,
        "column": "barcode",
        "code": "ean_checksum",
        "value": "6412345678901",
        "message": entry["issues"][0]["message"],
    }


def test_issues_are_capped_but_counts_are_complete() -> None:
    rows = "".join(f"{i};A;x;1;1\n" for i in range(ISSUE_CAP + 20))
    result = run_check(f"{PRODUCTS_HEADER}\n{rows}")
    assert result.truncated and len(result.issues) == ISSUE_CAP
    assert result.counts["reference_not_number"] == ISSUE_CAP + 20
    assert result.error_count == ISSUE_CAP + 20


def test_error_report_lists_every_issue_and_escapes_formulas() -> None:
    rows = "".join(f"{i};A;=cmd|' /C calc'!A0;1;1\n" for i in range(ISSUE_CAP + 5))
    result = run_check(f"{PRODUCTS_HEADER}\n{rows}")
    data = write_error_report(result)
    assert data is not None and data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == ["row", "column", "value", "code", "severity", "message"]
    assert len(table) == 1 + ISSUE_CAP + 5
    assert table[1][2].startswith("'=")


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_spreadsheets_would_run_are_escaped(cell: str) -> None:
    escaped = pl.select(values.escape_formula(pl.lit(cell))).item()
    assert escaped == "'" + cell
    assert pl.select(values.escape_formula(pl.lit("plain"))).item() == "plain"


def test_row_ranges_are_compact() -> None:
    assert row_ranges([5, 9, 17, 18, 19, 20]) == "5, 9, 17–20"
    # A cut list still ends with the real last row (issue 17: not "…" at row 200).
    assert row_ranges(list(range(2, 100, 2)), limit=3) == "2, 4, 6, …, 98"
    assert row_ranges(list(range(2, 302))) == "2–301"


def test_issues_group_by_code_and_column_errors_first() -> None:
    text = f"{PRODUCTS_HEADER};Väri\n1;A;x;1;1;r\n2;B;x;1;1;r\n3;=C;1;1;1;r\n"
    groups, left = group_issues(run_check(text))
    assert left == 0
    assert [(g.code, g.rows) for g in groups] == [
        ("reference_not_number", "2–3"),
        ("unknown_column", ""),
        ("formula_like_text", "4"),
    ]


def test_normalized_file_is_utf8_bom_semicolons_decimal_commas_canonical_headers() -> None:
    text = (
        "Tuotenumero;Nimi;Tuoteryhmä;Kustannushinta;Myyntihinta;Eräseuranta;Väri\r\n"
        "'001;Äes;1;1 234.50;12.5;kyllä;red\r\n"
        "2;=Hinta;1;0;3;;blue\r\n"
    )
    file = FileInput("tuotteet.csv", data=text.encode("cp1252"))
    result = validate_files([file], today=TODAY).files[0]
    assert result.valid
    out = write_normalized(file, result)
    assert out is not None and out.startswith(b"\xef\xbb\xbf")
    assert out.decode("utf-8-sig").splitlines() == [
        "number;name;group;cost_price;sales_price;batch_tracking",
        "001;Äes;1;1234,50;12,5;1",
        "2;'=Hinta;1;0;3;",
    ]


def test_normalized_copy_is_refused_for_a_file_with_errors() -> None:
    file = FileInput("p.csv", data=f"{PRODUCTS_HEADER}\n1;A;x;1;1\n".encode())
    result = validate_files([file], today=TODAY).files[0]
    with pytest.raises(ValueError, match="error-free"):
        write_normalized(file, result)
