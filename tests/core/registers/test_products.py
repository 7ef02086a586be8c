"""Products: numbers, prices, barcodes, flags."""

from __future__ import annotations

import pytest
from stdnum import ean

from core.registers import FileInput
from core.registers.normalize import write_normalized
from tests.core.registers.conftest import PRODUCTS_HEADER, found, run_check


def one_row(row: str, extra_header: str = "") -> set[tuple[int | None, str | None, str]]:
    return found(run_check(f"{PRODUCTS_HEADER}{extra_header}\n{row}\n"))


@pytest.mark.parametrize(
    "price",
    [
        "0",
        "12,50",
        "12.50",
        "1 234,50",
        "1\u00a0234,50",
        "1\u202f234,50",
        "1\u2009234,50",
        "1 234 567",
        "'12,50",
        "+3",
        "1.234,50",
        "12.345.678,9",
        "1,234.50",
        "1,234,567",
        "1.234.567",
    ],
)
def test_accepted_prices(price: str) -> None:
    assert one_row(f"1;A;1;{price};1") == set()


@pytest.mark.parametrize(
    ("price", "written"),
    [("1.234,50", "1234,50"), ("1,234.50", "1234,50"), ("1.234.567", "1234567"), ("12,5", "12,5")],
)
def test_grouped_prices_are_written_without_groups_in_the_normalized_file(
    price: str, written: str
) -> None:
    data = f"{PRODUCTS_HEADER}\n1;A;1;{price};1\n".encode()
    result = run_check(data)
    out = write_normalized(FileInput("p.csv", data=data), result)
    assert out is not None
    assert out.decode("utf-8-sig").splitlines()[1] == f"1;A;1;{written};1"


@pytest.mark.parametrize(
    "price",
    ["12,50 €", "1,234,56", "1.234,567.8", "1 2345,00", "abc", "12..5", "1e5", "1.23,50", "1,2.50"],
)
def test_prices_that_are_not_numbers(price: str) -> None:
    assert one_row(f"1;A;1;{price};1") == {(2, "cost_price", "decimal_invalid")}


def test_zero_price_is_a_value_but_an_empty_price_is_missing() -> None:
    assert one_row("1;A;1;0;") == {(2, "sales_price", "required_missing")}


def test_negative_price_is_refused() -> None:
    assert one_row("1;A;1;-1,00;1") == {(2, "cost_price", "negative_value")}


def test_thousands_like_value_with_the_columns_other_mark_is_ambiguous() -> None:
    text = f"{PRODUCTS_HEADER}\n1;A;1;12,50;1\n2;B;1;1.234;1\n3;C;1;1,234;1\n4;D;1;3.5;1\n"
    assert found(run_check(text)) == {(3, "cost_price", "decimal_ambiguous")}


def test_decimal_mark_is_decided_per_column() -> None:
    text = f"{PRODUCTS_HEADER}\n1;A;1;12,50;1.50\n2;B;1;1,234;1.234\n"
    assert found(run_check(text)) == set()


@pytest.mark.parametrize(
    "barcode", ["73513537", "036000291452", "4006381333931", "6410000001008", "14006381333938"]
)
def test_valid_ean8_upc_ean13_and_gtin14(barcode: str) -> None:
    assert one_row(f"1;A;1;1;1;{barcode}", ";barcode") == set()


@pytest.mark.parametrize("barcode", ["73513536", "036000291453", "4006381333932", "14006381333937"])
def test_wrong_check_digit_is_reported_with_the_right_one(barcode: str) -> None:
    result = run_check(f"{PRODUCTS_HEADER};barcode\n1;A;1;1;1;{barcode}\n")
    assert found(result) == {(2, "barcode", "ean_checksum")}
    digit = result.issues[0].params["digit"]
    assert digit != barcode[-1] and ean.is_valid(barcode[:-1] + digit)


@pytest.mark.parametrize("barcode", ["12345", "123456789", "ABC12345", "641234567890123"])
def test_barcode_of_wrong_length_or_letters(barcode: str) -> None:
    assert one_row(f"1;A;1;1;1;{barcode}", ";barcode") == {(2, "barcode", "ean_invalid")}


@pytest.mark.parametrize("barcode", ["6,41235E+12", "6.41235E+12", "6,41235e+12", "6E+12"])
def test_a_barcode_in_scientific_notation_says_what_excel_did(barcode: str) -> None:
    result = run_check(f"{PRODUCTS_HEADER};barcode\n1;A;1;1;1;{barcode}\n")
    assert found(result) == {(2, "barcode", "excel_scientific")}
    assert result.issues[0].params == {}  # the code says it all: its words advise text cells


def test_a_product_number_in_scientific_notation_is_an_error() -> None:
    result = run_check(f"{PRODUCTS_HEADER}\n1,23457E+11;A;1;1;1\n")
    assert found(result) == {(2, "number", "excel_scientific")}
    assert not result.valid


@pytest.mark.parametrize(
    ("barcode", "full"), [("1234565", "01234565"), ("36000291452", "036000291452")]
)
def test_a_barcode_that_lost_its_leading_zero_names_the_full_code(barcode: str, full: str) -> None:
    result = run_check(f"{PRODUCTS_HEADER};barcode\n1;A;1;1;1;{barcode}\n")
    assert found(result) == {(2, "barcode", "ean_leading_zeros")}
    assert result.issues[0].params == {"guess": full}


def test_duplicate_numbers_point_at_the_first_row() -> None:
    result = run_check(f"{PRODUCTS_HEADER}\n7;A;1;1;1\n8;B;1;1;1\n7;C;1;1;1\n")
    assert found(result) == {(4, "number", "duplicate_number")}
    assert result.issues[0].params == {"first": "2"}


def test_number_longer_than_25_characters_and_non_numeric_numbers() -> None:
    assert one_row(f"{'1' * 26};A;1;1;1") == {(2, "number", "too_long")}
    assert one_row("AB-1;A;1;1;1") == {(2, "number", "product_number_not_numeric")}


def test_group_given_as_a_name_is_refused() -> None:
    assert one_row("1;A;Työkalut;1;1") == {(2, "group", "reference_not_number")}


def test_numbers_that_lost_leading_zeros_are_warned_about() -> None:
    text = f"{PRODUCTS_HEADER}\n000101;A;1;1;1\n000102;B;1;1;1\n103;C;1;1;1\n000104;D;1;1;1\n"
    result = run_check(text)
    assert found(result) == {(4, "number", "product_number_leading_zeros")}
    assert result.valid and result.issues[0].params == {"width": "6", "guess": "000103"}


@pytest.mark.parametrize("flag", ["1", "0", "yes", "No", "kyllä", "EI", "true", "x", "X", ""])
def test_accepted_yes_no_values(flag: str) -> None:
    assert one_row(f"1;A;1;1;1;{flag}", ";batch_tracking") == set()


def test_words_in_other_cases_and_grouped_prices_among_plain_rows_keep_their_rows() -> None:
    # Only some rows need case folding or ungrouping (done on those rows alone): each value
    # must land back on its own row.
    rows = [
        ("1", "1 234,50", "kyllä"),
        ("2", "12,50", "KYLLÄ"),
        ("3", "1.234,50", "ei"),
        ("4", "7", "No"),
        ("5", "1\u00a0000", ""),
        ("6", "3,25", "X"),
    ]
    body = "".join(f"{n};A;1;{price};1;{flag}\n" for n, price, flag in rows)
    data = f"{PRODUCTS_HEADER};batch_tracking\n{body}".encode()
    result = run_check(data)
    out = write_normalized(FileInput("p.csv", data=data), result)
    assert out is not None
    written = [line.split(";") for line in out.decode("utf-8-sig").splitlines()[1:]]
    assert [(r[0], r[3], r[5]) for r in written] == [
        ("1", "1234,50", "1"),
        ("2", "12,50", "1"),
        ("3", "1234,50", "0"),
        ("4", "7", "0"),
        ("5", "1000", ""),
        ("6", "3,25", "1"),
    ]


def test_other_yes_no_values_are_refused() -> None:
    assert one_row("1;A;1;1;1;maybe", ";serial_numbers") == {
        (2, "serial_numbers", "boolean_invalid")
    }


def test_text_that_starts_like_a_formula_is_a_warning() -> None:
    assert one_row("1;=HYPERLINK(1);1;1;1") == {(2, "name", "formula_like_text")}


def test_values_too_long_for_the_digit_parse_are_searched_in_a_batch_of_short_ones() -> None:
    # Past 19 characters the unsigned parse overflows: those rows alone are searched for a
    # non-digit, and the short ones beside them keep the parse's answer.
    digits, lettered = "1" * 22, "1" * 21 + "X"
    rows = [
        "100;A;7;1;1",
        f"{digits};B;{'2' * 20};1;1",
        f"{lettered};C;{'3' * 19}X;1;1",
        "+101;D;+4;1;1",
        "102 ;E; 5 ;1;1",
    ]
    result = run_check(PRODUCTS_HEADER + "\n" + "\n".join(rows) + "\n")
    assert found(result) == {
        (4, "number", "product_number_not_numeric"),
        (4, "group", "reference_not_number"),
        (5, "number", "product_number_not_numeric"),
        (5, "group", "reference_not_number"),
    }
