"""`python -m bot validate`: exit codes, JSON, human output, report and normalized files."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli_validate import main, output_path

ROOT = Path(__file__).resolve().parents[2]
GOOD = "number;name;group;cost_price;sales_price\n1;Vasara;1;12,50;19,90\n"
BAD = "number;name;group;cost_price;sales_price\n1;Vasara;Työkalut;12,50;19,90\n"


def run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = main(args, stdout=out)
    return code, out.getvalue()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "good": tmp_path / "products.csv",
        "bad": tmp_path / "tuotteet.csv",
        "image": tmp_path / "photo.csv",
    }
    paths["good"].write_text(GOOD, encoding="utf-8")
    paths["bad"].write_text(BAD, encoding="cp1252")
    paths["image"].write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    return paths


def test_valid_file_exits_0_with_a_verdict(files: dict[str, Path]) -> None:
    code, out = run([str(files["good"])])
    assert code == 0
    assert out.startswith("products.csv: valid (products, 1 row, ")


def test_file_with_errors_exits_1_and_lists_them(files: dict[str, Path]) -> None:
    code, out = run([str(files["bad"])])
    assert code == 1
    assert "reference_not_number group: rows 2" in out and "Työkalut" in out


def test_unreadable_or_missing_file_exits_2(files: dict[str, Path], tmp_path: Path) -> None:
    assert run([str(files["good"]), str(files["image"])])[0] == 2
    code, out = run([str(tmp_path / "nope.csv")])
    assert code == 2 and "No such file" in out


def test_json_has_the_contract_shape(files: dict[str, Path]) -> None:
    code, out = run([str(files["good"]), str(files["bad"]), "--json"])
    doc = json.loads(out)
    assert code == 1 and doc["valid"] is False
    assert [f["file"] for f in doc["files"]] == ["products.csv", "tuotteet.csv"]
    bad = doc["files"][1]
    assert bad["encoding"] == "cp1252" and bad["delimiter"] == ";" and bad["rows"] == 1
    assert bad["issues"][0]["row"] == 2 and bad["issues"][0]["code"] == "reference_not_number"


def test_report_and_normalized_files(files: dict[str, Path], tmp_path: Path) -> None:
    report, normalized = tmp_path / "report.csv", tmp_path / "clean.csv"
    code, _ = run([str(files["good"]), "--report", str(report), "--normalized", str(normalized)])
    assert code == 0
    assert report.read_bytes().startswith(b"\xef\xbb\xbfrow;column;value;code")
    assert normalized.read_text(encoding="utf-8-sig").splitlines()[1] == "1;Vasara;1;12,50;19,90"


def test_several_files_get_derived_output_names(files: dict[str, Path], tmp_path: Path) -> None:
    pattern = tmp_path / "out.csv"
    run(
        [
            str(files["good"]),
            str(files["bad"]),
            "--report",
            str(pattern),
            "--normalized",
            str(tmp_path / "norm.csv"),
        ]
    )
    assert (tmp_path / "out-products.csv").exists() and (tmp_path / "out-tuotteet.csv").exists()
    assert (tmp_path / "norm-products.csv").exists()
    assert not (tmp_path / "norm-tuotteet.csv").exists()  # has errors: no normalized copy
    assert output_path(tmp_path, Path("a.csv"), "errors", True) == tmp_path / "a-errors.csv"


def test_register_and_valuation_options(files: dict[str, Path], tmp_path: Path) -> None:
    inventory = tmp_path / "stock.csv"
    inventory.write_text(
        "date;product;location;quantity;cost_price;reason\n01.01.2024;1;1;5;;R\n", encoding="utf-8"
    )
    code, out = run([str(inventory), str(files["good"]), "--valuation", "fifo", "--json"])
    doc = json.loads(out)
    assert code == 1 and doc["files"][0]["issues"][0]["code"] == "fifo_cost_price_missing"
    code, out = run([str(files["good"]), "--register", "inventory"])
    assert code == 1 and "missing_column" in out


def test_python_m_bot_validate_runs_as_a_process(files: dict[str, Path]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "validate", str(files["bad"]), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["files"][0]["error_count"] == 1
