"""Several checkers on one database: every check runs once, every alert exists once."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import func, select

from bot.upstreams import build_numbering
from core.numbering import InputField, Strategy
from core.numbering.service import NumberingService, Setup
from core.store.database import create_database_engine, migrate
from core.store.numbering_models import NumberingAlert
from core.store.uow import UnitOfWorkFactory, unit_of_work_factory
from core.tenancy import Channel
from core.upstream import Series
from tests.core.numbering.conftest import (
    INTERVAL,
    OWNER,
    SECRET_KEY,
    RecordingNotifier,
    add_onboarding,
)
from tests.waiting import until

ONBOARDINGS = 40  # more than one claim batch (at least 16), so the processes share
REPO_ROOT = Path(__file__).resolve().parents[3]


def warning_everywhere(uow: UnitOfWorkFactory, service: NumberingService, now: datetime) -> None:
    """``ONBOARDINGS`` onboardings whose both series are at ``warning`` (500 numbers left)."""
    values = {}
    for series in Series:
        values[(series, InputField.RACKBEAT_NEXT)] = 999_500
        values[(series, InputField.NETVISOR_MAX)] = 1_000_010
        values[(series, InputField.NETVISOR_BLOCK_START)] = 1_000_000
    setup = Setup(strategies=dict.fromkeys(Series, Strategy.MIXED), values=values)
    for n in range(ONBOARDINGS):
        where = Channel("T1", f"C{n:03d}")
        add_onboarding(uow, where, now)
        service.save_setup(where, OWNER, setup)


def new_service(uow: UnitOfWorkFactory, clock: object) -> NumberingService:
    return build_numbering(
        uow,
        clock,  # type: ignore[arg-type]
        rackbeat_url="http://127.0.0.1:9/",
        netvisor_url="http://127.0.0.1:9/",
        secret_key=SecretStr(SECRET_KEY),
        interval=INTERVAL,
    )


def alert_count(uow: UnitOfWorkFactory) -> int:
    with uow() as unit:
        return int(unit.session.scalar(select(func.count()).select_from(NumberingAlert)) or 0)


def test_checkers_in_threads_share_the_work_and_post_each_alert_once(database_url: str) -> None:
    engine = create_database_engine(database_url)
    migrate(engine)
    uow = unit_of_work_factory(engine)
    now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    services = [new_service(uow, lambda: now) for _ in range(3)]
    warning_everywhere(uow, services[0], now)
    notifiers = [RecordingNotifier() for _ in services]
    reports = []
    barrier = threading.Barrier(len(services))

    def run(index: int) -> None:
        barrier.wait()
        reports.append(services[index].checker.check_due(notifiers[index], concurrency=4))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(services))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.checked for r in reports) == ONBOARDINGS
    assert sum(r.errors for r in reports) == 0
    delivered = [d.alert_id for n in notifiers for d in n.deliveries]
    assert len(delivered) == len(set(delivered)) == 2 * ONBOARDINGS
    assert alert_count(uow) == 2 * ONBOARDINGS
    for service in services:
        service.close()
    engine.dispose()


def test_two_processes_on_postgresql_post_exactly_one_alert_each(
    pg_url: str, tmp_path: Path
) -> None:
    engine = create_database_engine(pg_url)
    migrate(engine)
    uow = unit_of_work_factory(engine)
    now = datetime.now(UTC)
    service = new_service(uow, lambda: datetime.now(UTC))
    warning_everywhere(uow, service, now - timedelta(seconds=1))
    out = tmp_path / "posted.txt"
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.core.numbering.two_process_worker",
                pg_url,
                str(out),
                str(barrier),
            ],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    until(lambda: len(list(barrier.glob("ready-*"))) == 2, "both processes ready", timeout=90)
    (barrier / "go").touch()
    results = [worker.communicate(timeout=90) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), results
    checked = [int(stdout.split()[0]) for stdout, _ in results]
    assert sum(checked) == ONBOARDINGS
    assert min(checked) > 0, "both processes took part"
    lines = out.read_text(encoding="utf-8").splitlines()
    alert_ids = Counter(line.split()[1] for line in lines)
    assert len(alert_ids) == 2 * ONBOARDINGS
    assert set(alert_ids.values()) == {1}  # no alert posted twice
    assert alert_count(uow) == 2 * ONBOARDINGS
    service.close()
    engine.dispose()
