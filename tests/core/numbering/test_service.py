"""The numbering service over a real database: values, strategy, connections, permissions,
audit, and the check with its alerts."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.upstreams import build_numbering
from core.credentials import RackbeatCredentials
from core.errors import ConfigurationError, InvalidArgument, PermissionDenied
from core.numbering import InputField, Level, NoteCode, Strategy
from core.numbering.alerts import NoticeKind
from core.numbering.checker import CheckInProgress
from core.numbering.repository import NumberingRepository
from core.numbering.service import NumberingService, Setup
from core.numbering.thresholds import Thresholds
from core.store.models import AuditEvent
from core.store.numbering_models import NumberingAlert, NumberingCredentials
from core.store.uow import UnitOfWorkFactory
from core.upstream import Series, Source, SourceRejected
from tests.core.numbering.conftest import (
    INTERVAL,
    OWNER,
    STRANGER,
    WHERE,
    Clock,
    RecordingNotifier,
)
from tests.fakes.netvisor import reply_failed
from tests.fakes.world import FakeUpstreams

BLOCK = 1_000_000


def set_mixed(
    service: NumberingService, rackbeat_next: int, netvisor_max: int = BLOCK + 10
) -> None:
    values = {}
    for series in Series:
        values[(series, InputField.RACKBEAT_NEXT)] = rackbeat_next
        values[(series, InputField.NETVISOR_MAX)] = netvisor_max
        values[(series, InputField.NETVISOR_BLOCK_START)] = BLOCK
    service.save_setup(
        WHERE, OWNER, Setup(strategies=dict.fromkeys(Series, Strategy.MIXED), values=values)
    )


@dataclass(frozen=True)
class Audited:
    action: str
    subject: str | None
    old_value: str | None
    new_value: str | None
    actor: str
    outcome: str
    note: str | None


def audit(uow: UnitOfWorkFactory) -> list[Audited]:
    with uow() as unit:
        return [
            Audited(e.action, e.subject, e.old_value, e.new_value, e.actor, e.outcome, e.note)
            for e in unit.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


def test_manual_values_work_without_credentials(
    service: NumberingService, notifier: RecordingNotifier
) -> None:
    set_mixed(service, 10_000)
    report = service.check(WHERE, notifier)
    assert report.view.level is Level.OK
    assert notifier.deliveries == []
    assert len(notifier.checked_views) == 1
    with service.checker.uow() as unit:
        assert service.levels(unit.session, report.view.onboarding.id) == {
            "order": "ok",
            "invoice": "ok",
        }


def test_every_change_is_audited_with_old_and_new(
    service: NumberingService, uow: UnitOfWorkFactory
) -> None:
    service.set_value(WHERE, OWNER, Series.INVOICE, InputField.RACKBEAT_NEXT, 500)
    service.set_value(WHERE, OWNER, Series.INVOICE, InputField.RACKBEAT_NEXT, 600)
    service.set_strategy(WHERE, OWNER, Strategy.MIXED, Series.ORDER)
    service.save_setup(WHERE, OWNER, Setup(thresholds=Thresholds(warning_days=60)))
    rows = [(e.action, e.subject, e.old_value, e.new_value, e.actor) for e in audit(uow)]
    assert rows[:3] == [
        ("numbering.value", "invoice.rackbeat-next", None, "500", "U_OWNER"),
        ("numbering.value", "invoice.rackbeat-next", "500", "600", "U_OWNER"),
        ("numbering.strategy", "order", "rackbeat-only", "mixed", "U_OWNER"),
    ]
    assert rows[3][0] == "numbering.thresholds"
    assert "warning 60 d" in (rows[3][3] or "")


def test_someone_not_in_the_onboarding_may_not_change_and_is_audited(
    service: NumberingService, uow: UnitOfWorkFactory
) -> None:
    with pytest.raises(PermissionDenied):
        service.set_value(WHERE, STRANGER, Series.ORDER, InputField.NETVISOR_MAX, 5)
    [event] = audit(uow)
    assert (event.actor, event.outcome) == ("U_STRANGER", "denied")
    assert service.view(WHERE).series[Series.ORDER].evaluation.inputs.netvisor_max is None


def test_alerts_follow_the_level_and_are_never_repeated(
    service: NumberingService, notifier: RecordingNotifier, clock: Clock
) -> None:
    set_mixed(service, BLOCK - 500)  # 500 left: warning
    service.check(WHERE, notifier)
    assert notifier.keys == [("alert", "order", "warning"), ("alert", "invoice", "warning")]
    service.check(WHERE, notifier)
    assert len(notifier.deliveries) == 2  # same level: nothing new
    service.set_value(WHERE, OWNER, Series.INVOICE, InputField.RACKBEAT_NEXT, BLOCK - 50)
    service.check(WHERE, notifier)
    assert notifier.keys[-1] == ("alert", "invoice", "critical")
    clock.advance(hours=25)
    service.check(WHERE, notifier)
    assert notifier.keys[-1] == ("reminder", "invoice", "critical")
    service.acknowledge(WHERE, OWNER, Series.INVOICE)
    clock.advance(hours=25)
    service.check(WHERE, notifier)
    assert notifier.keys[-1] == ("reminder", "invoice", "critical")  # no new reminder
    service.set_value(WHERE, OWNER, Series.INVOICE, InputField.RACKBEAT_NEXT, BLOCK)
    service.check(WHERE, notifier)
    assert notifier.keys[-1] == ("alert", "invoice", "collision")
    set_mixed(service, 10_000)
    service.check(WHERE, notifier)
    service.check(WHERE, notifier)
    assert notifier.keys[-2:] == [("all_clear", "order", "ok"), ("all_clear", "invoice", "ok")]
    assert [d.kind for d in notifier.deliveries].count(NoticeKind.ALL_CLEAR) == 2


def test_snooze_silences_reminders_for_seven_days_but_not_a_worse_level(
    service: NumberingService, notifier: RecordingNotifier, clock: Clock
) -> None:
    set_mixed(service, BLOCK - 50)
    service.check(WHERE, notifier)
    service.snooze(WHERE, OWNER, Series.ORDER)
    for _ in range(6):
        clock.advance(days=1, minutes=1)
        service.check(WHERE, notifier)
    order_reminders = [k for k in notifier.keys if k[:2] == ("reminder", "order")]
    assert order_reminders == []
    clock.advance(days=1, minutes=1)
    service.check(WHERE, notifier)
    assert ("reminder", "order", "critical") in notifier.keys


def test_a_failed_delivery_is_retried_by_the_next_check_and_sent_once(
    service: NumberingService, notifier: RecordingNotifier, uow: UnitOfWorkFactory
) -> None:
    set_mixed(service, BLOCK - 500)
    notifier.fail = 2
    service.check(WHERE, notifier)
    assert notifier.deliveries == []
    service.check(WHERE, notifier)
    assert sorted(notifier.keys) == [("alert", "invoice", "warning"), ("alert", "order", "warning")]
    service.check(WHERE, notifier)
    assert len(notifier.deliveries) == 2
    with uow() as unit:
        alerts = unit.session.scalars(select(NumberingAlert)).all()
        assert {(a.status, a.attempts) for a in alerts} == {("sent", 2)}


def test_connected_sources_are_read_incrementally(
    service: NumberingService, notifier: RecordingNotifier, world: FakeUpstreams
) -> None:
    company = world.add_company(
        1,
        rackbeat_invoice=10_100,
        rackbeat_order=5_000,
        netvisor_invoices=(1_000_001, 1_000_002),
        netvisor_orders=(900_001,),
    )
    assert service.connect(WHERE, OWNER, company.rackbeat) == "Yritys 1 Oy"
    assert service.connect(WHERE, OWNER, company.netvisor) == company.netvisor.organisation_id
    service.save_setup(
        WHERE,
        OWNER,
        Setup(
            strategies=dict.fromkeys(Series, Strategy.MIXED),
            values={(s, InputField.NETVISOR_BLOCK_START): 900_000 for s in Series},
        ),
    )
    view = service.check(WHERE, notifier).view
    invoice = view.series[Series.INVOICE].evaluation
    assert invoice.inputs.rackbeat_next is not None
    assert (invoice.inputs.rackbeat_next.value, invoice.inputs.rackbeat_next.source) == (
        10_101,
        Source.RACKBEAT,
    )
    assert invoice.inputs.netvisor_max is not None
    assert invoice.inputs.netvisor_max.value == 1_000_002
    world.netvisor.add_document(company.customer_id, "invoice", "1000003")
    view = service.check(WHERE, notifier).view
    assert view.series[Series.INVOICE].evaluation.inputs.netvisor_max.value == 1_000_003  # type: ignore[union-attr]
    # Series are read orders first; invoices continue above key 2, orders above key 3.
    assert [r.path for r in world.netvisor.requests[-2:]] == [
        "/salesinvoicelist.nv?listtype=preinvoice&invoicesabovenetvisorkey=3",
        "/salesinvoicelist.nv?invoicesabovenetvisorkey=2",
    ]
    assert world.netvisor.overlaps == 0


def test_repeated_failures_make_the_series_unknown_with_the_cause(
    service: NumberingService, notifier: RecordingNotifier, world: FakeUpstreams, clock: Clock
) -> None:
    company = world.add_company(2, netvisor_invoices=(100,), netvisor_orders=(50,))
    service.connect(WHERE, OWNER, company.netvisor)
    service.save_setup(
        WHERE,
        OWNER,
        Setup(values={(s, InputField.RACKBEAT_NEXT): 20_000 for s in Series}),
    )
    service.check(WHERE, notifier)
    started = clock()
    for _ in range(3):
        clock.advance(hours=1)
        world.netvisor.fail_next(reply_failed("AUTHENTICATION_FAILED"))
        view = service.check(WHERE, notifier).view
    invoice = view.series[Series.INVOICE].evaluation
    assert invoice.level is Level.UNKNOWN
    [cause] = [n for n in invoice.notes if n.code is NoteCode.SOURCE_FAILING]
    assert (cause.source, cause.detail, cause.since) == (
        Source.NETVISOR,
        "AUTHENTICATION_FAILED",
        started + INTERVAL,  # the first of the three failures
    )
    assert ("alert", "invoice", "unknown") in notifier.keys
    connection = view.connections[Source.NETVISOR]
    assert (connection.consecutive_failures, connection.last_error) == (3, "AUTHENTICATION_FAILED")


def test_credentials_are_tested_before_they_are_stored_and_never_readable(
    service: NumberingService, world: FakeUpstreams, uow: UnitOfWorkFactory
) -> None:
    world.add_company(3)
    wrong = RackbeatCredentials(api_token=SecretStr("not-a-real-token"))
    with pytest.raises(InvalidArgument) as caught:
        service.connect(WHERE, OWNER, wrong)
    assert caught.value.code == "numbering.connect.failed"
    upstream = caught.value.params["reason"]
    assert isinstance(upstream, SourceRejected)
    assert (upstream.source, upstream.code) == (Source.RACKBEAT, "unauthorized")
    assert service.view(WHERE).connections == {}
    company = world.add_company(4)
    service.connect(WHERE, OWNER, company.rackbeat)
    with uow() as unit:
        [stored] = unit.session.scalars(select(NumberingCredentials)).all()
        assert company.token not in stored.sealed
    assert all(company.token not in str(e) for e in audit(uow))


def test_disconnect_forgets_the_credentials_and_their_values(
    service: NumberingService, world: FakeUpstreams, notifier: RecordingNotifier
) -> None:
    company = world.add_company(5, rackbeat_invoice=10, rackbeat_order=10)
    service.connect(WHERE, OWNER, company.rackbeat)
    service.check(WHERE, notifier)
    assert service.disconnect(WHERE, OWNER, Source.RACKBEAT) is True
    assert service.disconnect(WHERE, OWNER, Source.RACKBEAT) is False
    view = service.view(WHERE)
    assert view.connections == {}
    assert view.series[Series.ORDER].evaluation.inputs.rackbeat_next is None


def test_connect_without_secret_key_is_refused(
    uow: UnitOfWorkFactory, clock: Clock, world: FakeUpstreams
) -> None:
    service = build_numbering(
        uow,
        clock,
        rackbeat_url=world.rackbeat.url,
        netvisor_url=world.netvisor.url,
        secret_key=None,
        interval=INTERVAL,
    )
    company = world.add_company(6)
    with pytest.raises(ConfigurationError) as caught:
        service.connect(WHERE, OWNER, company.rackbeat)
    assert caught.value.code == "numbering.connect.no_secret_key"
    assert world.rackbeat.requests == []


def test_a_check_that_is_running_is_not_started_twice(
    service: NumberingService, notifier: RecordingNotifier, uow: UnitOfWorkFactory, clock: Clock
) -> None:
    set_mixed(service, 10_000)
    onboarding_id = service.view(WHERE).onboarding.id
    with uow() as unit:
        assert NumberingRepository(unit.session).claim(onboarding_id, "other", clock(), INTERVAL)
        unit.commit()
    with pytest.raises(CheckInProgress):
        service.check(WHERE, notifier)
    clock.advance(minutes=61)  # the other process died: its lease expired
    assert service.check(WHERE, notifier).view.level is Level.OK


def test_due_checks_run_once_per_interval_and_misfires_coalesce(
    service: NumberingService, notifier: RecordingNotifier, clock: Clock
) -> None:
    set_mixed(service, 10_000)
    checker = service.checker
    assert checker.check_due(notifier).checked == 1
    assert checker.check_due(notifier).checked == 0
    clock.advance(minutes=59)
    assert checker.check_due(notifier).checked == 0
    clock.advance(minutes=1)
    assert checker.check_due(notifier).checked == 1
    clock.advance(hours=10)  # the process slept through nine runs
    assert checker.check_due(notifier).checked == 1
    assert checker.check_due(notifier).checked == 0
