"""Properties: no input makes the engine crash; normalized files re-validate clean; the fast
paths agree with the slow, obvious ones."""

from __future__ import annotations

import contextlib
import csv
import io
import re

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import ean

from core.registers import FileInput, UnreadableFile, validate_file, values, write_normalized
from core.registers.header import map_header
from core.registers.known import KnownRegisters
from core.registers.model import Register
from core.registers.reading import ROW, Batch, _polars_batch, _python_batches
from core.registers.records import record_blocks
from core.registers.rules import Context, rules_for
from tests.core.registers.conftest import PRODUCTS_HEADER, TODAY

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise_anything_but_a_refusal(data: bytes) -> None:
    with contextlib.suppress(UnreadableFile):
        validate_file(FileInput("x.csv", data=data), today=TODAY)


@SETTINGS
@given(st.binary(max_size=300))
def test_arbitrary_bytes_after_a_valid_header_never_raise(data: bytes) -> None:
    with contextlib.suppress(UnreadableFile):
        validate_file(FileInput("p.csv", data=PRODUCTS_HEADER.encode() + b"\n" + data), today=TODAY)


_text = st.text(
    alphabet=st.sampled_from(list("abcäöåÅ 019;,.'\"=-\t\u00a0€x")), min_size=0, max_size=12
)
_price = st.one_of(
    st.decimals(min_value=0, max_value=10**6, places=2).map(lambda d: str(d).replace(".", ",")),
    st.integers(0, 10**6).map(str),
)
_row = st.tuples(
    st.integers(1, 10**8).map(str),
    _text.filter(lambda s: s.strip()),
    st.integers(1, 99).map(str),
    _price,
    _price,
)


@SETTINGS
@given(
    st.lists(_row, min_size=1, max_size=20, unique_by=lambda r: r[0]),
    st.sampled_from([";", ",", "\t"]),
    st.sampled_from(["utf-8", "cp1252", "utf-16"]),
)
def test_normalized_file_revalidates_clean(
    rows: list[tuple[str, ...]], delim: str, enc: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delim, lineterminator="\r\n")
    writer.writerow(PRODUCTS_HEADER.split(";"))
    writer.writerows(rows)
    try:
        data = buffer.getvalue().encode(enc)
    except UnicodeEncodeError:
        return
    file = FileInput("products.csv", data=data)
    result = validate_file(file, today=TODAY, register_override=Register.PRODUCTS)
    if not result.valid:
        return
    normalized = write_normalized(file, result)
    assert normalized is not None
    again = validate_file(FileInput("products.csv", data=normalized), today=TODAY)
    assert again.valid and again.rows == result.rows
    assert write_normalized(FileInput("p.csv", data=normalized), again) == normalized


@SETTINGS
@given(st.from_regex(r"\A[0-9]{8}|[0-9]{12,14}\Z", fullmatch=True))
def test_vectorised_ean_check_agrees_with_stdnum(code: str) -> None:
    fast = pl.select(values.ean_check_valid(pl.lit(code))).item()
    assert fast == ean.is_valid(code)


_codes = st.one_of(
    st.from_regex(r"\A(?:[0-9]{8}|[0-9]{12,14})\Z", fullmatch=True),
    st.none(),
    st.sampled_from(["", "abc", "-12345670", "1e12"]),
)


@SETTINGS
@given(st.lists(_codes, min_size=1, max_size=40))
def test_vectorised_ean_check_agrees_with_stdnum_row_by_row_in_one_column(
    codes: list[str | None],
) -> None:
    # A column, not one value: each row must read its own chunks of the table.
    fast = pl.DataFrame({"code": codes}, schema={"code": pl.String}).select(
        values.ean_check_valid(pl.col("code"))
    )
    expected = [ean.is_valid(c) if c and c.isdigit() else None for c in codes]
    assert fast.to_series().to_list() == expected


# A lone CR inside quotes is read differently by every parser (Excel included): left out.
_cell = st.lists(st.sampled_from(["a", "b", "1", ";", '"', "\n", " ", "\r\n"]), max_size=5).map(
    "".join
)


@SETTINGS
@given(st.lists(st.lists(_cell, min_size=3, max_size=3), min_size=1, max_size=15))
def test_polars_and_csv_module_read_the_same_rows(rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(rows)
    data = buffer.getvalue().encode()
    slow = list(_python_batches(iter([data]), ";", 3, 2))
    expected = pl.concat([b.frame for b in slow]) if slow else None
    for block in record_blocks(iter([data[i : i + 7] for i in range(0, len(data), 7)]), ";"):
        del block  # cutting into blocks never raises, whatever the quotes
    blocks = list(record_blocks(iter([data]), ";"))
    assert len(blocks) == 1
    fast: Batch | None = _polars_batch(blocks[0], ";", 3, 2) if blocks[0].regular else None
    if fast is None or expected is None:
        return
    assert fast.frame.height == expected.height
    assert (
        fast.frame.select(pl.all().fill_null("")).rows()
        == expected.select(pl.all().fill_null("")).rows()
    )


def _decimal_text_unguarded(expr: pl.Expr) -> pl.Expr:
    """The obvious reading of a grouped decimal: every pattern tried on every value."""
    return (
        pl.when(expr.str.contains(values.GROUPED))
        .then(expr.str.replace_all("[ \u00a0\u202f\u2009]", ""))
        .when(expr.str.contains(values.DOT_GROUPED))
        .then(expr.str.replace_all(".", "", literal=True))
        .when(expr.str.contains(values.COMMA_GROUPED))
        .then(expr.str.replace_all(",", "", literal=True))
        .otherwise(expr)
    )


_separator = st.sampled_from([" ", "\u00a0", "\u202f", "\u2009", ".", ",", "  "])
# Grouped-looking numbers (`-1 234,5`, `1.234.567`, `12,345.6`) and near misses, plus noise.
_grouped = st.builds(
    lambda sign, head, groups, sep, tail: sign + head + "".join(sep + g for g in groups) + tail,
    st.sampled_from(["", "+", "-"]),
    st.from_regex(r"\A[0-9]{1,3}\Z", fullmatch=True),
    # Mostly whole groups of three, sometimes one digit short or over.
    st.lists(st.from_regex(r"\A[0-9]{3}\Z|\A[0-9]{2,4}\Z", fullmatch=True), max_size=3),
    _separator,
    st.one_of(st.just(""), st.from_regex(r"\A[.,][0-9]{1,3}\Z", fullmatch=True)),
)
_decimal = st.one_of(
    _grouped,
    st.text(alphabet=st.sampled_from(list("0123456789.,+- \u00a0\u202f\u2009x")), max_size=14),
)


@SETTINGS
@given(st.lists(st.one_of(st.none(), _decimal), min_size=1, max_size=40))
def test_guarded_decimal_text_agrees_with_every_pattern_on_every_value(
    cells: list[str | None],
) -> None:
    # A batch of values (the guards skip branches per batch), every one also on its own.
    frame = pl.DataFrame({"v": cells}, schema={"v": pl.String})
    fast = frame.select(values.decimal_text(pl.col("v"))).to_series().to_list()
    slow = frame.select(_decimal_text_unguarded(pl.col("v"))).to_series().to_list()
    assert fast == slow
    for cell, expected in zip(cells, slow, strict=True):
        alone = pl.DataFrame({"v": [cell]}, schema={"v": pl.String})
        assert alone.select(values.decimal_text(pl.col("v"))).item() == expected


_digitish = st.one_of(
    st.text(alphabet=st.sampled_from(list("0123456789+- .a\u0661\uff11")), max_size=24),
    # Around the 19 digits that always fit in 64 bits, and the 20 that sometimes do.
    st.from_regex(r"\A\+?[0-9]{17,22}\Z", fullmatch=True),
)


@SETTINGS
@given(st.lists(st.one_of(st.none(), _digitish), min_size=1, max_size=40))
def test_parsed_digit_tests_agree_with_the_regular_expressions(
    cells: list[str | None],
) -> None:
    frame = pl.DataFrame({"v": cells}, schema={"v": pl.String})
    not_digits = frame.select(values.not_digits(pl.col("v"))).to_series().to_list()
    shape = frame.select(values.ean_shape_valid(pl.col("v"))).to_series().to_list()
    assert not_digits == [None if c is None else re.search("[^0-9]", c) is not None for c in cells]
    assert shape == [
        None if c is None else re.fullmatch("[0-9]{8}|[0-9]{12,14}", c) is not None for c in cells
    ]


_written = st.one_of(
    st.none(),
    _decimal,
    st.sampled_from(["12,50", "3.5", " 7 ", "'12", "'", "", "  ", "1 234,50", "1e5", "kpl"]),
    st.sampled_from([*values.BOOLEAN_WORDS, "KYLLÄ", "Yes", " ei", "'1", "maybe", "\u00a0x"]),
)


@SETTINGS
@given(
    st.lists(st.tuples(_written, _written), min_size=1, max_size=30),
    st.booleans(),
)
def test_values_taken_as_written_are_what_cleaning_every_value_gives(
    cells: list[tuple[str | None, str | None]], apostrophes: bool
) -> None:
    # The obvious preparation (trim, then parse every value) is the reference for the one
    # that takes plain decimals and listed words as written and cleans only the rest.
    raw = pl.DataFrame(
        {
            "f0": ["1"] * len(cells),
            "f1": ["A"] * len(cells),
            "f2": ["1"] * len(cells),
            "f3": [price for price, _ in cells],
            "f4": ["1"] * len(cells),
            "f5": [flag for _, flag in cells],
            ROW: list(range(2, len(cells) + 2)),
        },
        schema={**{f"f{i}": pl.String for i in range(6)}, ROW: pl.Int64},
    )
    header = map_header(Register.PRODUCTS, (*PRODUCTS_HEADER.split(";"), "batch_tracking"))
    rules = rules_for(header, Context(KnownRegisters(), None, TODAY))
    prepared = rules.prepared_rows(raw, apostrophes=apostrophes)

    def cleaned(name: str) -> pl.Expr:
        col = pl.col(name)
        marker = col.str.starts_with("'").any() if apostrophes else False
        return values.empty_as_null(values.trim(col, apostrophe=marker))

    expected = (
        raw.lazy()
        .select(pl.col(ROW), cost_price=cleaned("f3"), batch_tracking=cleaned("f5"))
        .with_columns(cost_price__t=values.decimal_text(pl.col("cost_price")))
        .with_columns(
            cost_price__n=values.decimal_value(pl.col("cost_price__t")),
            batch_tracking__b=values.boolean(pl.col("batch_tracking")),
        )
        .collect()
    )
    columns = list(expected.columns)
    # Rows with no value at all are dropped; here every row has its number.
    assert prepared.select(columns).to_dicts() == expected.select(columns).to_dicts()


_texty = st.text(alphabet=st.sampled_from(list("=+-@\t\r Aa0.,'\"(Ä€z")), max_size=6)


@SETTINGS
@given(st.lists(st.one_of(st.none(), _texty), min_size=1, max_size=40))
def test_formula_and_byte_tests_agree_with_the_searches_they_replace(
    cells: list[str | None],
) -> None:
    frame = pl.DataFrame({"v": cells}, schema={"v": pl.String})
    v = pl.col("v")
    formula = frame.select(values.formula_like(v).fill_null(False)).to_series().to_list()
    dots = frame.select(values.has_byte(v, ".")).to_series().to_list()
    assert formula == [
        c is not None and re.match(values.FORMULA_START, c) is not None for c in cells
    ]
    assert dots == [None if c is None else "." in c for c in cells]
