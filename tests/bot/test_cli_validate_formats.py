"""`python -m bot validate --json` on files saved the way people save them (issues 15 and 16)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli_validate import main

ROOT = Path(__file__).resolve().parents[2]


def validate(tmp_path: Path, name: str, content: str, *args: str) -> tuple[int, dict[str, Any]]:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out = io.StringIO()
    code = main([str(path), "--json", *args], stdout=out)
    return code, json.loads(out.getvalue())["files"][0]


def codes(entry: dict[str, Any]) -> set[tuple[int | None, str | None, str]]:
    return {(i["row"], i["column"], i["code"]) for i in entry["issues"]}


def test_the_real_command_reads_run_together_headers_and_grouped_numbers(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "CustomerNumber;Name;CustomerGroup;VatZone;PaymentTerms;Country;Currency;\n"
        "100;Oy Ab;1;3;14;Kanada;CAD;\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "validate", str(path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entry = json.loads(proc.stdout)["files"][0]
    assert entry["register"] == "customers"
    assert codes(entry) == {(2, "country", "country_name")}


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Tuote nro", "number"),
        ("Tuotetunnus", "number"),
        ("Nimikekoodi", "number"),
        ("Artikkelinumero", "number"),
        ("Kustannushinta €", "cost_price"),
        ("Yksikkökustannus", "cost_price"),
        ("Myyntihinta (alv 0 %)", "sales_price"),
        ("Tuoteryhmän numero", "group"),
        ("Yks.", "unit"),
        ("EAN-13", "barcode"),
        ("Varastonumero", "location"),
        ("Selite", "description"),
    ],
)
def test_finnish_product_headers(tmp_path: Path, header: str, column: str) -> None:
    base = {
        "number": "Tuotenumero",
        "name": "Nimi",
        "group": "Tuoteryhmä",
        "cost_price": "Kustannushinta",
        "sales_price": "Myyntihinta",
    }
    base[column] = header
    values = {"barcode": "6410000001008", "unit": "kpl", "description": "x", "location": "1"}
    cells = [*base.values()] + ([] if column in base else [header])
    row = ["1", "A", "1", "2,50", "3,10"] + ([] if column in base else [values[column]])
    code, entry = validate(tmp_path, "tuotteet.csv", ";".join(cells) + "\n" + ";".join(row) + "\n")
    assert (code, entry["register"], entry["counts"]) == (0, "products", {})


@pytest.mark.parametrize(
    ("header", "register"),
    [
        ("As.nro;Nimi;Asiakasryhmä;ALV-koodi;Maksuaika;Puh.;S-posti;VAT-numero", "customers"),
        ("Asiakaskoodi;Nimi;Ryhmä;ALV-käsittely;Maksuehtonumero;ALV-rekisterinumero", "customers"),
        ("Toim.nro;Nimi;Toimittajaryhmä;ALV-koodi;Maksuaika;SWIFT-koodi", "suppliers"),
        ("Toimittajatunnus;Nimi;Ryhmä;ALV-vyöhyke;Maksuehto;IBAN", "suppliers"),
        ("Kirjauspäivä;Nimikekoodi;Varastonumero;Lukumäärä;A-hinta;Syy;Eränro;S/N", "inventory"),
        ("Pvm;Tuotetunnus;Varastopaikka;Kappalemäärä;Yksikkökustannus;Syy;Erätunnus", "inventory"),
        ("Päivämäärä;Tuote;Varasto;Alkusaldo;Kustannushinta €;Syy;Sarjanro", "inventory"),
    ],
)
def test_finnish_headers_of_every_register(tmp_path: Path, header: str, register: str) -> None:
    width = header.count(";") + 1
    _, entry = validate(tmp_path, "x.csv", header + "\n" + ";".join([""] * width) + "x\n")
    assert entry["register"] == register
    assert not {"missing_column", "unknown_column", "header_guessed"} & set(entry["counts"])


def test_guessed_headers_are_warnings_and_the_normalized_file_uses_the_canonical_name(
    tmp_path: Path,
) -> None:
    out = tmp_path / "clean.csv"
    code, entry = validate(
        tmp_path,
        "p.csv",
        "Tuotenumro;Nimi;Tuoteryhmä;Kustanushinta;Myyntihinta\n1;A;1;1.234,50;2\n",
        "--normalized",
        str(out),
    )
    assert code == 0
    # File-level (no row), and the column each header was read as.
    assert codes(entry) == {
        (None, "number", "header_guessed"),
        (None, "cost_price", "header_guessed"),
    }
    assert {i["value"] for i in entry["issues"]} == {"Tuotenumro", "Kustanushinta"}
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["number;name;group;cost_price;sales_price", "1;A;1;1234,50;2"]


def test_two_headers_matching_one_column_after_notes_exit_1(tmp_path: Path) -> None:
    code, entry = validate(
        tmp_path,
        "p.csv",
        "number;name;group;Kustannushinta €;Kustannushinta (EUR);sales_price\n1;A;1;1;1;1\n",
    )
    assert code == 1 and codes(entry) == {(None, None, "duplicate_column")}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.234,50", set()),
        ("1,234.50", set()),
        ("1.234", {(2, "cost_price", "decimal_ambiguous")}),
        ("1,234.5,0", {(2, "cost_price", "decimal_invalid")}),
    ],
)
def test_numbers_as_written(
    tmp_path: Path, value: str, expected: set[tuple[int, str, str]]
) -> None:
    content = f"number;name;group;cost_price;sales_price\n1;A;1;{value};1\n2;B;1;12,50;1\n"
    _, entry = validate(tmp_path, "p.csv", content)
    assert codes(entry) == expected


def test_iso_and_short_dates_are_written_dd_mm_yyyy(tmp_path: Path) -> None:
    out = tmp_path / "clean.csv"
    code, _ = validate(
        tmp_path,
        "saldot.csv",
        "date;product;location;quantity;cost_price;reason\n"
        "2024-04-01;1;1;5;2;R\n1.4.2024;2;1;5;2;R\n01.04.2024;3;1;5;2;R\n",
        "--valuation",
        "fifo",
        "--normalized",
        str(out),
    )
    assert code == 0
    rows = out.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert [r.split(";")[0] for r in rows] == ["01.04.2024"] * 3


def test_excel_damage_has_its_own_codes(tmp_path: Path) -> None:
    content = (
        "number;name;group;cost_price;sales_price;barcode\n"
        "1;A;1;1;1;6,41235E+12\n2;B;1;1;1;1234565\n3;C;1;1;1;6410000001008\n"
    )
    code, entry = validate(tmp_path, "p.csv", content)
    assert code == 1
    assert codes(entry) == {(2, "barcode", "excel_scientific"), (3, "barcode", "ean_leading_zeros")}
    messages = [i["message"] for i in entry["issues"]]
    assert all("as Text" in m for m in messages)
    assert "was it 01234565?" in messages[1]


def test_currency_and_eu_vat_and_iban(tmp_path: Path) -> None:
    content = (
        "number;name;group;vat_zone;payment_terms;currency;vat_number;iban\n"
        "500;A;1;2;14;ABC;DE136695977;DE89370400440532013000\n"
        "501;B;1;2;14;SEK;DE136695976;DE8937040044053201300\n"
    )
    _, entry = validate(tmp_path, "toimittajat.csv", content)
    assert codes(entry) == {
        (2, "currency", "currency_invalid"),
        (2, "vat_number", "vat_number_invalid"),
        (3, "iban", "iban_invalid"),
    }
