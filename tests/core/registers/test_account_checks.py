"""Files checked against a snapshot of the Rackbeat account."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.account.model import AccountSnapshot, Reference
from core.registers import FileInput, validate_files
from core.registers.account import AccountFacts, ReferenceEntry
from core.registers.model import FileResult
from core.registers.normalize import write_normalized

TODAY = date(2026, 12, 6)


def account() -> AccountFacts:
    def product(number: str, name: str, stock: str = "0", batch: bool = False) -> dict[str, object]:
        return {
            "number": number,
            "name": name,
            "group": "1",
            "cost_price": "5",
            "sales_price": "10",
            "stock": stock,
            "batch_tracking": batch,
            "serial_numbers": False,
        }

    snapshot = AccountSnapshot(
        "Kone ja Rauta Oy",
        datetime(2026, 12, 6, 14, 3, tzinfo=UTC),
        lists={
            "product_groups": (
                Reference("1", "Tarvikkeet"),
                Reference("2", "Työkalut"),
                Reference("3", "Sähkö"),
                Reference("4", "Sähkö"),
            ),
            "units": (Reference("1", "kpl"),),
            "locations": (Reference("1", "Päävarasto"),),
        },
        records={
            "products": (product("1001", "Vasara"), product("1002", "Saha", stock="5")),
        },
    )
    return snapshot.facts()


def check(text: str, name: str = "products.csv", facts: AccountFacts | None = None) -> FileResult:
    file = FileInput(name, data=text.encode())
    return validate_files([file], account=facts, today=TODAY).files[0]


def issues(result: FileResult) -> list[tuple[int | None, str | None, str]]:
    return [(i.row, i.column, i.code) for i in result.issues]


PRODUCTS = (
    "number;name;group;cost_price;sales_price;unit;batch_tracking\n"
    "2001;Uusi;1;1;2;kpl;0\n"  # row 2: fine
    "2002;Ruuvi;7;1;2;;0\n"  # row 3: group 7 does not exist
    "2003;Pora;työkalut;1;2;1;0\n"  # row 4: group by name → 2
    "1001;Vasara;1;5;12;;0\n"  # row 5: exists, sales price changes
    "1002;Saha;1;5;10;;1\n"  # row 6: exists with stock, batch switched on
    "2004;Johto;sähkö;1;2;;0\n"  # row 7: a name two groups share
    "2005;Kela;1;1;2;rulla;0\n"  # row 8: unknown unit
)


def test_the_four_codes_land_on_the_right_rows() -> None:
    result = check(PRODUCTS, facts=account())
    found = issues(result)
    assert (3, "group", "unknown_reference") in found
    assert (4, "group", "reference_by_name") in found
    assert (5, "number", "already_in_rackbeat") in found
    assert (6, "batch_tracking", "tracking_on_product_with_stock") in found
    assert (7, "group", "unknown_reference") in found
    assert (8, "unit", "unknown_reference") in found
    assert not [i for i in found if i[0] == 2]
    assert "reference_not_number" not in result.counts
    by_row = {(i.row, i.code): i.message for i in result.issues}
    assert by_row[(3, "unknown_reference")] == (
        "product group 7 does not exist in Rackbeat; product groups: "
        "1 Tarvikkeet, 2 Työkalut, 3 Sähkö, 4 Sähkö"
    )
    assert "2 Työkalut" in by_row[(4, "reference_by_name")]
    assert by_row[(5, "already_in_rackbeat")] == (
        "already in Rackbeat; would change sales_price '10' → '12'"
    )
    assert "has stock in Rackbeat (5)" in by_row[(6, "tracking_on_product_with_stock")]
    assert "(3, 4)" in by_row[(7, "unknown_reference")]
    assert result.account is not None
    assert (result.account.existing, result.account.changing) == (2, 2)


def test_the_closest_groups_are_named_and_the_rest_elided() -> None:
    facts = account()
    many = tuple(Reference(str(n), f"Ryhmä {n}") for n in range(1, 40))
    crowded = AccountFacts(
        facts.company,
        {**facts.lists, "product_groups": tuple(ReferenceEntry(r.number, r.name) for r in many)},
        facts.records,
    )
    result = check("number;name;group;cost_price;sales_price\n2002;Ruuvi;70;1;2\n", facts=crowded)
    assert result.issues[0].message == (
        "product group 70 does not exist in Rackbeat; product groups: "
        "35 Ryhmä 35, 36 Ryhmä 36, 37 Ryhmä 37, 38 Ryhmä 38, 39 Ryhmä 39, …"
    )


def test_a_row_identical_to_the_existing_record_changes_nothing() -> None:
    result = check(
        "number;name;group;cost_price;sales_price\n1001;vasara;1;5,00;10\n", facts=account()
    )
    [issue] = result.issues
    assert issue.code == "already_in_rackbeat"
    assert issue.message == "already in Rackbeat; would change name 'Vasara' → 'vasara'"
    same = check(
        "number;name;group;cost_price;sales_price\n1001;Vasara;1;5,00;10\n", facts=account()
    )
    assert same.issues[0].message == "already in Rackbeat; the row changes nothing"
    assert same.account is not None and same.account.changing == 0


def test_the_normalized_file_uses_the_number_of_a_group_given_by_name() -> None:
    text = "number;name;group;cost_price;sales_price\n2003;Pora;TYÖKALUT;1;2\n"
    file = FileInput("products.csv", data=text.encode())
    result = validate_files([file], account=account(), today=TODAY).files[0]
    assert result.valid
    normalized = write_normalized(file, result)
    assert normalized is not None
    assert normalized.decode("utf-8-sig").splitlines()[1] == "2003;Pora;2;1;2"


def test_without_an_account_a_name_stays_an_error_and_nothing_is_said_about_rackbeat() -> None:
    result = check("number;name;group;cost_price;sales_price\n2003;Pora;Työkalut;1;2\n")
    assert issues(result) == [(2, "group", "reference_not_number")]
    assert result.account is None


def test_inventory_products_may_exist_in_the_file_or_in_the_account() -> None:
    products = FileInput(
        "products.csv", data=b"number;name;group;cost_price;sales_price\n3001;Uusi;1;1;2\n"
    )
    inventory = FileInput(
        "inventory.csv",
        data=(
            b"date;product;location;quantity;cost_price;reason\n"
            b"01.12.2026;3001;1;5;1;alku\n"  # in the file
            b"01.12.2026;1001;1;5;1;alku\n"  # in the account
            b"01.12.2026;9999;1;5;1;alku\n"  # in neither
            b"01.12.2026;1001;8;5;1;alku\n"  # unknown location
        ),
    )
    run = validate_files([products, inventory], account=account(), today=TODAY)
    found = issues(run.files[1])
    assert (4, "product", "unknown_product") in found
    assert (5, "location", "unknown_reference") in found
    assert [i for i in found if i[2] == "unknown_product"] == [(4, "product", "unknown_product")]
    message = next(i.message for i in run.files[1].issues if i.code == "unknown_product")
    assert message == "product 9999 is neither in the products register nor in Rackbeat"
    assert "products_not_known" not in run.files[1].counts


def test_inventory_without_a_products_file_is_checked_against_the_account_alone() -> None:
    text = "date;product;location;quantity;cost_price;reason\n01.12.2026;1001;1;5;1;alku\n"
    result = check(text, "inventory.csv", facts=account())
    assert "products_not_known" not in result.counts
    assert "unknown_product" not in result.counts


def test_tracking_may_be_switched_on_for_a_product_without_stock() -> None:
    text = "number;name;group;cost_price;sales_price;batch_tracking\n1001;Vasara;1;5;10;1\n"
    result = check(text, facts=account())
    assert issues(result) == [(2, "number", "already_in_rackbeat")]
    assert result.issues[0].message == (
        "already in Rackbeat; would change batch_tracking '0' → '1'"
    )
