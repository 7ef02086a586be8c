"""`python -m bot validate`: exit codes, JSON, human output, report and normalized files."""

from __future__ import annotations

import contextlib
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


def test_the_process_ends_at_once_with_every_output_written_whole(tmp_path: Path) -> None:
    # `python -m bot validate` skips the interpreter's teardown: what it writes must be whole.
    lines = ["number;name;group;cost_price;sales_price"]
    lines += [f"{i};Name {i};{'x' if i % 3 else 1};1;1" for i in range(20_000)]
    big = tmp_path / "big.csv"
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = tmp_path / "report.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "validate", str(big), "--report", str(report), "--json"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["files"][0]["error_count"] == 13_333
    in_process = tmp_path / "in-process.csv"
    assert run([str(big), "--report", str(in_process)])[0] == 1
    assert report.read_bytes() == in_process.read_bytes()
    assert report.read_bytes().count(b"\n") > 13_333


def test_a_reader_that_stops_early_gets_no_traceback_and_the_status_stays(
    tmp_path: Path,
) -> None:
    # `python -m bot validate big.csv --json | head -c 10`: the pipe closes while the answer
    # (170 KB, more than a pipe holds) is written.
    lines = ["number;name;group;cost_price;sales_price"]
    lines += [f"{i};Name {i};x;1;1" for i in range(3000)]  # 3,000 groups named, not numbered
    big = tmp_path / "big.csv"
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with subprocess.Popen(
        [sys.executable, "-m", "bot", "validate", str(big), str(big), "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.read(10)
        proc.stdout.close()
        errors = proc.stderr.read()
        code = proc.wait(timeout=60)
    assert first == b'{"valid": '
    assert errors == b"" and code == 1


def test_a_file_mixing_utf8_and_windows_1252_is_never_a_silently_garbled_import_file(
    tmp_path: Path,
) -> None:
    source = ROOT / "tests" / "data" / "hostile" / "mixed_encodings_utf8_and_cp1252.csv"
    normalized = tmp_path / "out.csv"
    code, out = run([str(source), "--normalized", str(normalized)])
    assert code == 0
    assert "encoding_mixed" in out
    text = normalized.read_text(encoding="utf-8-sig")
    assert "Sähköjohto" in text and "Ã" not in text


def run_with_errors(args: list[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr (where refusals and notes about outputs go)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            code = main(args, stdout=out)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("option", ["--report", "--normalized"])
def test_an_output_that_is_an_input_is_refused_and_the_input_survives(
    files: dict[str, Path], option: str
) -> None:
    good = files["good"]
    code, out, err = run_with_errors([str(good), option, str(good)])
    assert code == 2
    assert "is one of the input files" in err and out == ""
    assert good.read_text(encoding="utf-8") == GOOD


def test_two_inputs_with_the_same_name_get_distinct_outputs(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "products.csv", tmp_path / "b" / "products.csv"
    for path, name in ((first, "Vasara"), (second, "Saha")):
        path.parent.mkdir()
        path.write_text(GOOD.replace("Vasara", name), encoding="utf-8")
    code, _ = run([str(first), str(second), "--normalized", str(tmp_path / "clean.csv")])
    assert code == 0
    one, two = tmp_path / "clean-products.csv", tmp_path / "clean-products-2.csv"
    assert "Vasara" in one.read_text(encoding="utf-8-sig")
    assert "Saha" in two.read_text(encoding="utf-8-sig")


def test_an_unwritable_output_exits_2_with_one_line_before_any_verdict(
    files: dict[str, Path], tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "x.csv"
    code, out, err = run_with_errors([str(files["good"]), "--normalized", str(target)])
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "does not exist" in err and "Traceback" not in err


def test_a_stale_normalized_copy_is_removed_when_the_file_now_fails(
    files: dict[str, Path], tmp_path: Path
) -> None:
    source, normalized = tmp_path / "p.csv", tmp_path / "p-clean.csv"
    source.write_text(GOOD, encoding="utf-8")
    assert run([str(source), "--normalized", str(normalized)])[0] == 0
    assert normalized.exists()
    source.write_text(BAD, encoding="utf-8")
    code, _, err = run_with_errors([str(source), "--normalized", str(normalized)])
    assert code == 1
    assert not normalized.exists() and f"removed {normalized}" in err


def test_a_directory_is_named_as_a_directory(tmp_path: Path) -> None:
    code, out = run([str(tmp_path)])
    assert code == 2
    assert "is a directory" in out and "No such file" not in out


def test_control_characters_after_the_first_4k_are_refused_like_at_the_top(tmp_path: Path) -> None:
    source = ROOT / "tests" / "data" / "hostile" / "control_characters_after_first_4k.csv"
    normalized = tmp_path / "out.csv"
    code, out = run([str(source), "--normalized", str(normalized)])
    assert code == 2
    assert "Line 302 has control characters" in out
    assert not normalized.exists()
