"""Load: acknowledgement latency and throughput of `serve` under concurrent signed requests
(slash commands, button clicks, file shares), beside a bare Bolt app on the same server kind.

    .venv/bin/python bench/bench_load.py [--clients 50] [--requests 3000] [--rounds 3]
                                         [--database-url URL] [--workers 1]
                                         [--separate-workers N]

On PostgreSQL `serve` stores every request as a job before acknowledging it, and the time
behind the acknowledgements is measured until the queue holds no request job (waiting or
running); `--rounds 1 --requests 9000` measures how long a 9,000-request backlog takes.

`--separate-workers N` (PostgreSQL) measures the scale-out shape: `serve` with
`WORKER_PROCESSES=0` acknowledges alone, and N `python -m bot worker` processes are started
only once a round's last request is acknowledged, as if they ran on other machines: the
acknowledgements then share the cores with nobody's work but the database's.

Every process is real: the Slack emulator (`python -m bot.localslack`), the bot
(`python -m bot serve`), the peer (`bench/bare_bolt_app.py`), and this load generator,
all on this machine. Each round waits until the bot has finished earlier work (its
processes idle), sends the same requests to the bare app, then to the bot, and times how long
the bot's work behind the acknowledgements takes to finish. Rounds repeat that with fresh file
shares; the table gives every round and all together (one round's p99 moves by a third from
run to run on a 2-core machine).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bot.localslack.driver import sign  # noqa: E402

TOKEN = "xoxb-bench-token"
SECRET = "bench-signing-secret"
TEAM, CHANNEL, OWNER = "T0LOCAL", "CBENCH", "UBENCH"
PRODUCTS = "number;name;group;cost_price;sales_price\n" + "".join(
    f"{1000 + i};Tuote {i};1;{i},50;{i * 2},00\n" for i in range(50)
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


@dataclass
class Request:
    kind: str
    body: bytes
    content_type: str


@dataclass
class Result:
    target: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    by_kind: dict[str, list[float]] = field(default_factory=dict)

    def row(self) -> str:
        ms = sorted(x * 1000 for x in self.latencies)
        q = statistics.quantiles(ms, n=100) if len(ms) > 1 else ms * 99
        over = sum(1 for x in ms if x > 3000)
        rate = len(ms) / self.seconds if self.seconds else 0
        return (
            f"| {self.target} | {len(ms)} | {rate:.0f} | {q[49]:.1f} | {q[94]:.1f} | "
            f"{q[98]:.1f} | {max(ms):.1f} | {self.errors} | {over} |"
        )


class Emulator:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.localslack", "--bot-token", TOKEN, "--quiet-calls"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.api_url = self.process.stdout.readline().strip()
        self.base = self.api_url.removesuffix("api/")

    def messages(self, channel: str) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.base}_local/messages?channel={channel}") as r:
            data: list[dict[str, Any]] = json.load(r)
            return data

    def share(self, name: str, content: str, user: str, channel: str) -> dict[str, Any]:
        body = json.dumps({"name": name, "content": content, "user": user, "channel": channel})
        request = urllib.request.Request(
            f"{self.base}_local/share",
            data=body.encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request) as r:
            data: dict[str, Any] = json.load(r)
            return data

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def command_body(text: str, user: str, base: str, trigger: str = "1.bench") -> bytes:
    return urlencode(
        {
            "team_id": TEAM,
            "channel_id": CHANNEL,
            "user_id": user,
            "command": "/rackbeat",
            "text": text,
            "response_url": f"{base}respond/none",
            "trigger_id": trigger,
        }
    ).encode()


def click_body(
    button: dict[str, Any], block_id: str, ts: str, user: str, base: str, trigger: str
) -> bytes:
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "A0LOCAL",
        "trigger_id": trigger,
        "channel": {"id": CHANNEL},
        "container": {"type": "message", "message_ts": ts, "channel_id": CHANNEL},
        "response_url": f"{base}respond/none",
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": block_id,
                "value": button.get("value"),
                "action_ts": trigger,
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def find_button(messages: list[dict[str, Any]], word: str) -> tuple[dict[str, Any], str, str]:
    for message in reversed(messages):
        for block in message.get("blocks", []):
            elements = block.get("elements", []) if block.get("type") == "actions" else []
            if block.get("accessory", {}).get("type") == "button":
                elements = [block["accessory"]]
            for element in elements:
                if element.get("type") == "button" and word in str(element.get("action_id")):
                    return element, str(block.get("block_id", "")), str(message["ts"])
    raise RuntimeError(f"no {word!r} button on the checklist")


def wait_for_checklist(emulator: Emulator, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            find_button(emulator.messages(CHANNEL), "guide")
            return
        except RuntimeError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def build_requests(emulator: Emulator, count: int, seed: int = 7) -> list[Request]:
    base = emulator.base
    button, block_id, ts = find_button(emulator.messages(CHANNEL), "guide")
    rng = random.Random(seed)
    requests: list[Request] = []
    for index in range(count):
        roll = rng.random()
        # Each request its own trigger, as Slack gives it: the job queue keys requests on it,
        # so a repeated trigger would be stored once and acknowledged as Slack's retry.
        trigger = f"{seed}.{index}.bench"
        if roll < 0.5:
            requests.append(
                Request(
                    "command",
                    command_body("status", OWNER, base, trigger),
                    "application/x-www-form-urlencoded",
                )
            )
        elif roll < 0.8:
            requests.append(
                Request(
                    "click",
                    click_body(button, block_id, ts, OWNER, base, trigger),
                    "application/x-www-form-urlencoded",
                )
            )
        else:
            event = emulator.share(f"products-{index}.csv", PRODUCTS, OWNER, CHANNEL)
            requests.append(Request("file_share", json.dumps(event).encode(), "application/json"))
    return requests


def pooled(results: list[Result]) -> Result:
    """The rounds of one target as one result (their latencies together, their time summed)."""
    total = Result(results[0].target)
    for result in results:
        total.latencies += result.latencies
        total.errors += result.errors
        total.seconds += result.seconds
        for kind, values in result.by_kind.items():
            total.by_kind.setdefault(kind, []).extend(values)
        for status, count in result.statuses.items():
            total.statuses[status] = total.statuses.get(status, 0) + count
    return total


def p99(result: Result) -> float:
    return statistics.quantiles(result.latencies, n=100)[98]


def run_load(target: str, port: int, requests: list[Request], clients: int) -> Result:
    result = Result(target)
    lock = threading.Lock()
    queue = iter(requests)
    take = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with take:
                request = next(queue, None)
            if request is None:
                break
            headers = {"Content-Type": request.content_type, **sign(SECRET, request.body)}
            started = time.perf_counter()
            try:
                connection.request("POST", "/slack/events", body=request.body, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                status = f"{request.kind}:{response.status}"
            except OSError as error:
                ok = False
                status = f"{request.kind}:{type(error).__name__}"
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = time.perf_counter() - started
            with lock:
                result.latencies.append(elapsed)
                result.by_kind.setdefault(request.kind, []).append(elapsed)
                result.errors += 0 if ok else 1
                result.statuses[status] = result.statuses.get(status, 0) + 1
        connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for _ in range(clients):
            pool.submit(client)
    result.seconds = time.perf_counter() - started
    return result


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


class SeparateWorkers:
    """`python -m bot worker` processes, started and stopped between the floods."""

    def __init__(self, count: int, env: dict[str, str]) -> None:
        self.count, self.env = count, env
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        self.running = [
            start([sys.executable, "-m", "bot", "worker"], self.env) for _ in range(self.count)
        ]

    def stop(self) -> None:
        for process in self.running:
            process.terminate()
        for process in self.running:
            process.wait(timeout=120)
        self.running = []


def cpu_seconds(root: int) -> float:
    """CPU time used so far by process ``root`` and its children (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == root or int(fields[1]) == root:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def wait_until_idle(root: int, timeout: float = 1800) -> float:
    """Wait until ``root``'s processes use under 3 % of a core for a second (the work behind
    the acknowledgements is done); the seconds waited."""
    started = time.perf_counter()
    used = cpu_seconds(root)
    while time.perf_counter() - started < timeout:
        time.sleep(1.0)
        now = cpu_seconds(root)
        if now - used < 0.03:
            break
        used = now
    return time.perf_counter() - started


def wait_until_queue_empty(url: str, started: float, timeout: float = 3600) -> float:
    """On PostgreSQL: wait until no request job waits or runs; the seconds since ``started``
    (the last acknowledgement), which is when the backlog was worked off."""
    while time.perf_counter() - started < timeout:
        jobs = request_jobs(url)
        if not jobs.get("todo") and not jobs.get("doing"):
            break
        time.sleep(0.5)
    return time.perf_counter() - started


def request_jobs(url: str) -> dict[str, int]:
    """On PostgreSQL: the request jobs stored so far, by status."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT status::text, count(*) FROM procrastinate_jobs "
                    "WHERE task_name = 'bot.request' GROUP BY status"
                )
            ).all()
    finally:
        engine.dispose()
    return {str(status): int(count) for status, count in rows}


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def fresh_schema(url: str) -> str:
    """A new PostgreSQL schema for this run, so earlier runs' onboardings are not in the way."""
    schema = f"bench_{int(time.time())}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000, help="per round and target")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--workers", type=int, default=1, help="WORKER_PROCESSES for serve (0: thread pool)"
    )
    parser.add_argument(
        "--separate-workers",
        type=int,
        default=0,
        help="PostgreSQL: serve with WORKER_PROCESSES=0, and this many `bot worker` processes "
        "started after each round's last acknowledgement",
    )
    parser.add_argument("--write", type=Path, default=None, help="write the table to this file")
    options = parser.parse_args()
    if options.separate_workers:
        if not (options.database_url or "").startswith("postgresql"):
            parser.error("--separate-workers needs --database-url postgresql…")
        options.workers = 0
    emulator = Emulator()
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    database_url = options.database_url or f"sqlite:///{workdir / 'bench.db'}"
    if database_url.startswith("postgresql"):
        database_url = fresh_schema(database_url)
    bot_port, bare_port = free_port(), free_port()
    env = {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": emulator.api_url,
        "SLACK_FILE_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "PORT": str(bot_port),
        "LOG_LEVEL": "WARNING",
        "WORKER_PROCESSES": str(options.workers),
    }
    separate = SeparateWorkers(options.separate_workers, env)
    processes = [
        start([sys.executable, "-m", "bot", "serve"], env),
        start(
            [
                sys.executable,
                str(ROOT / "bench" / "bare_bolt_app.py"),
                "--port",
                str(bare_port),
                "--api-url",
                emulator.api_url,
                "--token",
                TOKEN,
                "--signing-secret",
                SECRET,
            ],
            {},
        ),
    ]
    try:
        wait_port(bot_port)
        wait_port(bare_port)
        separate.start()  # the set-up's checklist and the warm-up need their work done
        setup = http.client.HTTPConnection("127.0.0.1", bot_port, timeout=30)
        body = command_body("start Bench Oy", OWNER, emulator.base)
        setup.request(
            "POST",
            "/slack/events",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", **sign(SECRET, body)},
        )
        setup.getresponse().read()
        wait_for_checklist(emulator)
        bares: list[Result] = []
        ours: list[Result] = []
        drains: list[float] = []
        loads: list[str] = []
        warm = build_requests(emulator, min(100, options.requests), seed=1)
        run_load("warm-up", bare_port, warm, 10)
        run_load("warm-up", bot_port, warm, 10)
        serve_pid = processes[0].pid
        if separate.count:
            wait_until_queue_empty(database_url, time.perf_counter())
            separate.stop()
        stored_before = (
            sum(request_jobs(database_url).values()) if database_url.startswith("postgresql") else 0
        )
        for round_ in range(options.rounds):
            # Fresh file shares every round (a file is checked once); the same mix for both.
            requests = build_requests(emulator, options.requests, seed=7 + round_)
            # Neither target is measured while the bot still works off an earlier round.
            wait_until_idle(serve_pid)
            bares.append(run_load("bare Bolt app (no-op)", bare_port, requests, options.clients))
            loads.append(load_average())
            ours.append(run_load("rackbeat-bot serve", bot_port, requests, options.clients))
            # How far the work behind the acknowledgements had fallen behind them: with the job
            # queue, until no request job waits or runs; else until serve's processes idle.
            acknowledged = time.perf_counter()
            if database_url.startswith("postgresql"):
                separate.start()
                drains.append(wait_until_queue_empty(database_url, acknowledged))
                separate.stop()
                stored = sum(request_jobs(database_url).values())
                # Every request is its own job: fewer would mean requests taken for Slack's
                # retries of one another, and a bench measuring the wrong path.
                if stored - stored_before < len(requests):
                    raise RuntimeError(
                        f"{len(requests)} requests sent, {stored - stored_before} stored as jobs"
                    )
                stored_before = stored
            else:
                drains.append(wait_until_idle(serve_pid))
    finally:
        separate.stop()
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=900)
            except subprocess.TimeoutExpired:
                process.kill()
        emulator.stop()
    header = (
        f"{options.rounds} rounds of {options.requests} signed requests (50% `/rackbeat status`, "
        f"30% checklist button clicks, 20% `file_share` events), {options.clients} concurrent "
        f"clients, waitress, {os.cpu_count()} cores, "
        f"database {database_url.split(':')[0].split('+')[0]}, "
        f"WORKER_PROCESSES={options.workers}"
        + (
            f", {options.separate_workers} `bot worker` started after each flood"
            if options.separate_workers
            else ""
        )
        + "\n\n"
        "| round | target | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors "
        "| > 3 s |\n"
        "|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [header]
    for index, (bare, mine) in enumerate(zip(bares, ours, strict=True), start=1):
        lines += [f"| {index} {bare.row()}", f"| {index} {mine.row()}"]
    bare_all, ours_all = pooled(bares), pooled(ours)
    lines += [f"| all {bare_all.row()}", f"| all {ours_all.row()}"]
    for result in (bare_all, ours_all):
        for kind, values in sorted(result.by_kind.items()):
            q = statistics.quantiles([v * 1000 for v in values], n=100)
            print(
                f"{result.target} {kind}: p50 {q[49]:.1f} p95 {q[94]:.1f} p99 {q[98]:.1f} ms",
                file=sys.stderr,
            )
        if result.errors:
            print(f"{result.target}: {result.statuses}", file=sys.stderr)
    ratios = [p99(mine) / p99(bare) for bare, mine in zip(bares, ours, strict=True)]
    lines.append(
        f"\np99 ratio (bot / bare), all rounds: {p99(ours_all) / p99(bare_all):.2f}; "
        f"by round: {', '.join(f'{r:.2f}' for r in ratios)}"
    )
    lines.append(
        "work behind the acknowledgements finished "
        f"{', '.join(f'{d:.0f}' for d in drains)} s after each round's last one"
    )
    lines.append(f"load average (1, 5, 15 min) at each round's start: {'; '.join(loads)}")
    if database_url.startswith("postgresql"):
        lines.append(f"request jobs by status at the end: {request_jobs(database_url)}")
    table = "\n".join(lines)
    print(table)
    if options.write:
        options.write.write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
