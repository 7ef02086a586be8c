"""The four registers' columns: canonical names, kinds, aliases (English, Finnish, Danish).

Only data lives here; ``core.registers.header`` reads header rows with it. Aliases are
compared after ``header.header_key`` (case, separators and unit/VAT notes do not matter), so
each spelling is listed once: `cost price` covers `Cost_Price`, `CostPrice` and `cost-price €`.
Two columns of one register claiming the same name is refused when the module loads.
"""

from __future__ import annotations

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
            "vat zone|vat code|alv-vyöhyke|arvonlisäverovyöhyke|alv-alue|alv-koodi|alv-käsittely|"
            "momszone|moms zone",
            required=True,
        ),
        _c(
            "payment_terms",
            Kind.REF,
            "Payment terms number.",
            "payment terms|payment term|terms of payment|maksuehto|maksuehdot|maksuaika|"
            "maksuehtonumero|maksuehdon numero|betalingsbetingelser|betalingsbetingelse",
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
            "vat-numero|alv-rekisterinumero|momsnummer|se-nummer",
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
            "email|e-mail|email address|sähköposti|sähköpostiosoite|s-posti|mail",
        ),
        _c(
            "phone",
            Kind.TEXT,
            "Phone number.",
            "phone|telephone|phone number|puhelin|puhelinnumero|puh|telefon|telefonnummer|tlf",
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
        "tuotenumero|tuotekoodi|tuotenro|tuotetunnus|nimikekoodi|nimikenumero|artikkelinumero|"
        "koodi|varenummer|varenr|produktnummer|nummer",
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
        "group|product group|group number|product group number|tuoteryhmä|tuoteryhmän numero|"
        "tuoteryhmänumero|ryhmä|varegruppe|gruppe|produktgruppe",
        required=True,
    ),
    _c(
        "cost_price",
        Kind.DECIMAL,
        "Unit cost excluding VAT, ≥ 0.",
        "cost price|cost|purchase price|unit cost|kustannushinta|ostohinta|hankintahinta|"
        "omakustannushinta|yksikkökustannus|kostpris|indkøbspris",
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
    _c("unit", Kind.CODE, "Unit.", "unit|yksikkö|yks|enhed"),
    _c(
        "barcode",
        Kind.CODE,
        "EAN-8, UPC-A, EAN-13 or GTIN-14 with a valid check digit.",
        "barcode|ean|ean code|ean-13|ean13|gtin|upc|viivakoodi|ean-koodi|stregkode|ean-nummer",
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
        "location|location number|warehouse|varastopaikka|varastonumero|sijainti|lokation",
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
    _c(
        "description",
        Kind.TEXT,
        "Description.",
        "description|kuvaus|selite|beskrivelse",
        max_len=10_000,
    ),
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
        "number|customer number|customer no|customer id|asiakasnumero|asiakasnro|"
        "asiakastunnus|asiakaskoodi|numero|kundenummer|kundenr|nummer",
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
        "number|supplier number|supplier no|vendor number|toimittajanumero|toimittajanro|"
        "toimittajakoodi|toimittajatunnus|numero|leverandørnummer|kreditornummer|nummer",
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
    _c(
        "bic",
        Kind.CODE,
        "BIC / SWIFT code of the bank.",
        "bic|swift|bic-koodi|swift code|swift-koodi",
    ),
    *_ADDRESS,
    *_contact(),
)

INVENTORY = (
    _c(
        "date",
        Kind.DATE,
        "D.M.YYYY, DD.MM.YYYY or YYYY-MM-DD; not in the future.",
        "date|päiväys|päivämäärä|pvm|kirjauspäivä|kirjauspäivämäärä|dato",
        required=True,
    ),
    _c(
        "product",
        Kind.CODE,
        "Product number (in the products register).",
        "product|product number|item number|sku|tuotekoodi|tuotenumero|tuotetunnus|tuote|"
        "nimikekoodi|nimikenumero|artikkelinumero|varenummer|vare|produkt",
        required=True,
    ),
    _c(
        "location",
        Kind.REF,
        "Location number.",
        "location|location number|warehouse|varastopaikka|varastonumero|lokation",
        required=True,
    ),
    _c(
        "quantity",
        Kind.DECIMAL,
        "Quantity (negative removes stock).",
        "quantity|qty|amount|määrä|lukumäärä|kappalemäärä|kpl|alkusaldo|saldo|antal|mængde",
        required=True,
    ),
    _c(
        "cost_price",
        Kind.DECIMAL,
        "Unit cost; needed when stock is added.",
        "cost price|unit cost|cost|kustannushinta|yksikköhinta|yksikkökustannus|a-hinta|à-hinta|"
        "hankintahinta|kostpris",
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
    _c(
        "description",
        Kind.TEXT,
        "Description.",
        "description|kuvaus|selite|beskrivelse",
        max_len=10_000,
    ),
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
        "batch|batch number|lot|erä|eränumero|eränro|erätunnus|batchnummer",
    ),
    _c(
        "serial",
        Kind.CODE,
        "Serial number (for products with serial numbers).",
        "serial|serial number|sarjanumero|sarjanro|s/n|serienummer",
    ),
)

SCHEMAS: dict[Register, tuple[Column, ...]] = {
    Register.PRODUCTS: PRODUCTS,
    Register.CUSTOMERS: CUSTOMERS,
    Register.SUPPLIERS: SUPPLIERS,
    Register.INVENTORY: INVENTORY,
}

# Stems of the words that name a register in a message or a file name, in any inflection
# (`tuote`: tuote, tuoterekisteri, tuotesaldot; `tuotte`: tuotteet, tuotteita). Chosen so no
# stem sits inside a common unrelated word (`tuot` would match `tuotavat`, "to import").
REGISTER_STEMS: dict[Register, tuple[str, ...]] = {
    Register.PRODUCTS: ("product", "produkt", "item", "tuote", "tuotte", "nimike", "vare"),
    Register.CUSTOMERS: ("customer", "client", "asiaka", "asiakk", "kunde"),
    Register.SUPPLIERS: ("supplier", "vendor", "toimittaj", "leverand", "kreditor"),
    Register.INVENTORY: (
        "inventory",
        "inventaari",
        "balance",
        "stock",
        "saldo",
        "varasto",
        "lager",
    ),
}

# Abbreviations people end with a dot, as the word they stand for (a header's words are
# compared after this): `As.nro` is `asiakasnumero`, `Toim. nro` is `toimittajanumero`,
# `Kunde nr.` is `kundenummer`.
ABBREVIATIONS: dict[str, str] = {
    "as": "asiakas",
    "toim": "toimittaja",
    "nro": "numero",
    "yks": "yksikkö",
    "puh": "puhelin",
    "pvm": "päivämäärä",
    "kust": "kustannus",
    "nr": "nummer",
}

# Headers that name different columns in different files: `Varasto` / `Lager` is a location
# (products, inventory) or a stock quantity (an inventory file, a product list exported with
# its balances). ``header.map_header`` decides by the register and the values.
AMBIGUOUS_HEADERS: dict[str, tuple[str, ...]] = {
    "varasto": ("location", "quantity"),
    "lager": ("location", "quantity"),
}
