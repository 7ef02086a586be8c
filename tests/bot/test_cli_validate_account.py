"""`python -m bot validate … --account SNAPSHOT.json`: the same checks against a snapshot file."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli_validate import EXIT_ERRORS, EXIT_UNREADABLE, EXIT_VALID, main
from core.account.model import AccountSnapshot, Reference

SNAPSHOT = AccountSnapshot(
    "Kone ja Rauta Oy",
    datetime(2026, 12, 6, 14, 3, tzinfo=UTC),
    lists={"product_groups": (Reference("1", "Tarvikkeet", 11), Reference("2", "Työkalut", 12))},
    records={
        "products": (
            {
                "number": "1001",
                "name": "Vasara",
                "group": "1",
                "cost_price": "5",
                "sales_price": "10",
                "stock": "3",
                "batch_tracking": False,
                "serial_numbers": False,
            },
        )
    },
)


def run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return main(args, stdout=out), out.getvalue()


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    path = tmp_path / "account.json"
    path.write_text(json.dumps(SNAPSHOT.to_json()), encoding="utf-8")
    return path


def test_a_group_by_name_is_resolved_and_the_normalized_file_has_the_number(
    tmp_path: Path, snapshot: Path
) -> None:
    products = tmp_path / "products.csv"
    products.write_text("number;name;group;cost_price;sales_price\n2;Pora;Työkalut;1;2\n")
    normalized = tmp_path / "out.csv"
    code, out = run([str(products), "--account", str(snapshot), "--normalized", str(normalized)])
    assert code == EXIT_VALID, out
    assert "reference_by_name" in out
    assert normalized.read_text(encoding="utf-8-sig").splitlines()[1] == "2;Pora;2;1;2"
    without, _ = run([str(products)])
    assert without == EXIT_ERRORS


def test_json_names_the_codes_and_the_account(tmp_path: Path, snapshot: Path) -> None:
    products = tmp_path / "products.csv"
    products.write_text(
        "number;name;group;cost_price;sales_price;batch_tracking\n"
        "1001;Vasara;1;5;10;1\n"
        "1002;Saha;9;5;10;0\n"
    )
    code, out = run([str(products), "--account", str(snapshot), "--json"])
    assert code == EXIT_ERRORS
    document = json.loads(out)
    [entry] = document["files"]
    assert entry["account"] == {"company": "Kone ja Rauta Oy", "existing": 1, "changing": 1}
    codes = {(i["row"], i["code"]) for i in entry["issues"]}
    assert codes == {
        (2, "already_in_rackbeat"),
        (2, "tracking_on_product_with_stock"),
        (3, "unknown_reference"),
    }


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "not JSON"),
        (b"<html></html>", "not JSON"),
        (b'{"company": "x"}', "not an account snapshot"),
        (
            json.dumps({**SNAPSHOT.to_json(), "lists": {"units": [{"number": 1}]}}).encode(),
            "units[0] needs a text 'number' and 'name'",
        ),
        (
            json.dumps({**SNAPSHOT.to_json(), "read_at": "yesterday"}).encode(),
            "'read_at' is not an ISO date",
        ),
    ],
)
def test_a_file_that_is_not_a_snapshot_is_refused_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, reason: str
) -> None:
    products = tmp_path / "products.csv"
    products.write_text("number;name;group;cost_price;sales_price\n2;Pora;1;1;2\n")
    bad = tmp_path / "account.json"
    bad.write_bytes(content)
    code, out = run([str(products), "--account", str(bad)])
    assert code == EXIT_UNREADABLE
    assert out == ""
    assert reason in capsys.readouterr().err


def test_the_snapshot_round_trips_through_json() -> None:
    once = AccountSnapshot.from_json(json.loads(json.dumps(SNAPSHOT.to_json())))
    assert once.company == SNAPSHOT.company and once.read_at == SNAPSHOT.read_at
    assert once.lists == SNAPSHOT.lists
    assert AccountSnapshot.from_json(json.loads(json.dumps(once.to_json()))) == once
