"""Rackbeat and Netvisor failing under the numbering watch: timeouts, 5xx, answers that are
not JSON or XML, refused credentials. The failing source is named with its cause in the
check's answer; a series whose inputs that source gave is `unknown` with the cause once the
failures repeat or the last good value is stale, never `ok` on old data; the alert for
`unknown` is posted once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
from pydantic import SecretStr

from bot.localslack import LocalSlack
from bot.upstreams import build_numbering
from core.numbering.model import InputField, Level, Strategy
from core.numbering.notes import NoteCode
from core.numbering.service import NumberingService, Setup
from core.store.database import create_database_engine, migrate
from core.store.uow import unit_of_work_factory
from core.tenancy import Actor, Channel
from core.upstream import Series, Source
from handlers.blocks.upstream import failure_text
from handlers.messages import t
from handlers.numbering import check_summary
from tests.core.numbering.conftest import (
    INTERVAL,
    OWNER,
    SECRET_KEY,
    WHERE,
    Clock,
    RecordingNotifier,
    add_onboarding,
)
from tests.fakes import netvisor as nv
from tests.fakes import rackbeat as rb
from tests.fakes.server import FakeUpstream
from tests.fakes.world import FakeUpstreams, fake_upstreams
from tests.harness import BotUnderTest

TIMEOUT = 0.1  # only while a source is made slow; healthy reads get the default
HEALTHY = httpx.Timeout(10.0)
RACKBEAT_ATTEMPTS, NETVISOR_ATTEMPTS = 4, 3  # the clients' retry policies


Script = Callable[[FakeUpstreams, NumberingService], None]
Pick = Callable[[FakeUpstreams], FakeUpstream]


@dataclass(frozen=True)
class Fault:
    source: Source
    code: str
    rejected: bool
    script: Script


def scripted(
    fake: Callable[[FakeUpstreams], FakeUpstream], reply: nv.Reply, times: int
) -> Callable[[FakeUpstreams], None]:
    return lambda world, _service: fake(world).fail_next(reply, times)


def slow(fake: Pick) -> Script:
    def script(world: FakeUpstreams, service: NumberingService) -> None:
        fake(world).latency = TIMEOUT * 3
        upstreams = service.upstreams
        upstreams.rackbeat_timeout = upstreams.netvisor_timeout = httpx.Timeout(TIMEOUT)

    return script


def rackbeat(world: FakeUpstreams) -> FakeUpstream:
    return world.rackbeat


def netvisor(world: FakeUpstreams) -> FakeUpstream:
    return world.netvisor


FAULTS = {
    "rackbeat timeout": Fault(Source.RACKBEAT, "timeout", False, slow(rackbeat)),
    "rackbeat 502": Fault(
        Source.RACKBEAT,
        "http_502",
        False,
        scripted(rackbeat, rb.reply_server_error(502), RACKBEAT_ATTEMPTS),
    ),
    "rackbeat 429": Fault(
        Source.RACKBEAT,
        "rate_limited",
        False,
        scripted(rackbeat, rb.reply_rate_limited("0"), RACKBEAT_ATTEMPTS),
    ),
    "rackbeat malformed json": Fault(
        Source.RACKBEAT, "malformed", False, scripted(rackbeat, rb.reply_malformed(), 1)
    ),
    "rackbeat token refused": Fault(
        Source.RACKBEAT, "unauthorized", True, scripted(rackbeat, rb.reply_unauthorized(), 1)
    ),
    "netvisor timeout": Fault(Source.NETVISOR, "timeout", False, slow(netvisor)),
    "netvisor 503": Fault(
        Source.NETVISOR,
        "http_503",
        False,
        scripted(netvisor, nv.reply_server_error(503), NETVISOR_ATTEMPTS),
    ),
    "netvisor malformed xml": Fault(
        Source.NETVISOR, "malformed", False, scripted(netvisor, nv.reply_malformed(), 1)
    ),
    "netvisor authentication failed": Fault(
        Source.NETVISOR,
        "AUTHENTICATION_FAILED",
        True,
        scripted(netvisor, nv.reply_failed("AUTHENTICATION_FAILED"), 1),
    ),
    "netvisor maintenance": Fault(
        Source.NETVISOR,
        "SYSTEM_MAINTENANCE",
        False,
        scripted(netvisor, nv.reply_failed("SYSTEM_MAINTENANCE"), NETVISOR_ATTEMPTS),
    ),
}


@pytest.fixture
def world() -> Iterator[FakeUpstreams]:
    with fake_upstreams() as upstreams:
        yield upstreams


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(sqlite_url: str, clock: Clock, world: FakeUpstreams) -> Iterator[NumberingService]:
    engine = create_database_engine(sqlite_url)
    migrate(engine)
    uow = unit_of_work_factory(engine)
    add_onboarding(uow, WHERE, clock())
    built = build_numbering(
        uow,
        clock,
        rackbeat_url=world.rackbeat.url,
        netvisor_url=world.netvisor.url,
        secret_key=SecretStr(SECRET_KEY),
        interval=INTERVAL,
    )
    upstreams = built.upstreams
    upstreams.sleep = lambda _seconds: None  # back-off without waiting
    company = world.add_company(
        1,
        rackbeat_invoice=10_100,
        rackbeat_order=5_000,
        netvisor_invoices=(1_000_001,),
        netvisor_orders=(900_001,),
    )
    built.connect(WHERE, OWNER, company.rackbeat)
    built.connect(WHERE, OWNER, company.netvisor)
    built.save_setup(
        WHERE,
        OWNER,
        Setup(
            strategies=dict.fromkeys(Series, Strategy.MIXED),
            values={(s, InputField.NETVISOR_BLOCK_START): 900_000 for s in Series},
        ),
    )
    yield built
    built.close()
    engine.dispose()


def heal(world: FakeUpstreams, service: NumberingService) -> None:
    world.rackbeat.latency = world.netvisor.latency = 0.0
    service.upstreams.rackbeat_timeout = service.upstreams.netvisor_timeout = HEALTHY
    assert world.rackbeat.next_failure() is None, "a scripted failure was left over"
    assert world.netvisor.next_failure() is None, "a scripted failure was left over"


@pytest.mark.parametrize("name", list(FAULTS))
def test_a_failing_source_is_named_then_its_series_go_unknown_with_the_cause(
    service: NumberingService, world: FakeUpstreams, clock: Clock, name: str
) -> None:
    fault = FAULTS[name]
    notifier = RecordingNotifier()
    assert service.check(WHERE, notifier).view.level is Level.OK
    first_failure = None
    for round_no in range(3):
        clock.advance(hours=1)
        fault.script(world, service)
        report = service.check(WHERE, notifier)
        heal(world, service)
        failure = report.failures[fault.source]
        assert (failure.code, failure.rejected) == (fault.code, fault.rejected)
        summary = check_summary(report, "en")
        source = "Rackbeat" if fault.source is Source.RACKBEAT else "Netvisor"
        words = failure_text(fault.source, failure.code, "en")
        assert t("numbering.check.source_failed", "en", source=source, reason=words) in summary
        # A Finnish channel gets the cause in Finnish, not the upstream's English reason.
        assert failure.reason not in check_summary(report, "fi")
        assert failure_text(fault.source, failure.code, "fi") in check_summary(report, "fi")
        if round_no == 0:
            first_failure = clock()
            # An hour-old value from one failed read is still fresh: the level holds.
            assert report.view.level is Level.OK
    for series in Series:
        evaluation = report.view.series[series].evaluation
        assert evaluation.level is Level.UNKNOWN, series
        [cause] = [n for n in evaluation.notes if n.code is NoteCode.SOURCE_FAILING]
        assert (cause.source, cause.detail, cause.since) == (
            fault.source,
            fault.code,
            first_failure,
        )
    assert sorted(notifier.keys) == [("alert", "invoice", "unknown"), ("alert", "order", "unknown")]
    clock.advance(hours=1)
    assert service.check(WHERE, notifier).view.level is Level.OK  # the source is back
    assert len([k for k in notifier.keys if k[2] == "unknown"]) == 2


@pytest.mark.parametrize("name", ["rackbeat timeout", "netvisor authentication failed"])
def test_one_failure_after_the_last_good_value_went_stale_is_unknown_at_once(
    service: NumberingService, world: FakeUpstreams, clock: Clock, name: str
) -> None:
    fault = FAULTS[name]
    notifier = RecordingNotifier()
    assert service.check(WHERE, notifier).view.level is Level.OK
    clock.advance(hours=4)  # three check intervals and more without a good value
    fault.script(world, service)
    report = service.check(WHERE, notifier)
    heal(world, service)
    assert report.view.level is Level.UNKNOWN
    notes = {n.code for s in Series for n in report.view.series[s].evaluation.notes}
    assert {NoteCode.STALE_INPUT, NoteCode.SOURCE_FAILING} <= notes


def test_an_entity_bomb_from_netvisor_is_refused_not_expanded(
    service: NumberingService, world: FakeUpstreams, clock: Clock
) -> None:
    notifier = RecordingNotifier()
    service.check(WHERE, notifier)
    clock.advance(hours=1)
    world.netvisor.fail_next(nv.reply_entity_bomb())
    report = service.check(WHERE, notifier)
    heal(world, service)
    assert report.failures[Source.NETVISOR].code == "unsafe_xml"


def test_through_slack_the_answer_names_the_cause_and_the_unknown_alert_says_since_when(
    slack: LocalSlack, sqlite_url: str, world: FakeUpstreams, clock: Clock
) -> None:
    ann, channel = "U0ANN", "C0NUMBERS"
    slack.add_user(ann, "ann")
    bot = BotUnderTest(
        slack,
        sqlite_url,
        secret_key=SecretStr(SECRET_KEY),
        rackbeat_api_url=world.rackbeat.url,
        netvisor_api_url=world.netvisor.url,
    )
    bot.deps.clock = clock
    try:

        def run(text: str) -> str:
            assert bot.driver.command(text, user=ann, channel=channel).status == 200
            bot.settle()
            return slack.ephemerals_for(ann)[-1].text

        run("start Testi Oy")
        company = world.add_company(
            3, rackbeat_invoice=10_100, rackbeat_order=5_000, netvisor_invoices=(1_000_001,)
        )
        where, owner = Channel(slack.team_id, channel), Actor(ann)
        bot.deps.numbering.connect(where, owner, company.rackbeat)
        bot.deps.numbering.connect(where, owner, company.netvisor)
        run("numbering strategy mixed")
        for series in ("order", "invoice"):
            run(f"numbering set {series} netvisor-block-start 900000")
        run("numbering check")
        for _ in range(3):
            clock.advance(hours=1)
            world.netvisor.fail_next(nv.reply_failed("AUTHENTICATION_FAILED"))
            answer = run("numbering check")
            assert (
                t(
                    "numbering.check.source_failed",
                    "en",
                    source="Netvisor",
                    reason="Netvisor refused the credentials (`AUTHENTICATION_FAILED`).",
                )
                in answer
            )
        assert t("numbering.check.result", "en", order="unknown", invoice="unknown") in answer
        unknown_alerts = [
            m
            for m in slack.channel_messages(channel, include_replies=False)
            if m.user == slack.bot_user_id and "unknown" in m.text
        ]
        assert len(unknown_alerts) == 2  # one per series, once
        assert "Netvisor has been failing since" in str(unknown_alerts[0].blocks)
        assert "refused the credentials (`AUTHENTICATION_FAILED`)" in str(unknown_alerts[0].blocks)
    finally:
        bot.stop()
