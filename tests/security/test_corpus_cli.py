"""`python -m bot validate FILE --json` on the hostile corpus: one JSON document, the exit code
CONTRACT.md promises (0 valid, 1 errors, 2 unreadable), a reason for every refusal, no
traceback, and no live formula in the report or normalized copy it writes.

Every file goes through the command's `main` in this process (fast); a sample, and the whole
corpus in one run, go through a real `python -m bot` subprocess.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from bot import cli_validate
from tests.security.corpus import HOSTILE, REFUSAL_CODES, committed, large, live_formulas

ROOT = Path(__file__).resolve().parents[2]
EXIT_VALID, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def expected_exit(document: dict[str, Any]) -> int:
    files = document["files"]
    if any(f["register"] is None for f in files):
        return EXIT_UNREADABLE
    return EXIT_VALID if document["valid"] else EXIT_ERRORS


def check_document(document: dict[str, Any], names: list[str]) -> None:
    assert [f["file"] for f in document["files"]] == names
    for entry in document["files"]:
        if entry["register"] is None:
            (issue,) = entry["issues"]
            assert issue["code"] in REFUSAL_CODES
            assert issue["severity"] == "error"
            assert len(issue["message"]) > 10


@pytest.fixture(scope="module")
def large_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("large")
    paths = {}
    for name, data in large().items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths


def corpus_paths() -> list[Path]:
    return [HOSTILE / name for name in committed()]


@pytest.mark.parametrize("path", corpus_paths(), ids=lambda p: p.name)
def test_validate_json_answers_every_file_with_the_promised_exit_code(
    path: Path, tmp_path: Path
) -> None:
    out = io.StringIO()
    report, normalized = tmp_path / "report.csv", tmp_path / "normalized.csv"
    code = cli_validate.main(
        [str(path), "--json", "--report", str(report), "--normalized", str(normalized)], out
    )
    document = json.loads(out.getvalue())
    check_document(document, [path.name])
    assert code == expected_exit(document)
    for written in (report, normalized):
        if written.exists():
            assert live_formulas(written.read_bytes()) == []


def test_the_large_files_get_an_answer_too(large_files: dict[str, Path]) -> None:
    for name, path in large_files.items():
        out = io.StringIO()
        code = cli_validate.main([str(path), "--json"], out)
        document = json.loads(out.getvalue())
        check_document(document, [name])
        assert code == expected_exit(document)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "validate", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


SAMPLE = {
    "zip_archive_named.csv": EXIT_UNREADABLE,
    "png_image_named.csv": EXIT_UNREADABLE,
    "binary_random_bytes.csv": EXIT_UNREADABLE,
    "empty_zero_bytes.csv": EXIT_UNREADABLE,
    "header_only_with_newline.csv": EXIT_UNREADABLE,
    "html_login_page_saved.csv": EXIT_UNREADABLE,
    "formula_injection_products.csv": EXIT_ERRORS,
    "formula_injection_in_valid_file.csv": EXIT_VALID,
}


def test_a_sample_through_python_m_bot_validate_has_no_traceback() -> None:
    with ThreadPoolExecutor(len(SAMPLE)) as pool:
        runs = dict(
            zip(SAMPLE, pool.map(lambda n: run(str(HOSTILE / n), "--json"), SAMPLE), strict=True)
        )
    for name, done in runs.items():
        assert "Traceback" not in done.stderr, done.stderr
        document = json.loads(done.stdout)
        check_document(document, [name])
        assert done.returncode == SAMPLE[name], (name, done.returncode)


def test_the_whole_corpus_in_one_run_is_one_document_and_exit_2(
    large_files: dict[str, Path], tmp_path: Path
) -> None:
    paths = [*corpus_paths(), *large_files.values()]
    done = run(*map(str, paths), "--json", "--report", str(tmp_path), "--normalized", str(tmp_path))
    assert "Traceback" not in done.stderr, done.stderr
    document = json.loads(done.stdout)
    check_document(document, [p.name for p in paths])
    assert done.returncode == EXIT_UNREADABLE
    written = list(tmp_path.glob("*.csv"))
    assert written
    for path in written:
        assert live_formulas(path.read_bytes()) == [], path.name


def test_the_human_output_survives_the_corpus_too() -> None:
    done = run(*(str(p) for p in corpus_paths()))
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == EXIT_UNREADABLE
    assert done.stdout.count("\n") >= len(committed())
