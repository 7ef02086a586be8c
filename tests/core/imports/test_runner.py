"""``run_import`` against the fake Rackbeat over real HTTP: outcomes journaled, retries that
never create twice, updates only when chosen, cancellation, one runner at a time, the ceiling."""

from __future__ import annotations

import itertools
import json
import threading
import time

import httpx

from core.imports.model import Action, Mode, State, Status
from core.imports.repository import ImportsRepository
from core.imports.runner import run_import
from core.sources.ratelimit import RateLimiter
from core.store.uow import UnitOfWorkFactory
from tests.core.imports.conftest import RecordingNotifier, add_import, rows, runner_deps
from tests.fakes.rackbeat import FakeRackbeat, reply_rate_limited, reply_server_error
from tests.fakes.world import Company


def states(uow: UnitOfWorkFactory, import_id: int) -> dict[str, str]:
    with uow() as unit:
        return {
            r.number: r.state.value for r in ImportsRepository(unit.session).all_records(import_id)
        }


def posts(rackbeat: FakeRackbeat, number: str) -> int:
    return sum(
        1
        for r in rackbeat.requests
        if r.method == "POST" and str(json.loads(r.body)["number"]) == number
    )


def test_every_record_is_created_and_journaled_with_rackbeats_id(
    uow: UnitOfWorkFactory, http: httpx.Client, rackbeat: FakeRackbeat, account: Company
) -> None:
    import_id = add_import(uow, rows(range(1, 21)))
    notifier = RecordingNotifier()
    assert run_import(import_id, runner_deps(http, uow, rackbeat, account, notifier)) is Status.DONE
    created = rackbeat.records_of(account.token, "products")
    with uow() as unit:
        journal = ImportsRepository(unit.session).all_records(import_id)
    assert {r.number: r.rackbeat_id for r in journal} == {
        n: str(record["id"]) for n, record in created.items()
    }
    [(status, code, counts)] = notifier.endings
    assert (status, code, counts.created, counts.failed) == (Status.DONE, None, 20, 0)


def test_a_429_is_waited_out_for_its_retry_after_and_the_record_created_once(
    uow: UnitOfWorkFactory, http: httpx.Client, rackbeat: FakeRackbeat, account: Company
) -> None:
    rackbeat.fail_number("3", reply_rate_limited("1"), times=1)
    import_id = add_import(uow, rows(range(1, 6)))
    started = time.monotonic()
    run_import(import_id, runner_deps(http, uow, rackbeat, account, RecordingNotifier()))
    assert time.monotonic() - started >= 1.0
    assert states(uow, import_id) == {str(n): "created" for n in range(1, 6)}
    assert posts(rackbeat, "3") == 2


def test_5xx_answers_are_retried_with_backoff(
    uow: UnitOfWorkFactory, http: httpx.Client, rackbeat: FakeRackbeat, account: Company
) -> None:
    rackbeat.fail_number("2", reply_server_error(503), times=2)
    import_id = add_import(uow, rows(range(1, 4)))
    run_import(import_id, runner_deps(http, uow, rackbeat, account, RecordingNotifier()))
    assert states(uow, import_id) == {str(n): "created" for n in range(1, 4)}
    assert len(rackbeat.records_of(account.token, "products")) == 3


def test_a_create_that_timed_out_is_looked_up_by_number_before_it_is_sent_again(
    uow: UnitOfWorkFactory, http: httpx.Client, rackbeat: FakeRackbeat, account: Company
) -> None:
    rackbeat.answer_late("4", 2.0)  # saved at once, answered after the client gave up
    import_id = add_import(uow, rows(range(1, 6)))
    deps = runner_deps(http, uow, rackbeat, account, RecordingNotifier(), timeout=0.5)
    assert run_import(import_id, deps) is Status.DONE
    assert posts(rackbeat, "4") == 1
    assert any(r.method == "GET" and r.path.endswith("/products/4") for r in rackbeat.requests)
    assert states(uow, import_id)["4"] == "created"


def test_a_422_fails_only_that_record_and_keeps_rackbeats_message(
    uow: UnitOfWorkFactory, http: httpx.Client, rackbeat: FakeRackbeat, account: Company
) -> None:
    source = rows(range(1, 4))
    source[1].values["name"] = None  # the API requires a name
    import_id = add_import(uow, source)
    run_import(import_id, runner_deps(http, uow, rackbeat, account, RecordingNotifier()))
    with uow() as unit:
        [failed] = ImportsRepository(unit.session).records_in(import_id, State.FAILED)
    assert failed.number == "2"
    assert failed.message is not None and "The name field is required." in failed.message


def test_existing_records_are_updated_only_when_the_person_chose_to(
    uow: UnitOfWorkFactory, http: httpx.Client, rackbeat: FakeRackbeat, account: Company
) -> None:
    for number in ("1", "2"):
        rackbeat.add_record(account.token, "products", {"number": number, "name": "Vanha"})
    actions = {"1": Action.UPDATE, "2": Action.UPDATE}
    create_only = add_import(uow, rows(range(1, 4)), actions=actions)
    run_import(create_only, runner_deps(http, uow, rackbeat, account, RecordingNotifier()))
    assert states(uow, create_only) == {"1": "skipped", "2": "skipped", "3": "created"}
    assert rackbeat.records_of(account.token, "products")["1"]["name"] == "Vanha"
    updating = add_import(uow, rows([1, 2]), actions=actions, mode=Mode.UPDATE)
    run_import(updating, runner_deps(http, uow, rackbeat, account, RecordingNotifier()))
    assert states(uow, updating) == {"1": "updated", "2": "updated"}
    assert rackbeat.records_of(account.token, "products")["1"]["name"] == "Tuote 1"


def test_a_second_runner_finds_the_import_claimed_and_sends_nothing(
    uow: UnitOfWorkFactory, http: httpx.Client, rackbeat: FakeRackbeat, account: Company
) -> None:
    rackbeat.latency = 0.02
    import_id = add_import(uow, rows(range(1, 41)))
    outcomes: list[Status | None] = []
    runners = [
        threading.Thread(
            target=lambda: outcomes.append(
                run_import(
                    import_id, runner_deps(http, uow, rackbeat, account, RecordingNotifier())
                )
            )
        )
        for _ in range(2)
    ]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()
    assert sorted(outcomes, key=str) == sorted([Status.DONE, None], key=str)
    assert all(posts(rackbeat, str(n)) == 1 for n in range(1, 41))


def test_a_cancelled_import_sends_nothing_more(
    uow: UnitOfWorkFactory, http: httpx.Client, rackbeat: FakeRackbeat, account: Company
) -> None:
    import_id = add_import(uow, rows(range(1, 11)))
    with uow() as unit:
        assert ImportsRepository(unit.session).request_cancel(import_id)
        unit.commit()
    notifier = RecordingNotifier()
    assert (
        run_import(import_id, runner_deps(http, uow, rackbeat, account, notifier))
        is Status.CANCELLED
    )
    assert rackbeat.writes() == []
    assert notifier.endings[0][2].pending == 10


def test_the_ceiling_holds_in_every_window_the_fake_counts(
    uow: UnitOfWorkFactory, http: httpx.Client, rackbeat: FakeRackbeat, account: Company
) -> None:
    # 480 a minute scaled down: 10 a second, 35 records (about 3 s at the ceiling).
    rackbeat.latency = 0.01
    import_id = add_import(uow, rows(range(1, 36)))
    gate = RateLimiter(10, window=1.0)
    started = time.monotonic()
    run_import(import_id, runner_deps(http, uow, rackbeat, account, RecordingNotifier(), gate=gate))
    took = time.monotonic() - started
    assert rackbeat.most_in_a_window(1.0) <= 10
    assert 3.0 <= took < 6.0
    assert len(rackbeat.records_of(account.token, "products")) == 35


def test_a_cancel_is_not_held_up_by_requests_waiting_for_the_ceiling(
    uow: UnitOfWorkFactory, http: httpx.Client, rackbeat: FakeRackbeat, account: Company
) -> None:
    import_id = add_import(uow, rows(range(1, 21)))
    gate = RateLimiter(5, window=60)  # five go at once, the rest wait a minute
    deps = runner_deps(http, uow, rackbeat, account, RecordingNotifier(), gate=gate)
    outcome: list[Status | None] = []
    runner = threading.Thread(target=lambda: outcome.append(run_import(import_id, deps)))
    runner.start()
    deadline = time.monotonic() + 20
    while len(rackbeat.records_of(account.token, "products")) < 5:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    with uow() as unit:
        assert ImportsRepository(unit.session).request_cancel(import_id)
        unit.commit()
    runner.join(timeout=10)
    assert outcome == [Status.CANCELLED]
    assert len(rackbeat.writes()) == 5
    assert sorted(states(uow, import_id).values()).count("pending") == 15


def test_progress_is_shown_at_most_every_progress_interval_and_only_grows(
    uow: UnitOfWorkFactory, http: httpx.Client, rackbeat: FakeRackbeat, account: Company
) -> None:
    rackbeat.latency = 0.02
    import_id = add_import(uow, rows(range(1, 241)))
    notifier = RecordingNotifier()
    deps = runner_deps(http, uow, rackbeat, account, notifier, concurrency=2)
    deps.progress_seconds = 1.0  # longer than the look for a cancel (every half second)
    run_import(import_id, deps)
    times, shown = notifier.progress_times, [c.done for c in notifier.progress_calls]
    assert len(times) >= 2
    assert all(b - a >= 0.95 for a, b in itertools.pairwise(times))
    assert shown == sorted(shown) and shown[-1] <= 240
