"""Recognising registers from headers: aliases in three languages, missing and unknown columns."""

from __future__ import annotations

import pytest

from core.registers.columns import SCHEMAS, header_key
from tests.core.registers.conftest import found, run_check


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
    assert header_key(" COST_price ") == header_key("Cost-Price") == "cost price"


def test_missing_required_column_is_a_file_level_error_with_a_guess() -> None:
    result = run_check("number;name;group;cost_price;sales;Kustannus hinta\n1;A;1;1;1;1\n")
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
