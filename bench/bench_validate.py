"""Benchmark: `python -m bot validate` against frictionless-py and against the floor.

Generates products files (10 columns, `;`, decimal commas, about one error per thousand rows of
ten different kinds), then runs each as a separate process and reports wall time, rows per
second, peak RSS and CPU seconds of the child (GNU time). Prints a markdown table.

Three contenders per size, in the same run:

* `bot validate`: the whole process, `python -m bot validate FILE --json`;
* frictionless: the equivalent schema, one run per size (the slow peer);
* floor: a fresh process that only reads the file with polars (every column as text). No
  validator can start, import polars and read the file faster; ``validate / floor`` says how
  far above that the checks are.

The contenders run in rounds, each once a round, ``--repeat`` rounds (frictionless in every
round up to 1M rows, in the first beyond, or ``--frictionless-runs``), and medians are
reported: the machine's speed moves between runs, rounds spread it over all of them.

    .venv/bin/python bench/bench_validate.py                 # 100k, 1M and 5M rows
    .venv/bin/python bench/bench_validate.py --rows 1000000  # one size
    .venv/bin/python bench/bench_validate.py --skip-frictionless

The project's modules are byte-compiled first, as ``pip install`` does for an installed package
(frictionless and polars are read from compiled site-packages). An editable install under
``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile all of them at every start (~35 ms).

frictionless comes with the bench extra: `.venv/bin/pip install -e '.[bench]'`; without it the
table says it was not installed and the rest still runs.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
HEADER = [
    "number",
    "name",
    "group",
    "cost_price",
    "sales_price",
    "unit",
    "barcode",
    "location",
    "batch_tracking",
    "serial_numbers",
]


def ean13(body: str) -> str:
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _row(i: int) -> list[str]:
    price = f"{(i % 9000) + 1},{i % 100:02d}"
    sales = f"{(i % 900) + 1} {i % 1000:03d},50" if i % 7 == 0 else f"{(i % 500) + 2},90"
    return [
        str(100000 + i),
        f"Tuote {i} ääkkönen" if i % 3 == 0 else f"Product {i}",
        str(i % 40 + 1),
        price,
        sales,
        "kpl",
        ean13(f"641{i:09d}"),
        str(i % 5 + 1),
        "1" if i % 11 == 0 else "0",
        "kyllä" if i % 13 == 0 else "ei",
    ]


# One of these per thousand rows, in turn: (kind, how it breaks the row).
def _break(kind: int, row: list[str], i: int) -> None:
    if kind == 0:
        row[6] = row[6][:-1] + str((int(row[6][-1]) + 1) % 10)  # EAN check digit
    elif kind == 1:
        row[3] = "-" + row[3]  # negative price
    elif kind == 2:
        row[2] = "Työkalut"  # group name instead of number
    elif kind == 3:
        row[1] = ""  # name missing
    elif kind == 4:
        row[0] = str(100000 + i - 1)  # duplicate number
    elif kind == 5:
        row[8] = "maybe"  # not a boolean
    elif kind == 6:
        row[4] = "12,50 €"  # not a number
    elif kind == 7:
        row[0] = "X" * 30  # too long
    elif kind == 8:
        row[3] = ""  # cost price missing
    else:
        row[6] = "12345"  # not an EAN


def generate(rows: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"products-{rows}.csv"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        fh.write(";".join(HEADER) + "\r\n")
        for i in range(rows):
            row = _row(i)
            if i % 1000 == 500:
                _break((i // 1000) % 10, row, i)
            fh.write(";".join(row) + "\r\n")
    tmp.rename(path)
    return path


FRICTIONLESS = r"""
import sys
from frictionless import Resource, Schema, formats, Checklist
schema = Schema.from_descriptor({"fields": [
    {"name": "number", "type": "string",
     "constraints": {"required": True, "unique": True, "maxLength": 25}},
    {"name": "name", "type": "string", "constraints": {"required": True, "maxLength": 255}},
    {"name": "group", "type": "integer", "constraints": {"required": True}},
    {"name": "cost_price", "type": "number", "decimalChar": ",", "groupChar": " ",
     "constraints": {"required": True, "minimum": 0}},
    {"name": "sales_price", "type": "number", "decimalChar": ",", "groupChar": " ",
     "constraints": {"required": True, "minimum": 0}},
    {"name": "unit", "type": "string"},
    {"name": "barcode", "type": "string", "constraints": {"pattern": "[0-9]{8}|[0-9]{12,14}"}},
    {"name": "location", "type": "integer"},
    {"name": "batch_tracking", "type": "boolean", "trueValues": ["1", "kyllä", "x"],
     "falseValues": ["0", "ei", ""]},
    {"name": "serial_numbers", "type": "boolean", "trueValues": ["1", "kyllä", "x"],
     "falseValues": ["0", "ei", ""]},
]})
resource = Resource(path=sys.argv[1], schema=schema, control=formats.CsvControl(delimiter=";"))
report = resource.validate(limit_errors=10_000_000)
task = report.tasks[0]
print(task.stats["rows"], task.stats["errors"])
"""


FLOOR = r"""
import sys
import polars as pl
frame = pl.read_csv(sys.argv[1], separator=";", infer_schema=False)
print(frame.height)
"""


def bot_command(path: Path) -> list[str]:
    """`python -m bot validate` once the entry point has the subcommand, else the same main()."""
    main_py = ROOT / "bot" / "__main__.py"
    if main_py.exists() and "cli_validate" in main_py.read_text(encoding="utf-8"):
        return [sys.executable, "-m", "bot", "validate", str(path), "--json"]
    return [
        sys.executable,
        "-c",
        "import sys; from bot.cli_validate import main; sys.exit(main(sys.argv[1:]))",
        str(path),
        "--json",
    ]


def compile_project() -> None:
    """Byte-code for every module of the bot, written now even where Python would not."""
    for package in ("bot", "core", "handlers"):
        if not compileall.compile_dir(ROOT / package, quiet=1):
            raise RuntimeError(f"{package}: a module does not compile")


def measure(cmd: list[str]) -> tuple[float, float, str, float]:
    """(wall seconds, peak RSS in MB, stdout, CPU seconds) of one child process (GNU time)."""
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-v", *cmd], cwd=ROOT, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    fields = dict(line.strip().rsplit(": ", 1) for line in proc.stderr.splitlines() if ": " in line)
    peak_kb = int(fields["Maximum resident set size (kbytes)"])
    cpu = float(fields["User time (seconds)"]) + float(fields["System time (seconds)"])
    if proc.returncode not in (0, 1) or not proc.stdout.strip():
        raise RuntimeError(f"{cmd[:3]} failed: {proc.stderr[-2000:]}")
    return wall, peak_kb / 1024, proc.stdout, cpu


def _line(rows: int, tool: str, errors: str, wall: float, peak: float, cpu: float) -> str:
    rate = rows / wall
    return f"| {rows:,} | {tool} | {errors} | {wall:.2f} | {rate:,.0f} | {peak:.0f} | {cpu:.2f} |"


def _median(runs: list[tuple[float, float, str, float]]) -> tuple[float, float, str, float]:
    return sorted(runs)[len(runs) // 2]  # by wall time: machines are noisy


def _one_size(rows: int, repeat: int, frictionless_runs: int) -> list[str]:
    path = generate(rows)
    # frictionless refuses absolute paths as unsafe: give it one relative to cwd.
    peer = [sys.executable, "-c", FRICTIONLESS, str(path.relative_to(ROOT))]
    bot_runs, floor_runs, peer_runs = [], [], []
    for round_ in range(repeat):
        # In rounds, each contender once: the machine's speed drifts by a third within an
        # hour, and a drift then slows every contender alike instead of the one running.
        bot_runs.append(measure(bot_command(path)))
        floor_runs.append(measure([sys.executable, "-c", FLOOR, str(path)]))
        if round_ < frictionless_runs:
            peer_runs.append(measure(peer))
    wall, peak, out, cpu = _median(bot_runs)
    errors = json.loads(out)["files"][0]["error_count"]
    fwall, fpeak, _, fcpu = _median(floor_runs)
    lines = [
        _line(rows, "bot validate", f"{errors:,}", wall, peak, cpu),
        _line(rows, "floor (polars reads the file)", "", fwall, fpeak, fcpu),
    ]
    if peer_runs:
        xwall, xpeak, xout, xcpu = _median(peer_runs)
        lines.append(_line(rows, "frictionless", f"{int(xout.split()[1]):,}", xwall, xpeak, xcpu))
        lines.append(
            f"| {rows:,} | **speed-up vs frictionless** | | **{xwall / wall:.1f}×** | | "
            f"| **{xcpu / cpu:.1f}×** |"
        )
    lines.append(
        f"| {rows:,} | **validate / floor** | | **{wall / fwall:.2f}×** | | "
        f"| **{cpu / fcpu:.2f}×** |"
    )
    return lines


def _peer_runs(rows: int, repeat: int, requested: int | None) -> int:
    """frictionless takes 20 s a million rows: as often as the others up to 1M rows, once
    beyond, unless told."""
    if requested is not None:
        return min(requested, repeat)
    return repeat if rows <= 1_000_000 else 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--skip-frictionless", action="store_true")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of bot validate and of the floor per size (medians reported)",
    )
    parser.add_argument(
        "--frictionless-runs",
        type=int,
        help="runs of frictionless per size, in the same rounds (default: --repeat up to 1M "
        "rows, 1 beyond)",
    )
    args = parser.parse_args()
    sizes = args.rows or [100_000, 1_000_000, 5_000_000]
    installed = importlib.util.find_spec("frictionless") is not None
    frictionless = installed and not args.skip_frictionless
    peer_runs = {
        rows: _peer_runs(rows, args.repeat, args.frictionless_runs) if frictionless else 0
        for rows in sizes
    }
    compile_project()
    before = os.getloadavg()
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "",
        "| rows | tool | errors found | wall s | rows/s | peak RSS MB | CPU s |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for rows in sizes:
        found = _one_size(rows, args.repeat, peer_runs[rows])
        print("\n".join(found), file=sys.stderr)
        lines.extend(found)
    print("\n".join(lines))
    print(f"\nCommand: {' '.join(bot_command(Path('FILE')))}")
    print(f"bot validate and floor: median of {args.repeat} runs each, in rounds.")
    print("The bot's modules byte-compiled first, as an installed package's are.")
    if not installed:
        print("frictionless: not installed, not run (pip install -e '.[bench]').")
    elif args.skip_frictionless:
        print("frictionless: skipped (--skip-frictionless).")
    else:
        runs = ", ".join(f"{n} at {rows:,} rows" for rows, n in peer_runs.items())
        print(f"frictionless: in the same rounds, median of its runs ({runs}).")
    print(f"Load average before/after: {before} / {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
