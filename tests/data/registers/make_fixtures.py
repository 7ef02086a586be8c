"""Writes the encoding fixtures (run once; the outputs are committed).

.venv/bin/python tests/data/registers/make_fixtures.py
"""

from __future__ import annotations

import codecs
from pathlib import Path

HERE = Path(__file__).resolve().parent

PRODUCTS = (
    "Tuotenumero;Nimi;Tuoteryhmä;Kustannushinta;Myyntihinta;Viivakoodi;Eräseuranta;Sarjanumerot\r\n"
    "1001;Sähköjohto 3×1,5 mm²;10;12,50;19,90;6410000001008;ei;ei\r\n"
    "1002;Öljynsuodatin Åbo;10;1\u00a0234,50;1 899,00;;kyllä;ei\r\n"
    '1003;"Työkalupakki; iso";20;45,00;79,00;73513537;ei;kyllä\r\n'
    "\r\n"
)

CUSTOMERS = (
    "Asiakasnumero\tNimi\tAsiakasryhmä\tALV-vyöhyke\tMaksuehto\tY-tunnus\tALV-numero\t"
    "Postinumero\tPostitoimipaikka\tMaa\r\n"
    "100\tMäkelän Kone Oy\t1\t1\t14\t0737546-2\tFI07375462\t00100\tHelsinki\tFI\r\n"
    "101\tÅlands Fisk Ab\t1\t1\t14\t\t\t22100\tMariehamn\tFI\r\n"
)

SUPPLIERS = (
    "Toimittajanumero,Nimi,Ryhmä,ALV-vyöhyke,Maksuehto,IBAN,BIC,Maa\r\n"
    "500,Pörssitukku Oy,1,1,30,FI21 1234 5600 0007 85,NDEAFIHH,Suomi\r\n"
)

INVENTORY = (
    "Päiväys;Tuotekoodi;Varasto;Määrä;Kustannushinta;Syy;Kuvaus;Saldonkorjaus\r\n"
    "'10.04.2024;1001;1;25;12,50;Alkusaldo;Avaussaldo;1\r\n"
    "1.4.2024;1002;1;3;1 234,50;Alkusaldo;;1\r\n"
)


def main() -> None:
    (HERE / "products_cp1252.csv").write_bytes(PRODUCTS.encode("cp1252"))
    (HERE / "customers_utf16.txt").write_bytes(codecs.BOM_UTF16_LE + CUSTOMERS.encode("utf-16-le"))
    (HERE / "suppliers_utf8_bom.csv").write_bytes(codecs.BOM_UTF8 + SUPPLIERS.encode("utf-8"))
    (HERE / "inventory_netvisor_iso8859_15.csv").write_bytes(INVENTORY.encode("iso-8859-15"))


if __name__ == "__main__":
    main()
