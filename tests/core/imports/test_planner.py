"""The preview against an account in memory: what is created, updated, left alone, refused."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from core.imports.model import Action, State
from core.imports.payloads import same
from core.imports.planner import plan
from core.imports.repository import JournalRecord
from core.imports.result import diff_csv, result_csv
from core.imports.source import SourceRow, read_rows
from core.registers import FileInput, validate_files
from core.registers.model import Register


@dataclass
class AccountInMemory:
    """An ``AccountReader`` over plain dicts (what the account snapshot will give later)."""

    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    references: dict[str, dict[str, str]] = field(default_factory=dict)

    def find_existing(self, register: Register, numbers: Collection[str]) -> dict[str, Any]:
        return {n: self.records[n] for n in numbers if n in self.records}

    def reference_ids(self, path: str) -> dict[str, str]:
        return self.references.get(path, {})


def product(number: str, **values: Any) -> SourceRow:
    base = {
        "number": number,
        "name": f"Tuote {number}",
        "group": "1",
        "cost_price": "12.50",
        "sales_price": "19.90",
    }
    return SourceRow(int(number) + 1, {**base, **values})


def existing(number: str, **values: Any) -> dict[str, Any]:
    base = {
        "id": 7,
        "number": number,
        "name": f"Tuote {number}",
        "group": {"number": "1", "name": "Työkalut"},
        "cost_price": 12.5,
        "sales_price": "19.9",
        "stock_quantity": 0,
    }
    return {**base, **values}


GROUPS = {"product-groups": {"1": "11"}}


def test_new_numbers_are_created_changed_ones_updated_and_equal_ones_left_alone() -> None:
    account = AccountInMemory({"2": existing("2"), "3": existing("3", sales_price="25")}, GROUPS)
    preview = plan(Register.PRODUCTS, [product("1"), product("2"), product("3")], account)
    assert preview.ok
    assert [r.action for r in preview.records] == [Action.CREATE, Action.UNCHANGED, Action.UPDATE]
    [change] = preview.changes
    assert (change.number, change.field, change.current, change.new) == (
        "3",
        "sales_price",
        "25",
        "19.90",
    )
    assert preview.references == {"product-groups": 1}


def test_a_reference_the_account_lacks_stops_the_preview() -> None:
    preview = plan(Register.PRODUCTS, [product("1", group="9")], AccountInMemory({}, GROUPS))
    assert not preview.ok and preview.records == []
    [problem] = preview.problems
    assert (problem.code, problem.column, problem.value) == ("unknown_reference", "group", "9")


def test_tracking_cannot_change_on_a_product_with_stock() -> None:
    account = AccountInMemory(
        {"1": existing("1", stock_quantity="5", batch_control={"is_active": False})}, GROUPS
    )
    preview = plan(Register.PRODUCTS, [product("1", batch_tracking=True)], account)
    [problem] = preview.problems
    assert (problem.code, problem.column) == ("tracking_on_product_with_stock", "batch_control")
    without_stock = AccountInMemory(
        {"1": existing("1", batch_control={"is_active": False})}, GROUPS
    )
    assert plan(Register.PRODUCTS, [product("1", batch_tracking=True)], without_stock).ok


def test_customers_send_reference_ids_and_integer_numbers() -> None:
    account = AccountInMemory({}, {"customer-groups": {"1": "501"}, "payment-terms": {"14": "602"}})
    row = SourceRow(
        2,
        {
            "number": "1001",
            "name": "Asiakas Oy",
            "group": "1",
            "vat_zone": "1",
            "payment_terms": "14",
            "business_id": "1234567-1",
        },
    )
    preview = plan(Register.CUSTOMERS, [row], account)
    [record] = preview.records
    assert record.payload == {
        "number": 1001,
        "company_name": "Asiakas Oy",
        "customer_group_id": 501,
        "vat_zone": "1",
        "payment_terms_id": 602,
    }
    assert preview.not_sent == ["business_id"]


def test_equal_means_equal_to_rackbeat() -> None:
    assert same(12.5, "12.50") and same(None, "") and same(True, True)
    assert not same("12.5", "12.51") and not same(None, "x") and not same(False, True)


def test_rows_come_from_the_file_with_points_for_decimals_and_spreadsheet_row_numbers() -> None:
    data = (
        "Tuotenumero;Nimi;Tuoteryhmä;Kustannushinta;Myyntihinta\n\n1001;Vasara;1;1 234,50;19,90\n"
    )
    file = FileInput("products.csv", data=data.encode("cp1252"))
    result = validate_files([file]).files[0]
    register, rows = read_rows(file, result)
    assert register is Register.PRODUCTS
    assert rows == [
        SourceRow(
            3,
            {
                "number": "1001",
                "name": "Vasara",
                "group": "1",
                "cost_price": "1234.50",
                "sales_price": "19.90",
            },
        )
    ]


def test_result_and_diff_files_escape_what_a_spreadsheet_would_run() -> None:
    record = JournalRecord(
        1, 1, 2, "products", "=1+1", Action.CREATE, {}, State.FAILED, None, "@SUM(A1)"
    )
    assert result_csv([record]).decode("utf-8-sig").splitlines() == [
        "row;number;outcome;rackbeat_id;message",
        "2;'=1+1;failed;;'@SUM(A1)",
    ]
    assert diff_csv([]).startswith("\ufeff".encode())


def test_a_supplier_number_is_compared_as_the_integer_rackbeat_keeps() -> None:
    account = AccountInMemory(
        {"12": {"id": 5, "number": 12, "company_name": "Toimittaja Oy"}},
        {"supplier-groups": {"1": "301"}, "payment-terms": {"14": "602"}},
    )
    row = SourceRow(
        2,
        {
            "number": "0012",
            "name": "Toimittaja Oy",
            "group": "1",
            "vat_zone": "1",
            "payment_terms": "14",
        },
    )
    [record] = plan(Register.SUPPLIERS, [row], account).records
    assert (record.number, record.action) == ("12", Action.UPDATE)
