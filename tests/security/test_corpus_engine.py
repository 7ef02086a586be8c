"""Every hostile file through the register engine: a clear answer, never a crash, and nothing
the bot writes (error report, normalized copy) carries a live spreadsheet formula."""

from __future__ import annotations

import json

import pytest

from core.registers import (
    FileInput,
    FileResult,
    UnreadableFile,
    validate_file,
    validate_files,
    write_normalized,
)
from handlers.blocks.issues import describe_issue, describer, error_report
from tests.security.corpus import (
    REFUSAL_CODES,
    committed,
    everything,
    large,
    live_formulas,
    make_corpus,
)

FILES = everything()


def test_the_corpus_has_at_least_fifty_files_each_small_except_the_large_ones() -> None:
    files = committed()
    assert len(files) >= 50
    assert sum(len(data) for data in files.values()) < 1_000_000
    big = {name for name, data in files.items() if len(data) > 64 * 1024}
    assert big <= {"ten_thousand_columns.csv"}
    assert all(len(data) >= 1024 * 1024 for data in large().values())


def test_the_committed_corpus_is_what_make_corpus_writes() -> None:
    assert committed() == make_corpus().build()


def check(name: str) -> FileResult:
    result = validate_files([FileInput(name, data=FILES[name])]).files[0]
    json.dumps(result.to_json(describer("en")))  # what the bot stores and the CLI prints
    if result.unreadable:
        (issue,) = result.issues
        assert issue.code in REFUSAL_CODES
        assert issue.severity.value == "error"
        assert all(len(describe_issue(issue, lang)) > 10 for lang in ("en", "fi"))
    else:
        assert result.register is not None
        assert result.rows > 0
        assert result.error_count + result.warning_count == sum(result.counts.values())
    return result


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_file_gets_a_clear_answer_and_no_live_formula_in_what_the_bot_writes(
    name: str,
) -> None:
    result = check(name)
    if result.unreadable:
        return
    for lang in ("en", "fi"):  # sentences and column names quote the file's own headers
        assert live_formulas(error_report(result, lang)) == []
    if result.valid:
        normalized = write_normalized(FileInput(name, data=FILES[name]), result)
        assert normalized is not None
        assert live_formulas(normalized) == []


@pytest.mark.parametrize("name", sorted(FILES))
def test_validate_file_refuses_only_with_the_documented_error(name: str) -> None:
    file = FileInput(name, data=FILES[name])
    try:
        result = validate_file(file)
    except UnreadableFile as refusal:
        assert refusal.code in REFUSAL_CODES
        assert refusal.reason
    else:
        assert result.register is not None


# What the file names promise.
EXPECTED_REFUSALS = {
    "binary_random_bytes.csv": "binary",
    "binary_nul_bytes_only.csv": "empty",
    "zip_archive_named.csv": "spreadsheet",
    "xlsx_workbook_named.csv": "spreadsheet",
    "old_xls_ole_workbook_named.csv": "spreadsheet",
    "png_image_named.csv": "binary",
    "pdf_document_named.csv": "binary",
    "gzip_compressed_csv_named.csv": "binary",
    "elf_executable_named.csv": "binary",
    "html_login_page_saved.csv": "html",
    "html_login_page_after_bom_and_blank_lines.csv": "html",
    "empty_zero_bytes.csv": "empty",
    "bom_only_utf8.csv": "empty",
    "bom_only_utf16le.csv": "empty",
    "only_blank_lines.csv": "empty",
    "only_whitespace.csv": "empty",
    "header_only_without_newline.csv": "header_only",
    "header_only_with_newline.csv": "header_only",
    "header_then_only_blank_lines.csv": "header_only",
    "huge_single_line_1mb.csv": "header_only",
    "unknown_register_header.csv": "unknown_register",
    "ambiguous_register_header.csv": "ambiguous_register",
}


@pytest.mark.parametrize("name", sorted(EXPECTED_REFUSALS))
def test_files_that_are_not_register_csvs_are_refused_for_the_right_reason(name: str) -> None:
    result = check(name)
    assert result.unreadable
    assert result.issues[0].code == EXPECTED_REFUSALS[name]


@pytest.mark.parametrize(
    "name",
    [
        "utf16le_without_bom.csv",
        "utf16be_without_bom.csv",
        "utf16le_with_bom_tabs.csv",
        "utf32le_with_bom.csv",
        "cr_only_line_endings.csv",
        "mixed_line_endings.csv",
        "double_utf8_bom.csv",
        "cp1252_finnish_excel.csv",
        "blank_lines_before_header.csv",
    ],
)
def test_odd_but_honest_encodings_and_line_ends_are_read(name: str) -> None:
    result = check(name)
    assert result.valid, result.to_json()


@pytest.mark.parametrize(
    "name",
    [
        "formula_injection_in_valid_file.csv",
        "formula_injection_after_excel_apostrophe.csv",
        "formula_injection_inventory.csv",
    ],
)
def test_formulas_in_codes_of_an_error_free_file_are_escaped_in_the_normalized_copy(
    name: str,
) -> None:
    result = check(name)
    assert result.valid, result.to_json()
    normalized = write_normalized(FileInput(name, data=FILES[name]), result)
    assert normalized is not None
    assert live_formulas(normalized) == []
    assert b"'=1+1" in normalized or b"'=HYPERLINK" in normalized


def test_a_ten_thousand_column_header_is_checked_and_reported() -> None:
    result = check("ten_thousand_columns.csv")
    assert result.register is not None and result.register.value == "products"
    assert result.counts["unknown_column"] == 10_000 - 5
    assert result.truncated


def test_a_required_column_after_the_first_64_kb_of_a_long_header_is_found() -> None:
    filler = ";".join(f"extra_{i}" for i in range(12_000))
    data = f"number;name;group;cost_price;{filler};sales_price\n1;A;1;1;{'x;' * 12_000}1\n"
    result = validate_file(FileInput("p.csv", data=data.encode()))
    assert "missing_column" not in result.counts
    assert result.counts["unknown_column"] == 12_000
    assert result.error_count == 0


@pytest.mark.parametrize(
    "header_tail",
    [
        ";x" * (5 * 1024 * 1024 // 2),  # millions of columns
        ";" + "x" * 5 * 1024 * 1024,  # one 5 MB header cell
    ],
    ids=["millions of columns", "one 5 MB cell"],
)
def test_a_header_row_longer_than_the_limit_is_refused_with_a_reason(header_tail: str) -> None:
    data = ("number;name;group;cost_price;sales_price" + header_tail + "\n1;A;1;1;1\n").encode()
    with pytest.raises(UnreadableFile) as refused:
        validate_file(FileInput("p.csv", data=data))
    assert refused.value.code == "not_text"
    assert "CSV" in refused.value.reason or "header" in refused.value.reason


def test_digits_of_other_scripts_are_not_numbers_for_rackbeat() -> None:
    result = check("y_tunnus_arabic_indic_and_fullwidth_digits_customers.csv")
    flagged = {(i.row, i.column) for i in result.issues if i.severity.value == "error"}
    # Arabic-Indic, Persian, full-width and Devanagari customer numbers, groups and zips.
    assert {(2, "number"), (3, "number"), (4, "number"), (5, "number")} <= flagged
    assert {(2, "group"), (4, "group"), (2, "business_id")} <= flagged
    barcode = "number;name;group;cost_price;sales_price;barcode\n1;A;1;1;1;٦٤١٠٠٠٠٠٠١٠٠٨\n"
    products = validate_file(FileInput("p.csv", data=barcode.encode()))
    assert products.counts == {"ean_invalid": 1}


def test_zero_width_characters_in_header_names_do_not_hide_the_column() -> None:
    result = check("zero_width_spaces.csv")
    assert "missing_column" not in result.counts
    assert "unknown_column" not in result.counts


def test_a_number_beyond_what_a_float_holds_is_not_a_valid_price() -> None:
    result = check("huge_numbers_1e308.csv")
    invalid = {i.value for i in result.issues if i.code == "decimal_invalid"}
    assert "9" * 400 in invalid
    assert "99999999999999999999999999999" not in invalid  # large, but a number
