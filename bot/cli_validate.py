"""`python -m bot validate`: check register CSVs offline with the bot's engine.

Kept free of Slack, the database and settings so the command starts fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

# polars allocates through jemalloc, which by default keeps freed pages for 10 s (+80 MB at
# the peak for a one-shot command). Returning them at once (0 ms) kept the peak lowest but
# made every batch fault its pages in afresh: 350,000 page faults and a third of the CPU time
# at 1M rows. Half a second keeps a batch's pages for the next one. One arena instead of one
# per thread (polars' pool, and the worker that prepares the next batch): a page one thread
# freed serves the next allocation of another, for about a tenth fewer CPU seconds and page
# faults and 20 MB less at the peak (~67,000 faults, ~195 MB at 1M rows, ~320 MB at 5M).
# Read when polars loads, so it must be set before the import below (an explicit setting
# wins).
os.environ.setdefault("_RJEM_MALLOC_CONF", "narenas:1,dirty_decay_ms:500,muzzy_decay_ms:0")

from core.account.model import AccountSnapshot, SnapshotFileInvalid
from core.registers import (
    FileInput,
    FileResult,
    Issue,
    Register,
    UnreadableFile,
    ValidationRun,
    Valuation,
    validate_files,
    write_error_report,
    write_normalized,
)
from core.registers.account import AccountFacts
from core.registers.codes import CODES
from core.registers.engine import unreadable_result
from core.registers.report import group_issues
from handlers.blocks.issues import describe_issue, describer, report_wording

EXIT_VALID, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
_SHOWN_GROUPS = 25

_EPILOG = """\
With several files, --report and --normalized name a pattern: for OUT.csv each file FILE gets
OUT-FILE.csv (an existing directory instead gets FILE-errors.csv / FILE-normalized.csv in it);
two files with the same name get OUT-FILE.csv and OUT-FILE-2.csv. An output that is one of the
input files, or that cannot be written, is refused before anything is written (exit 2).
The normalized copy is written only for a file without errors; one left by an earlier run is
removed when the file now fails.

Exit status: 0 valid (warnings allowed), 1 errors found, 2 a file is unreadable, not a CSV or
of an unknown register.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot validate",
        description="Check Rackbeat register CSVs (products, customers, suppliers, inventory). "
        "Several files are checked together: inventory against products, products against "
        "suppliers.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path, help="CSV files to check")
    parser.add_argument(
        "--register",
        choices=[r.value for r in Register],
        help="treat every file as this register instead of recognising it from the header",
    )
    parser.add_argument(
        "--valuation",
        choices=[v.value for v in Valuation],
        help="inventory valuation method chosen in Rackbeat (enables its inventory rules)",
    )
    parser.add_argument(
        "--account",
        metavar="SNAPSHOT.json",
        type=Path,
        help="also check against a Rackbeat account snapshot (/rackbeat account export)",
    )
    parser.add_argument(
        "--report",
        metavar="OUT.csv",
        type=Path,
        help="write every issue (row, column, value, code, severity, message)",
    )
    parser.add_argument(
        "--normalized",
        metavar="OUT.csv",
        type=Path,
        help="write the import-ready copy of an error-free file",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document instead")
    return parser


def output_path(pattern: Path, source: Path, suffix: str, several: bool) -> Path:
    """Where the report/normalized copy of ``source`` goes (see the --help epilog)."""
    if pattern.is_dir():
        return pattern / f"{source.stem}-{suffix}.csv"
    if not several:
        return pattern
    return pattern.with_name(f"{pattern.stem}-{source.stem}{pattern.suffix or '.csv'}")


class OutputRefused(Exception):
    """An output path that would destroy an input or cannot be written: nothing is written."""


_OUTPUTS = (("report", "errors"), ("normalized", "normalized"))


def plan_outputs(args: argparse.Namespace, present: Sequence[Path]) -> dict[tuple[Path, str], Path]:
    """Every output file, decided (and checked) before anything is read or written.

    Refused: an output that is one of the inputs (writing it would replace the data being
    checked), the report and the normalized copy on the same file, and a path whose directory
    is missing or not writable. Two inputs with the same name get distinct outputs (``-2``).
    """
    several = len(args.files) > 1
    inputs = {path.resolve() for path in present}
    owner: dict[Path, str] = {}
    planned: dict[tuple[Path, str], Path] = {}
    for option, suffix in _OUTPUTS:
        pattern: Path | None = getattr(args, option)
        if pattern is None:
            continue
        for path in present:
            target = output_path(pattern, path, suffix, several)
            number = 1
            while target.resolve() in owner and owner[target.resolve()] == option:
                number += 1
                base = output_path(pattern, path, suffix, several)
                target = base.with_name(f"{base.stem}-{number}{base.suffix}")
            _check_output(option, target, inputs, owner)
            owner[target.resolve()] = option
            planned[(path, option)] = target
    return planned


def _check_output(option: str, target: Path, inputs: set[Path], owner: dict[Path, str]) -> None:
    where = target.resolve()
    if where in inputs:
        raise OutputRefused(f"--{option} {target} is one of the input files: choose another name")
    if where in owner:
        raise OutputRefused(f"--report and --normalized both name {target}: choose two names")
    if target.is_dir():
        raise OutputRefused(f"--{option} {target} is a directory with no file name")
    if not target.parent.is_dir():
        raise OutputRefused(f"--{option} {target}: the directory {target.parent} does not exist")
    writable = os.access(target, os.W_OK) if target.exists() else os.access(target.parent, os.W_OK)
    if not writable:
        raise OutputRefused(f"--{option} {target}: not writable")


def main(argv: Sequence[str], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    args = build_parser().parse_args(list(argv))
    account: AccountFacts | None = None
    if args.account is not None:
        try:
            account = load_account(args.account).facts()
        except SnapshotFileInvalid as error:
            sys.stderr.write(f"{args.account}: not usable as --account: {error.code}\n")
            return EXIT_UNREADABLE
    paths: list[Path] = args.files
    present = list(dict.fromkeys(p for p in paths if p.is_file()))
    try:
        planned = plan_outputs(args, present)
    except OutputRefused as refused:
        err.write(f"python -m bot validate: error: {refused}\n")
        return EXIT_UNREADABLE
    inputs = {p: FileInput(p.name, path=p) for p in present}
    run = validate_files(
        list(inputs.values()),
        valuation=Valuation(args.valuation) if args.valuation else None,
        register_override=args.register,
        account=account,
    )
    checked = dict(zip(present, run.files, strict=True))
    results: list[FileResult] = []
    try:
        for path in paths:
            result = checked.get(path)
            if result is None:
                results.append(unreadable_result(path.name, _not_a_file(path)))
                continue
            results.append(result)
            _write_outputs(planned, path, inputs[path], result, err)
    except OSError as error:
        err.write(
            f"python -m bot validate: error: cannot write {error.filename}: {error.strerror}\n"
        )
        return EXIT_UNREADABLE
    full = ValidationRun(results)
    try:
        if args.json:
            document = {
                "valid": full.valid,
                "files": [f.to_json(describer("en", f.headers, plain=True)) for f in full.files],
            }
            # dumps, not dump: dump writes piece by piece through the pure-Python encoder,
            # dumps encodes in C (4.4 ms against 0.7 for 500 issues).
            out.write(json.dumps(document, ensure_ascii=False) + "\n")
        else:
            _print_human(full, out)
        out.flush()
    except BrokenPipeError:
        # The reader went away (`| head`): the rest of the answer has nowhere to go, and the
        # exit status still says what was found. Later writes to the pipe would fail again.
        _silence(out)
    if full.unreadable:
        return EXIT_UNREADABLE
    return EXIT_VALID if full.valid else EXIT_ERRORS


def _silence(out: TextIO) -> None:
    """Point ``out``'s descriptor at the null device, so that flushing it at exit is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # not a real file (tests pass a StringIO)
        pass


def _not_a_file(path: Path) -> UnreadableFile:
    if path.is_dir():
        return UnreadableFile(
            "not_found", f"{path} is a directory: name the CSV files in it (e.g. {path}/*.csv)"
        )
    return UnreadableFile("not_found", f"No such file: {path}")


def load_account(path: Path) -> AccountSnapshot:
    """The snapshot in ``path``; every way it can be wrong is a ``SnapshotFileInvalid``."""
    try:
        data = json.loads(path.read_bytes())
    except OSError as error:
        raise SnapshotFileInvalid(f"cannot read the file ({error.strerror})") from error
    except ValueError as error:
        raise SnapshotFileInvalid("the file is not JSON") from error
    return AccountSnapshot.from_json(data)


def _write_outputs(
    planned: dict[tuple[Path, str], Path],
    path: Path,
    file: FileInput,
    result: FileResult,
    err: TextIO,
) -> None:
    report = planned.get((path, "report"))
    normalized = planned.get((path, "normalized"))
    if normalized is not None and not result.valid and normalized.is_file():
        # A copy from an earlier run of a file that now fails must not be imported by mistake.
        normalized.unlink()
        err.write(
            f"removed {normalized}: the normalized copy of an earlier run ({path.name} now fails)\n"
        )
    if result.unreadable:
        return
    if report is not None:
        write_error_report(result, report_wording(result, "en"), report)
    if normalized is not None and result.valid:
        write_normalized(file, result, normalized)


def _print_human(run: ValidationRun, out: TextIO) -> None:
    for result in run.files:
        out.write(_verdict(result) + "\n")
        groups, left = group_issues(result, _SHOWN_GROUPS)
        if result.unreadable:
            continue
        if result.account is not None:
            out.write(
                f"  checked against Rackbeat ({result.account.company}): "
                f"{result.account.existing:,} rows exist there already, "
                f"{result.account.changing:,} would change them\n"
            )
        for g in groups:
            where = f"rows {g.rows}" if g.rows else "file"
            column = f" {g.column}" if g.column else ""
            count = f" ({g.count}×)" if g.count > 1 else ""
            sample = f" e.g. {', '.join(g.samples)}" if g.samples and g.rows else ""
            detail = (
                _sentence(result, g.code, g.column, g.params)
                if not g.rows or g.count == 1
                else CODES[g.code].title
            )
            out.write(
                f"  {g.severity.value.upper():7} {g.code}{column}: {where}{count}{sample}"
                f" — {detail}\n"
            )
        if left:
            out.write(f"  … and {left} more kinds of issue: see --report for every one\n")
    out.write(("All files valid.\n" if run.valid else "Not valid.\n") if len(run.files) > 1 else "")


def _sentence(result: FileResult, code: str, column: str | None, params: Mapping[str, str]) -> str:
    issue = Issue(CODES[code].severity, None, column, code, None, params)
    return describe_issue(issue, "en", result.headers, plain=True)


def _count(count: int, noun: str) -> str:
    """`1 row`, `12,345 rows`: the terminal output is English."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _verdict(result: FileResult) -> str:
    if result.unreadable:
        return f"{result.file}: unreadable — {describe_issue(result.issues[0], 'en', plain=True)}"
    register = result.register.value if result.register else "?"
    delimiter = {"\t": "tab"}.get(result.delimiter or "", result.delimiter)
    facts = f"{register}, {_count(result.rows, 'row')}, {result.encoding}, '{delimiter}'"
    status = _count(result.error_count, "error") if result.error_count else "valid"
    if result.warning_count:
        status += ", " + _count(result.warning_count, "warning")
    return f"{result.file}: {status} ({facts})"
