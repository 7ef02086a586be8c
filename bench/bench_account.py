"""Benchmark: reading a large Rackbeat account, and checking a file against it.

1. Reads an account of 50,000 products, 20,000 customers and 5,000 suppliers (plus the eight
   reference lists) from the fake Rackbeat answering every request after 50 ms, through the
   bot's own client, pacer (480 requests a minute) and reader. Reported against the ideal:
   the requests needed at ``limit=1000``, one after another, times the latency.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_validate import generate  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from core.account.model import AccountSnapshot  # noqa: E402
from core.account.reader import PAGE_LIMIT, REFERENCE_LISTS, ReadStats, read_account  # noqa: E402
from core.numbering.fetch import Upstreams  # noqa: E402
from core.registers import FileInput, FileResult, validate_files  # noqa: E402
from core.registers.account import AccountFacts  # noqa: E402
from core.sources.credentials import RackbeatCredentials  # noqa: E402
from core.sources.pacing import AccountPacers  # noqa: E402
from core.sources.rackbeat import RackbeatClient  # noqa: E402
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


def read_bench(
    fake: FakeRackbeat, latency: float
) -> tuple[AccountSnapshot, float, int, int, float]:
    upstreams = Upstreams(fake.url, "http://127.0.0.1:9/", rackbeat_pacers=AccountPacers(480))
    client = RackbeatClient(
        fake.url,
        RackbeatCredentials(api_token=SecretStr(TOKEN)),
        http=upstreams.http(),
        user_agent=upstreams.rackbeat_user_agent,
    )
    stats = ReadStats()
    started = time.perf_counter()
    snapshot = read_account(client, lambda: datetime.now(UTC), stats)
    elapsed = time.perf_counter() - started
    upstreams.close()
    lists = fake.account(TOKEN).lists.rows
    ideal_requests = 1 + sum(max(1, -(-len(lists[path]) // PAGE_LIMIT)) for path in lists)
    assert len(REFERENCE_LISTS) == 8
    return snapshot, elapsed, stats.requests, ideal_requests, ideal_requests * latency


def check_bench(snapshot: AccountSnapshot, rows: int) -> tuple[float, float, float, int, int]:
    """Best of five, runs interleaved (the machine is shared: load comes and goes)."""
    path = generate(rows)
    started = time.perf_counter()
    facts = snapshot.facts()
    conversion = time.perf_counter() - started

    def timed(account: AccountFacts | None) -> tuple[float, FileResult]:
        started = time.perf_counter()
        result = validate_files([FileInput(path.name, path=path)], account=account).files[0]
        return time.perf_counter() - started, result

    timed(None)  # warm up (imports, caches)
    plain, checked = [], []
    for _ in range(5):
        plain.append(timed(None)[0])
        elapsed, result = timed(facts)
        checked.append(elapsed)
    assert result.account is not None
    return min(plain), min(checked), conversion, result.account.existing, result.account.changing


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--suppliers", type=int, default=5_000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    fake = FakeRackbeat(latency=args.latency).start()
    try:
        build_account(fake, args.products, args.customers, args.suppliers)
        snapshot, elapsed, requests, ideal_requests, ideal = read_bench(fake, args.latency)
    finally:
        fake.stop()
    print(f"# bench_account — {platform.machine()}, Python {platform.python_version()}")
    print()
    print(
        f"Reading {args.products:,} products, {args.customers:,} customers, "
        f"{args.suppliers:,} suppliers at {args.latency * 1000:.0f} ms per request:"
    )
    print()
    print("| requests | ideal requests | wall s | ideal s | × ideal |")
    print("|---:|---:|---:|---:|---:|")
    print(
        f"| {requests} | {ideal_requests} | {elapsed:.2f} | {ideal:.2f} | {elapsed / ideal:.2f} |"
    )
    plain, with_account, conversion, existing, changing = check_bench(snapshot, args.rows)
    print()
    print(f"Checking a {args.rows:,}-row products file (best of 5):")
    print()
    print(
        "| without account s | with account s | added | snapshot → frames s (once per "
        "snapshot) | rows in Rackbeat | would change |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {plain:.2f} | {with_account:.2f} | {(with_account / plain - 1) * 100:+.0f} % "
        f"| {conversion:.2f} | {existing:,} | {changing:,} |"
    )


if __name__ == "__main__":
    main()
