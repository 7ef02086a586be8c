"""Benchmark: reading a large Rackbeat account, and checking a file against it.

1. Reads an account of 50,000 products, 20,000 customers and 5,000 suppliers (plus the eight
   reference lists) from the fake Rackbeat (in a process of its own) answering every request
   after 50 ms, through the bot's own client, request ceiling (480 requests a minute) and reader.
   Reported against the ideal: the requests needed at ``limit=1000``, one after another,
   times the latency; and the reader's own CPU time (on a busy machine, wall time is mostly
   waiting for a core).
2. Checks a 100,000-row products file (``bench_validate``'s generator; every other number
   exists in the account) without and with that snapshot, in process, best of three each,
   the snapshot's conversion included in the "with" time.

    .venv/bin/python bench/bench_account.py
    .venv/bin/python bench/bench_account.py --products 5000 --customers 2000 --suppliers 500
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from datetime import UTC, datetime
from multiprocessing import Pipe, Process
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import polars as pl  # noqa: E402
from bench_validate import generate  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from core.account.model import AccountSnapshot  # noqa: E402
from core.account.reader import PAGE_LIMIT, REFERENCE_LISTS, ReadStats, read_account  # noqa: E402
from core.credentials import RackbeatCredentials  # noqa: E402
from core.registers import FileInput, FileResult, validate_files  # noqa: E402
from core.registers.account import AccountFacts  # noqa: E402
from core.registers.model import Register  # noqa: E402
from core.sources.ratelimit import AccountLimits  # noqa: E402
from core.sources.upstreams import Upstreams  # noqa: E402
from tests.fakes.rackbeat import FakeRackbeat  # noqa: E402
from tests.fakes.rackbeat_account import AccountLists  # noqa: E402

TOKEN = "bench-token-0001"


def build_account(fake: FakeRackbeat, products: int, customers: int, suppliers: int) -> None:
    lists = fake.add_account(TOKEN, "Iso Varasto Oy", lists=AccountLists()).lists
    for n in range(1, 41):
        lists.reference("product-groups", n, f"Ryhmä {n}")
    lists.reference("customer-groups", 1, "Kotimaa")
    lists.reference("supplier-groups", 1, "Kotimaiset")
    lists.reference("units", 1, "kpl")
    for n in range(1, 6):
        lists.reference("locations", n, f"Varasto {n}")
    lists.reference("payment-terms", 1, "14 pv netto")
    lists.reference("layouts", 1, "Perus")
    lists.reference("employees", 1, "Anna Admin")
    for k in range(products):  # every other number of the generated file's 100000 + i
        lists.product(str(100_000 + 2 * k), f"Product {2 * k}", 2 * k % 40 + 1, stock=k % 3)
    for k in range(suppliers):
        lists.party("suppliers", 20_000 + k, f"Toimittaja {k} Oy", 1)
    for k in range(customers):
        lists.party("customers", 100_000 + k, f"Asiakas {k} Oy", 1)


def serve_fake(conn: Connection, latency: float, sizes: tuple[int, int, int]) -> None:
    """The fake Rackbeat in its own process, as a real one would be: its JSON encoding does
    not compete with the reader for the GIL."""
    fake = FakeRackbeat(latency=latency).start()
    build_account(fake, *sizes)
    lists = fake.account(TOKEN).lists.rows
    requests = 1 + sum(max(1, -(-len(lists[path]) // PAGE_LIMIT)) for path in lists)
    conn.send((fake.url, requests))
    conn.recv()  # until the benchmark is done
    fake.stop()


def read_bench(url: str) -> tuple[AccountSnapshot, float, int, float]:
    upstreams = Upstreams(url, "http://127.0.0.1:9/", rackbeat_limits=AccountLimits(480))
    client = upstreams.rackbeat(RackbeatCredentials(api_token=SecretStr(TOKEN)))
    stats = ReadStats()
    started, cpu = time.perf_counter(), time.process_time()
    snapshot = read_account(client, lambda: datetime.now(UTC), stats)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    upstreams.close()
    assert len(REFERENCE_LISTS) == 8
    return snapshot, elapsed, stats.requests, cpu


def check_bench(
    snapshot: AccountSnapshot, rows: int, *, spread: int | None = 2
) -> tuple[tuple[float, float], tuple[float, float], float, int, int]:
    """Best of five, runs interleaved (the machine is shared: load comes and goes).

    The account's products are renumbered ``100000 + spread * k``: with ``spread=2`` half the
    file's rows exist in the account, with 20 one in twenty; ``None`` keeps only the reference
    lists (a first import into an account without products)."""
    path = generate(rows)
    started = time.perf_counter()
    facts = snapshot.facts()
    conversion = time.perf_counter() - started
    products = facts.records[Register.PRODUCTS]
    if spread is None:
        facts = AccountFacts(facts.company, facts.lists, {})
    else:
        renumbered = products.with_columns(
            number=(pl.int_range(pl.len()) * spread + 100_000).cast(pl.String)
        )
        facts = AccountFacts(facts.company, facts.lists, {Register.PRODUCTS: renumbered})

    def timed(account: AccountFacts | None) -> tuple[float, float, FileResult]:
        started, cpu = time.perf_counter(), time.process_time()
        result = validate_files([FileInput(path.name, path=path)], account=account).files[0]
        return time.perf_counter() - started, time.process_time() - cpu, result

    timed(None)  # warm up (imports, caches)
    plain: list[tuple[float, float]] = []
    checked: list[tuple[float, float]] = []
    for _ in range(5):
        wall, cpu, _ = timed(None)
        plain.append((wall, cpu))
        wall, cpu, result = timed(facts)
        checked.append((wall, cpu))
    assert result.account is not None
    best_plain = (min(w for w, _ in plain), min(c for _, c in plain))
    best_checked = (min(w for w, _ in checked), min(c for _, c in checked))
    summary = result.account
    return best_plain, best_checked, conversion, summary.existing, summary.changing


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--suppliers", type=int, default=5_000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    ours, theirs = Pipe()
    sizes = (args.products, args.customers, args.suppliers)
    server = Process(target=serve_fake, args=(theirs, args.latency, sizes), daemon=True)
    server.start()
    try:
        url, ideal_requests = ours.recv()
        snapshot, elapsed, requests, cpu = read_bench(url)
    finally:
        ours.send("stop")
        server.join(timeout=10)
    ideal = ideal_requests * args.latency
    print(f"# bench_account — {platform.machine()}, Python {platform.python_version()}")
    print()
    print(
        f"Reading {args.products:,} products, {args.customers:,} customers, "
        f"{args.suppliers:,} suppliers at {args.latency * 1000:.0f} ms per request:"
    )
    print()
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(f"(load average {load})")
    print()
    print("| requests | ideal requests | wall s | ideal s | × ideal | reader CPU s |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {requests} | {ideal_requests} | {elapsed:.2f} | {ideal:.2f} | {elapsed / ideal:.2f} "
        f"| {cpu:.2f} |"
    )
    print()
    print(f"Checking a {args.rows:,}-row products file (best of 5):")
    print()
    print(
        "| account | measure | without account | with account | added | snapshot → frames s "
        "(once per snapshot) | rows in Rackbeat | would change |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    scenarios = (
        (2, f"{args.products:,} products; 1 row in 2 exists"),
        (20, f"{args.products:,} products; 1 row in 20 exists"),
        (None, "reference lists only"),
    )
    for spread, scenario in scenarios:
        plain, checked, conversion, existing, changing = check_bench(
            snapshot, args.rows, spread=spread
        )
        for label, index in (("wall s", 0), ("CPU s", 1)):
            base, extra = plain[index], checked[index]
            print(
                f"| {scenario} | {label} | {base:.2f} | {extra:.2f} "
                f"| {(extra / base - 1) * 100:+.0f} % | {conversion:.2f} | {existing:,} "
                f"| {changing:,} |"
            )


if __name__ == "__main__":
    main()
