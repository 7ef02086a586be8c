"""Products: numbers, prices, barcodes, tracking flags, supplier references."""

from __future__ import annotations

import re

import polars as pl

from core.registers import values
from core.registers.header import HeaderMap
from core.registers.known import Snapshot
from core.registers.model import Register
from core.registers.reading import ROW
from core.registers.rules.base import (
    Ahead,
    Check,
    Context,
    RegisterRules,
    b,
    encode_params,
    issue_frame,
    params_expr,
    run_checks,
    x,
)

# A file "has" zero-padded numbers when at least this many numeric ones start with 0.
_PADDED_EVIDENCE = 2
# What Excel shows (and saves to CSV) for a number of 12 digits or more in a General cell.
_SCIENTIFIC = re.compile(r"^[+-]?[0-9]+(?:[.,][0-9]+)?[eE]\+?[0-9]+$")


def _confirm_checksums(issues: pl.DataFrame) -> pl.DataFrame:
    """python-stdnum has the last word on every barcode reported, and names the digit."""
    from stdnum import ean  # only files with a bad barcode need it (~25 ms to import)

    confirmed = issues.filter(
        pl.col("value").map_batches(
            lambda s: pl.Series([not ean.is_valid(v) for v in s.to_list()], dtype=pl.Boolean),
            return_dtype=pl.Boolean,
        )
    )
    expected = [encode_params({"digit": ean.calc_check_digit(v[:-1])}) for v in confirmed["value"]]
    return confirmed.with_columns(params=pl.Series(expected, dtype=pl.String))


def excel_damage(issues: pl.DataFrame) -> pl.DataFrame:
    """Issues on values Excel damaged get codes that say so: a long number shown (and saved)
    in scientific notation (`6,41235E+12`), or a barcode that lost its leading zero (an
    EAN-8 or UPC-A saved as a number: 7 or 11 digits that are valid with the zero back)."""
    from stdnum import ean  # as in _confirm_checksums

    codes: list[str] = []
    params: list[str | None] = []
    for old_code, value, old_params in issues.select("code", "value", "params").iter_rows():
        code, encoded = old_code, old_params
        if value and _SCIENTIFIC.match(value):
            code, encoded = "excel_scientific", None
        elif old_code == "ean_invalid" and value and len(value) in (7, 11) and value.isdigit():
            padded = value.zfill(len(value) + 1)
            if ean.is_valid(padded):
                code, encoded = "ean_leading_zeros", encode_params({"guess": padded})
        codes.append(code)
        params.append(encoded)
    return issues.with_columns(
        code=pl.Series(codes, dtype=pl.String), params=pl.Series(params, dtype=pl.String)
    )


class ProductRules(RegisterRules):
    register = Register.PRODUCTS
    digits_only = ("number",)

    def __init__(self, header: HeaderMap, context: Context) -> None:
        super().__init__(header, context)
        self._supplier_warned = False

    def checks(self) -> list[Check]:
        checks = [
            *self.kind_checks(),
            Check(
                "product_number_not_numeric",
                "number",
                pl.col(x("number")),
                refine=excel_damage,
            ),
        ]
        if "barcode" in self.present:
            code = pl.col("barcode")
            checks.append(
                Check(
                    "ean_invalid",
                    "barcode",
                    code.is_not_null() & ~values.ean_shape_valid(code),
                    refine=excel_damage,
                )
            )
            checks.append(
                Check(
                    "ean_checksum",
                    "barcode",
                    values.ean_shape_valid(code) & ~values.ean_check_valid(code),
                    refine=_confirm_checksums,
                )
            )
        checks.extend(self._supplier_checks())
        return checks

    def _supplier_checks(self) -> list[Check]:
        suppliers = self.context.known.get(Register.SUPPLIERS)
        if "supplier" not in self.present or suppliers is None:
            return []
        col = pl.col("supplier")
        return [
            Check(
                "unknown_supplier",
                "supplier",
                col.is_not_null() & ~col.is_in(suppliers.keys.implode()),
            )
        ]

    def check_batch(self, frame: pl.DataFrame, ahead: Ahead | None = None) -> list[pl.DataFrame]:
        out = super().check_batch(frame, ahead)
        out.extend(self._tracking_changes(frame))
        if (
            not self._supplier_warned
            and "supplier" in self.present
            and self.context.known.get(Register.SUPPLIERS) is None
            and frame.get_column("supplier").is_not_null().any()
        ):
            self._supplier_warned = True
            out.append(
                issue_frame(
                    [None],
                    None,
                    "suppliers_not_known",
                    [None],
                )
            )
        return out

    def _tracking_changes(self, frame: pl.DataFrame) -> list[pl.DataFrame]:
        balances = self.context.known.get(Register.INVENTORY)
        before = self.context.known.get(Register.PRODUCTS)
        flags = [c for c in ("batch_tracking", "serial_numbers") if c in self.present]
        if balances is None or before is None or not flags:
            return []
        old = before.flags().filter(pl.col("number").is_in(balances.keys.implode()))
        joined = frame.join(old, on="number", how="inner")
        checks = []
        for column, old_flag in (("batch_tracking", "batch"), ("serial_numbers", "serial")):
            if column in flags:
                changed = pl.col(b(column)).fill_null(False) != pl.col(old_flag)
                checks.append(
                    Check(
                        "tracking_changed_after_balances",
                        column,
                        changed,
                    )
                )
        return run_checks(joined, checks)

    def remember(self, frame: pl.DataFrame) -> None:
        """Keys with their tracking flags: for uniqueness, and for the snapshot."""
        flags = [
            pl.col(b(c)).fill_null(False).alias(c)
            for c in ("batch_tracking", "serial_numbers")
            if c in self.present
        ]
        # Selected before filtered: the filter then copies three columns, not the batch.
        self._keys.append(
            frame.select(pl.col(ROW).cast(pl.Int32), pl.col("number"), *flags).filter(
                pl.col("number").is_not_null()
            )
        )

    def finish(self) -> list[pl.DataFrame]:
        return [*super().finish(), self._lost_zeros()]

    def _lost_zeros(self) -> pl.DataFrame:
        """Numbers shorter than the file's zero-padded ones: Excel ate their leading zeros."""
        keys = self.keys()
        number = pl.col("number")
        digits = ~values.not_digits(number)
        # Filtered straight from all the keys, never through a copy of the numeric ones: at
        # the end of a 5M-row file that copy was 100 MB. The pattern runs only where a number
        # starts with 0 (polars skips a branch no row takes: most files have none).
        padded = keys.filter(pl.when(number.str.starts_with("0")).then(digits))
        if padded.height < _PADDED_EVIDENCE:
            return issue_frame([], "number", "product_number_leading_zeros", [], [])
        width = int(padded.get_column("number").str.len_chars().mode().max())  # type: ignore[arg-type]
        short = keys.filter(
            digits & ~number.str.starts_with("0") & (number.str.len_chars() < width)
        ).sort(ROW)
        return short.select(
            row=pl.col(ROW).cast(pl.Int64),
            column=pl.lit("number"),
            code=pl.lit("product_number_leading_zeros"),
            value=pl.col("number"),
            params=params_expr(width=pl.lit(width), guess=pl.col("number").str.zfill(width)),
        )

    def snapshot(self) -> Snapshot:
        keys = self.keys()

        def flagged(column: str) -> pl.Series:
            if column not in keys.columns:
                return pl.Series("number", [], dtype=pl.String)
            return keys.filter(column).get_column("number").unique().sort()

        return Snapshot(
            Register.PRODUCTS,
            keys.get_column("number").unique().sort(),
            flagged("batch_tracking"),
            flagged("serial_numbers"),
        )
