"""Inventory adjustments: dates, valuation rules, batches and serials from the products' flags."""

from __future__ import annotations

import pytest

from core.registers import (
    FileInput,
    KnownRegisters,
    Register,
    Snapshot,
    Valuation,
    validate_files,
)
from tests.core.registers.conftest import INVENTORY_HEADER, TODAY, found, run_check

PRODUCTS = (
    "number;name;group;cost_price;sales_price;batch_tracking;serial_numbers\n"
    "1;Plain;1;1;1;0;0\n2;Batched;1;1;1;1;0\n3;Serial;1;1;1;0;1\n"
)


def inventory(rows: str, **kwargs: object) -> set[tuple[int | None, str | None, str]]:
    result = run_check(f"{INVENTORY_HEADER}\n{rows}", "inventory.csv", **kwargs)  # type: ignore[arg-type]
    return {f for f in found(result) if f[0] is not None}


@pytest.mark.parametrize(
    "day", ["10.04.2024", "1.4.2024", "'10.04.2024", "15.05.2024", "2024-04-10", "'2024-04-01"]
)
def test_accepted_dates(day: str) -> None:
    assert inventory(f"{day};1;1;5;2,00;Alkusaldo\n") == set()


@pytest.mark.parametrize(
    "day", ["31.02.2024", "2024-02-31", "2024-4-1", "10/04/2024", "04/10/2024", "huhtikuu"]
)
def test_dates_in_other_forms_are_refused(day: str) -> None:
    assert inventory(f"{day};1;1;5;2,00;Alkusaldo\n") == {(2, "date", "date_invalid")}


def test_future_dates_are_refused() -> None:
    assert inventory("16.05.2024;1;1;5;2,00;Alkusaldo\n") == {(2, "date", "date_in_future")}


def test_reason_is_required() -> None:
    assert inventory("10.04.2024;1;1;5;2,00;\n") == {(2, "reason", "required_missing")}


def test_unknown_valuation_warns_about_missing_cost_when_stock_is_added() -> None:
    result = run_check(f"{INVENTORY_HEADER}\n10.04.2024;1;1;5;;R\n10.04.2024;1;1;-2;;R\n", "i.csv")
    assert result.valid
    assert {"cost_price_missing", "valuation_unknown", "products_not_known"} <= set(result.counts)
    assert result.counts["cost_price_missing"] == 1


def test_fifo_needs_quantity_and_cost_price_on_every_row() -> None:
    rows = "10.04.2024;1;1;5;;R\n10.04.2024;1;1;-2;;R\n10.04.2024;1;1;3;1,00;R\n"
    assert inventory(rows, valuation=Valuation.FIFO) == {
        (2, "cost_price", "fifo_cost_price_missing"),
        (3, "cost_price", "fifo_cost_price_missing"),
    }


def test_average_cost_refuses_quantities_and_cost_prices_in_one_file() -> None:
    rows = "10.04.2024;1;1;5;;R\n10.04.2024;2;1;0;3,00;R\n"
    assert inventory(rows, valuation=Valuation.AVERAGE) == {
        (3, "cost_price", "average_quantity_and_cost_price")
    }
    assert inventory("10.04.2024;1;1;5;;R\n", valuation=Valuation.AVERAGE) == set()
    assert inventory("10.04.2024;1;1;0;3,00;R\n", valuation=Valuation.AVERAGE) == set()


def check_with_products(
    rows: str, header: str = INVENTORY_HEADER + ";batch;serial"
) -> set[tuple[int | None, str | None, str]]:
    run = validate_files(
        [
            FileInput("inventory.csv", data=f"{header}\n{rows}".encode()),
            FileInput("products.csv", data=PRODUCTS.encode()),
        ],
        valuation=Valuation.FIFO,
        today=TODAY,
    )
    assert run.files[1].valid
    return found(run.files[0])


def test_inventory_products_must_exist_in_the_products_file_checked_with_it() -> None:
    assert check_with_products("10.04.2024;9;1;5;1;R;;\n") == {(2, "product", "unknown_product")}


def test_serial_products_need_one_serial_per_unit_and_no_repeats() -> None:
    rows = (
        "10.04.2024;3;1;1;1;R;;S1\n"
        "10.04.2024;3;1;2;1;R;;S2\n"
        "10.04.2024;3;1;1;1;R;;\n"
        "10.04.2024;3;1;1;1;R;;S1\n"
    )
    assert check_with_products(rows) == {
        (3, "quantity", "serial_quantity_not_one"),
        (4, "serial", "serial_missing"),
        (5, "serial", "serial_duplicate"),
    }


def test_batch_products_need_a_batch_and_others_should_not_have_one() -> None:
    rows = "10.04.2024;2;1;5;1;R;;\n10.04.2024;2;1;5;1;R;B1;\n10.04.2024;1;1;5;1;R;B2;S9\n"
    assert check_with_products(rows) == {
        (2, "batch", "batch_missing"),
        (4, "batch", "batch_not_tracked"),
        (4, "serial", "serial_not_tracked"),
    }


def test_known_products_from_earlier_uploads_are_used() -> None:
    known = KnownRegisters().with_snapshot(
        Snapshot.from_json({"register": "products", "keys": ["1", "3"], "serial": ["3"]})
    )
    rows = "10.04.2024;3;1;1;1;R\n10.04.2024;7;1;1;1;R\n"
    result = run_check(f"{INVENTORY_HEADER}\n{rows}", "i.csv", known=known)
    assert {f for f in found(result) if f[0]} == {
        (2, "serial", "serial_missing"),
        (3, "product", "unknown_product"),
    }


def test_changing_tracking_of_a_product_with_a_balance_is_caught() -> None:
    known = (
        KnownRegisters()
        .with_snapshot(Snapshot.from_json({"register": "products", "keys": ["1", "2"]}))
        .with_snapshot(Snapshot.from_json({"register": "inventory", "keys": ["1"]}))
    )
    text = "number;name;group;cost_price;sales_price;serial_numbers\n1;A;1;1;1;1\n2;B;1;1;1;1\n"
    result = run_check(text, "products.csv", known=known)
    assert found(result) == {(2, "serial_numbers", "tracking_changed_after_balances")}


def test_error_free_file_hands_out_its_keys_and_flags() -> None:
    run = validate_files([FileInput("products.csv", data=PRODUCTS.encode())], today=TODAY)
    snapshot = run.files[0].snapshot
    assert snapshot is not None and snapshot.register == Register.PRODUCTS
    assert snapshot.to_json() == {
        "register": "products",
        "keys": ["1", "2", "3"],
        "batch": ["2"],
        "serial": ["3"],
    }
    again = KnownRegisters.from_json(KnownRegisters().with_snapshot(snapshot).to_json())
    assert again.get(Register.PRODUCTS) is not None


def test_product_supplier_must_be_in_the_suppliers_file() -> None:
    suppliers = "number;name;group;vat_zone;payment_terms\n500;S;1;1;14\n"
    products = "number;name;group;cost_price;sales_price;supplier\n1;A;1;1;1;500\n2;B;1;1;1;501\n"
    run = validate_files(
        [
            FileInput("products.csv", data=products.encode()),
            FileInput("suppliers.csv", data=suppliers.encode()),
        ],
        today=TODAY,
    )
    assert found(run.files[0]) == {(3, "supplier", "unknown_supplier")}
    alone = run_check(products, "products.csv")
    assert "suppliers_not_known" in alone.counts and alone.valid


def test_a_negative_quantity_that_replaces_the_balance_is_an_error() -> None:
    header = INVENTORY_HEADER + ";relative"
    rows = "10.04.2024;1;1;-3;2,00;R;0\n10.04.2024;1;1;-3;2,00;R;1\n10.04.2024;1;1;-3;2,00;R;\n"
    result = run_check(f"{header}\n{rows}", "i.csv", valuation=Valuation.FIFO)
    assert {f for f in found(result) if f[0]} == {(2, "quantity", "balance_negative")}


@pytest.mark.parametrize("valuation", [Valuation.FIFO, Valuation.AVERAGE, None])
def test_a_relative_negative_quantity_needs_no_cost_price(valuation: Valuation | None) -> None:
    header = INVENTORY_HEADER + ";relative"
    rows = "10.04.2024;1;1;-3;;R;1\n10.04.2024;1;1;5;;R;1\n"
    found_rows = inventory_with(header, rows, valuation=valuation)
    assert (2, "cost_price", "fifo_cost_price_missing") not in found_rows
    assert (2, "cost_price", "cost_price_missing") not in found_rows
    if valuation == Valuation.FIFO:  # stock added without a cost is still refused
        assert (3, "cost_price", "fifo_cost_price_missing") in found_rows


def inventory_with(
    header: str, rows: str, **kwargs: object
) -> set[tuple[int | None, str | None, str]]:
    result = run_check(f"{header}\n{rows}", "inventory.csv", **kwargs)  # type: ignore[arg-type]
    return {f for f in found(result) if f[0] is not None}
