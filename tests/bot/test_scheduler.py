"""The numbering scheduler inside serve/socket, and `python -m bot check-numbering`."""

from __future__ import annotations

import contextlib
import io
import threading
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr

from bot.app import build_client
from bot.cli_numbering import main as check_numbering
from bot.lifecycle import start_background_jobs
from bot.localslack import LocalSlack
from bot.scheduler import NumberingScheduler
from core.numbering import InputField, Strategy
from core.numbering.checker import Delivery
from core.numbering.service import Setup
from core.numbering.view import NumberingView
from core.tenancy import Actor, Channel
from core.upstream import Series
from handlers.messages import t
from handlers.numbering import SlackNotifier
from tests import harness
from tests.harness import BotUnderTest

ANN = "U0ANN"
CHANNEL = "C0SCHED"


class SignallingNotifier:
    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self.done = threading.Event()

    def deliver(self, delivery: Delivery) -> str:
        self.deliveries.append(delivery)
        return "1.0"

    def checked(self, view: NumberingView) -> None:
        self.done.set()


def configure(bot: BotUnderTest, rackbeat_next: int) -> None:
    assert bot.driver.command("start Sched Oy", user=ANN, channel=CHANNEL).status == 200
    bot.settle()
    service = bot.deps.numbering
    values = {}
    for series in Series:
        values[(series, InputField.RACKBEAT_NEXT)] = rackbeat_next
        values[(series, InputField.NETVISOR_MAX)] = 1_000_010
        values[(series, InputField.NETVISOR_BLOCK_START)] = 1_000_000
    service.save_setup(
        Channel(bot.slack.team_id, CHANNEL),
        Actor(ANN),
        Setup(strategies=dict.fromkeys(Series, Strategy.MIXED), values=values),
    )


def test_the_job_coalesces_never_overlaps_and_ticks_within_the_interval(
    bot: BotUnderTest,
) -> None:
    scheduler = NumberingScheduler(bot.deps.numbering.checker, SignallingNotifier()).start()
    try:
        [job] = scheduler._scheduler.get_jobs()
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.trigger.interval == timedelta(minutes=1)
    finally:
        scheduler.shutdown()


def test_a_round_runs_from_the_scheduler_thread(bot: BotUnderTest, slack: LocalSlack) -> None:
    slack.add_user(ANN, "ann")
    configure(bot, 999_500)  # warning
    notifier = SignallingNotifier()
    scheduler = NumberingScheduler(bot.deps.numbering.checker, notifier, concurrency=2).start()
    try:
        scheduler._scheduler.modify_job("numbering-check", next_run_time=datetime.now(UTC))
        assert notifier.done.wait(timeout=20)
    finally:
        scheduler.shutdown()
    assert {d.series for d in notifier.deliveries} == set(Series)
    assert scheduler.run_round().checked == 0  # not due again for an interval


def test_serve_starts_the_scheduler_and_it_stops_cleanly(bot: BotUnderTest) -> None:
    # Without the job queue (SQLite) serve also runs the import resumer; on PostgreSQL the
    # job workers do.
    jobs = start_background_jobs(bot.runtime, None)
    assert [type(job).__name__ for job in jobs] == ["NumberingScheduler", "ImportResumer"]
    for job in jobs:
        job.shutdown()  # type: ignore[attr-defined]


def test_with_the_job_queue_a_tick_asks_for_a_round_instead_of_running_it(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    configure(bot, 999_950)  # a round would alert
    asked: list[datetime] = []
    service = bot.deps.numbering
    assert service is not None
    scheduler = NumberingScheduler(
        service.checker,
        SlackNotifier(build_client(slack.bot_token, slack.api_url), bot.deps),
        defer=lambda now: asked.append(now) is None,
    )
    seq = slack.last_seq
    scheduler.tick_once()
    assert len(asked) == 1
    assert [c for c in slack.calls_to("chat.postMessage") if c.seq > seq] == []
    scheduler.defer = None  # without the queue, the same tick runs the round: it alerts
    scheduler.tick_once()
    assert [c for c in slack.calls_to("chat.postMessage") if c.seq > seq]


def test_check_numbering_prints_each_series_and_posts_alerts_once(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    slack.add_user(ANN, "ann")
    configure(bot, 999_950)  # 50 left: critical
    out = io.StringIO()
    assert check_numbering(["--channel", CHANNEL], bot.settings, out) == 1
    printed = out.getvalue()
    assert "Sched Oy" in printed
    assert "order: critical, headroom 50" in printed
    assert "posted alert (invoice)" in printed
    critical = t("numbering.level.critical", "en")
    posted = [m for m in slack.channel_messages(CHANNEL) if f"*{critical}*" in m.text]
    assert len(posted) == 2
    out = io.StringIO()
    assert check_numbering([], bot.settings, out) == 1
    assert "posted" not in out.getvalue()  # nothing new to say
    assert len([m for m in slack.channel_messages(CHANNEL) if f"*{critical}*" in m.text]) == 2


def test_check_numbering_without_a_slack_token_keeps_alerts_for_later(
    bot: BotUnderTest, slack: LocalSlack
) -> None:
    slack.add_user(ANN, "ann")
    configure(bot, 999_500)
    offline = harness.test_settings(bot.database_url, slack, slack_bot_token=None)
    out = io.StringIO()
    assert check_numbering([], offline, out) == 1
    assert "posted" not in out.getvalue()
    warning = t("numbering.level.warning", "en")
    assert [m for m in slack.channel_messages(CHANNEL) if f"*{warning}*" in m.text] == []
    out = io.StringIO()
    check_numbering([], bot.settings, out)
    assert out.getvalue().count("posted alert") == 2  # the undelivered ones, now


def test_check_numbering_without_configured_onboardings_says_so(bot: BotUnderTest) -> None:
    out = io.StringIO()
    assert check_numbering([], bot.settings, out) == 0  # cron on a fresh install: fine
    assert "no onboarding has numbering set up" in out.getvalue()


def test_check_numbering_of_a_channel_with_nothing_to_check_exits_2(bot: BotUnderTest) -> None:
    out = io.StringIO()
    assert check_numbering(["--channel", "CNOPE"], bot.settings, out) == 2
    assert "no onboarding has numbering set up in CNOPE" in out.getvalue()


def test_check_numbering_refuses_a_concurrency_below_1(bot: BotUnderTest) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exited:
        check_numbering(["--concurrency", "0"], bot.settings, io.StringIO())
    assert exited.value.code == 2
    assert "at least 1" in err.getvalue()


def test_settings_secret_key_reaches_the_numbering_service(
    slack: LocalSlack, sqlite_url: str
) -> None:
    bot = BotUnderTest(slack, sqlite_url, secret_key=SecretStr("x" * 32))
    try:
        assert bot.deps.numbering is not None
        assert bot.deps.numbering.box is not None
        assert bot.deps.numbering_status is not None
    finally:
        bot.stop()
