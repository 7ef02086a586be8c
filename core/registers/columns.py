"""The four registers' columns: canonical names, kinds, aliases (English, Finnish, Danish).

Header cells are compared after ``header_key``: case, spaces, ``_``, ``-``, ``.`` and ``:`` do
not matter, so `Cost price`, `cost_price` and `COST-PRICE` are one name.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from core.registers.model import Register


class Kind(StrEnum):
    TEXT = "text"  # free text: trimmed, length-limited
    CODE = "code"  # an identifier or code: trimmed, Excel's leading apostrophe dropped
    REF = "ref"  # a reference to another record: a number, never a name
    DECIMAL = "decimal"
    BOOL = "boolean"
    DATE = "date"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool
    aliases: tuple[str, ...]
    doc: str
    max_len: int | None = None
    min_value: float | None = None


def _c(
    name: str,
    kind: Kind,
    doc: str,
    aliases: str,
    *,
    required: bool = False,
    max_len: int | None = None,
    min_value: float | None = None,
) -> Column:
    names = tuple(a.strip() for a in aliases.split("|") if a.strip())
    return Column(name, kind, required, names, doc, max_len, min_value)


_PARTY_COMMON_HEAD = (
    _c(
        "name",
        Kind.TEXT,
        "Company or person name.",
        "name|company|company name|nimi|yritys|yrityksen nimi|navn|firmanavn",
        required=True,
        max_len=255,
    ),
)


def _party_tail(who: str, group_aliases: str) -> tuple[Column, ...]:
    return (
        _c(
            "group",
            Kind.REF,
            f"{who} group number.",
            f"group|{who.lower()} group|group number|ryhmä|gruppe|{group_aliases}",
            required=True,
        ),
        _c(
            "vat_zone",
            Kind.CODE,
            "1 domestic, 2 EU, 3 outside EU, 4 domestic VAT-exempt.",
            "vat zone|vat code|alv-vyöhyke|arvonlisäverovyöhyke|alv-alue|momszone|moms zone",
            required=True,
        ),
        _c(
            "payment_terms",
            Kind.REF,
            "Payment terms number.",
            "payment terms|payment term|terms of payment|maksuehto|maksuehdot|"
            "betalingsbetingelser|betalingsbetingelse",
            required=True,
        ),
        _c("layout", Kind.REF, "Layout number.", "layout|ulkoasu|lomakepohja"),
        _c("language", Kind.CODE, "Document language.", "language|kieli|sprog"),
        _c(
            "business_id",
            Kind.CODE,
            "Finnish business id (Y-tunnus), `1234567-8`.",
            "business id|business identity code|company id|y-tunnus|ytunnus|cvr|cvr-nummer",
        ),
        _c(
            "vat_number",
            Kind.CODE,
            "VAT number, `FI12345678` for a Finnish company.",
            "vat number|vat no|vat id|alv-numero|alv-tunnus|alv-tunniste|arvonlisäverotunniste|"
            "momsnummer|se-nummer",
        ),
    )


_ADDRESS = (
    _c(
        "address",
        Kind.TEXT,
        "Street address.",
        "address|street|street address|osoite|katuosoite|lähiosoite|adresse",
        max_len=255,
    ),
)
_ADDRESS2 = (
    _c(
        "address2",
        Kind.TEXT,
        "Second address line.",
        "address 2|address2|address line 2|osoite 2|osoite2|adresse 2",
        max_len=255,
    ),
)


def _contact() -> tuple[Column, ...]:
    return (
        _c(
            "zip",
            Kind.CODE,
            "Postal code; five digits in Finland, kept as text (`00100`).",
            "zip|zip code|postal code|postcode|post code|postinumero|postinro|postnummer|postnr",
        ),
        _c(
            "city",
            Kind.TEXT,
            "City.",
            "city|town|postitoimipaikka|kaupunki|paikkakunta|by",
            max_len=255,
        ),
        _c(
            "country",
            Kind.CODE,
            "ISO 3166 alpha-2 code (`FI`); empty means FI in Netvisor.",
            "country|country code|maa|maakoodi|land|landekode",
        ),
        _c(
            "email",
            Kind.CODE,
            "Email address.",
            "email|e-mail|email address|sähköposti|sähköpostiosoite|mail",
        ),
        _c(
            "phone",
            Kind.TEXT,
            "Phone number.",
            "phone|telephone|phone number|puhelin|puhelinnumero|telefon|telefonnummer",
            max_len=50,
        ),
        _c("currency", Kind.CODE, "ISO 4217 currency code (`EUR`).", "currency|valuutta|valuta"),
    )


PRODUCTS = (
    _c(
        "number",
        Kind.CODE,
        "Product number (Netvisor matches products by it).",
        "number|product number|product no|item number|item no|sku|product code|item code|"
        "tuotenumero|tuotekoodi|tuotenro|koodi|varenummer|varenr|produktnummer|nummer",
        required=True,
        max_len=25,
    ),
    _c(
        "name",
        Kind.TEXT,
        "Product name.",
        "name|product name|item name|nimi|tuotenimi|tuotteen nimi|nimike|navn|varenavn|produktnavn",
        required=True,
        max_len=255,
    ),
    _c(
        "group",
        Kind.REF,
        "Product group number.",
        "group|product group|group number|tuoteryhmä|ryhmä|varegruppe|gruppe|produktgruppe",
        required=True,
    ),
    _c(
        "cost_price",
        Kind.DECIMAL,
        "Unit cost excluding VAT, ≥ 0.",
        "cost price|cost|purchase price|unit cost|kustannushinta|ostohinta|hankintahinta|"
        "omakustannushinta|kostpris|indkøbspris",
        required=True,
        min_value=0,
    ),
    _c(
        "sales_price",
        Kind.DECIMAL,
        "Sales price excluding VAT, ≥ 0.",
        "sales price|price|sale price|selling price|myyntihinta|hinta|salgspris|pris",
        required=True,
        min_value=0,
    ),
    _c("unit", Kind.CODE, "Unit.", "unit|yksikkö|enhed"),
    _c(
        "barcode",
        Kind.CODE,
        "EAN-8, UPC-A, EAN-13 or GTIN-14 with a valid check digit.",
        "barcode|ean|ean code|gtin|upc|viivakoodi|ean-koodi|stregkode|ean-nummer",
    ),
    _c(
        "supplier",
        Kind.REF,
        "Supplier number (in the suppliers register).",
        "supplier|supplier number|vendor|toimittaja|toimittajanumero|leverandør|leverandørnummer",
    ),
    _c(
        "location",
        Kind.REF,
        "Location number.",
        "location|location number|warehouse|varasto|varastopaikka|sijainti|lokation|lager",
    ),
    _c(
        "batch_tracking",
        Kind.BOOL,
        "Batch tracking on (`1`/`0`, `yes`/`no`, `kyllä`/`ei`, `x`).",
        "batch tracking|batch|batches|lot tracking|eräseuranta|erä|batchstyring",
    ),
    _c(
        "serial_numbers",
        Kind.BOOL,
        "Serial numbers on (same values as batch_tracking).",
        "serial numbers|serial number tracking|serials|sarjanumerot|sarjanumeroseuranta|serienumre",
    ),
    _c("description", Kind.TEXT, "Description.", "description|kuvaus|beskrivelse", max_len=10_000),
    _c(
        "min_stock",
        Kind.DECIMAL,
        "Minimum stock, ≥ 0.",
        "min stock|minimum stock|reorder point|minimisaldo|hälytysraja|minimumsbeholdning|"
        "min lager",
        min_value=0,
    ),
)

CUSTOMERS = (
    _c(
        "number",
        Kind.CODE,
        "Customer number: numeric, not starting with 0, at most 9 digits.",
        "number|customer number|customer no|customer id|asiakasnumero|asiakasnro|numero|"
        "kundenummer|kundenr|nummer",
        required=True,
        max_len=9,
    ),
    *_PARTY_COMMON_HEAD,
    *_party_tail("Customer", "asiakasryhmä|kundegruppe"),
    *_ADDRESS,
    *_ADDRESS2,
    *_contact(),
)

SUPPLIERS = (
    _c(
        "number",
        Kind.CODE,
        "Supplier number, at most 9 characters (numeric recommended).",
        "number|supplier number|supplier no|vendor number|toimittajanumero|toimittajanro|numero|"
        "leverandørnummer|kreditornummer|nummer",
        required=True,
        max_len=9,
    ),
    *_PARTY_COMMON_HEAD,
    *_party_tail("Supplier", "toimittajaryhmä|leverandørgruppe"),
    _c(
        "iban",
        Kind.CODE,
        "Bank account as IBAN (mod-97 check; Finnish IBAN: 18 characters).",
        "iban|bank account|account number|tilinumero|pankkitili|kontonummer",
    ),
    _c("bic", Kind.CODE, "BIC / SWIFT code of the bank.", "bic|swift|bic-koodi|swift code"),
    *_ADDRESS,
    *_contact(),
)

INVENTORY = (
    _c(
        "date",
        Kind.DATE,
        "DD.MM.YYYY, not in the future.",
        "date|päiväys|päivämäärä|pvm|dato",
        required=True,
    ),
    _c(
        "product",
        Kind.CODE,
        "Product number (in the products register).",
        "product|product number|item number|sku|tuotekoodi|tuotenumero|tuote|varenummer|"
        "vare|produkt",
        required=True,
    ),
    _c(
        "location",
        Kind.REF,
        "Location number.",
        "location|location number|warehouse|varasto|varastopaikka|lokation|lager",
        required=True,
    ),
    _c(
        "quantity",
        Kind.DECIMAL,
        "Quantity (negative removes stock).",
        "quantity|qty|amount|määrä|kpl|antal|mængde",
        required=True,
    ),
    _c(
        "cost_price",
        Kind.DECIMAL,
        "Unit cost; needed when stock is added.",
        "cost price|unit cost|cost|kustannushinta|yksikköhinta|hankintahinta|kostpris",
        min_value=0,
    ),
    _c(
        "reason",
        Kind.TEXT,
        "Reason of the adjustment.",
        "reason|syy|årsag",
        required=True,
        max_len=255,
    ),
    _c("description", Kind.TEXT, "Description.", "description|kuvaus|beskrivelse", max_len=10_000),
    _c(
        "relative",
        Kind.BOOL,
        "Quantity is added to the balance (`1`) or replaces it (`0`).",
        "relative|adjustment|is relative|saldonkorjaus|suhteellinen|relativ|regulering",
    ),
    _c(
        "batch",
        Kind.CODE,
        "Batch (for batch-tracked products).",
        "batch|batch number|lot|erä|eränumero|batchnummer",
    ),
    _c(
        "serial",
        Kind.CODE,
        "Serial number (for products with serial numbers).",
        "serial|serial number|sarjanumero|serienummer",
    ),
)

SCHEMAS: dict[Register, tuple[Column, ...]] = {
    Register.PRODUCTS: PRODUCTS,
    Register.CUSTOMERS: CUSTOMERS,
    Register.SUPPLIERS: SUPPLIERS,
    Register.INVENTORY: INVENTORY,
}

_FILENAME_HINTS: dict[Register, tuple[str, ...]] = {
    Register.PRODUCTS: ("product", "tuote", "tuotteet", "vare", "produkt", "item"),
    Register.CUSTOMERS: ("customer", "asiakas", "asiakkaat", "kunde", "client"),
    Register.SUPPLIERS: ("supplier", "vendor", "toimittaja", "leverand", "kreditor"),
    Register.INVENTORY: (
        "inventory",
        "balance",
        "saldo",
        "lager",
        "stock",
        "varasto",
        "inventaari",
    ),
}

_SEPARATORS = re.compile(r"[\s_\-.:/]+")


def header_key(text: str) -> str:
    """Comparable form of a header cell: `Y-tunnus` → `y tunnus`, `cost_price` → `cost price`.

    Invisible format characters (a BOM, zero-width spaces, direction marks) are dropped: a
    header that looks like `number` is `number`.
    """
    if not text.isascii():
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return _SEPARATORS.sub(" ", text.strip().strip('"').casefold()).strip()


def _lookup(columns: tuple[Column, ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    for column in columns:
        for alias in (column.name, *column.aliases):
            table.setdefault(header_key(alias), column.name)
    return table


LOOKUPS: dict[Register, dict[str, str]] = {reg: _lookup(cols) for reg, cols in SCHEMAS.items()}


@dataclass(frozen=True)
class HeaderMap:
    """Which file column feeds which canonical column, and what the header got wrong."""

    register: Register
    positions: dict[str, int]  # canonical name → field index
    missing: tuple[str, ...]  # required canonical columns not found
    unknown: tuple[tuple[int, str], ...]  # (index, header text) of unrecognised columns
    duplicates: tuple[tuple[str, str], ...]  # (header text, canonical name) read second


def map_header(register: Register, header: tuple[str, ...]) -> HeaderMap:
    lookup = LOOKUPS[register]
    positions: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    duplicates: list[tuple[str, str]] = []
    for index, cell in enumerate(header):
        key = header_key(cell)
        if not key:
            continue
        name = lookup.get(key)
        if name is None:
            unknown.append((index, cell))
        elif name in positions:
            duplicates.append((cell, name))
        else:
            positions[name] = index
    missing = tuple(c.name for c in SCHEMAS[register] if c.required and c.name not in positions)
    return HeaderMap(register, positions, missing, tuple(unknown), tuple(duplicates))


def closest_header(column: str, register: Register, candidates: list[str]) -> str | None:
    """The header present that most resembles any accepted name of ``column`` ("did you mean")."""
    spec = next(c for c in SCHEMAS[register] if c.name == column)
    keys = {header_key(a) for a in (spec.name, *spec.aliases)}
    best, best_ratio = None, 0.6
    for cell in candidates:
        key = header_key(cell)
        for alias in keys:
            ratio = difflib.SequenceMatcher(None, key, alias).ratio()
            if ratio > best_ratio:
                best, best_ratio = cell, ratio
    return best


def detect_register(header: tuple[str, ...], filename: str) -> Register:
    """The register whose columns the header names best; the file name breaks ties.

    Raises ``UnreadableFile`` (``unknown_register`` / ``ambiguous_register``) when the header
    matches no register, or two equally well and the file name does not tell.
    """
    from core.registers.errors import UnreadableFile

    keys = [header_key(cell) for cell in header]
    scores: dict[Register, tuple[int, int]] = {}
    for register, lookup in LOOKUPS.items():
        found = {lookup[k] for k in keys if k in lookup}
        required = sum(1 for c in SCHEMAS[register] if c.required and c.name in found)
        scores[register] = (required, len(found))
    best = max(scores.values())
    if best[0] < 2:
        raise UnreadableFile(
            "unknown_register",
            "The header row does not name the columns of products, customers, suppliers or "
            "inventory. Check the first row, or name the register explicitly.",
        )
    tied = [reg for reg, score in scores.items() if score == best]
    if len(tied) == 1:
        return tied[0]
    name = filename.casefold()
    hinted = [reg for reg in tied if any(h in name for h in _FILENAME_HINTS[reg])]
    if len(hinted) == 1:
        return hinted[0]
    options = " or ".join(reg.value for reg in tied)
    raise UnreadableFile(
        "ambiguous_register",
        f"The columns fit {options} equally well. Name the register explicitly "
        "(or put it in the file name).",
    )
