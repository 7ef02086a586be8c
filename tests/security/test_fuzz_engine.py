"""Property-based fuzzing of the register CSV engine.

Whatever bytes arrive, the engine answers: `validate_files` returns a result (an unreadable
file is a result with one error), `validate_file` raises nothing but `UnreadableFile`, and the
error report and normalized copy it writes never hold a live spreadsheet formula.
"""

from __future__ import annotations

import codecs

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.registers import (
    FileInput,
    UnreadableFile,
    validate_file,
    validate_files,
    write_normalized,
)
from core.registers.columns import SCHEMAS
from handlers.blocks.issues import describe_issue, error_report
from tests.security.corpus import FORMULA_START, REFUSAL_CODES, live_formulas

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def answer(data: bytes, name: str = "fuzz.csv") -> None:
    """What must hold for any input."""
    file = FileInput(name, data=data)
    result = validate_files([file]).files[0]
    if result.unreadable:
        assert result.issues[0].code in REFUSAL_CODES
        assert describe_issue(result.issues[0], "fi")
        return
    for lang in ("en", "fi"):
        assert live_formulas(error_report(result, lang)) == []
    if result.valid:
        normalized = write_normalized(file, result)
        assert normalized is not None
        assert live_formulas(normalized) == []


@FUZZ
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_get_an_answer(data: bytes) -> None:
    answer(data)


@FUZZ
@given(st.binary(max_size=2048))
def test_validate_file_refuses_arbitrary_bytes_only_with_unreadable_file(data: bytes) -> None:
    try:
        validate_file(FileInput("fuzz.csv", data=data))
    except UnreadableFile as refusal:
        assert refusal.code in REFUSAL_CODES


# -- CSV-ish text -----------------------------------------------------------------------------

HEADERS = [
    name for columns in SCHEMAS.values() for column in columns for name in (column.name,)
] + [alias for columns in SCHEMAS.values() for column in columns for alias in column.aliases]
DELIMITERS = (";", ",", "\t", "|")
TRICKY = [
    '"',
    '""',
    "'",
    "\r",
    "\n",
    "\r\n",
    "\x00",
    "\ufeff",
    "\u200b",
    "\u202e",
    "=1+1",
    "@SUM(1)",
    "+1",
    "-1",
    "-2+3",
    "\t=1",
    "1e308",
    "NaN",
    "1 234,50",
    "12,345.67",
    "١٢٣",
    "😀",
    "ä",
    "<!channel>",
    "x" * 300,
]
cells = st.one_of(
    st.sampled_from(TRICKY),
    st.from_regex(r"\A[0-9]{1,14}([.,][0-9]{1,3})?\Z"),
    st.text(max_size=12),
)
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "iso-8859-15")


@st.composite
def csvish(draw: st.DrawFn) -> tuple[bytes, str]:
    """A header of real (or almost real) column names and rows of tricky cells, written with a
    random delimiter, quoting, line end and encoding."""
    delimiter = draw(st.sampled_from(DELIMITERS))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    header = draw(st.lists(st.one_of(st.sampled_from(HEADERS), st.text(max_size=8)), max_size=12))
    width = max(len(header), 1)
    rows = draw(
        st.lists(
            st.lists(cells, min_size=0, max_size=width + 2),
            max_size=12,
        )
    )
    quote_all = draw(st.booleans())

    def cell(value: str) -> str:
        special = any(ch in value for ch in (delimiter, '"', "\r", "\n"))
        if (quote_all or special) and draw(st.booleans()):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [delimiter.join(cell(c) for c in row) for row in [header, *rows]]
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    encoding = draw(st.sampled_from(ENCODINGS))
    name = draw(st.sampled_from(["products.csv", "asiakkaat.csv", "saldot.csv", "x.csv"]))
    return text.encode(encoding, errors="replace"), name


@settings(FUZZ, max_examples=150)
@given(csvish())
def test_csvish_text_gets_an_answer_and_no_live_formula(case: tuple[bytes, str]) -> None:
    data, name = case
    answer(data, name)


@settings(FUZZ, max_examples=100)
@given(csvish(), st.sampled_from(["products", "customers", "suppliers", "inventory"]))
def test_csvish_text_read_as_a_named_register_gets_an_answer(
    case: tuple[bytes, str], register: str
) -> None:
    data, name = case
    try:
        result = validate_file(FileInput(name, data=data), register_override=register)
    except UnreadableFile as refusal:
        assert refusal.code in REFUSAL_CODES
        return
    report = error_report(result, "fi")
    assert report is not None
    assert live_formulas(report) == []


@settings(FUZZ, max_examples=100)
@given(st.lists(cells, min_size=5, max_size=5), st.sampled_from(FORMULA_START))
def test_a_formula_anywhere_in_an_error_free_products_file_is_escaped(
    row: list[str], start: str
) -> None:
    number, name, _, _, _ = row
    data = (
        "number;name;group;cost_price;sales_price;unit;description\n"
        f'"{(start + number).replace(chr(34), chr(34) * 2)}";"{name.replace(chr(34), "")}";'
        f'1;1;1;"{start}kpl";"{start}{name.replace(chr(34), "")}"\n'
    ).encode()
    answer(data, "products.csv")


def test_utf16_without_bom_and_with_bom_read_the_same() -> None:
    text = "number;name;group;cost_price;sales_price\n1;Ä;1;1;1\n"
    plain = validate_files([FileInput("p.csv", data=text.encode("utf-16-le"))]).files[0]
    marked = validate_files(
        [FileInput("p.csv", data=codecs.BOM_UTF16_LE + text.encode("utf-16-le"))]
    ).files[0]
    assert plain.to_json() == marked.to_json()
