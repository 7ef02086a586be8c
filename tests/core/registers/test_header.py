"""Recognising registers from headers: aliases in three languages, missing and unknown columns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.registers.columns import SCHEMAS
from core.registers.header import (
    LOOKUPS,
    edit_distance,
    guess_limit,
    header_key,
    map_header,
    register_in_text,
)
from core.registers.model import Register
from tests.core.registers.conftest import PRODUCTS_HEADER, found, run_check


@pytest.mark.parametrize(
    ("header", "register"),
    [
        ("Tuotenumero;Nimi;Tuoteryhmä;Kustannushinta;Myyntihinta", "products"),
        ("Varenummer;Navn;Varegruppe;Kostpris;Salgspris", "products"),
        ("Product number;Product name;Product group;Cost price;Sales price", "products"),
        ("Asiakasnumero;Nimi;Asiakasryhmä;ALV-vyöhyke;Maksuehto", "customers"),
        ("Kundenummer;Navn;Kundegruppe;Momszone;Betalingsbetingelser", "customers"),
        ("Toimittajanumero;Nimi;Ryhmä;ALV-vyöhyke;Maksuehto;IBAN", "suppliers"),
        ("Päiväys;Tuotekoodi;Varasto;Määrä;Kustannushinta;Syy;Kuvaus;Saldonkorjaus", "inventory"),
        ("Dato;Varenummer;Lokation;Antal;Kostpris;Årsag", "inventory"),
    ],
)
def test_headers_in_english_finnish_and_danish_are_recognised(header: str, register: str) -> None:
    width = header.count(";") + 1
    result = run_check(header + "\n" + ";".join(["1"] * width) + "\n", "file.csv")
    assert result.register == register
    assert "missing_column" not in result.counts


def test_header_names_ignore_case_spaces_underscores_and_hyphens() -> None:
    assert header_key(" COST_price ") == header_key("Cost-Price") == "costprice"


def test_missing_required_column_is_a_file_level_error_with_a_guess() -> None:
    result = run_check("number;name;group;cost_price;sales;Väri\n1;A;1;1;1;1\n")
    missing = [i for i in result.issues if i.code == "missing_column"]
    assert len(missing) == 1
    assert missing[0].row is None and missing[0].column is None
    assert missing[0].params == {"column": "sales_price", "guess": "sales"}


def test_unknown_columns_are_warnings() -> None:
    result = run_check("number;name;group;cost_price;sales_price;Väri\n1;A;1;1;1;red\n")
    assert result.valid
    assert found(result) == {(None, None, "unknown_column")}
    assert result.issues[0].value == "Väri"


def test_two_headers_for_one_column_are_an_error() -> None:
    result = run_check("number;name;Nimi;group;cost_price;sales_price\n1;A;B;1;1;1\n")
    assert "duplicate_column" in result.counts


def test_every_column_accepts_its_canonical_name() -> None:
    for register, columns in SCHEMAS.items():
        header = ";".join(c.name for c in columns)
        result = run_check(
            header + "\n" + ";".join("" for _ in columns) + "x\n",
            "x.csv",
            register_override=register,
        )
        assert not {"unknown_column", "missing_column"} & set(result.counts), register


@pytest.mark.parametrize(
    "header",
    [
        "customernumber;name;group;vatzone;paymentterms",
        "CustomerNumber;Name;Group;VatZone;PaymentTerms",
        "CUSTOMER_NUMBER;NAME;GROUP;VAT-ZONE;PAYMENT.TERMS",
    ],
)
def test_headers_without_separators_are_recognised(header: str) -> None:
    result = run_check(header + "\n100;A;1;1;14\n", "data.csv")
    assert result.register == "customers"
    assert result.valid and not result.counts


@pytest.mark.parametrize(
    ("register", "header", "column"),
    [
        ("products", "Tuotetunnus", "number"),
        ("products", "Nimikekoodi", "number"),
        ("products", "Nimikenumero", "number"),
        ("products", "Artikkelinumero", "number"),
        ("products", "Tuote nro", "number"),
        ("products", "Tuoteryhmän numero", "group"),
        ("products", "Yksikkökustannus", "cost_price"),
        ("products", "Kustannushinta €", "cost_price"),
        ("products", "Myyntihinta (alv 0 %)", "sales_price"),
        ("products", "Myyntihinta, EUR alv 0%", "sales_price"),
        ("products", "Yks.", "unit"),
        ("products", "EAN-13", "barcode"),
        ("products", "Varastonumero", "location"),
        ("products", "Selite", "description"),
        ("customers", "Asiakastunnus", "number"),
        ("customers", "Asiakaskoodi", "number"),
        ("customers", "As.nro", "number"),
        ("customers", "ALV-koodi", "vat_zone"),
        ("customers", "ALV-käsittely", "vat_zone"),
        ("customers", "VAT-numero", "vat_number"),
        ("customers", "ALV-rekisterinumero", "vat_number"),
        ("customers", "Maksuaika", "payment_terms"),
        ("customers", "Maksuehtonumero", "payment_terms"),
        ("customers", "Puh.", "phone"),
        ("customers", "S-posti", "email"),
        ("suppliers", "Toimittajakoodi", "number"),
        ("suppliers", "Toimittajatunnus", "number"),
        ("suppliers", "Toim.nro", "number"),
        ("suppliers", "SWIFT-koodi", "bic"),
        ("inventory", "Kirjauspäivä", "date"),
        ("inventory", "Lukumäärä", "quantity"),
        ("inventory", "Kappalemäärä", "quantity"),
        ("inventory", "Alkusaldo", "quantity"),
        ("inventory", "Määrä kpl", "quantity"),
        ("inventory", "A-hinta", "cost_price"),
        ("inventory", "Yksikkökustannus", "cost_price"),
        ("inventory", "Eränro", "batch"),
        ("inventory", "Erätunnus", "batch"),
        ("inventory", "Sarjanro", "serial"),
        ("inventory", "S/N", "serial"),
        ("inventory", "Nimikekoodi", "product"),
    ],
)
def test_finnish_spellings_notes_and_dotted_abbreviations_are_aliases(
    register: str, header: str, column: str
) -> None:
    mapped = map_header(Register(register), (header,))
    assert column in mapped.positions, (header, mapped)
    assert not mapped.notes  # an alias, not a guess


def test_two_headers_that_match_one_column_after_notes_are_a_duplicate() -> None:
    result = run_check(
        "number;name;group;cost_price;Myyntihinta (alv 0 %);Myyntihinta (alv 25,5 %)\n"
        "1;A;1;1;10;12,55\n"
    )
    assert not result.valid
    duplicate = [i for i in result.issues if i.code == "duplicate_column"]
    assert [i.value for i in duplicate] == ["Myyntihinta (alv 25,5 %)"]


def test_a_note_alone_is_the_name_not_a_note() -> None:
    assert header_key("kpl") == "kpl"
    assert header_key("ALV") == "alv"


def test_a_header_close_to_one_column_is_read_as_it_with_a_warning() -> None:
    result = run_check("Tuotenumro;Nimi;Tuoteryhmä;Kustannushinta;Myyntihinta\n1;A;1;1;1\n")
    assert result.valid
    guessed = [i for i in result.issues if i.code == "header_guessed"]
    assert len(guessed) == 1
    assert guessed[0].value == "Tuotenumro" and guessed[0].severity == "warning"
    assert guessed[0].params == {"header": "Tuotenumro", "column": "number"}
    assert (guessed[0].row, guessed[0].column) == (None, "number")


def test_several_guessed_headers_still_recognise_the_register() -> None:
    result = run_check("Customernumbr;Name;Groupp;Vatzne;Paymentterm\n1;A;1;1;14\n", "x.csv")
    assert result.register == "customers"
    assert result.counts == {"header_guessed": 3}
    nmae = run_check("Customernumber;Nmae;Group;Vatzone;Paymentterm\n1;A;1;1;14\n", "x.csv")
    assert nmae.counts["missing_column"] == 1  # four letters are too few to guess from


def test_guessing_never_chooses_between_two_columns() -> None:
    # `osoite3` is one edit from `osoite` (address) and from `osoite2` (address2).
    mapped = map_header(Register.CUSTOMERS, ("osoite3",))
    assert mapped.positions == {} and mapped.unknown == ((0, "osoite3"),)


def test_distant_headers_stay_missing_with_did_you_mean() -> None:
    result = run_check("number;name;group;cost_price;Myyntihnt\n1;A;1;1;1\n")
    missing = [i for i in result.issues if i.code == "missing_column"]
    assert len(missing) == 1 and missing[0].params["guess"] == "Myyntihnt"


def test_two_headers_guessed_to_one_column_are_a_duplicate_not_a_choice() -> None:
    result = run_check("numbr;name;group;cost_price;sales_price;nubmer\n1;A;1;1;1;2\n")
    assert "duplicate_column" in result.counts and not result.valid


def test_guess_limit_grows_with_the_length() -> None:
    assert [guess_limit("x" * n) for n in (4, 5, 9, 10, 20)] == [0, 1, 1, 2, 2]
    assert edit_distance("tuotenumro", "tuotenumero", 2) == 1
    assert edit_distance("nmuber", "number", 1) == 1  # a swap is one edit
    assert edit_distance("abcdefgh", "hgfedcba", 2) == 3


def test_a_trailing_empty_header_cell_is_ignored_with_its_column() -> None:
    result = run_check("number;name;group;cost_price;sales_price;\n1;A;1;1;1;\n2;B;1;1;1\n")
    assert result.valid and not result.counts


def test_an_empty_header_cell_inside_the_row_is_reported() -> None:
    result = run_check("number;;name;group;cost_price;sales_price\n1;x;A;1;1;1\n")
    assert result.counts == {"unknown_column": 1}
    assert result.issues[0].params == {"position": "2"}  # no header to name it by


def test_varasto_is_a_location_in_products_unless_its_values_are_quantities() -> None:
    located = run_check(PRODUCTS_HEADER + ";Varasto\n1;A;1;1;1;2\n2;B;1;1;1;3\n")
    assert located.valid and located.counts == {"header_ambiguous": 1}
    assert located.issues[0].params == {"header": "Varasto", "column": "location"}
    stock = run_check(PRODUCTS_HEADER + ";Varasto\n1;A;1;1;1;12,5\n2;B;1;1;1;3\n")
    assert stock.valid and stock.counts == {"header_ambiguous": 1}
    assert stock.issues[0].params == {"header": "Varasto"}  # no column: left out
    assert stock.header is not None and "location" not in stock.header.positions


def test_varasto_in_inventory_is_decided_by_the_other_headers_and_the_values() -> None:
    rest = "date;product;cost_price;reason"
    by_header = run_check(f"{rest};Varastopaikka;Varasto\n1.1.2024;1;2;x;1;5\n", "s.csv")
    assert by_header.header is not None
    assert by_header.header.positions["quantity"] == 5
    by_values = run_check(f"{rest};Varasto;Määrä\n1.1.2024;1;2;x;1;5\n", "s.csv")
    assert by_values.header is not None and by_values.header.positions["location"] == 4
    quantities = run_check(f"{rest};Sijainti;Varasto\n1.1.2024;1;2;x;1;-2,5\n", "s.csv")
    assert quantities.header is not None and quantities.header.positions["quantity"] == 5
    assert all(f.counts.get("header_ambiguous") == 1 for f in (by_header, by_values, quantities))


def test_every_alias_is_claimed_by_one_column_per_register() -> None:
    for register, lookup in LOOKUPS.items():
        for column in SCHEMAS[register]:
            for alias in column.aliases:
                assert lookup[header_key(alias)] == column.name, (register, alias)


@pytest.mark.parametrize(
    ("text", "register"),
    [
        ("tuoterekisteri", "products"),
        ("tässä tuotteita", "products"),
        ("asiakkaat.csv", "customers"),
        ("Asiakasrekisteri 2024.csv", "customers"),
        ("varastosaldot", "inventory"),
        ("alkusaldot.csv", "inventory"),
        ("tuotesaldot", "inventory"),  # a compound's head decides
        ("toimittajia", "suppliers"),
        ("Suppliers", "suppliers"),
        ("varelager.csv", "inventory"),
        ("tässä tuotavat asiakkaat", "customers"),  # `tuotavat` ("to import") is no product
        ("products and customers", None),
        ("hello", None),
    ],
)
def test_the_register_named_in_a_message_or_file_name(text: str, register: str | None) -> None:
    assert register_in_text(text) == register


def test_a_file_name_that_names_two_registers_still_breaks_a_tie() -> None:
    header = "number;name;group;vat_zone;payment_terms\n500;A;1;1;14\n"
    assert run_check(header, "customers_with_stock.csv").register == "customers"


def _full_osa(a: str, b: str) -> int:
    """The whole optimal-string-alignment table, the obvious way: what the banded one must
    agree with up to its limit."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        table[i][0] = i
    for j in range(len(b) + 1):
        table[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
    return table[len(a)][len(b)]


@st.composite
def _near_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """A word and the word after a few random edits (swaps of neighbours among them): pairs
    near enough for the limit to matter, which independent strings seldom are."""
    a = draw(st.text(alphabet="abcd", max_size=9))
    b = list(a)
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        edit = draw(st.sampled_from(["insert", "delete", "change", "swap"]))
        at = draw(st.integers(min_value=0, max_value=len(b)))
        if edit == "insert":
            b.insert(at, draw(st.sampled_from("abcd")))
        elif edit == "delete" and at < len(b):
            del b[at]
        elif edit == "change" and at < len(b):
            b[at] = draw(st.sampled_from("abcd"))
        elif edit == "swap" and at + 1 < len(b):
            b[at], b[at + 1] = b[at + 1], b[at]
    return a, "".join(b)


@given(_near_pairs(), st.integers(min_value=0, max_value=3))
@settings(max_examples=600, deadline=None)
def test_banded_edit_distance_agrees_with_the_full_table_up_to_its_limit(
    pair: tuple[str, str], limit: int
) -> None:
    a, b = pair
    assert edit_distance(a, b, limit) == min(_full_osa(a, b), limit + 1)
