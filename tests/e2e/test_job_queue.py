"""The job queue on PostgreSQL, with real processes: `serve` stores each request as a job before
it acknowledges, workers (its own or separate `worker` processes) run them. Killed at the worst
moment, nothing acknowledged is lost and nothing is answered twice."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.jobqueue import REQUEST_TASK, JobQueue
from bot.localslack import LocalSlack
from bot.localslack.methods import message_event
from bot.localslack.state import Message
from core.store.database import create_database_engine
from handlers.blocks.checklist import ACTION_GUIDE
from handlers.messages import t
from tests.fakes.world import fake_upstreams
from tests.faults.proxy import TcpProxy
from tests.faults.support import ANN, CHANNEL, PRODUCTS, answers_in_thread, uploads_in_thread
from tests.imports_support import SECRET_KEY, connect
from tests.serve_process import ServeProcess, WorkerProcess

pytestmark = pytest.mark.timeout(400)


@dataclass
class Started:
    serves: list[ServeProcess] = field(default_factory=list)
    workers: list[WorkerProcess] = field(default_factory=list)

    def serve(self, slack: LocalSlack, url: str, tmp: Path, **env: str) -> ServeProcess:
        process = ServeProcess(slack, url, tmp, env)
        self.serves.append(process)
        return process

    def worker(self, slack: LocalSlack, url: str, tmp: Path, **env: str) -> WorkerProcess:
        process = WorkerProcess(slack, url, tmp, env)
        self.workers.append(process)
        process.wait_ready()
        return process

    def logs(self) -> str:
        return "\n".join(p.stderr() for p in [*self.serves, *self.workers])


@pytest.fixture
def started() -> Iterator[Started]:
    processes = Started()
    yield processes
    for serve in processes.serves:
        if serve.process.poll() is None:
            serve.stop()
    for worker in processes.workers:
        worker.stop()


def wait_until(condition: Callable[[], bool], timeout: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.1)


def query(url: str, sql: str) -> list[Any]:
    engine = create_database_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(sql)))
    finally:
        engine.dispose()


def execute(url: str, sql: str) -> None:
    engine = create_database_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(sql))
    finally:
        engine.dispose()


# --- what is sent, and how its answers are counted ------------------------------------------


@dataclass
class Sent:
    """Requests acknowledged, and where each one's answer is expected."""

    response_urls: list[str] = field(default_factory=list)  # help commands
    shares: list[Message] = field(default_factory=list)  # one file each
    # The emulator's response_urls issued before these requests (not theirs to answer).
    earlier_urls: set[str] = field(default_factory=set)


def url_key(response_url: str) -> str:
    return response_url.rsplit("/", 1)[1]


def answers_per_response_url(slack: LocalSlack) -> Counter[str]:
    return Counter(str(call.response.get("url_key")) for call in slack.calls_to("response_url"))


def guide_button(checklist: Message) -> tuple[dict[str, Any], str]:
    for block in checklist.blocks:
        for element in block.get("elements", []):
            if isinstance(element, dict) and element.get("action_id") == ACTION_GUIDE:
                return element, str(block["block_id"])
    raise AssertionError("the checklist has no guide button")


def start_onboarding(slack: LocalSlack, serve: ServeProcess) -> Message:
    slack.add_user(ANN, "ann")
    assert serve.driver.command("start Acme Oy", user=ANN, channel=CHANNEL).status == 200
    call = slack.wait_for("chat.postMessage", timeout=60)
    slack.wait_quiet(quiet=0.5, timeout=30)
    checklist = slack.message(CHANNEL, str(call.response["ts"]))
    assert checklist is not None
    return checklist


BLOCK = 1_000_000


def set_up_numbering(slack: LocalSlack, serve: ServeProcess) -> None:
    """Manual numbering values with 50 invoice numbers left: every check finds it critical
    (one alert, whatever the number of checks: its key is stored before it is posted)."""
    commands = ["numbering strategy mixed"]
    for series, rackbeat_next in (("order", 10_000), ("invoice", BLOCK - 50)):
        commands += [
            f"numbering set {series} rackbeat-next {rackbeat_next}",
            f"numbering set {series} netvisor-max {BLOCK + 10}",
            f"numbering set {series} netvisor-block-start {BLOCK}",
        ]
    for command in commands:  # one at a time: each answered before the next is typed
        fields = serve.driver.command_fields(command, user=ANN, channel=CHANNEL)
        assert serve.driver.send_form(fields).status == 200
        key = url_key(fields["response_url"])
        wait_until(lambda key=key: answers_per_response_url(slack)[key] == 1, 60, command)


def critical_alerts(slack: LocalSlack) -> list[Message]:
    critical = t("numbering.level.critical", "en")
    return [
        m
        for m in slack.channel_messages(CHANNEL, include_replies=False)
        if m.user == slack.bot_user_id and critical in m.text
    ]


def assert_one_alert(slack: LocalSlack, url: str) -> None:
    """40 checks before and after the kill record one alert and post it at most once. A
    check killed before recording is finished by its job's next run, which takes its lease
    back (test_a_check_killed_mid_read_…). One killed between recording the alert and
    marking it sent leaves it pending (posted or not): the next check after the numbering
    lease (15 minutes) delivers it (tests/faults/test_numbering_interrupted.py); here it is
    never posted twice."""
    rows = query(url, "SELECT status, message_ts FROM numbering_alerts WHERE level = 'critical'")
    assert len(rows) == 1, rows
    [(status, ts)] = rows
    posted = critical_alerts(slack)
    assert len(posted) <= 1
    if status == "sent":
        assert [m.ts for m in posted] == [ts]
    else:
        assert status == "pending"


def send_mixed(slack: LocalSlack, serve: ServeProcess, checklist: Message, count: int) -> Sent:
    """``count`` signed requests as fast as 8 clients can: /rackbeat help, /rackbeat
    numbering check (which alerts), Guide clicks on the checklist and CSV shares, in turn.
    Every one must be acknowledged (200)."""
    button, block_id = guide_button(checklist)
    driver = serve.driver
    sent = Sent(earlier_urls=issued_response_urls(slack))

    def one(index: int) -> None:
        kind = index % 5
        if kind in (0, 1):
            text = "help" if kind == 0 else "numbering check"
            fields = driver.command_fields(text, user=ANN, channel=CHANNEL)
            sent.response_urls.append(url_key(fields["response_url"]))
            assert driver.send_form(fields).status == 200
        elif kind in (2, 3):
            reply = driver.click(
                button, user=ANN, channel=CHANNEL, message_ts=checklist.ts, block_id=block_id
            )
            assert reply.status == 200
        else:
            _, message, reply = driver.upload(
                f"products-{index}.csv", PRODUCTS, user=ANN, channel=CHANNEL
            )
            assert reply.status == 200
            sent.shares.append(message)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, range(count)))
    return sent


def response_urls_of_jobs_started_twice(url: str) -> set[str]:
    """The emulator keys of the response_urls of the jobs that ran again (a worker died while
    running them)."""
    rows = query(
        url,
        "SELECT args->'body'->>'response_url' FROM procrastinate_jobs WHERE id IN ("
        "SELECT job_id FROM procrastinate_events WHERE type = 'started' "
        "GROUP BY job_id HAVING count(*) > 1)",
    )
    return {str(response_url).rsplit("/respond/", 1)[-1] for (response_url,) in rows}


def issued_response_urls(slack: LocalSlack) -> set[str]:
    with slack._lock:
        return set(slack._response_urls)


def clicks_sent(slack: LocalSlack, sent: Sent) -> set[str]:
    """The response_urls the emulator issued for the Guide clicks."""
    return issued_response_urls(slack) - set(sent.response_urls) - sent.earlier_urls


def assert_each_answered_once(
    slack: LocalSlack, url: str, sent: Sent, expected_urls: set[str], timeout: float = 240
) -> None:
    def all_answered() -> bool:
        answered = answers_per_response_url(slack)
        if any(answered[key] == 0 for key in expected_urls):
            return False
        return all(answers_in_thread(slack, share) for share in sent.shares) and all(
            uploads_in_thread(slack, share) for share in sent.shares
        )

    wait_until(all_answered, timeout, "every acknowledged request answered")
    slack.wait_quiet(quiet=2.0, timeout=60)
    answered = answers_per_response_url(slack)
    twice = {key: n for key, n in answered.items() if n != 1 and key in expected_urls}
    # An answer to one person (a response_url answer) cannot be looked up in Slack afterwards:
    # a worker killed in the round trip between Slack taking it and the journal's commit gives
    # it again when the job runs again (the README's guarantees say so). So an answer may come
    # twice only from a job the kill interrupted (a worker runs up to 8 at once, so one kill
    # may catch several in that round trip), and never three times. Without the journal every
    # re-run job that had answered would answer again. Everything in a channel or thread is
    # exact.
    rerun = response_urls_of_jobs_started_twice(url)
    assert all(n == 2 for n in twice.values()), f"answered more than twice: {twice}"
    assert set(twice) <= rerun, f"answered twice by a job that did not run again: {twice}"
    for share in sent.shares:
        replies = answers_in_thread(slack, share)
        assert len(replies) == 1, [(m.ts, m.text[:200]) for m in replies]
        [verdict] = replies
        assert t("registers.checking", "en", name="").split("{")[0] not in verdict.text
        assert len(uploads_in_thread(slack, share)) == 1, uploads_in_thread(slack, share)
    checked = query(url, "SELECT status, attempts FROM processed_files")
    assert len(checked) == len(sent.shares)
    assert {status for status, _ in checked} == {"checked"}
    results = query(
        url,
        "SELECT processed_file_id, count(*) FROM validation_results GROUP BY 1 HAVING count(*) > 1",
    )
    assert results == []


# --- the tests ------------------------------------------------------------------------------


def test_serve_on_postgresql_stores_the_request_and_its_worker_answers(
    slack: LocalSlack, pg_url: str, tmp_path: Path, started: Started
) -> None:
    serve = started.serve(slack, pg_url, tmp_path)
    assert serve.health() == (
        200,
        {"status": "ok", "database": "ok", "queue": {"waiting": 0, "oldest_seconds": 0.0}},
    )
    fields = serve.driver.command_fields("help", user=ANN, channel=CHANNEL)
    assert serve.driver.send_form(fields).status == 200
    wait_until(lambda: answers_per_response_url(slack)[url_key(fields["response_url"])] == 1)
    jobs = query(
        pg_url, f"SELECT status FROM procrastinate_jobs WHERE task_name = '{REQUEST_TASK}'"
    )
    assert jobs == [("succeeded",)]


def test_a_slack_retry_of_a_stored_event_makes_no_second_job(
    slack: LocalSlack, pg_url: str, tmp_path: Path, started: Started
) -> None:
    serve = started.serve(slack, pg_url, tmp_path, WORKER_PROCESSES="0")
    slack.add_user(ANN, "ann")
    _, message, reply = serve.driver.upload("products.csv", PRODUCTS, user=ANN, channel=CHANNEL)
    assert reply.status == 200

    body = message_event(slack, message)
    body["event_id"] = "Ev0SAME"
    for retry in (None, 1, 2):
        assert serve.driver.send_event(body, retry_num=retry).status == 200
    keys = query(pg_url, "SELECT args->>'key' FROM procrastinate_jobs ORDER BY id")
    assert [key for (key,) in keys].count("event:Ev0SAME") == 1
    assert "already a job" in serve.stderr()


@pytest.mark.parametrize("restart", ["serve", "worker"])
def test_sigkill_after_the_last_ack_loses_nothing_and_repeats_nothing(
    slack: LocalSlack, pg_url: str, tmp_path: Path, started: Started, restart: str
) -> None:
    first = started.serve(slack, pg_url, tmp_path)
    checklist = start_onboarding(slack, first)
    set_up_numbering(slack, first)
    sent = send_mixed(slack, first, checklist, 200)
    first.kill_group()  # the front and its worker, mid-backlog
    unanswered = len(sent.response_urls) - sum(
        1 for key in sent.response_urls if answers_per_response_url(slack)[key]
    )
    assert unanswered > 0, "the backlog was worked off before the kill: nothing was tested"
    if restart == "serve":
        started.serve(slack, pg_url, tmp_path)
    else:
        started.worker(slack, pg_url, tmp_path)
    expected = set(sent.response_urls) | clicks_sent(slack, sent)
    assert len(expected) == 160
    assert_each_answered_once(slack, pg_url, sent, expected)
    assert_one_alert(slack, pg_url)
    assert "Traceback" not in started.logs()


def test_a_check_killed_mid_read_is_finished_by_its_job_not_held_for_the_lease(
    slack: LocalSlack, pg_url: str, tmp_path: Path, started: Started
) -> None:
    """The worker dies while a `numbering check` reads Rackbeat. Its lease names the job, not
    the dead process: the job's next run takes it back and gives the check's result, instead
    of "running right now" while the lease (15 minutes) runs out with nothing running."""
    with fake_upstreams() as world:
        company = world.add_company(7, rackbeat_order=5_000, rackbeat_invoice=70_000)
        env = {
            "SECRET_KEY": SECRET_KEY,
            "RACKBEAT_API_URL": world.rackbeat.url,
            "NETVISOR_API_URL": world.netvisor.url,
        }
        first = started.serve(slack, pg_url, tmp_path, **env)
        start_onboarding(slack, first)
        connect(first.driver, slack, company.token, channel=CHANNEL)
        slack.wait_for(
            "chat.postMessage",
            lambda c: "connected Rackbeat" in str(c.params.get("text")),
            timeout=60,
        )
        # Not due for an hour, as if a scheduled round had just checked it: only the hand
        # check below claims it.
        execute(pg_url, "UPDATE numbering_leases SET due_at = now() + interval '1 hour'")
        with world.rackbeat.number_reads_held() as reading:
            fields = first.driver.command_fields("numbering check", user=ANN, channel=CHANNEL)
            assert first.driver.send_form(fields).status == 200
            assert reading.wait(60), "the check never read Rackbeat"
            first.kill_group()
        [(holder,)] = query(pg_url, "SELECT holder FROM numbering_leases")
        assert str(holder).startswith("job:")  # left behind by the dead run
        started.worker(slack, pg_url, tmp_path, **env)
        key = url_key(fields["response_url"])
        wait_until(lambda: answers_per_response_url(slack)[key] == 1, 120, "the check's answer")
        [answer] = [c for c in slack.calls_to("response_url") if c.response["url_key"] == key]
        assert str(answer.params.get("text")).startswith("Checked: orders"), answer.params
        assert query(pg_url, "SELECT holder FROM numbering_leases") == [(None,)]
        assert "Traceback" not in started.logs()


def test_two_workers_and_a_front_without_workers_share_the_work_once(
    slack: LocalSlack, pg_url: str, tmp_path: Path, started: Started
) -> None:
    front = started.serve(slack, pg_url, tmp_path, WORKER_PROCESSES="0")
    workers = [started.worker(slack, pg_url, tmp_path) for _ in range(2)]
    checklist = start_onboarding(slack, front)
    sent = send_mixed(slack, front, checklist, 100)
    expected = set(sent.response_urls) | clicks_sent(slack, sent)
    assert_each_answered_once(slack, pg_url, sent, expected)
    done_by = query(
        pg_url,
        "SELECT count(DISTINCT worker_id) FROM procrastinate_jobs "
        f"WHERE status = 'succeeded' AND task_name = '{REQUEST_TASK}'",
    )
    assert done_by == [(2,)]  # both workers took jobs (they are still registered)
    assert all(worker.process.poll() is None for worker in workers)


def test_a_job_whose_payload_no_longer_parses_fails_once_and_blocks_nothing(
    slack: LocalSlack, pg_url: str, tmp_path: Path, started: Started
) -> None:
    serve = started.serve(slack, pg_url, tmp_path, WORKER_PROCESSES="0")
    queue = JobQueue(pg_url).open()
    try:
        bad = queue.app.configure_task(REQUEST_TASK).defer(key="old", mode="carrier-pigeon")
    finally:
        queue.close()
    fields = serve.driver.command_fields("help", user=ANN, channel=CHANNEL)
    assert serve.driver.send_form(fields).status == 200
    worker = started.worker(slack, pg_url, tmp_path)
    wait_until(lambda: answers_per_response_url(slack)[url_key(fields["response_url"])] == 1)
    wait_until(lambda: f"job {bad} failed: its payload does not parse" in worker.stderr())
    line = next(
        line for line in worker.stderr().splitlines() if f"job {bad} failed: its payload" in line
    )
    assert "mode" in line and "not retried" in line
    [(status,)] = query(pg_url, f"SELECT status FROM procrastinate_jobs WHERE id = {bad}")
    assert status == "failed"
    starts = query(
        pg_url,
        f"SELECT count(*) FROM procrastinate_events WHERE job_id = {bad} AND type = 'started'",
    )
    assert starts == [(1,)]  # run once, never retried


def test_healthz_reports_the_queue_and_is_503_while_nobody_works_it(
    slack: LocalSlack, pg_url: str, tmp_path: Path, started: Started
) -> None:
    serve = started.serve(slack, pg_url, tmp_path, WORKER_PROCESSES="0", QUEUE_STALL_SECONDS="1")
    assert serve.health()[0] == 200
    fields = serve.driver.command_fields("help", user=ANN, channel=CHANNEL)
    assert serve.driver.send_form(fields).status == 200
    wait_until(lambda: serve.health()[0] == 503, timeout=30)
    _, body = serve.health()
    assert body["status"] == "degraded" and body["database"] == "ok"
    assert body["queue"]["waiting"] == 1 and body["queue"]["oldest_seconds"] >= 1
    started.worker(slack, pg_url, tmp_path)
    wait_until(lambda: answers_per_response_url(slack)[url_key(fields["response_url"])] == 1)
    wait_until(lambda: serve.health()[0] == 200, timeout=30)
    assert serve.health()[1]["queue"]["waiting"] == 0


def test_a_request_the_front_cannot_store_gets_the_database_message_then_works_again(
    slack: LocalSlack, pg_url: str, tmp_path: Path, started: Started
) -> None:
    """PostgreSQL goes away under a front: a command it cannot store as a job is answered
    with the calm database message (not the apology for a bug), and once the database is
    back the same front stores the next one, which a worker answers."""
    parsed = make_url(pg_url)
    proxy = TcpProxy((parsed.host or "127.0.0.1", parsed.port or 5432)).start()
    try:
        via_proxy = parsed.set(host="127.0.0.1", port=proxy.port)
        serve = started.serve(
            slack, via_proxy.render_as_string(hide_password=False), tmp_path, WORKER_PROCESSES="0"
        )
        proxy.cut()
        lost = serve.driver.command_fields("status", user=ANN, channel=CHANNEL)
        serve.driver.send_form(lost)

        def answered(fields: dict[str, str]) -> list[str]:
            return [
                str(call.params.get("text"))
                for call in slack.calls_to("response_url")
                if call.response.get("url_key") == url_key(fields["response_url"])
            ]

        wait_until(lambda: bool(answered(lost)), timeout=30, what="the refusal")
        assert answered(lost) == [t("error.database", "en")]
        stored = f"SELECT count(*) FROM procrastinate_jobs WHERE task_name = '{REQUEST_TASK}'"
        assert query(pg_url, stored) == [(0,)]
        proxy.restore()
        kept = serve.driver.command_fields("help", user=ANN, channel=CHANNEL)
        assert serve.driver.send_form(kept).status == 200
        started.worker(slack, pg_url, tmp_path)
        wait_until(lambda: bool(answered(kept)), what="the answer once the database is back")
        assert answered(kept) != [t("error.database", "en")]
    finally:
        proxy.close()
