"""Two `serve` processes on one PostgreSQL, as operators scale out: no duplicate replies,
one onboarding, one consistent checklist, whatever process Slack's requests reach."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.localslack import LocalSlack
from bot.localslack.driver import Reply, SlackDriver
from bot.localslack.methods import message_event
from core.onboarding.service import OnboardingService
from core.onboarding.steps import StepId, StepState
from core.store.database import create_database_engine
from core.store.uow import unit_of_work_factory
from core.tenancy import Channel
from handlers.blocks.checklist import ACTION_DONE, checklist_message
from tests.serve_process import ServeProcess
from tests.waiting import until

CHANNEL, OWNER = "C0SCALE", "U0OWNER"
PRODUCTS = b"number;name;group;cost_price;sales_price\n1001;Ruuvi;1;0,10;0,25\n"


@pytest.fixture
def serves(slack: LocalSlack, pg_url: str, tmp_path: Path) -> Iterator[list[ServeProcess]]:
    processes = [ServeProcess(slack, pg_url, tmp_path, {"LOG_LEVEL": "WARNING"}) for _ in range(2)]
    slack.event_sink = processes[0].driver.send_event_quietly
    slack.add_user(OWNER, "owner")
    yield processes
    finish(slack, processes)


@pytest.fixture
def two_bots(serves: list[ServeProcess]) -> tuple[SlackDriver, SlackDriver]:
    return serves[0].driver, serves[1].driver


def queue_worked_off(pg_url: str) -> bool:
    """No job waits or runs: every acknowledged request has been done."""
    engine = create_database_engine(pg_url)
    try:
        with engine.connect() as connection:
            waiting = connection.execute(
                text("SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')")
            ).scalar_one()
    finally:
        engine.dispose()
    return int(waiting) == 0


def finish(slack: LocalSlack, processes: list[ServeProcess], pg_url: str | None = None) -> None:
    """Wait until the job queue is worked off (the acknowledged requests are durable jobs that
    outlive a stop), then SIGTERM both: each finishes what it holds and exits. Once they are
    gone nothing can post any more, so what Slack has then is final: a late duplicate is
    counted, not missed by a quiet window that was too short."""
    until(lambda: slack.pending_emits == 0, "the emulator's events to be delivered")
    if pg_url is not None:
        until(lambda: queue_worked_off(pg_url), "the job queue to be worked off", timeout=180)
        until(lambda: slack.pending_emits == 0, "the emulator's events to be delivered")
    # From here on the echoes of the bot's own posts (which it ignores) are not delivered to a
    # process that is shutting down.
    slack.event_sink = None
    for process in processes:
        if process.process.poll() is None:
            process.process.terminate()
    for process in processes:
        assert process.process.wait(timeout=60) == 0, process.stderr()
        assert "Traceback" not in process.stderr(), process.stderr()


def bot_posts(slack: LocalSlack) -> list[Any]:
    return [
        m
        for m in slack.channel_messages(CHANNEL, include_replies=False)
        if m.user == slack.bot_user_id
    ]


def test_start_reaching_both_processes_at_once_makes_one_onboarding_and_one_checklist(
    serves: list[ServeProcess],
    two_bots: tuple[SlackDriver, SlackDriver],
    slack: LocalSlack,
    pg_url: str,
) -> None:
    with ThreadPoolExecutor(2) as pool:
        replies = list(
            pool.map(lambda d: d.command("start Scale Oy", user=OWNER, channel=CHANNEL), two_bots)
        )
    assert [r.status for r in replies] == [200, 200]
    slack.wait_for("chat.postMessage", timeout=20)
    finish(slack, serves, pg_url)
    assert len(bot_posts(slack)) == 1


def test_a_file_event_delivered_to_both_processes_gets_one_answer(
    serves: list[ServeProcess],
    two_bots: tuple[SlackDriver, SlackDriver],
    slack: LocalSlack,
    pg_url: str,
) -> None:
    first, _ = two_bots
    first.command("start Scale Oy", user=OWNER, channel=CHANNEL)
    slack.wait_for("chat.postMessage", timeout=20)
    shares = []
    for index in range(5):
        slack_file = slack.add_file(name=f"products-{index}.csv", content=PRODUCTS, user=OWNER)
        shares.append(slack.share_file(CHANNEL, OWNER, slack_file))

    def deliver(pair: tuple[SlackDriver, Any]) -> Reply:
        driver, message = pair
        return driver.send_event(message_event(slack, message), retry_num=1)

    work = [(driver, message) for message in shares for driver in two_bots]
    with ThreadPoolExecutor(10) as pool:
        assert {r.status for r in pool.map(deliver, work)} == {200}
    for message in shares:
        slack.wait_for(
            "files.completeUploadExternal",
            lambda call, ts=message.ts: call.params.get("thread_ts") == ts,
            timeout=30,
        )
    finish(slack, serves, pg_url)
    for message in shares:
        replies = slack.thread(CHANNEL, message.ts)
        texts = [r.text for r in replies if not r.files]
        assert len(texts) == 1, texts
        uploads = [f for f in slack.uploads if f.thread_ts == message.ts]
        assert len(uploads) == 1


def test_concurrent_clicks_through_both_processes_leave_one_consistent_checklist(
    serves: list[ServeProcess],
    two_bots: tuple[SlackDriver, SlackDriver],
    slack: LocalSlack,
    pg_url: str,
) -> None:
    first, _ = two_bots
    first.command("start Scale Oy", user=OWNER, channel=CHANNEL)
    slack.wait_for("chat.postMessage", timeout=20)
    (checklist,) = bot_posts(slack)
    steps = [StepId.LOGIN, StepId.CUSTOMERS, StepId.SUPPLIERS, StepId.ACCESS_RIGHTS]

    def press(job: tuple[SlackDriver, StepId]) -> int:
        driver, step = job
        button = {"type": "button", "action_id": ACTION_DONE, "value": step.value}
        return driver.click(
            button, user=OWNER, channel=CHANNEL, message_ts=checklist.ts, block_id="b"
        ).status

    # Every step pressed through both processes at the same moment, several times over.
    jobs = [(driver, step) for step in steps for driver in two_bots for _ in range(3)]
    with ThreadPoolExecutor(12) as pool:
        assert set(pool.map(press, jobs)) == {200}
    finish(slack, serves, pg_url)

    engine = create_database_engine(pg_url)
    try:
        service = OnboardingService(unit_of_work_factory(engine))
        snapshot = service.snapshot(Channel(slack.team_id, CHANNEL))
    finally:
        engine.dispose()
    for step in steps:
        assert snapshot.step(step).state is StepState.DONE
    assert len(bot_posts(slack)) == 1
    shown = slack.message(CHANNEL, checklist.ts)
    assert shown is not None
    # The message in the channel is exactly what the database says now.
    assert shown.blocks == checklist_message(snapshot).blocks
