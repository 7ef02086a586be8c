"""Renders docs/csv-formats.md from the column and code tables, so the page cannot drift.

    python -m core.registers.docgen > docs/csv-formats.md

A test compares the committed page with this output.
"""

from __future__ import annotations

from core.registers.codes import CODES, Code
from core.registers.columns import (
    ABBREVIATIONS,
    AMBIGUOUS_HEADERS,
    REGISTER_STEMS,
    SCHEMAS,
    Column,
    Kind,
)
from core.registers.model import ISSUE_CAP, Register
from core.registers.references import CLOSEST, NAMES_ALLOWED, REFERENCES

_KIND_CODES: dict[Kind, tuple[str, ...]] = {
    Kind.TEXT: ("too_long", "formula_like_text"),
    Kind.CODE: ("too_long",),
    Kind.REF: ("reference_not_number",),
    Kind.DECIMAL: ("decimal_invalid", "decimal_ambiguous", "negative_value"),
    Kind.BOOL: ("boolean_invalid",),
    Kind.DATE: ("date_invalid", "date_in_future"),
}

_COLUMN_CODES: dict[tuple[Register, str], tuple[str, ...]] = {
    (Register.PRODUCTS, "number"): (
        "duplicate_number",
        "product_number_not_numeric",
        "product_number_leading_zeros",
        "excel_scientific",
    ),
    (Register.PRODUCTS, "barcode"): (
        "ean_invalid",
        "excel_scientific",
        "ean_leading_zeros",
        "ean_checksum",
    ),
    (Register.PRODUCTS, "supplier"): ("unknown_supplier", "suppliers_not_known"),
    (Register.PRODUCTS, "batch_tracking"): (
        "tracking_changed_after_balances",
        "tracking_on_product_with_stock",
    ),
    (Register.PRODUCTS, "serial_numbers"): (
        "tracking_changed_after_balances",
        "tracking_on_product_with_stock",
    ),
    (Register.CUSTOMERS, "number"): (
        "duplicate_number",
        "customer_number_not_numeric",
        "customer_number_leading_zero",
    ),
    (Register.SUPPLIERS, "number"): (
        "duplicate_number",
        "supplier_number_not_numeric",
        "supplier_number_leading_zero",
    ),
    (Register.INVENTORY, "product"): ("unknown_product", "products_not_known"),
    (Register.INVENTORY, "quantity"): ("balance_negative", "serial_quantity_not_one"),
    (Register.INVENTORY, "cost_price"): (
        "cost_price_missing",
        "fifo_cost_price_missing",
        "average_quantity_and_cost_price",
        "valuation_unknown",
    ),
    (Register.INVENTORY, "serial"): ("serial_missing", "serial_duplicate", "serial_not_tracked"),
    (Register.INVENTORY, "batch"): ("batch_missing", "batch_not_tracked"),
}
for _reg in (Register.CUSTOMERS, Register.SUPPLIERS):
    _COLUMN_CODES.update(
        {
            (_reg, "payment_terms"): ("payment_terms_missing",),
            (_reg, "vat_zone"): ("vat_zone_invalid",),
            (_reg, "business_id"): ("business_id_invalid", "business_id_checksum"),
            (_reg, "vat_number"): ("vat_number_invalid", "vat_number_mismatch"),
            (_reg, "zip"): ("zip_invalid",),
            (_reg, "country"): ("country_invalid", "country_name"),
            (_reg, "email"): ("email_invalid",),
            (_reg, "currency"): ("currency_invalid",),
        }
    )
for _reg, _columns in REFERENCES.items():
    for _column in _columns:
        _COLUMN_CODES[(_reg, _column)] = (
            *_COLUMN_CODES.get((_reg, _column), ()),
            "unknown_reference",
            *(() if _column in NAMES_ALLOWED else ("reference_by_name",)),
        )
for _reg in (Register.PRODUCTS, Register.CUSTOMERS, Register.SUPPLIERS):
    _COLUMN_CODES[(_reg, "number")] = (*_COLUMN_CODES[(_reg, "number")], "already_in_rackbeat")
_COLUMN_CODES[(Register.SUPPLIERS, "iban")] = ("iban_invalid", "iban_checksum")
_COLUMN_CODES[(Register.SUPPLIERS, "bic")] = ("bic_invalid",)

FILE_CODES = (
    "missing_column",
    "duplicate_column",
    "unknown_column",
    "header_guessed",
    "header_ambiguous",
    "extra_fields",
    "encoding_replaced",
    "encoding_mixed",
    "register_hint_overruled",
)

_INTRO = (
    """# Register CSV formats

What `python -m bot validate` and the bot's thread replies accept, and every issue code they
report. Generated from `core/registers/columns.py` and `codes.py` by
`python -m core.registers.docgen`: edit those, not this page.

## Reading

- **Encodings**: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"),
  Windows-1252 and ISO-8859-15 (decided by the bytes 0x80–0x9F and charset-normalizer). A
  file that mixes UTF-8 lines with Windows-1252 ones is read line by line, each in its own
  encoding, with the warning `encoding_mixed` (its encoding is reported as `utf-8+cp1252`).
  Files that are empty, header-only, binary, images, zip/Excel workbooks or HTML pages are
  refused; so is a file with control characters (other than tab, CR and LF) anywhere, not only
  near its start, and the refusal names the line.
- **Delimiters**: `;`, `,`, tab and `|`, recognised from the first lines, or named by Excel's
  `sep=;` first line (which, as in Excel, is no row: the header is still row 1). Quoting as Excel
  writes it (`"a ""b"" c"`, line breaks inside quotes); CRLF, LF and old-Mac CR line ends.
- **Rows**: the header is row 1, the first data row is row 2, as a spreadsheet shows them: a
  quoted value with line breaks is still one row, and blank rows keep their number (they are
  skipped, not reported). Trailing blank lines are ignored.
- **Cells**: spaces around values are trimmed; Excel's leading apostrophe (`'00123`,
  `'10.04.2024`) is dropped from every column except free text.
- **Decimals**: `12,50`, `12.50`, `1 234,50` (space, no-break space, narrow no-break space or
  thin space between thousands), and the forms that can be read only one way: a dot between
  thousands with a decimal comma (`1.234,50`, Danish and Excel style), a comma between
  thousands with a decimal point (`1,234.50`), or one mark twice (`1.234.567`). Each column
  has one decimal mark, taken from the first rows that show one (a tie goes to `,`); a value
  like `1.234` in a column of `12,50` is ambiguous (1234 or 1,234?) and is an error.
- **Dates**: `D.M.YYYY` as Finnish Excel shows them (`1.4.2024`), `DD.MM.YYYY`, and ISO
  `YYYY-MM-DD` as many exports write them (`2024-04-01`); always `DD.MM.YYYY` in the
  normalized file. `04/01/2024` is refused: month and day could be either way round.
- **Yes/no**: `1`/`0`, `yes`/`no`, `kyllä`/`ei`, `true`/`false`, `ja`/`nej`, `x`/empty.
- **What Excel does to long numbers**: a barcode or product number shown in scientific
  notation (`6,41235E+12`) has lost its last digits (`excel_scientific`); an EAN-8 or UPC-A
  saved as a number lost its leading zero (`ean_leading_zeros`, the message gives the full
  code). Both messages say how to keep the column as text.
- **Countries, currencies, identifiers**: a country is an ISO 3166 code or a country's name in
  Finnish, Swedish, English or Danish (CLDR's names, any case, with or without accents: the
  code to use comes as a `country_name` warning); a currency is an ISO 4217 code in use
  today; VAT numbers of EU countries follow their own country's rules, IBANs of every
  country their length and check digits; a Finnish business id may be written with or
  without the hyphen.

## Recognising the register

The register is the one whose required columns the header names best; the file name breaks
a tie (`asiakkaat.csv`, `suppliers.csv`…), else name it (`--register`, or a word in the
message the file is shared with in Slack). The file name and the message may name the
register in any inflection: `tuoterekisteri`, `tuotteita`, `asiakkaat.csv`, `varastosaldot`
(a word counts when it contains one of the stems {stems}). A register named in the Slack
message only breaks ties: a header with every required column of another register wins, with
the warning `register_hint_overruled`.

Header names are compared

- ignoring case, spaces and `_`, `-`, `.`, `:`, `/`: `CustomerNumber`, `customer_number` and
  `Customer number` are one name;
- without a unit, currency or VAT note in parentheses or after the name: `Myyntihinta (alv 0 %)`,
  `Kustannushinta €`, `Määrä kpl`, `Price EUR excl. VAT`;
- with dotted abbreviations spelled out: {abbreviations}.

A header that is none of the names below but is within a small edit distance of the names of
exactly one column is read as that column with a `header_guessed` warning, and the normalized
file uses the canonical name. The distance (a letter added, missing, changed, or two
neighbours swapped): none for headers under five characters, one for five to nine, two from
ten. A header as close to two columns, or farther, is not guessed: an unknown column, and a
missing required column names the closest header ("did you mean"). Two headers that land on
one column (two spellings, two notes, two guesses) are `duplicate_column`, never a silent
choice.

{ambiguous}: a location in some files, a stock quantity in others. The register decides
when it has both and another header already took one of them; otherwise the first rows'
values do (decimals, signs or thousands spaces are a quantity, bare whole numbers a location
number), and a `header_ambiguous` warning says which. In a products file a stock column is
read and left out (balances are a file of their own).

Empty header cells at the end of the row (a trailing delimiter) are ignored with their column;
an empty header cell between others is an unknown column. Unknown columns are warnings and are
left out of the normalized file.
## Across files

Files checked together (several files to `validate`, or uploads in one onboarding) are read
suppliers → customers → products → inventory: `products.supplier` must be a supplier number,
`inventory.product` a product number, and the products' `batch_tracking` / `serial_numbers`
decide the inventory's batch and serial rules. In an onboarding the bot remembers, per
register, the keys and flags of the latest error-free file. Slack files are checked as they
arrive, so an error-free products file checks again every inventory file that was judged on
older products (shared before it, in the same message or earlier) and replaces that file's
verdict in its thread. Once initial balances have been marked done (stock has moved), a
products file that changes the tracking of a product with a balance is an error; a checked
inventory file alone locks nothing. Inventory rules depend on the valuation method
(`/rackbeat set valuation`, `--valuation`).

## Against the Rackbeat account

With Rackbeat connected (or `validate --account SNAPSHOT.json`, the file
`/rackbeat account export` uploads), files are also checked against what the account has
(read at most `ACCOUNT_MAX_AGE_MINUTES` before; the reply says when it was read):

- `group`, `location`, `payment_terms` and `layout` must be numbers the account has
  (`unknown_reference`, naming up to {CLOSEST} of the closest existing ones); `unit` may be a
  unit's number or its name.
- A name where a number belongs that matches exactly one record (case and accents aside) is
  a warning (`reference_by_name`) instead of `reference_not_number`, and the normalized file
  carries that record's number. A name that matches none or several stays an error.
- A row whose number already exists in the account is a warning (`already_in_rackbeat`); the
  message lists the fields the import would change, and the reply counts the rows that change
  existing records.
- A products row that switches batch tracking or serial numbers on for a product with stock
  in Rackbeat is an error (`tracking_on_product_with_stock`): Rackbeat refuses it.
- Inventory products and product suppliers may exist in the uploaded register or in the
  account; `unknown_product` / `unknown_supplier` name a number found in neither.

Without a connection, none of this runs, and the reply says once that references were not
checked against the account.

## Reports

- Counts per code are always complete; messages show up to """
    + str(ISSUE_CAP)
    + """ issues (`truncated`).
- The error report CSV has every issue: `row;column;value;code;severity;message` (UTF-8 with
  BOM, `;`).
- Every cell that echoes a value and starts with `=`, `+`, `-`, `@`, tab or CR gets a leading
  `'` (CSV injection).

## The normalized, import-ready file

Written only for a file without errors:

- UTF-8 **with BOM**: Rackbeat's importer wants UTF-8, and Excel needs the BOM to show ä/ö/å.
- `;` between fields and **`,` as decimal mark**, no thousands separators (`1234,50`): the
  people who open it use Excel with a Finnish locale, where `12.50` turns into a date or text
  and `,` would clash with the delimiter; Rackbeat is Danish and uses the same conventions.
- Canonical headers (the names below) in the order below, only the columns the file had.
- Dates `DD.MM.YYYY`, yes/no as `1`/`0`, country names replaced by ISO codes, IBAN / VAT
  number / BIC / currency compact and upper-case, texts trimmed.
- A text or a code (product number, unit, batch, serial…) that starts like a formula gets a
  leading `'` (see above); numbers, dates and yes/no values never do.
"""
)


def _code_line(code: Code) -> str:
    example = f" Example: {code.example}." if code.example else ""
    return f"| `{code.code}` | {code.severity.value} | {code.title}. {code.fix}{example} |"


def _column_line(register: Register, column: Column) -> str:
    aliases = ", ".join(f"`{a}`" for a in column.aliases if a != column.name)
    rules = column.doc
    if column.max_len:
        rules += f" At most {column.max_len} characters."
    codes = [*(["required_missing"] if column.required else []), *_KIND_CODES[column.kind]]
    if column.max_len is None:
        codes = [c for c in codes if c != "too_long"]
    codes += list(_COLUMN_CODES.get((register, column.name), ()))
    if register in (Register.CUSTOMERS, Register.SUPPLIERS) and column.name == "payment_terms":
        codes.remove("required_missing")
    listed = ", ".join(f"`{c}`" for c in dict.fromkeys(codes))
    required = "**yes**" if column.required else "no"
    return (
        f"| `{column.name}` | {required} | {column.kind.value} | {aliases} | {rules} | {listed} |"
    )


def _intro() -> str:
    stems = ", ".join(f"`{stem}`" for stems in REGISTER_STEMS.values() for stem in stems)
    abbreviations = ", ".join(f"`{a}.` = `{w}`" for a, w in ABBREVIATIONS.items())
    ambiguous = " and ".join(f"`{key.capitalize()}`" for key in AMBIGUOUS_HEADERS)
    return _INTRO.format(
        stems=stems, abbreviations=abbreviations, ambiguous=ambiguous, CLOSEST=CLOSEST
    )


def render() -> str:
    parts = [_intro()]
    for register, columns in SCHEMAS.items():
        parts.append(f"## `{register.value}`\n")
        parts.append("| column | required | kind | also accepted as | rules | issue codes |")
        parts.append("|---|---|---|---|---|---|")
        parts.extend(_column_line(register, c) for c in columns)
        parts.append("")
    parts.append("## Issue codes\n")
    parts.append("File-level codes (row empty): " + ", ".join(f"`{c}`" for c in FILE_CODES) + ".\n")
    parts.append("| code | severity | meaning, fix and example |")
    parts.append("|---|---|---|")
    parts.extend(_code_line(c) for c in CODES.values())
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(render(), end="")
