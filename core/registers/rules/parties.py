"""Customers and suppliers: numbers, VAT zone, payment terms, Finnish ids, addresses, IBAN."""

from __future__ import annotations

import re
from typing import ClassVar

import polars as pl
from stdnum import bic, iban
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fi import alv, ytunnus

from core.registers.countries import country_code, currencies
from core.registers.header import HeaderMap
from core.registers.model import Register
from core.registers.rules.base import Check, Context, RegisterRules, python_lookup, x

_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s.]+$"


def business_id_verdict(value: str) -> str | None:
    try:
        ytunnus.validate(value)
    except InvalidChecksum:
        return "business_id_checksum"
    except ValidationError:
        return "business_id_invalid"
    return None


def vat_number_verdict(value: str) -> str | None:
    """Checked by the rules of the EU country its prefix names (python-stdnum's EU VAT
    module: each member state's length and check digits; Greece writes EL)."""
    compact = re.sub(r"[\s\-.]", "", value).upper()
    if compact.startswith("FI"):
        return None if alv.is_valid(compact) else "vat_number_invalid"
    if compact[:2].lower() in eu_vat.MEMBER_STATES or compact[:2] == "EL":
        return None if eu_vat.is_valid(compact) else "vat_number_invalid"
    return None  # outside the EU: no check we can trust


def iban_verdict(value: str) -> str | None:
    """Every country's IBAN by its length and structure (stdnum's IBAN registry) first, then
    the mod-97 check digits: a digit too many is a wrong length, not a wrong checksum."""
    compact = iban.compact(value)
    try:
        # The same account with correct check digits: valid unless its shape is wrong.
        fixed = compact[:2] + iban.calc_check_digits(compact) + compact[4:]
        iban.validate(fixed)
    except (ValidationError, ValueError, KeyError):
        return "iban_invalid"
    return None if fixed == compact else "iban_checksum"


def bic_verdict(value: str) -> str | None:
    return None if bic.is_valid(value) else "bic_invalid"


def country_verdict(value: str) -> str | None:
    code, by_name = country_code(value)
    if code is None:
        return "country_invalid"
    return f"name:{code}" if by_name else f"code:{code}"


_VERDICTS = {
    "business_id": business_id_verdict,
    "vat_number": vat_number_verdict,
    "iban": iban_verdict,
    "bic": bic_verdict,
    "country": country_verdict,
}


def _v(column: str) -> str:
    return f"{column}__v"


class PartyRules(RegisterRules):
    """Shared by customers and suppliers; subclasses set the number rules' codes."""

    number_codes: tuple[str, str] = ("", "")
    required_codes: ClassVar[dict[str, str]] = {"payment_terms": "payment_terms_missing"}
    digits_only = ("number",)

    def __init__(self, header: HeaderMap, context: Context) -> None:
        super().__init__(header, context)
        self._caches: dict[str, dict[str, str | None]] = {c: {} for c in _VERDICTS}

    def prepared_rows(self, raw: pl.DataFrame, *, apostrophes: bool = True) -> pl.DataFrame:
        frame = super().prepared_rows(raw, apostrophes=apostrophes)
        verdicts = [
            python_lookup(frame, column, verdict, self._caches[column]).alias(_v(column))
            for column, verdict in _VERDICTS.items()
            if column in self.present
        ]
        return frame.with_columns(verdicts) if verdicts else frame

    def checks(self) -> list[Check]:
        number = pl.col("number")
        not_numeric, leading_zero = self.number_codes
        checks = [
            *self.kind_checks(),
            Check(
                not_numeric,
                "number",
                pl.col(x("number")),
            ),
            Check(
                leading_zero,
                "number",
                # Digits alone that start with 0 (no search: the digits are known).
                number.str.starts_with("0") & ~pl.col(x("number")),
            ),
        ]
        if "vat_zone" in self.present:
            checks.append(
                Check(
                    "vat_zone_invalid",
                    "vat_zone",
                    pl.col("vat_zone").is_not_null()
                    & ~pl.col("vat_zone").is_in(["1", "2", "3", "4"]),
                )
            )
        checks.extend(self._library_checks())
        checks.extend(self._contact_checks())
        return checks

    def _finnish(self) -> pl.Expr:
        """Rows whose country is Finland (an empty country means FI in Netvisor)."""
        if "country" not in self.present:
            return pl.lit(True)
        v = pl.col(_v("country"))
        return pl.col("country").is_null() | v.str.ends_with(":FI")

    def _library_checks(self) -> list[Check]:
        checks: list[Check] = []
        finnish = self._finnish()
        codes = (
            "business_id_invalid",
            "business_id_checksum",
            "vat_number_invalid",
            "iban_invalid",
            "iban_checksum",
            "bic_invalid",
        )
        for column in ("business_id", "vat_number", "iban", "bic"):
            if column not in self.present:
                continue
            v = pl.col(_v(column))
            for code in codes:
                if code.startswith(column.split("_")[0]):
                    scope = finnish if column == "business_id" else pl.lit(True)
                    checks.append(Check(code, column, scope & (v == code)))
        if "business_id" in self.present and "vat_number" in self.present:
            checks.append(self._vat_mismatch(finnish))
        if "country" in self.present:
            v = pl.col(_v("country"))
            checks.append(
                Check(
                    "country_invalid",
                    "country",
                    v == "country_invalid",
                )
            )
            checks.append(
                Check(
                    "country_name",
                    "country",
                    v.str.starts_with("name:"),
                    {"code": v.str.strip_prefix("name:")},
                )
            )
        return checks

    def _vat_mismatch(self, finnish: pl.Expr) -> Check:
        vat = pl.col("vat_number").str.to_uppercase().str.replace_all(r"[\s\-.]", "")
        bid = pl.col("business_id").str.replace_all(r"\D", "")
        both_valid = pl.col(_v("business_id")).is_null() & pl.col(_v("vat_number")).is_null()
        return Check(
            "vat_number_mismatch",
            "vat_number",
            finnish
            & pl.col("business_id").is_not_null()
            & both_valid
            & vat.str.starts_with("FI")
            & (vat.str.strip_prefix("FI") != bid.str.zfill(8)),
            {"expected": pl.format("FI{}", bid.str.zfill(8)), "business_id": pl.col("business_id")},
        )

    def _contact_checks(self) -> list[Check]:
        checks: list[Check] = []
        if "zip" in self.present:
            zip_ = pl.col("zip")
            checks.append(
                Check(
                    "zip_invalid",
                    "zip",
                    self._finnish() & zip_.is_not_null() & ~zip_.str.contains(r"^[0-9]{5}$"),
                    {"guess": pl.when(zip_.str.contains(r"^[0-9]{1,4}$")).then(zip_.str.zfill(5))},
                )
            )
        if "email" in self.present:
            email = pl.col("email")
            checks.append(
                Check(
                    "email_invalid",
                    "email",
                    email.is_not_null() & ~email.str.contains(_EMAIL),
                )
            )
        if "currency" in self.present:
            cur = pl.col("currency")
            known = pl.Series(sorted(currencies()), dtype=pl.String).implode()
            checks.append(
                Check(
                    "currency_invalid",
                    "currency",
                    cur.is_not_null() & ~cur.str.to_uppercase().is_in(known),
                )
            )
        return checks


class CustomerRules(PartyRules):
    register = Register.CUSTOMERS
    number_codes = ("customer_number_not_numeric", "customer_number_leading_zero")


class SupplierRules(PartyRules):
    register = Register.SUPPLIERS
    number_codes = ("supplier_number_not_numeric", "supplier_number_leading_zero")
