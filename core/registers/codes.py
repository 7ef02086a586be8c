"""Every issue code the engine emits: its severity, a short title and how to fix it.

Codes are stable identifiers (CONTRACT.md): tests, stored results and translations key on them.
Titles group issues in messages; the per-issue ``message`` adds the specifics.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.registers.model import Severity

E = Severity.ERROR
W = Severity.WARNING


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: str
    fix: str
    example: str


_ALL = [
    # file level
    Code(
        "missing_column",
        E,
        "Required column missing",
        "Add the column (any accepted header name works).",
        "no `cost_price` header",
    ),
    Code(
        "duplicate_column",
        E,
        "Two headers mean the same column",
        "Keep one of them; the engine reads the first.",
        "`Nimi` and `name`",
    ),
    Code(
        "unknown_column",
        W,
        "Unknown column (ignored)",
        "Rename it to an accepted header or delete it.",
        "`Väri`",
    ),
    Code(
        "header_guessed",
        W,
        "Header read as the closest column",
        "Check the guess; rename the header to an accepted name to silence this.",
        "`Tuotenumro` read as `number`",
    ),
    Code(
        "header_ambiguous",
        W,
        "Header that can mean two columns",
        "Check the choice; use an unambiguous name (`Varastopaikka`, `Määrä`) to silence this.",
        "`Varasto` read as `location` or as a stock quantity",
    ),
    Code(
        "extra_fields",
        E,
        "Row has more fields than the header",
        "A delimiter inside a value needs quotes, or a header is missing.",
        "`1;A;B;C` under 3 headers",
    ),
    Code(
        "register_hint_overruled",
        W,
        "The header names another register than the message",
        "The header decides: share the file again with the right register named, or fix the "
        "header, if this is not the register you meant.",
        'a products file shared with "customers list attached"',
    ),
    Code(
        "encoding_mixed",
        W,
        "UTF-8 and Windows-1252 mixed in one file",
        "Each line was read in its own encoding; check ä and ö, then save the file as CSV UTF-8.",
        "rows pasted from a UTF-8 export into a Windows-1252 file",
    ),
    Code(
        "encoding_replaced",
        W,
        "Characters that could not be decoded",
        "Save the file as CSV UTF-8.",
        "a byte with no meaning in Windows-1252",
    ),
    Code(
        "valuation_unknown",
        W,
        "Valuation method unknown",
        "Record it (`/rackbeat set valuation fifo|average` or `--valuation`) for its rules.",
        "",
    ),
    Code(
        "products_not_known",
        W,
        "Product numbers not checked",
        "Upload or pass the products register too so references are checked.",
        "",
    ),
    Code(
        "suppliers_not_known",
        W,
        "Supplier numbers not checked",
        "Upload or pass the suppliers register too so references are checked.",
        "",
    ),
    # any register
    Code(
        "required_missing",
        E,
        "Required value missing",
        "Fill the cell. A price of zero is written `0`.",
        "empty `name`",
    ),
    Code("too_long", E, "Value too long", "Shorten the value.", "a 26-character product number"),
    Code(
        "duplicate_number",
        E,
        "Number used twice",
        "Every row needs its own number.",
        "`1001` on rows 2 and 9",
    ),
    Code(
        "decimal_invalid",
        E,
        "Not a number",
        "Write digits with one decimal mark: `12,50`, `12.50`, `1 234,50`.",
        "`12,50 €`",
    ),
    Code(
        "decimal_ambiguous",
        E,
        "Ambiguous decimal",
        "The column uses the other decimal mark; `1.234` could be 1234 or 1,234.",
        "`1.234` in a column of `12,50`",
    ),
    Code("negative_value", E, "Negative value", "Use zero or more.", "`-5,00` as a price"),
    Code(
        "reference_not_number",
        E,
        "Name instead of a number",
        "References (group, location, payment terms, layout, supplier…) are numbers.",
        "`Tools` as group",
    ),
    Code(
        "boolean_invalid",
        E,
        "Not yes/no",
        "Use `1`/`0`, `yes`/`no`, `kyllä`/`ei`, `true`/`false` or `x`/empty.",
        "`maybe`",
    ),
    Code(
        "date_invalid",
        E,
        "Not a date",
        "Write D.M.YYYY (`1.4.2024`), DD.MM.YYYY or YYYY-MM-DD (`2024-04-01`).",
        "`2024-13-01`",
    ),
    Code(
        "date_in_future",
        E,
        "Date in the future",
        "Inventory adjustments can only be back-dated.",
        "tomorrow's date",
    ),
    Code(
        "formula_like_text",
        W,
        "Text that starts like a formula",
        "Spreadsheets may run it; the normalized file prefixes it with an apostrophe.",
        "`=HYPERLINK(…)`",
    ),
    # products
    Code(
        "product_number_not_numeric",
        W,
        "Product number not numeric",
        "Netvisor matches products by number; purely numeric numbers are safest.",
        "`AB-12`",
    ),
    Code(
        "product_number_leading_zeros",
        W,
        "Leading zeros probably lost",
        "Format the column as text in Excel and restore the zeros.",
        "`1234` among `001233`",
    ),
    Code("ean_invalid", E, "Not an EAN/GTIN", "Barcodes are 8, 12, 13 or 14 digits.", "`64123`"),
    Code(
        "excel_scientific",
        E,
        "Long number in scientific notation",
        "Excel showed the number as `6,41235E+12` and saved it so: its last digits are lost. "
        "Format the column as Text in Excel (or import it as text) and save again.",
        "`6,41235E+12`",
    ),
    Code(
        "ean_leading_zeros",
        E,
        "Barcode lost its leading zero",
        "Excel dropped the zero of an EAN-8 or UPC-A saved as a number; the message gives the "
        "full code. Format the column as Text and restore it.",
        "`1234565` for `01234565`",
    ),
    Code(
        "ean_checksum",
        E,
        "Wrong EAN check digit",
        "Check the barcode: its last digit does not match.",
        "`6412345678901`",
    ),
    Code(
        "unknown_supplier",
        E,
        "Supplier not in the suppliers register",
        "Use a supplier number from the suppliers file.",
        "`70001`",
    ),
    Code(
        "tracking_changed_after_balances",
        E,
        "Batch/serial setting changed after balances",
        "Rackbeat cannot change tracking for a product with transactions: keep the old setting.",
        "serial numbers switched on for a product with a balance",
    ),
    # customers and suppliers
    Code(
        "customer_number_not_numeric",
        E,
        "Customer number not numeric",
        "The Netvisor integration needs numeric customer numbers.",
        "`C-100`",
    ),
    Code(
        "customer_number_leading_zero",
        E,
        "Customer number starts with 0",
        "The Netvisor integration refuses numbers starting with 0.",
        "`0100`",
    ),
    Code(
        "supplier_number_not_numeric",
        W,
        "Supplier number not numeric",
        "Numeric supplier numbers are safest with Netvisor.",
        "`S-1`",
    ),
    Code(
        "supplier_number_leading_zero",
        W,
        "Supplier number starts with 0",
        "Excel and Netvisor may drop the zero.",
        "`0100`",
    ),
    Code(
        "payment_terms_missing",
        E,
        "Payment terms missing",
        "Netvisor rejects orders and invoices of a customer without payment terms.",
        "empty",
    ),
    Code(
        "vat_zone_invalid",
        E,
        "Unknown VAT zone",
        "1 domestic, 2 EU, 3 outside EU, 4 domestic VAT-exempt.",
        "`5`",
    ),
    Code(
        "business_id_invalid",
        E,
        "Not a Finnish business id",
        "Write the Y-tunnus as 1234567-8.",
        "`123456-7`",
    ),
    Code(
        "business_id_checksum",
        E,
        "Wrong business id check digit",
        "Check the Y-tunnus: its check digit does not match.",
        "`1234567-1`",
    ),
    Code(
        "vat_number_invalid",
        E,
        "Not a valid VAT number",
        "Finnish VAT numbers are FI + the 8 digits of the business id.",
        "`FI1234567`",
    ),
    Code(
        "vat_number_mismatch",
        E,
        "VAT number and business id disagree",
        "FI + the business id without the hyphen.",
        "`FI07375462` with `1234567-8`",
    ),
    Code(
        "zip_invalid",
        E,
        "Not a Finnish postal code",
        "Five digits, kept as text (Excel drops leading zeros: `100` was `00100`).",
        "`100`",
    ),
    Code("country_invalid", E, "Unknown country code", "Use ISO 3166 alpha-2 (FI, SE…).", "`XX`"),
    Code(
        "country_name",
        W,
        "Country name instead of code",
        "Use the two-letter code the message gives.",
        "`Suomi` → `FI`",
    ),
    Code("email_invalid", E, "Not an email address", "Check the address.", "`matti@`"),
    Code("currency_invalid", E, "Not a currency code", "Use ISO 4217 (EUR, SEK…).", "`euro`"),
    Code(
        "iban_invalid",
        E,
        "Not an IBAN",
        "Check the account number (a Finnish IBAN is 18 characters).",
        "`FI21 1234`",
    ),
    Code(
        "iban_checksum",
        E,
        "Wrong IBAN check digits",
        "Check the account number.",
        "`FI2112345600000786`",
    ),
    Code("bic_invalid", E, "Not a BIC", "8 or 11 characters, e.g. NDEAFIHH.", "`NDEA`"),
    # inventory
    Code(
        "unknown_product",
        E,
        "Product not in the products register",
        "Use a product number from the products file (or, with an account, from Rackbeat).",
        "`999`",
    ),
    Code(
        "balance_negative",
        E,
        "Negative balance",
        "With relative 0 the quantity replaces the balance: write the new balance (0 or "
        "more), or set relative to 1 to take stock out.",
        "quantity -3 with relative 0",
    ),
    Code(
        "cost_price_missing",
        W,
        "Cost price missing where stock is added",
        "Give the unit cost when stock is added (FIFO requires it).",
        "quantity 5, no cost",
    ),
    Code(
        "fifo_cost_price_missing",
        E,
        "FIFO: cost price missing",
        "With FIFO, quantity and cost price go together on each row.",
        "quantity 5, no cost",
    ),
    Code(
        "average_quantity_and_cost_price",
        E,
        "Average cost: quantity and cost in one file",
        "Import quantities and cost prices as two separate files.",
        "a row with both",
    ),
    Code(
        "serial_missing",
        E,
        "Serial number missing",
        "The product uses serial numbers: one row per serial.",
        "empty `serial`",
    ),
    Code(
        "serial_quantity_not_one",
        E,
        "Serial row quantity is not 1",
        "Each serial number is one unit.",
        "quantity 3 with a serial",
    ),
    Code(
        "serial_duplicate",
        E,
        "Serial number used twice",
        "A serial number appears once per product.",
        "`SN1` twice for product 1001",
    ),
    Code("batch_missing", E, "Batch missing", "The product is batch-tracked: give the batch.", ""),
    Code(
        "serial_not_tracked",
        W,
        "Serial for a product without serial numbers",
        "Switch serial numbers on for the product first, or leave the cell empty.",
        "",
    ),
    # checks against the Rackbeat account (only with a connection or `validate --account`)
    Code(
        "unknown_reference",
        E,
        "Not in the Rackbeat account",
        "Use a number the account has (the message lists the closest), or create it first.",
        "product group `7` when the account has 1 and 2",
    ),
    Code(
        "reference_by_name",
        W,
        "Name instead of a number (resolved)",
        "Nothing to do: the normalized file uses the number of the one record with this name.",
        "`Työkalut` for product group 2",
    ),
    Code(
        "already_in_rackbeat",
        W,
        "Already exists in Rackbeat",
        "Importing updates the existing record; the message says what would change.",
        "product `1001` that Rackbeat already has",
    ),
    Code(
        "tracking_on_product_with_stock",
        E,
        "Tracking switched on for a product with stock",
        "Rackbeat refuses batch/serial tracking once a product has stock: leave it off.",
        "batch tracking `1` for a product with 5 in stock",
    ),
    Code(
        "batch_not_tracked",
        W,
        "Batch for a product without batch tracking",
        "Switch batch tracking on for the product first, or leave the cell empty.",
        "",
    ),
]

CODES: dict[str, Code] = {c.code: c for c in _ALL}


def severity_of(code: str) -> Severity:
    return CODES[code].severity
