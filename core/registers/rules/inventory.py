"""Inventory adjustments (initial balances): dates, quantities, valuation, batches, serials."""

from __future__ import annotations

import polars as pl

from core.registers.header import HeaderMap
from core.registers.known import Snapshot
from core.registers.model import Register, Valuation
from core.registers.reading import ROW
from core.registers.rules.base import (
    Ahead,
    Check,
    Context,
    RegisterRules,
    b,
    duplicates,
    issue_frame,
    n,
    run_checks,
)


class InventoryRules(RegisterRules):
    register = Register.INVENTORY

    def __init__(self, header: HeaderMap, context: Context) -> None:
        super().__init__(header, context)
        self._products: list[pl.Series] = []
        self._serials: list[pl.DataFrame] = []
        self._costs: list[pl.DataFrame] = []  # average cost: rows that set a cost price
        self._moves_quantity = False
        self._file_level_done = False
        products = context.known.get(Register.PRODUCTS)
        self._flags = (
            products.flags().rename({"batch": "is_batch", "serial": "is_serial"})
            if products is not None
            else None
        )

    def key_column(self) -> str | None:
        return None

    def checks(self) -> list[Check]:
        checks = self.kind_checks()
        products = self.context.known.get(Register.PRODUCTS)
        product = pl.col("product")
        if products is not None:
            checks.append(
                Check(
                    "unknown_product",
                    "product",
                    product.is_not_null() & ~product.is_in(products.keys.implode()),
                )
            )
        checks.extend(self._relative_checks())
        checks.extend(self._valuation_checks())
        return checks

    def _relative(self) -> pl.Expr:
        """True where the quantity is added to the balance, False where it replaces it, null
        without the column (or the value): Rackbeat's import then decides, so neither rule
        that depends on it applies."""
        return pl.col(b("relative")) if "relative" in self.present else pl.lit(None, pl.Boolean)

    def _relative_checks(self) -> list[Check]:
        if "relative" not in self.present:
            return []
        return [
            Check(
                "balance_negative",
                "quantity",
                (self._relative() == False) & (pl.col(n("quantity")) < 0),  # noqa: E712
            )
        ]

    def _valuation_checks(self) -> list[Check]:
        if "cost_price" not in self.present:
            cost_missing: pl.Expr = pl.lit(True)
        else:
            cost_missing = pl.col("cost_price").is_null()
        # A relative negative quantity takes stock out at its recorded cost: no cost price.
        removes = ((self._relative() == True) & (pl.col(n("quantity")) < 0)).fill_null(False)  # noqa: E712
        cost_missing = cost_missing & ~removes
        adds = pl.col(n("quantity")) > 0
        valuation = self.context.valuation
        if valuation == Valuation.FIFO:
            return [
                Check(
                    "fifo_cost_price_missing",
                    "cost_price",
                    cost_missing,
                    value=pl.lit(None),
                )
            ]
        if valuation is None:
            return [
                Check(
                    "cost_price_missing",
                    "cost_price",
                    adds & cost_missing,
                    value=pl.lit(None),
                )
            ]
        return []

    def check_batch(self, frame: pl.DataFrame, ahead: Ahead | None = None) -> list[pl.DataFrame]:
        out = super().check_batch(frame, ahead)
        out.extend(self._tracking(frame))
        if not self._file_level_done:
            self._file_level_done = True
            out.extend(self._file_level())
        return out

    def _file_level(self) -> list[pl.DataFrame]:
        out = []
        if self.context.valuation is None:
            out.append(
                issue_frame(
                    [None],
                    None,
                    "valuation_unknown",
                    [None],
                )
            )
        if self.context.known.get(Register.PRODUCTS) is None:
            out.append(
                issue_frame(
                    [None],
                    None,
                    "products_not_known",
                    [None],
                )
            )
        return out

    def _tracking(self, frame: pl.DataFrame) -> list[pl.DataFrame]:
        if self._flags is None or "product" not in self.present:
            return []
        joined = frame.join(self._flags, left_on="product", right_on="number", how="inner")
        if joined.height == 0:
            return []
        serial = pl.col("serial") if "serial" in self.present else pl.lit(None, pl.String)
        batch = pl.col("batch") if "batch" in self.present else pl.lit(None, pl.String)
        quantity = pl.col(n("quantity")) if "quantity" in self.present else pl.lit(None)
        if "serial" in self.present:
            self._serials.append(
                joined.filter(pl.col("is_serial") & serial.is_not_null()).select(
                    ROW, "product", "serial"
                )
            )
        return run_checks(joined, self._tracking_checks(serial, batch, quantity))

    @staticmethod
    def _tracking_checks(serial: pl.Expr, batch: pl.Expr, quantity: pl.Expr) -> list[Check]:
        # After the join, the products' flags are ``is_serial`` / ``is_batch``.
        is_serial, is_batch = pl.col("is_serial"), pl.col("is_batch")
        return [
            Check(
                "serial_missing",
                "serial",
                is_serial & serial.is_null(),
                value=pl.lit(None),
            ),
            Check(
                "serial_quantity_not_one",
                "quantity",
                is_serial & (quantity != 1),
            ),
            Check(
                "batch_missing",
                "batch",
                is_batch & batch.is_null(),
                value=pl.lit(None),
            ),
            Check(
                "serial_not_tracked",
                "serial",
                ~is_serial & serial.is_not_null(),
            ),
            Check(
                "batch_not_tracked",
                "batch",
                ~is_batch & batch.is_not_null(),
            ),
        ]

    def remember(self, frame: pl.DataFrame) -> None:
        if "product" in self.present:
            self._products.append(frame.get_column("product").drop_nulls().unique())
        if self.context.valuation == Valuation.AVERAGE and "quantity" in self.present:
            if not self._moves_quantity:
                self._moves_quantity = bool(
                    (frame.get_column(n("quantity")).fill_null(0) != 0).any()
                )
            if "cost_price" in self.present:
                self._costs.append(
                    frame.filter(pl.col("cost_price").is_not_null()).select(ROW, "cost_price")
                )

    def finish(self) -> list[pl.DataFrame]:
        out: list[pl.DataFrame] = []
        if self._serials:
            out.append(
                duplicates(pl.concat(self._serials), "serial", "serial_duplicate", by=["product"])
            )
        if self._moves_quantity and self._costs:
            costs = pl.concat(self._costs).sort(ROW)
            out.append(
                costs.select(
                    row=pl.col(ROW).cast(pl.Int64),
                    column=pl.lit("cost_price"),
                    code=pl.lit("average_quantity_and_cost_price"),
                    value=pl.col("cost_price"),
                    params=pl.lit(None, pl.String),
                )
            )
        return out

    def snapshot(self) -> Snapshot:
        keys = (
            pl.concat(self._products).unique().sort()
            if self._products
            else pl.Series([], dtype=pl.String)
        )
        return Snapshot(Register.INVENTORY, keys.rename("number"))
