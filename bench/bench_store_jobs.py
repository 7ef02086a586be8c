"""Storing requests as jobs: the front's CPU a job, `bot.jobqueue` beside procrastinate's own
`Task.batch_defer` (its peer: the same defer function and rows, arguments sent differently).

    .venv/bin/python bench/bench_store_jobs.py --database-url postgresql+psycopg://…/db
                                               [--jobs 400] [--repeat 5]

Each request is a checklist click as Slack sends it (about 3 kB of JSON once parsed), stored
in batches of 1 and 16 (an idle front stores one at a time; under a flood the group commit
stores many at once). The CPU is this thread's (`time.thread_time`), so the database's own
work, on the same machine, is left out; the wall time a job is beside it. The two ways
alternate, `--repeat` times each, and the table gives medians. A fresh schema per run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_load import fresh_schema  # noqa: E402
from bot.jobqueue import REQUEST_TASK, JobQueue  # noqa: E402
from core.store.database import create_database_engine, migrate  # noqa: E402


def click(index: int) -> dict[str, Any]:
    """A request's payload as the front stores it (``bot.jobqueue.request_payload``)."""
    trigger = f"{index}.{uuid.uuid4().hex}"
    steps = [
        {
            "type": "section",
            "block_id": f"step-{n}",
            "text": {"type": "mrkdwn", "text": f'*Step {n}* "Customers": import the register'},
        }
        for n in range(12)
    ]
    body = {
        "type": "block_actions",
        "team": {"id": "T0BENCH"},
        "user": {"id": "U0BENCH", "team_id": "T0BENCH"},
        "api_app_id": "A0BENCH",
        "trigger_id": trigger,
        "channel": {"id": "C0BENCH"},
        "container": {"type": "message", "message_ts": "1.2", "channel_id": "C0BENCH"},
        "response_url": "https://hooks.slack.test/actions/T0BENCH/1/x",
        "message": {"ts": "1.2", "text": "Onboarding checklist", "blocks": steps},
        "actions": [
            {
                "type": "button",
                "action_id": "onboarding:done",
                "block_id": "step-1",
                "value": json.dumps({"step": "customers"}),
                "action_ts": trigger,
            }
        ],
    }
    return {"key": f"trigger:{trigger}", "mode": "http", "body": body, "content_type": ""}


def measure(
    store: Callable[[Sequence[dict[str, Any]]], object], jobs: int, batch: int
) -> tuple[float, float]:
    """Milliseconds of this thread's CPU and of wall time a job (``batch`` jobs a store)."""
    payloads = [click(index) for index in range(jobs)]
    cpu, wall = time.thread_time(), time.perf_counter()
    for start in range(0, jobs, batch):
        store(payloads[start : start + batch])
    return (
        (time.thread_time() - cpu) * 1000 / jobs,
        (time.perf_counter() - wall) * 1000 / jobs,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--jobs", type=int, default=400, help="jobs a measurement")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    url = fresh_schema(options.database_url)
    engine = create_database_engine(url)
    migrate(engine)
    queue = JobQueue(url).open()
    task = queue.app.configure_task(REQUEST_TASK)
    ways: dict[str, Callable[[Sequence[dict[str, Any]]], object]] = {
        "procrastinate `Task.batch_defer`": lambda batch: task.batch_defer(*batch),
        "`bot.jobqueue` (binary `jsonb[]`)": queue._store_requests,
    }
    rows = []
    try:
        for batch in (1, 16):
            results: dict[str, list[tuple[float, float]]] = {name: [] for name in ways}
            measure(ways["`bot.jobqueue` (binary `jsonb[]`)"], 50, batch)  # warm-up
            for _ in range(options.repeat):
                for name, store in ways.items():
                    results[name].append(measure(store, options.jobs, batch))
            for name, values in results.items():
                cpu = statistics.median(v[0] for v in values)
                wall = statistics.median(v[1] for v in values)
                rows.append(f"| {batch} | {name} | {cpu:.3f} | {wall:.3f} |")
    finally:
        queue.close()
        engine.dispose()
    print(
        f"{options.jobs} jobs a measurement, medians of {options.repeat}\n\n"
        "| batch | way | front CPU ms a job | wall ms a job |\n|---:|---|---:|---:|"
    )
    print("\n".join(rows))


if __name__ == "__main__":
    main()
