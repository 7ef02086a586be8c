"""Benchmark: one numbering check round over many onboardings against local Rackbeat and
Netvisor fakes that answer every request after a fixed latency (50 ms by default).

Every onboarding has both sources connected (credentials sealed with a SECRET_KEY), the mixed
strategy and a block start; a round reads Rackbeat's highest invoice and order (2 requests)
and Netvisor's invoices and pre-invoices (2 requests, one company at a time), records,
evaluates and alerts. Per concurrency level, on a fresh database where 5 % of the onboardings
are near their limit (``warning``), two rounds are measured:

- ``first``: the first check ever: every onboarding's checklist is refreshed (its numbering
  step changes from "unknown") and the 5 % get their alerts, rendered with the chart and
  posted to the local Slack emulator;
- ``next``: the round an interval later, the usual one: nothing changed, nothing to post.

    .venv/bin/python bench/bench_numbering.py                        # 1,000 onboardings
    .venv/bin/python bench/bench_numbering.py --onboardings 200 --concurrency 16
    .venv/bin/python bench/bench_numbering.py --database-url postgresql+psycopg://…/db

Prints a markdown table and writes it to ``bench/RESULTS-numbering.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import build_client  # noqa: E402
from bot.localslack import LocalSlack  # noqa: E402
from bot.upstreams import build_numbering  # noqa: E402
from core.credentials import SecretBox  # noqa: E402
from core.numbering.model import InputField, Strategy  # noqa: E402
from core.numbering.repository import NumberingConfig, NumberingRepository  # noqa: E402
from core.numbering.thresholds import Thresholds  # noqa: E402
from core.store.database import create_database_engine, migrate  # noqa: E402
from core.store.models import Onboarding, Workspace  # noqa: E402
from core.store.uow import UnitOfWorkFactory, unit_of_work_factory  # noqa: E402
from core.upstream import Series, Source  # noqa: E402
from handlers.deps import Deps, RuntimeConfig  # noqa: E402
from handlers.numbering import SlackNotifier  # noqa: E402
from tests.fakes.world import company, fake_upstreams  # noqa: E402

SECRET_KEY = "benchmark-secret-key-0123456789abcdef"
RESULTS = ROOT / "bench" / "RESULTS-numbering.md"
BLOCK = 10_000_000


@dataclass
class Result:
    scenario: str
    onboardings: int
    concurrency: int
    seconds: float
    checked: int
    errors: int
    alerts: int
    requests: int
    overlaps: int


def company_data(n: int, alerting: float) -> dict[str, Any]:
    """What the fakes hold for company ``n``: every ``1/alerting``-th one near its limit."""
    alert_every = int(1 / alerting) if alerting else 0
    near = bool(alert_every) and n % alert_every == 0
    return {
        "rackbeat_invoice": BLOCK - 500 if near else 10_000 + n,
        "rackbeat_order": 5_000 + n,
        "netvisor_invoices": (BLOCK + 1, BLOCK + 2, BLOCK + 3),
        "netvisor_orders": (BLOCK + 1, BLOCK + 2),
    }


def serve_fakes(count: int, alerting: float, latency: float) -> int:
    """The fakes in a process of their own (the real services are not in ours either):
    prints their URLs, then answers ``stats`` / ``reset`` lines on stdin until it closes."""
    with fake_upstreams(latency) as world:
        for n in range(count):
            world.add_company(n, **company_data(n, alerting))
        print(world.rackbeat.url, world.netvisor.url, flush=True)
        for line in sys.stdin:
            if line.strip() == "reset":
                world.rackbeat.requests.clear()
                world.netvisor.requests.clear()
            requests = len(world.rackbeat.requests) + len(world.netvisor.requests)
            print(
                json.dumps({"requests": requests, "overlaps": world.netvisor.overlaps}), flush=True
            )
    return 0


class Fakes:
    """The fake-serving child process, seen from the benchmark."""

    def __init__(self, count: int, alerting: float, latency: float) -> None:
        command = [
            sys.executable,
            __file__,
            "--serve-fakes",
            "--onboardings",
            str(count),
            "--alerting",
            str(alerting),
            "--latency",
            str(latency),
        ]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        assert self.process.stdout is not None
        self.rackbeat_url, self.netvisor_url = self.process.stdout.readline().split()

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


def populate(uow: UnitOfWorkFactory, count: int) -> None:
    """``count`` onboardings with both sources connected (credentials sealed)."""
    box = SecretBox(SECRET_KEY)
    now = datetime.now(UTC)
    with uow() as unit:
        unit.session.add(Workspace(team_id="T0BENCH", created_at=now))
        unit.session.flush()
        rows = [
            Onboarding(
                team_id="T0BENCH",
                channel_id=f"C{n:06d}",
                company_name=f"Yritys {n} Oy",
                owner_id="U0BENCH",
                created_at=now,
                updated_at=now,
            )
            for n in range(count)
        ]
        unit.session.add_all(rows)
        unit.session.flush()
        repo = NumberingRepository(unit.session)
        config = NumberingConfig(dict.fromkeys(Series, Strategy.MIXED), Thresholds())
        for n, row in enumerate(rows):
            credentials = company(n)
            repo.save_config(row.id, config, now)
            repo.ensure_lease(row.id, now)
            for series in Series:
                repo.record_value(
                    row.id,
                    series,
                    InputField.NETVISOR_BLOCK_START,
                    Source.MANUAL,
                    BLOCK,
                    now,
                    set_by="U0BENCH",
                )
            for source, sealed in (
                (Source.RACKBEAT, box.seal(credentials.rackbeat)),
                (Source.NETVISOR, box.seal(credentials.netvisor)),
            ):
                repo.save_credentials(row.id, source, sealed, "bench", "U0BENCH", now)
        unit.commit()


def run_rounds(
    database_url: str, onboardings: int, concurrency: int, latency: float, alerting: float
) -> list[Result]:
    fakes = Fakes(onboardings, alerting, latency)
    with LocalSlack() as slack:
        engine = create_database_engine(database_url)
        migrate(engine)
        uow = unit_of_work_factory(engine)
        populate(uow, onboardings)
        later = [timedelta(0)]
        service = build_numbering(
            uow,
            lambda: datetime.now(UTC) + later[0],
            rackbeat_url=fakes.rackbeat_url,
            netvisor_url=fakes.netvisor_url,
            secret_key=SecretStr(SECRET_KEY),
            interval=timedelta(minutes=60),
            max_connections=max(64, concurrency * 2),
        )
        deps = Deps(config=RuntimeConfig(bot_token=SecretStr(slack.bot_token)), uow=uow)
        notifier = SlackNotifier(build_client(slack.bot_token, slack.api_url), deps)
        results = []
        for scenario in ("first", "next"):
            fakes.ask("reset")
            started = time.perf_counter()
            report = service.checker.check_due(notifier, concurrency)
            seconds = time.perf_counter() - started
            counts = fakes.ask("stats")
            results.append(
                Result(
                    scenario,
                    onboardings,
                    concurrency,
                    seconds,
                    report.checked,
                    report.errors,
                    report.alerts,
                    counts["requests"],
                    counts["overlaps"],
                )
            )
            later[0] += timedelta(minutes=61)  # an interval later: everything is due again
        service.close()
        engine.dispose()
    fakes.close()
    return results


def fresh_database(base: str | None, workdir: Path, name: str) -> str:
    if base is None:
        return f"sqlite:///{workdir / name}.db"
    schema = f"bench_{name}_{os.getpid()}"
    engine = create_database_engine(base)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


def table(results: list[Result], latency: float, backend: str) -> str:
    lines = [
        f"Numbering check round: {results[0].onboardings:,} onboardings, upstream latency "
        f"{latency * 1000:.0f} ms per request, database {backend}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}.",
        "",
        "| round | concurrency | round (s) | checks/s | checked | errors | alerts posted "
        "| upstream requests | Netvisor overlaps |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.scenario} | {r.concurrency} | {r.seconds:.1f} | {r.checked / r.seconds:.0f} "
            f"| {r.checked} | {r.errors} | {r.alerts} | {r.requests} | {r.overlaps} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--onboardings", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, nargs="*", default=[8, 16, 32, 64])
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--alerting", type=float, default=0.02, help="share near the limit")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    parser.add_argument("--append", action="store_true", help="add to the results file")
    parser.add_argument("--serve-fakes", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve_fakes:
        return serve_fakes(options.onboardings, options.alerting, options.latency)
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        for concurrency in options.concurrency:
            url = fresh_database(options.database_url, Path(workdir), f"c{concurrency}")
            rounds = run_rounds(
                url, options.onboardings, concurrency, options.latency, options.alerting
            )
            for result in rounds:
                print(
                    f"{result.scenario:>5} round, concurrency {concurrency:>3}: "
                    f"{result.seconds:6.1f} s, {result.checked} checked, "
                    f"{result.errors} errors, {result.alerts} alerts",
                    flush=True,
                )
            results.extend(rounds)
    backend = "PostgreSQL" if options.database_url else "SQLite"
    report = table(results, options.latency, backend)
    print()
    print(report)
    if not options.no_write:
        command = "    .venv/bin/python bench/bench_numbering.py " + " ".join(sys.argv[1:])
        section = f"Measured with:\n\n{command.rstrip()}\n\n{report}\n"
        if options.append and RESULTS.exists():
            RESULTS.write_text(RESULTS.read_text(encoding="utf-8") + "\n" + section, "utf-8")
        else:
            RESULTS.write_text(f"# Numbering check round benchmark\n\n{section}", "utf-8")
    return 0 if all(r.errors == 0 and r.checked == r.onboardings for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
