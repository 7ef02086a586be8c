"""Customers and suppliers: numbers, business ids, VAT numbers, addresses, IBAN, BIC."""

from __future__ import annotations

import pytest

from core.registers import FileInput
from core.registers.normalize import write_normalized
from tests.core.registers.conftest import CUSTOMERS_HEADER, found, run_check

SUPPLIERS_HEADER = "number;name;group;vat_zone;payment_terms"


def customer(extra_header: str, row: str) -> set[tuple[int | None, str | None, str]]:
    return found(run_check(f"{CUSTOMERS_HEADER}{extra_header}\n{row}\n", "customers.csv"))


def supplier(extra_header: str, row: str) -> set[tuple[int | None, str | None, str]]:
    return found(run_check(f"{SUPPLIERS_HEADER}{extra_header}\n{row}\n", "suppliers.csv"))


def test_customer_number_starting_with_zero_is_refused() -> None:
    assert customer("", "0100;A;1;1;14") == {(2, "number", "customer_number_leading_zero")}


def test_non_numeric_customer_number_is_refused() -> None:
    assert customer("", "C-100;A;1;1;14") == {(2, "number", "customer_number_not_numeric")}


def test_customer_number_longer_than_nine_characters_is_refused() -> None:
    assert customer("", "1234567890;A;1;1;14") == {(2, "number", "too_long")}


def test_supplier_number_rules_are_warnings() -> None:
    result = run_check(f"{SUPPLIERS_HEADER}\nS-1;A;1;1;14\n", "suppliers.csv")
    assert result.valid and "supplier_number_not_numeric" in result.counts


def test_missing_payment_terms_has_its_own_code() -> None:
    assert customer("", "100;A;1;1;") == {(2, "payment_terms", "payment_terms_missing")}


@pytest.mark.parametrize("zone", ["0", "5", "EU"])
def test_vat_zone_must_be_one_to_four(zone: str) -> None:
    assert customer("", f"100;A;1;{zone};14") == {(2, "vat_zone", "vat_zone_invalid")}


@pytest.mark.parametrize(
    "business_id",
    [
        "0737546-2",  # weighted sum mod 11 = 9 → check digit 2
        "1572860-0",  # weighted sum mod 11 = 0 → check digit 0
        "'0737546-2",
    ],
)
def test_valid_business_ids(business_id: str) -> None:
    assert customer(";business_id", f"100;A;1;1;14;{business_id}") == set()


def test_business_id_with_remainder_one_has_no_valid_check_digit() -> None:
    # 1000008: 1·7 + 8·2 = 23, 23 mod 11 = 1: no check digit can be valid.
    for digit in "0123456789":
        assert customer(";business_id", f"100;A;1;1;14;1000008-{digit}") == {
            (2, "business_id", "business_id_checksum")
        }


def test_business_id_with_wrong_check_digit_or_shape() -> None:
    assert customer(";business_id", "100;A;1;1;14;0737546-3") == {
        (2, "business_id", "business_id_checksum")
    }
    assert customer(";business_id", "100;A;1;1;14;737546") == {
        (2, "business_id", "business_id_invalid")
    }


def test_foreign_business_id_is_not_checked_as_a_y_tunnus() -> None:
    assert customer(";business_id;country", "100;A;1;2;14;556677-8899;SE") == set()


def test_vat_number_disagreeing_with_the_business_id() -> None:
    assert customer(";business_id;vat_number", "100;A;1;1;14;0737546-2;FI15728600") == {
        (2, "vat_number", "vat_number_mismatch")
    }
    assert customer(";business_id;vat_number", "100;A;1;1;14;0737546-2;FI07375462") == set()


def test_malformed_vat_numbers() -> None:
    assert customer(";vat_number", "100;A;1;1;14;FI0737546") == {
        (2, "vat_number", "vat_number_invalid")
    }
    assert customer(";vat_number", "100;A;1;2;14;SE556677889901") == set()


def test_finnish_zip_has_five_digits_and_keeps_its_leading_zeros() -> None:
    assert customer(";zip", "100;A;1;1;14;00100") == set()
    result = run_check(f"{CUSTOMERS_HEADER};zip\n100;A;1;1;14;100\n", "customers.csv")
    assert found(result) == {(2, "zip", "zip_invalid")}
    assert result.issues[0].params == {"guess": "00100"}
    assert customer(";zip;country", "100;A;1;2;14;SE-11122;SE") == set()


def test_country_names_are_warnings_with_the_code_to_use() -> None:
    result = run_check(f"{CUSTOMERS_HEADER};country\n100;A;1;1;14;Suomi\n", "customers.csv")
    assert found(result) == {(2, "country", "country_name")}
    assert result.valid and result.issues[0].params == {"code": "FI"}
    assert customer(";country", "100;A;1;1;14;Atlantis") == {(2, "country", "country_invalid")}
    assert customer(";country", "100;A;1;1;14;fi") == set()


def test_email_and_currency() -> None:
    assert customer(";email", "100;A;1;1;14;matti@") == {(2, "email", "email_invalid")}
    assert customer(";email", "100;A;1;1;14;matti@firma.fi") == set()
    assert customer(";currency", "100;A;1;1;14;euro") == {(2, "currency", "currency_invalid")}


def test_iban_with_valid_and_invalid_check_digits() -> None:
    assert supplier(";iban", "500;A;1;1;14;FI21 1234 5600 0007 85") == set()
    assert supplier(";iban", "500;A;1;1;14;FI2112345600000786") == {(2, "iban", "iban_checksum")}
    assert supplier(";iban", "500;A;1;1;14;FI21123456") == {(2, "iban", "iban_invalid")}


def test_bic() -> None:
    assert supplier(";bic", "500;A;1;1;14;NDEAFIHH") == set()
    assert supplier(";bic", "500;A;1;1;14;NDEA") == {(2, "bic", "bic_invalid")}


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Japani", "JP"),
        ("Kanada", "CA"),
        ("KANADA", "CA"),
        ("Yhdysvallat", "US"),
        ("United States", "US"),
        ("United Arab Emirates", "AE"),
        ("Arabiemiirikunnat", "AE"),
        ("De Forenede Arabiske Emirater", "AE"),
        ("Etelä-Korea", "KR"),
        ("Etela-Korea", "KR"),
        ("Tyskland", "DE"),
        ("Förenade arabemiraten", "AE"),
        ("Storbritannien", "GB"),
        ("Iso-Britannia", "GB"),
        ("Côte d’Ivoire", "CI"),
        ("cote d'ivoire", "CI"),
        ("Norsunluurannikko", "CI"),
        ("Sverige", "SE"),
    ],
)
def test_country_names_in_four_languages_are_warnings_with_the_code(name: str, code: str) -> None:
    result = run_check(f"{CUSTOMERS_HEADER};country\n100;A;1;2;14;{name}\n", "customers.csv")
    assert found(result) == {(2, "country", "country_name")}
    assert result.issues[0].params == {"code": code}


@pytest.mark.parametrize("name", ["Atlantis", "United", "Arab", "XK", "EU", "ZZ"])
def test_unknown_country_names_and_codes_stay_errors(name: str) -> None:
    assert customer(";country", f"100;A;1;2;14;{name}") == {(2, "country", "country_invalid")}


def test_country_names_become_codes_in_the_normalized_file() -> None:
    data = f"{CUSTOMERS_HEADER};country\n100;A;1;3;14;Japani\n".encode()
    result = run_check(data, "customers.csv")
    out = write_normalized(FileInput("customers.csv", data=data), result)
    assert out is not None and out.decode("utf-8-sig").splitlines()[1].endswith(";JP")


@pytest.mark.parametrize("currency", ["EUR", "sek", "JPY", "Usd"])
def test_currencies_in_use_are_accepted(currency: str) -> None:
    assert customer(";currency", f"100;A;1;1;14;{currency}") == set()


@pytest.mark.parametrize("currency", ["ABC", "XYZ", "FIM", "EU", "EURO"])
def test_currency_codes_that_do_not_exist_are_refused(currency: str) -> None:
    assert customer(";currency", f"100;A;1;1;14;{currency}") == {
        (2, "currency", "currency_invalid")
    }


@pytest.mark.parametrize(
    ("vat", "broken"),
    [
        ("DE136695976", "DE136695977"),
        ("SE556703748501", "SE556703748601"),
        ("EL094259216", "EL094259217"),
        ("NL004495445B01", "NL004495446B01"),
        ("DK13585628", "DK13585629"),
    ],
)
def test_eu_vat_numbers_are_checked_by_their_countrys_rules(vat: str, broken: str) -> None:
    assert customer(";vat_number", f"100;A;1;2;14;{vat}") == set()
    assert customer(";vat_number", f"100;A;1;2;14;{broken}") == {
        (2, "vat_number", "vat_number_invalid")
    }


def test_a_vat_number_from_outside_the_eu_is_not_judged() -> None:
    assert customer(";vat_number", "100;A;1;3;14;NO123456789MVA") == set()


@pytest.mark.parametrize(
    "iban",
    [
        "DE89 3704 0044 0532 0130 00",
        "GB29NWBK60161331926819",
        "NO9386011117947",
        "SE4550000000058398257466",
        "EE382200221020145685",
    ],
)
def test_ibans_of_every_country_by_length_and_check_digits(iban: str) -> None:
    assert supplier(";iban", f"500;A;1;2;14;{iban}") == set()
    assert supplier(";iban", f"500;A;1;2;14;{iban}0") == {(2, "iban", "iban_invalid")}


def test_a_business_id_with_or_without_the_hyphen() -> None:
    assert customer(";business_id", "100;A;1;1;14;07375462") == set()
    assert customer(";business_id", "100;A;1;1;14;07375463") == {
        (2, "business_id", "business_id_checksum")
    }


@pytest.mark.parametrize(
    ("number", "codes"),
    [
        ("0100", {"customer_number_leading_zero"}),
        ("0", {"customer_number_leading_zero"}),
        ("0A1", {"customer_number_not_numeric"}),
        ("+0100", {"customer_number_not_numeric"}),
        ("100", set()),
    ],
)
def test_a_leading_zero_is_reported_on_numbers_of_digits_alone(
    number: str, codes: set[str]
) -> None:
    assert {code for _, _, code in customer("", f"{number};A;1;1;14")} == codes
