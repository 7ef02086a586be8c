"""The database goes away under a running bot and comes back: `/healthz` says 503, people get
the calm `error.database` message instead of silence or an apology, nothing crashes, and the
same process answers normally again once the database is back (no restart)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest
from sqlalchemy.engine import make_url

from bot.app import build_client
from bot.localslack import LocalSlack
from bot.localslack.state import Message
from bot.recovery import resume_unfinished
from bot.scheduler import NumberingScheduler
from core.registers import intake
from core.store import database
from core.store.errors import StoreUnavailable
from handlers.messages import t
from handlers.numbering import SlackNotifier
from tests.faults.proxy import TcpProxy
from tests.faults.support import ANN, CHANNEL, press_done, run, said
from tests.harness import BotUnderTest
from tests.serve_process import healthz


class Outage(Protocol):
    url: str

    def cut(self, bot: BotUnderTest) -> None: ...

    def restore(self, bot: BotUnderTest) -> None: ...


class SqliteOutage:
    """The database folder disappears (a lost volume), the way tests/e2e/test_serve.py does."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.folder = Path(str(make_url(url).database)).parent
        self.away = self.folder.with_name("moved-away")

    def cut(self, bot: BotUnderTest) -> None:
        self.folder.rename(self.away)
        bot.runtime.engine.dispose()  # open connections would keep the renamed files

    def restore(self, bot: BotUnderTest) -> None:
        if self.away.exists():
            self.away.rename(self.folder)


class PostgresOutage:
    """PostgreSQL stops answering on its address (failover, partition) and comes back."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.proxy = TcpProxy((parsed.host or "127.0.0.1", parsed.port or 5432)).start()
        self.url = parsed.set(host="127.0.0.1", port=self.proxy.port).render_as_string(
            hide_password=False
        )

    def cut(self, bot: BotUnderTest) -> None:
        self.proxy.cut()

    def restore(self, bot: BotUnderTest) -> None:
        self.proxy.restore()


@pytest.fixture
def outage(database_url: str) -> Iterator[Outage]:
    if database_url.startswith("sqlite"):
        yield SqliteOutage(database_url)
        return
    postgres = PostgresOutage(database_url)
    yield postgres
    postgres.proxy.close()


@pytest.fixture
def running(slack: LocalSlack, outage: Outage) -> Iterator[BotUnderTest]:
    slack.add_user(ANN, "ann")
    under_test = BotUnderTest(slack, outage.url)
    yield under_test
    under_test.stop()


def health(bot: BotUnderTest) -> tuple[int, dict[str, Any]]:
    return healthz(bot.url)


def posted_checklist(slack: LocalSlack) -> Message:
    """The checklist as Slack shows it (read without the database, which may be away)."""
    [message] = [m for m in slack.channel_messages(CHANNEL) if m.user == slack.bot_user_id]
    return message


def test_healthz_is_503_while_the_database_is_gone_and_200_again_without_a_restart(
    running: BotUnderTest, outage: Outage
) -> None:
    assert health(running) == (200, {"status": "ok", "database": "ok"})
    outage.cut(running)
    try:
        status, body = health(running)
        assert (status, body["database"]) == (503, "unreachable")
        assert health(running)[0] == 503  # and stays so: nothing cached the answer
    finally:
        outage.restore(running)
    assert health(running) == (200, {"status": "ok", "database": "ok"})


def test_commands_and_clicks_get_the_database_message_then_work_again(
    running: BotUnderTest, slack: LocalSlack, outage: Outage
) -> None:
    run(running, "start Acme Oy")
    outage.cut(running)
    try:
        seq = slack.last_seq
        run(running, "status")
        assert said(slack, seq) == [t("error.database", "en")]
        seq = slack.last_seq
        press_done(running, posted_checklist(slack), "login")
        assert said(slack, seq) == [t("error.database", "en")]
        assert "done by" not in json.dumps(posted_checklist(slack).blocks)
    finally:
        outage.restore(running)
    seq = slack.last_seq
    run(running, "status")
    assert said(slack, seq) and t("error.database", "en") not in said(slack, seq)
    press_done(running, posted_checklist(slack), "login")
    assert "done by <@U0ANN>" in json.dumps(posted_checklist(slack).blocks)


def test_a_file_shared_during_the_outage_is_answered_with_the_database_message(
    running: BotUnderTest, slack: LocalSlack, outage: Outage
) -> None:
    run(running, "start Acme Oy")
    outage.cut(running)
    try:
        seq = slack.last_seq
        _, message, reply = running.driver.upload(
            "products.csv", b"number;name\n1;A\n", user=ANN, channel=CHANNEL
        )
        assert reply.status == 200
        running.settle()
        assert said(slack, seq) == [t("error.database", "en")]
    finally:
        outage.restore(running)
    # The next file is checked as usual by the same process.
    _, message, _ = running.driver.upload(
        "products.csv",
        b"number;name;group;cost_price;sales_price\n1001;Vasara;1;12,50;19,90\n",
        user=ANN,
        channel=CHANNEL,
    )
    running.settle()
    thread = [m for m in slack.thread(CHANNEL, message.ts) if not m.files]
    assert len(thread) == 1 and "products.csv" in thread[0].text


def test_a_database_host_that_stops_answering_gives_503_within_the_connect_timeout(
    slack: LocalSlack, pg_url: str
) -> None:
    # The default is CONNECT_TIMEOUT (5 s); one second keeps the test short.
    postgres = PostgresOutage(pg_url + "&connect_timeout=1")
    bot = BotUnderTest(slack, postgres.url)
    try:
        assert health(bot)[0] == 200
        postgres.proxy.silence()
        started = time.monotonic()
        status, body = health(bot)
        assert (status, body["database"]) == (503, "unreachable")
        # The connect timeout (1 s) plus room for a loaded machine; with no timeout the ping
        # would hang until health()'s own 10 s and fail there.
        assert time.monotonic() - started < 8
        postgres.proxy.restore()
        assert health(bot)[0] == 200
    finally:
        postgres.proxy.restore()
        bot.stop()
        postgres.proxy.close()


def test_without_a_timeout_in_the_url_the_default_connect_timeout_applies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(database, "CONNECT_TIMEOUT", 1)
    silent = TcpProxy(("127.0.0.1", 9))
    silent.silence()
    engine = database.create_database_engine(f"postgresql+psycopg://u@127.0.0.1:{silent.port}/db")
    try:
        started = time.monotonic()
        assert database.ping(engine) is False
        # 1 s plus room for a loaded machine; without the default it would hang for ever.
        assert time.monotonic() - started < 8
    finally:
        engine.dispose()
        silent.close()


def test_the_intake_resumer_logs_a_missing_database_and_works_once_it_is_back(
    running: BotUnderTest,
    slack: LocalSlack,
    outage: Outage,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = build_client(slack.bot_token, slack.api_url)
    outage.cut(running)
    try:
        assert resume_unfinished(running.deps, client) == 0
        assert "could not look for unfinished file checks" in caplog.text
    finally:
        outage.restore(running)
    assert resume_unfinished(running.deps, client) == 0


def test_a_check_the_database_left_mid_way_is_finished_once_it_is_back(
    slack: LocalSlack, outage: Outage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process the claim cannot even be closed while the database is away: the next start
    resumes it and the verdict replaces the apology in the thread."""
    slack.add_user(ANN, "ann")
    bot = BotUnderTest(slack, outage.url)
    try:
        run(bot, "start Acme Oy")
        validate = intake.validate_files

        def database_leaves(*args: Any, **kwargs: Any) -> Any:
            result = validate(*args, **kwargs)
            outage.cut(bot)  # before the result is stored
            return result

        monkeypatch.setattr(intake, "validate_files", database_leaves)
        _, message, _ = bot.driver.upload(
            "products.csv",
            b"number;name;group;cost_price;sales_price\n1001;Vasara;1;12,50;19,90\n",
            user=ANN,
            channel=CHANNEL,
        )
        bot.settle()
        monkeypatch.setattr(intake, "validate_files", validate)
        outage.restore(bot)
        thread = [m for m in slack.thread(CHANNEL, message.ts) if not m.files]
        assert [m.text for m in thread] == [t("error.apology", "en")]
        assert resume_unfinished(bot.deps, build_client(slack.bot_token, slack.api_url)) == 1
        bot.settle()
        [verdict] = [m for m in slack.thread(CHANNEL, message.ts) if not m.files]
        assert "ready to import" in verdict.text + json.dumps(verdict.blocks)
    finally:
        outage.restore(bot)
        bot.stop()


def test_numbering_commands_and_the_scheduled_round_survive_the_outage(
    running: BotUnderTest, slack: LocalSlack, outage: Outage
) -> None:
    run(running, "start Acme Oy")
    run(running, "numbering set invoice rackbeat-next 10000")
    scheduler = NumberingScheduler(
        running.deps.numbering.checker,
        SlackNotifier(build_client(slack.bot_token, slack.api_url), running.deps),
    )
    outage.cut(running)
    try:
        seq = slack.last_seq
        run(running, "numbering check")
        assert said(slack, seq) == [t("error.database", "en")]
        with pytest.raises(StoreUnavailable):
            scheduler.run_round()  # APScheduler logs it and runs the next tick as usual
    finally:
        outage.restore(running)
    assert scheduler.run_round().errors == 0
    seq = slack.last_seq
    run(running, "numbering check")
    assert said(slack, seq) and t("error.database", "en") not in said(slack, seq)
