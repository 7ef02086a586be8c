"""A numbering check cut short, and the clock jumping under the numbering watch.

A process killed after claiming a check holds its lease until it expires (SIGKILL runs no
clean-up: the claim is made here the way the dead process made it); the next round after
that completes the check and posts its alert once. A process killed between recording an
alert and posting it leaves it pending; the next check posts it, once. The clock jumping days
ahead or hours back neither runs a check twice at once in a way that posts twice, nor stops
the checks until the clock catches up. SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from pydantic import SecretStr
from slack_sdk import WebClient
from sqlalchemy import select

from bot.job_runner import JobRunner, job_holder
from bot.localslack import LocalSlack
from bot.upstreams import build_numbering
from core.numbering.checker import CheckInProgress, Delivery, rerunnable
from core.numbering.model import InputField, Level, Strategy
from core.numbering.repository import NumberingRepository
from core.numbering.service import NumberingService, Setup
from core.store.database import create_database_engine, migrate
from core.store.numbering_models import NumberingAlert
from core.store.uow import UnitOfWorkFactory, unit_of_work_factory
from core.upstream import Series
from handlers.blocks.numbering import status_message
from handlers.deps import Deps, RuntimeConfig
from handlers.messages import t
from handlers.numbering import SlackNotifier
from tests.core.numbering.conftest import (
    INTERVAL,
    OWNER,
    SECRET_KEY,
    WHERE,
    Clock,
    RecordingNotifier,
    add_onboarding,
)

BLOCK = 1_000_000


class Killed(BaseException):
    """Stands in for the process dying: nothing catches a BaseException."""


class DyingNotifier(RecordingNotifier):
    """Dies the first time it is asked to post: after the alert was recorded as pending."""

    died = False

    def deliver(self, delivery: Delivery) -> str:
        if not self.died:
            self.died = True
            raise Killed
        return super().deliver(delivery)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def uow(database_url: str, clock: Clock) -> Iterator[UnitOfWorkFactory]:
    engine = create_database_engine(database_url)
    migrate(engine)
    factory = unit_of_work_factory(engine)
    add_onboarding(factory, WHERE, clock())
    yield factory
    engine.dispose()


def numbering(uow: UnitOfWorkFactory, clock: Clock) -> NumberingService:
    """One process's numbering service (each has its own lease holder name)."""
    return build_numbering(
        uow,
        clock,
        rackbeat_url="http://127.0.0.1:9/api/",
        netvisor_url="http://127.0.0.1:9/",
        secret_key=SecretStr(SECRET_KEY),
        interval=INTERVAL,
    )


@pytest.fixture
def service(uow: UnitOfWorkFactory, clock: Clock) -> Iterator[NumberingService]:
    built = numbering(uow, clock)
    # Manual values only: 500 numbers left before Netvisor's block is a warning.
    built.save_setup(
        WHERE,
        OWNER,
        Setup(
            strategies=dict.fromkeys(Series, Strategy.MIXED),
            values={
                **{(s, InputField.RACKBEAT_NEXT): BLOCK - 500 for s in Series},
                **{(s, InputField.NETVISOR_MAX): BLOCK + 10 for s in Series},
                **{(s, InputField.NETVISOR_BLOCK_START): BLOCK for s in Series},
            },
        ),
    )
    yield built
    built.close()


def alerts(uow: UnitOfWorkFactory) -> list[tuple[str, str, int]]:
    with uow() as unit:
        rows = unit.session.scalars(select(NumberingAlert).order_by(NumberingAlert.id)).all()
        return [(row.series, row.status, row.attempts) for row in rows]


def onboarding_id(service: NumberingService) -> int:
    return service.view(WHERE).onboarding.id


WARNINGS = [("alert", "invoice", "warning"), ("alert", "order", "warning")]


def test_a_check_whose_process_died_after_claiming_it_is_done_once_the_lease_expires(
    service: NumberingService, uow: UnitOfWorkFactory, clock: Clock
) -> None:
    with uow() as unit:  # what the killed process did before it died
        repo = NumberingRepository(unit.session)
        repo.ensure_lease(onboarding_id(service), clock())
        claimed = repo.claim_due("dead-process", clock(), service.checker.lease_ttl, INTERVAL, 10)
        unit.commit()
    assert claimed == [onboarding_id(service)]
    notifier = RecordingNotifier()
    clock.advance(minutes=5)
    assert service.checker.check_due(notifier).checked == 0  # the holder might be alive
    clock.advance(minutes=11)  # the lease (15 minutes) ran out
    report = service.checker.check_due(notifier, keep=True)
    assert report.checked == 1 and report.errors == 0
    assert sorted(notifier.keys) == WARNINGS
    clock.advance(minutes=1)
    assert service.checker.check_due(notifier).checked == 0  # not due: one interval on
    assert sorted(notifier.keys) == WARNINGS


def dead_job_claimed(uow: UnitOfWorkFactory, service: NumberingService, holder: str) -> None:
    """What a queue job did before its worker died: claimed the check as itself."""
    checker, which = service.checker, onboarding_id(service)
    with uow() as unit:
        repo = NumberingRepository(unit.session)
        repo.ensure_lease(which, checker.clock())
        claimed = repo.claim_due(holder, checker.clock(), checker.lease_ttl, INTERVAL, 10)
        unit.commit()
    assert claimed == [which]


def test_a_check_by_hand_whose_job_runs_again_takes_back_the_lease_its_dead_run_held(
    service: NumberingService, uow: UnitOfWorkFactory, clock: Clock
) -> None:
    dead_job_claimed(uow, service, "job:7")
    notifier = RecordingNotifier()
    clock.advance(minutes=1)
    with pytest.raises(CheckInProgress):
        service.check(WHERE, notifier)  # this process is not the job
    with rerunnable("job:8"), pytest.raises(CheckInProgress):
        service.check(WHERE, notifier)  # another job is not either
    with rerunnable("job:7"):
        assert service.check(WHERE, notifier).view.level is Level.WARNING
    assert sorted(notifier.keys) == WARNINGS
    service.check(WHERE, notifier)  # released: anyone may check again
    assert sorted(notifier.keys) == WARNINGS


def test_a_round_whose_job_runs_again_takes_back_the_checks_its_dead_run_held(
    service: NumberingService, uow: UnitOfWorkFactory, clock: Clock
) -> None:
    dead_job_claimed(uow, service, job_holder(11))
    notifier = RecordingNotifier()
    checked: list[int] = []
    runner = JobRunner(
        app=None,  # type: ignore[arg-type]  # a round dispatches no request
        numbering_round=lambda: checked.append(service.checker.check_due(notifier).checked),
    )
    clock.advance(minutes=1)
    runner.run_round(12)  # the next round's job: the check is held
    runner.run_round(11)  # the dead round's job, run again
    assert checked == [0, 1]
    assert sorted(notifier.keys) == WARNINGS


def test_an_alert_recorded_by_a_process_that_died_before_posting_it_is_posted_once(
    service: NumberingService, uow: UnitOfWorkFactory, clock: Clock
) -> None:
    with pytest.raises(Killed):
        service.checker.check_due(DyingNotifier())
    assert {status for _, status, _ in alerts(uow)} == {"pending"}
    notifier = RecordingNotifier()
    clock.advance(minutes=60)
    service.checker.check_due(notifier)
    clock.advance(minutes=60)
    service.checker.check_due(notifier)
    assert sorted(notifier.keys) == WARNINGS
    assert sorted(alerts(uow)) == [("invoice", "sent", 1), ("order", "sent", 1)]


def test_a_clock_days_ahead_lets_a_second_process_check_but_each_alert_is_posted_once(
    service: NumberingService, uow: UnitOfWorkFactory, clock: Clock
) -> None:
    other = numbering(uow, clock)
    try:
        with uow() as unit:  # a live process is in the middle of this check
            repo = NumberingRepository(unit.session)
            repo.ensure_lease(onboarding_id(service), clock())
            repo.claim_due(other.checker.holder, clock(), other.checker.lease_ttl, INTERVAL, 10)
            unit.commit()
        clock.advance(days=3)  # its lease now looks long expired
        notifier = RecordingNotifier()
        assert service.checker.check_due(notifier).checked == 1
        assert other.checker.check_due(notifier).checked == 0  # not due again for an interval
        other.check(WHERE, notifier)  # the live one finishes (a check by hand, same keys)
        assert sorted(notifier.keys) == WARNINGS
    finally:
        other.close()


def test_a_clock_hours_back_does_not_stop_the_scheduled_checks(
    service: NumberingService, clock: Clock
) -> None:
    notifier = RecordingNotifier()
    assert service.checker.check_due(notifier).checked == 1
    clock.advance(hours=-5)
    clock.advance(minutes=61)  # one interval after the last check, by the new clock
    assert service.checker.check_due(notifier).checked == 1
    assert service.checker.check_due(notifier).checked == 0
    clock.advance(minutes=60)
    assert service.checker.check_due(notifier).checked == 1
    assert sorted(notifier.keys) == WARNINGS  # and no alert twice


def test_a_clock_hours_back_does_not_hold_a_dead_process_lease_for_hours(
    service: NumberingService, uow: UnitOfWorkFactory, clock: Clock
) -> None:
    with uow() as unit:
        repo = NumberingRepository(unit.session)
        repo.ensure_lease(onboarding_id(service), clock())
        repo.claim_due("dead-process", clock(), service.checker.lease_ttl, INTERVAL, 10)
        unit.commit()
    clock.advance(hours=-5)
    clock.advance(minutes=61)
    notifier = RecordingNotifier()
    assert service.checker.check_due(notifier).checked == 1
    assert service.check(WHERE, notifier).view.level is Level.WARNING


def test_a_status_after_the_clock_went_back_renders_without_negative_ages(
    service: NumberingService, clock: Clock
) -> None:
    notifier = RecordingNotifier()
    service.check(WHERE, notifier)
    clock.advance(hours=-5)  # every value and check now lies "in the future"
    view = service.view(WHERE)
    assert view.level is Level.WARNING
    for language in ("en", "fi"):
        text = str(status_message(view, language).blocks)
        assert re.search(r"-\d", text) is None  # no "-300 min ago"
        assert t("numbering.age.now", language) in text


def test_two_processes_whose_clocks_differ_by_minutes_do_not_check_twice(
    service: NumberingService, uow: UnitOfWorkFactory, clock: Clock
) -> None:
    ahead = Clock(clock() + timedelta(minutes=2))
    other = numbering(uow, ahead)
    try:
        notifier = RecordingNotifier()
        assert other.checker.check_due(notifier).checked == 1
        assert service.checker.check_due(notifier).checked == 0
        with uow() as unit:  # the other one is checking again, a minute later by its clock
            repo = NumberingRepository(unit.session)
            ahead.advance(minutes=61)
            repo.claim_due(other.checker.holder, ahead(), other.checker.lease_ttl, INTERVAL, 10)
            unit.commit()
        clock.advance(minutes=61)
        assert service.checker.check_due(notifier).checked == 0  # held, by a live process
        assert sorted(notifier.keys) == WARNINGS
    finally:
        other.close()


class PostsThenDies(SlackNotifier):
    """Posts the first alert in Slack, then dies before its ts can be recorded."""

    died = False

    def deliver(self, delivery: Delivery) -> str:
        posted = super().deliver(delivery)
        if not self.died:
            self.died = True
            raise Killed
        return posted


def test_an_alert_posted_by_a_process_that_died_before_recording_it_is_not_posted_again(
    service: NumberingService, uow: UnitOfWorkFactory, clock: Clock, slack: LocalSlack
) -> None:
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    deps = Deps(config=RuntimeConfig(bot_token=SecretStr(slack.bot_token)), uow=uow)
    with pytest.raises(Killed):
        service.checker.check_due(PostsThenDies(client, deps))
    [first] = [m for m in slack.messages.values() if m.metadata]
    assert {status for _, status, _ in alerts(uow)} == {"pending"}
    clock.advance(minutes=60)  # past the lease: the pending alerts are delivered again
    service.checker.check_due(SlackNotifier(client, deps))
    posted = sorted(m.ts for m in slack.messages.values() if m.metadata)
    assert len(posted) == 2  # the one that got through before the crash, and the other
    assert first.ts in posted
    with uow() as unit:
        sent = unit.session.scalars(select(NumberingAlert.message_ts)).all()
    assert sorted(sent) == posted
