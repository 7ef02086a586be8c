"""One "bot process" for the two-process test: a check round against a shared database.

    python -m tests.core.numbering.two_process_worker DATABASE_URL OUT_FILE BARRIER_DIR

Once ready, writes ``ready-PID`` into BARRIER_DIR and waits for the test to create ``go``
there (so both processes start their round together, however slowly each one started), runs
one round, appends one line per posted alert to OUT_FILE and prints the number of checks it ran.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.upstreams import build_numbering
from core.numbering.checker import Delivery
from core.numbering.view import NumberingView
from core.store.database import create_database_engine
from core.store.uow import unit_of_work_factory


class FileNotifier:
    def __init__(self, path: Path) -> None:
        self.path = path

    def deliver(self, delivery: Delivery) -> str:
        time.sleep(0.02)  # posting takes a while: the two processes overlap
        line = f"{os.getpid()} {delivery.alert_id} {delivery.series.value} {delivery.level.value}\n"
        with self.path.open("a", encoding="utf-8") as out:
            out.write(line)
        return f"{delivery.alert_id}.0"

    def checked(self, view: NumberingView) -> None:
        time.sleep(0.01)


def main() -> None:
    url, out, barrier = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    engine = create_database_engine(url)
    service = build_numbering(
        unit_of_work_factory(engine),
        lambda: datetime.now(UTC),
        rackbeat_url="http://127.0.0.1:9/",
        netvisor_url="http://127.0.0.1:9/",
        secret_key=None,
        interval=timedelta(minutes=60),
    )
    (barrier / f"ready-{os.getpid()}").touch()
    deadline = time.monotonic() + 120
    while not (barrier / "go").exists():
        if time.monotonic() > deadline:
            raise SystemExit("the test never said go")
        time.sleep(0.005)
    report = service.checker.check_due(FileNotifier(out), concurrency=4)
    print(report.checked, report.errors)
    service.close()
    engine.dispose()


if __name__ == "__main__":
    main()
