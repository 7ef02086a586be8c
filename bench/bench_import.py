"""Benchmark: importing products into the fake Rackbeat, under the request ceiling and without.

The fake Rackbeat (``tests/fakes/``, in a process of its own as the real service is) answers
every request after a fixed latency (50 ms) and keeps each request's arrival time. The import
is the bot's own: a confirmed import in the database (SQLite by default), ``run_import`` with
the journal written before and after every call, ``RackbeatRecords`` over HTTP.

1. **Ceiling**: ``--records`` products (10,000) with at most ``--limit`` requests per
   ``--window`` seconds (480 per 60 s). The floor is records / limit × window; the import should
   take no more than 5 % above it, and the fake must never count more than ``--limit``
   requests in one window, neither in windows aligned on the clock (a per-minute counter) nor in
   any sliding window. ``--time-scale 10`` divides the window by ten (480 per 6 s): the same
   requests, latency and limit per window, ten times faster.
2. **Scaling**: without a ceiling, ``--scaling-records`` products at 1, 2, 4 and 8 requests in
   flight: records per second should grow with the concurrency.

    .venv/bin/python bench/bench_import.py                         # both, real time (≈22 min)
    .venv/bin/python bench/bench_import.py --time-scale 10         # ceiling in ≈2 min
    .venv/bin/python bench/bench_import.py --skip-ceiling          # scaling only

Prints a markdown report and writes it to ``bench/RESULTS-import.md`` (``--results`` to change).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.imports.model import Action, Counts, Mode, Status  # noqa: E402
from core.imports.payloads import payload  # noqa: E402
from core.imports.repository import ImportsRepository, ImportView, PlannedRecord  # noqa: E402
from core.imports.runner import RunnerDeps, run_import  # noqa: E402
from core.imports.source import SourceRow  # noqa: E402
from core.registers.model import Register  # noqa: E402
from core.sources.rackbeat import RackbeatRecords  # noqa: E402
from core.sources.ratelimit import (  # noqa: E402
    RateLimiter,
    RequestGate,
    Unlimited,
)
from core.store.database import create_database_engine, migrate  # noqa: E402
from core.store.models import Onboarding, Workspace  # noqa: E402
from core.store.uow import UnitOfWorkFactory, unit_of_work_factory  # noqa: E402
from tests.fakes.rackbeat import FakeRackbeat  # noqa: E402
from tests.fakes.world import company  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS-import.md"


def serve_fake(latency: float) -> int:
    """The fake Rackbeat in this (child) process: prints its URL, then answers ``stats W`` and
    ``reset`` lines on stdin until it closes."""
    fake = FakeRackbeat(latency).start()
    made = company(0)
    fake.add_account(made.token)
    fake.add_reference(made.token, "product-groups", "1", "Työkalut")
    print(fake.url, flush=True)
    for line in sys.stdin:
        command, *args = line.split()
        if command == "reset":
            with fake._data_lock:
                fake.arrivals.clear()
                for records in fake._accounts[made.token].records.values():
                    records.clear()
            fake.requests.clear()
            print("{}", flush=True)
        elif command == "stats":
            window = float(args[0])
            with fake._data_lock:
                arrivals = sorted(fake.arrivals)
            created = len(fake.records_of(made.token, "products"))
            print(
                json.dumps(
                    {
                        "requests": len(arrivals),
                        "created": created,
                        "most_aligned": fake.most_in_a_window(window),
                        "most_sliding": most_sliding(arrivals, window),
                    }
                ),
                flush=True,
            )
    fake.stop()
    return 0


def most_sliding(arrivals: list[float], window: float) -> int:
    """The most arrivals within any ``window`` seconds (two pointers over sorted times)."""
    most, start = 0, 0
    for end, at in enumerate(arrivals):
        while at - arrivals[start] >= window:
            start += 1
        most = max(most, end - start + 1)
    return most


class Fake:
    def __init__(self, latency: float) -> None:
        command = [sys.executable, __file__, "--serve-fake", "--latency", str(latency)]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()

    def ask(self, line: str) -> dict[str, int]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer: dict[str, int] = json.loads(self.process.stdout.readline())
        return answer

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


@dataclass
class QuietNotifier:
    endings: list[Status] = field(default_factory=list)

    def progress(self, view: ImportView, counts: Counts) -> None:
        pass

    def finished(self, view: ImportView, counts: Counts, status: Status, code: str | None) -> None:
        self.endings.append(status)


def confirmed_import(uow: UnitOfWorkFactory, records: int, first: int) -> int:
    now = datetime.now(UTC)
    with uow() as unit:
        session = unit.session
        if session.get(Workspace, "T0BENCH") is None:
            session.add(Workspace(team_id="T0BENCH", created_at=now))
            session.flush()
            session.add(
                Onboarding(
                    team_id="T0BENCH",
                    channel_id="C0BENCH",
                    company_name="Bench Oy",
                    owner_id="U0BENCH",
                    created_at=now,
                    updated_at=now,
                )
            )
            session.flush()
        onboarding = session.query(Onboarding).one()
        planned = []
        for seq in range(1, records + 1):
            number = str(first + seq)
            row = SourceRow(
                seq + 1,
                {
                    "number": number,
                    "name": f"Tuote {number}",
                    "group": "1",
                    "cost_price": "12.50",
                    "sales_price": "19.90",
                },
            )
            body = payload(Register.PRODUCTS, row, {})
            planned.append(PlannedRecord(seq, row.row, number, Action.CREATE, body))
        repo = ImportsRepository(session)
        import_id = repo.create_preview(
            onboarding_id=onboarding.id,
            team_id="T0BENCH",
            channel_id="C0BENCH",
            thread_ts=f"{first}.0",
            file_id=f"F{first}",
            file_name="products.csv",
            register="products",
            fingerprint="0" * 64,
            created_by="U0BENCH",
            records=planned,
            now=now,
        )
        assert repo.confirm(import_id, Mode.CREATE, "U0BENCH", now)
        unit.commit()
    return import_id


def run(
    uow: UnitOfWorkFactory, url: str, records: int, first: int, gate: RequestGate, concurrency: int
) -> float:
    import_id = confirmed_import(uow, records, first)
    credentials = company(0).rackbeat
    notifier = QuietNotifier()
    with httpx.Client(limits=httpx.Limits(max_connections=32)) as http:
        deps = RunnerDeps(
            uow=uow,
            account=lambda view, stop: RackbeatRecords(
                url, credentials, gate, http=http, stop=stop
            ),
            notifier=notifier,
            clock=lambda: datetime.now(UTC),
            concurrency=concurrency,
        )
        started = time.monotonic()
        status = run_import(import_id, deps)
        took = time.monotonic() - started
    assert status is Status.DONE, status
    with uow() as unit:
        counts = ImportsRepository(unit.session).counts(import_id)
    assert counts.created == records, counts
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=480)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--time-scale", type=float, default=1.0)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--scaling-records", type=int, default=800)
    parser.add_argument("--skip-ceiling", action="store_true")
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--serve-fake", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_fake:
        return serve_fake(args.latency)
    window = args.window / args.time_scale
    workdir = tempfile.mkdtemp(prefix="bench-import-")
    url = args.database_url or f"sqlite:///{workdir}/bench.db"
    engine = create_database_engine(url)
    migrate(engine)
    uow = unit_of_work_factory(engine)
    fake = Fake(args.latency)
    lines = [
        "Import benchmark: fake Rackbeat in its own process answering after "
        f"{args.latency * 1000:.0f} ms, database {engine.dialect.name}, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{len(__import__('os').sched_getaffinity(0))} CPUs.",
        "",
    ]
    try:
        if not args.skip_ceiling:
            gate = RateLimiter(args.limit, window)
            took = run(uow, fake.url, args.records, 0, gate, args.concurrency)
            stats = fake.ask(f"stats {window}")
            floor = args.records / args.limit * window
            lines += [
                f"Ceiling: {args.records:,} products, at most {args.limit} requests per "
                f"{window:g} s (time scale {args.time_scale:g}: the real window is "
                f"{args.window:g} s), {args.concurrency} in flight.",
                "",
                "| took | floor (records / limit × window) | took / floor | requests | "
                "most in a clock-aligned window | most in any sliding window |",
                "|---|---|---|---|---|---|",
                f"| {took:.1f} s | {floor:.1f} s | {took / floor:.3f} | {stats['requests']:,} | "
                f"{stats['most_aligned']} | {stats['most_sliding']} |",
                "",
            ]
            fake.ask("reset")
        if not args.skip_scaling:
            lines += [
                f"Scaling without a ceiling: {args.scaling_records:,} products per run.",
                "",
                "| in flight | took | records/s | × one in flight |",
                "|---|---|---|---|",
            ]
            base = None
            for n, concurrency in enumerate((1, 2, 4, 8), start=1):
                first = n * 1_000_000
                took = run(uow, fake.url, args.scaling_records, first, Unlimited(), concurrency)
                rate = args.scaling_records / took
                base = base or rate
                lines.append(f"| {concurrency} | {took:.1f} s | {rate:.1f} | {rate / base:.2f} |")
                fake.ask("reset")
            lines.append("")
    finally:
        fake.close()
        engine.dispose()
    report = "\n".join(lines)
    print(report)
    args.results.write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
