"""`python -m bot serve` killed with SIGKILL in the middle of an import (no clean-up of any
kind runs), then started again: the new process resumes the import from its journal, looks up
the record whose call was under way at the kill before sending anything again, and every
record ends up in Rackbeat exactly once. On SQLite `serve` itself runs the import; on
PostgreSQL its job worker does, and the kill takes the whole process group (front and worker):
the import resumer of the next start's worker takes it over."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.localslack import LocalSlack
from core.store.database import create_database_engine
from handlers.blocks.imports import ACTION_CREATE, ACTION_PREVIEW
from tests.fakes.world import FakeUpstreams, fake_upstreams
from tests.imports_support import (
    ANN,
    CHANNEL,
    SECRET_KEY,
    bot_replies,
    connect,
    posts_per_number,
    press,
    products_csv,
    text_of,
    wait_until,
    with_button,
)
from tests.serve_process import ServeProcess

RECORDS = 400
HELD = "2150"  # its create reaches Rackbeat, but the answer is held until after the kill


@pytest.fixture
def world() -> Iterator[FakeUpstreams]:
    with fake_upstreams(latency=0.01) as upstreams:
        yield upstreams


@pytest.fixture
def processes() -> Iterator[list[ServeProcess]]:
    started: list[ServeProcess] = []
    yield started
    for serve in started:
        serve.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bot.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


def start_serve(
    slack: LocalSlack,
    database_url: str,
    tmp_path: Path,
    world: FakeUpstreams,
    processes: list[ServeProcess],
) -> ServeProcess:
    env = {
        "SECRET_KEY": SECRET_KEY,
        "RACKBEAT_API_URL": world.rackbeat.url,
        "NETVISOR_API_URL": world.netvisor.url,
        "RACKBEAT_MAX_REQUESTS_PER_MINUTE": "100000",
    }
    serve = ServeProcess(slack, database_url, tmp_path, env=env)
    processes.append(serve)
    return serve


# Two processes, a 400-record import twice and a file check: under load, longer than the
# suite's 120 s a test.
@pytest.mark.timeout(300)
def test_serve_killed_mid_import_resumes_it_and_sends_every_record_once(
    slack: LocalSlack,
    tmp_path: Path,
    database_url: str,
    world: FakeUpstreams,
    processes: list[ServeProcess],
) -> None:
    slack.add_user(ANN, "ann")
    company = world.add_company(5)
    world.rackbeat.add_reference(company.token, "product-groups", "1")
    first = start_serve(slack, database_url, tmp_path, world, processes)
    first.driver.command("start Acme Oy", user=ANN, channel=CHANNEL)
    slack.wait_for("chat.postMessage", timeout=20)
    connect(first.driver, slack, company.token)
    # The connection is tested after the form's acknowledgement; until it is stored, a file
    # check sees no account and offers no import. (Waiting for any message that mentions
    # Rackbeat matched the checklist, posted before: the upload raced the connection.)
    slack.wait_for(
        "chat.postMessage", lambda c: "connected Rackbeat" in str(c.params.get("text")), timeout=60
    )
    _, shared, _ = first.driver.upload(
        "products.csv", products_csv(range(2000, 2000 + RECORDS)), user=ANN, channel=CHANNEL
    )
    wait_for_button(slack, first, shared.ts, ACTION_PREVIEW)
    press(first.driver, with_button(slack, shared.ts, ACTION_PREVIEW), ACTION_PREVIEW)
    wait_for_button(slack, first, shared.ts, ACTION_CREATE)
    world.rackbeat.answer_late(HELD, 120)
    press(first.driver, with_button(slack, shared.ts, ACTION_CREATE), ACTION_CREATE)
    wait_until(lambda: HELD in world.rackbeat.records_of(company.token, "products"))
    first.kill_group()

    engine = create_database_engine(database_url)
    try:
        with engine.begin() as connection:
            held = connection.execute(
                text("SELECT state FROM import_records WHERE number = :n"), {"n": HELD}
            ).scalar()
            assert held == "sent"  # journaled before the call, no outcome: may have arrived
            left = connection.execute(
                text("SELECT count(*) FROM import_records WHERE state = 'pending'")
            ).scalar()
            assert left  # killed mid-import
            # A minute passes: the dead process's lease runs out.
            past = datetime.now(UTC) - timedelta(seconds=1)
            connection.execute(
                text("UPDATE imports SET lease_until = :t"),
                # SQLite keeps naive UTC text in SQLAlchemy's format.
                {"t": past if engine.dialect.name == "postgresql" else _sqlite_time(past)},
            )
        start_serve(slack, database_url, tmp_path, world, processes)

        def finished() -> bool:
            with engine.connect() as connection:
                status = connection.execute(text("SELECT status FROM imports")).scalar()
            return status == "done"

        wait_until(finished, timeout=90)
        with engine.connect() as connection:
            states = dict(
                connection.execute(
                    text("SELECT state, count(*) FROM import_records GROUP BY state")
                ).all()
            )
    finally:
        engine.dispose()
    assert states == {"created": RECORDS}
    assert posts_per_number(world.rackbeat) == {str(n): 1 for n in range(2000, 2000 + RECORDS)}
    assert len(world.rackbeat.records_of(company.token, "products")) == RECORDS
    slack.wait_quiet(quiet=0.3)
    results = [f for f in slack.uploads if f.name == "products-import-result.csv"]
    assert len(results) == 1
    assert results[0].content.decode("utf-8-sig").count(";created;") == RECORDS
    assert bot_replies(slack, shared.ts)


def wait_for_button(slack: LocalSlack, serve: ServeProcess, thread_ts: str, action: str) -> None:
    """Wait for a message edited to carry ``action``'s button. Generous: the check of a
    400-row file with its account read takes 5 s alone and several times that on a loaded
    2-core machine. Running out, it says what the thread and the bot's log showed."""
    try:
        slack.wait_for("chat.update", lambda c: action in str(c.params.get("blocks")), timeout=60)
    except AssertionError as error:
        shown = "\n---\n".join(text_of(m) for m in bot_replies(slack, thread_ts))
        raise AssertionError(
            f"{error}\nthe thread shows:\n{shown}\nserve's log:\n{serve.stderr()[-4000:]}"
        ) from error


def _sqlite_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
