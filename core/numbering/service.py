"""What users do with the numbering watch: read it, set values and strategy, connect sources,
acknowledge or snooze alerts, check now. Pure of Slack.

Every change goes through the onboarding's permissions (members and admins change; everyone
reads) and leaves an audit row (``numbering.*`` actions, secrets never in them); a denied
attempt is audited too. Refusals are ``DomainError`` codes, which the handlers put in the
user's language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from core.credentials import NetvisorCredentials, RackbeatCredentials, SecretBox
from core.errors import (
    ConfigurationError,
    DomainError,
    InvalidArgument,
    PermissionDenied,
)
from core.guarded import (
    channel_onboarding,
    check_permission,
    record_in_own_transaction,
    run_guarded,
    with_refusal,
)
from core.numbering.alerts import acknowledge, snooze
from core.numbering.checker import CheckReport, Notifier, NumberingChecker
from core.numbering.model import InputField, Level, Strategy
from core.numbering.ports import NumberSources
from core.numbering.repository import (
    NumberingConfig,
    NumberingRepository,
    alert_state,
    store_alert_state,
)
from core.numbering.thresholds import Thresholds
from core.numbering.view import STALE_INTERVALS, NumberingView, build_view
from core.store.models import AuditEvent, Onboarding
from core.store.uow import UnitOfWork, UnitOfWorkFactory
from core.tenancy import Actor, Capability, Channel
from core.upstream import Series, Source, SourceRejected, SourceUnavailable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Setup:
    """What the setup modal submits; ``None`` leaves a value as it is."""

    strategies: Mapping[Series, Strategy] = field(default_factory=dict)
    values: Mapping[tuple[Series, InputField], int] = field(default_factory=dict)
    thresholds: Thresholds | None = None


@dataclass(frozen=True)
class Attempt:
    """What a change is about, for the audit row of a denied attempt (not "numbering.change
    – – → –", which said nothing)."""

    action: str = "numbering.change"
    subject: str | None = None
    new: str | None = None


class NumberingService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        checker: NumberingChecker,
        upstreams: NumberSources,
        box: SecretBox | None,
        *,
        clock: Callable[[], datetime],
        interval: timedelta,
    ) -> None:
        self._uow = uow
        self.checker = checker
        self.upstreams = upstreams
        self.box = box
        self.clock = clock
        self.interval = interval

    # --- reading ------------------------------------------------------------------------------

    def view(self, where: Channel) -> NumberingView:
        with self._uow() as uow:
            row = channel_onboarding(uow, where)
            return build_view(uow.numbering, row, self.clock(), self.interval)

    def levels(self, session: Session, onboarding_id: int) -> dict[str, str]:
        """The step guard's question: the level of each series, ``unknown`` when too old or
        when a value or setting changed after the check (that result judged other numbers).

        Plugs into ``OnboardingService(numbering=service.levels)``.
        """
        oldest = self.clock() - STALE_INTERVALS * self.interval
        repo = NumberingRepository(session)
        changed = repo.inputs_changed_at(onboarding_id)

        def current(series: Series, checked_at: datetime) -> bool:
            since = changed.get(series)
            return checked_at >= oldest and (since is None or since <= checked_at)

        return {
            series.value: level.value if current(series, checked_at) else Level.UNKNOWN.value
            for series, (level, checked_at) in repo.levels(onboarding_id).items()
        }

    # --- changes ------------------------------------------------------------------------------

    def set_value(
        self, where: Channel, actor: Actor, series: Series, field_: InputField, value: int
    ) -> NumberingView:
        def apply(repo: NumberingRepository, row: Onboarding, now: datetime) -> list[Audit]:
            old = repo.record_value(
                row.id, series, field_, Source.MANUAL, value, now, set_by=actor.user_id
            )
            subject = f"{series.value}.{field_.value}"
            return [Audit("numbering.value", subject, _text(old), str(value))]

        attempt = Attempt("numbering.value", f"{series.value}.{field_.value}", str(value))
        return self._change(where, actor, apply, attempt)

    def set_strategy(
        self, where: Channel, actor: Actor, strategy: Strategy, series: Series | None = None
    ) -> NumberingView:
        subject = series.value if series else " ".join(s.value for s in Series)
        return self.save_setup(
            where,
            actor,
            Setup(strategies=dict.fromkeys([series] if series else Series, strategy)),
            Attempt("numbering.strategy", subject, strategy.value),
        )

    def save_setup(
        self,
        where: Channel,
        actor: Actor,
        setup: Setup,
        attempt: Attempt = Attempt("numbering.setup"),
    ) -> NumberingView:
        def apply(repo: NumberingRepository, row: Onboarding, now: datetime) -> list[Audit]:
            before = repo.config(row.id)
            strategies = {**before.strategies, **setup.strategies}
            after = NumberingConfig(strategies, setup.thresholds or before.thresholds)
            audits = [
                Audit("numbering.strategy", s.value, before.strategies[s].value, strategy.value)
                for s, strategy in strategies.items()
                if strategy is not before.strategies[s]
            ]
            if after.thresholds != before.thresholds:
                audits.append(
                    Audit(
                        "numbering.thresholds",
                        None,
                        _thresholds(before.thresholds),
                        _thresholds(after.thresholds),
                    )
                )
            repo.save_config(row.id, after, now)
            for (series, field_), value in setup.values.items():
                old = repo.record_value(
                    row.id, series, field_, Source.MANUAL, value, now, set_by=actor.user_id
                )
                if old != value:
                    subject = f"{series.value}.{field_.value}"
                    audits.append(Audit("numbering.value", subject, _text(old), str(value)))
            return audits

        return self._change(where, actor, apply, attempt)

    def connect(
        self,
        where: Channel,
        actor: Actor,
        credentials: RackbeatCredentials | NetvisorCredentials,
    ) -> str:
        """Test the credentials live, then store them encrypted; returns the company name."""
        box = self.box
        if box is None:
            raise ConfigurationError("numbering.connect.no_secret_key")
        source = (
            Source.RACKBEAT if isinstance(credentials, RackbeatCredentials) else Source.NETVISOR
        )
        self._require(where, actor, f"numbering.connect.{source.value}")
        company = self._test(credentials)

        def apply(repo: NumberingRepository, row: Onboarding, now: datetime) -> list[Audit]:
            repo.save_credentials(
                row.id, source, box.seal(credentials), company, actor.user_id, now
            )
            return [Audit(f"numbering.connect.{source.value}", source.value, None, company)]

        self._change(
            where, actor, apply, Attempt(f"numbering.connect.{source.value}", source.value)
        )
        return company

    def disconnect(self, where: Channel, actor: Actor, source: Source) -> bool:
        """Forget the stored credentials; ``False`` if there were none."""
        forgotten: list[bool] = []

        def apply(repo: NumberingRepository, row: Onboarding, now: datetime) -> list[Audit]:
            forgotten.clear()  # a stale attempt runs again: only the last one counts
            if not repo.delete_credentials(row.id, source):
                return []
            forgotten.append(True)
            return [Audit(f"numbering.disconnect.{source.value}", source.value, "connected", None)]

        attempt = Attempt(f"numbering.disconnect.{source.value}", source.value)
        self._change(where, actor, apply, attempt)
        return bool(forgotten)

    def acknowledge(self, where: Channel, actor: Actor, series: Series) -> NumberingView:
        def apply(repo: NumberingRepository, row: Onboarding, now: datetime) -> list[Audit]:
            status = repo.status_row(row.id, series, now)
            state = acknowledge(alert_state(status))
            store_alert_state(status, state)
            status.acknowledged_by = actor.user_id
            level = state.acknowledged.value if state.acknowledged else None
            return [Audit("numbering.acknowledge", series.value, None, level)]

        return self._change(where, actor, apply, Attempt("numbering.acknowledge", series.value))

    def snooze(self, where: Channel, actor: Actor, series: Series) -> NumberingView:
        def apply(repo: NumberingRepository, row: Onboarding, now: datetime) -> list[Audit]:
            status = repo.status_row(row.id, series, now)
            state = snooze(alert_state(status), now)
            store_alert_state(status, state)
            status.snoozed_by = actor.user_id
            until = state.snoozed_until.isoformat() if state.snoozed_until else None
            return [Audit("numbering.snooze", series.value, None, until)]

        return self._change(where, actor, apply, Attempt("numbering.snooze", series.value))

    def check(self, where: Channel, notifier: Notifier) -> CheckReport:
        """Check the channel's onboarding now (anyone may: it changes no setting)."""
        with self._uow() as uow:
            onboarding_id = channel_onboarding(uow, where).id
        return self.checker.check_now(onboarding_id, notifier)

    # --- machinery ----------------------------------------------------------------------------

    def _test(self, credentials: RackbeatCredentials | NetvisorCredentials) -> str:
        try:
            if isinstance(credentials, RackbeatCredentials):
                return self.upstreams.rackbeat(credentials).company_name()
            with self.upstreams.netvisor_lock(credentials):
                return self.upstreams.netvisor(credentials).test_connection()
        except (SourceRejected, SourceUnavailable) as error:
            # The upstream's error is the reason: handlers word it from its source and code.
            raise InvalidArgument("numbering.connect.failed", reason=error) from error

    def require_change(self, where: Channel, actor: Actor, action: str) -> None:
        """Refuse early (before a modal is even shown) someone who may not change settings."""
        self._require(where, actor, action)

    def close(self) -> None:
        self.upstreams.close()

    def _require(self, where: Channel, actor: Actor, action: str) -> None:
        self._guarded(where, actor, Attempt(action), lambda repo, row, now: None)

    def _change(
        self,
        where: Channel,
        actor: Actor,
        apply: Callable[[NumberingRepository, Onboarding, datetime], list[Audit]],
        attempt: Attempt = Attempt(),
    ) -> NumberingView:
        def changed(repo: NumberingRepository, row: Onboarding, now: datetime) -> NumberingView:
            for audit in apply(repo, row, now):
                repo.session.add(audit.event(row, actor, now))
            repo.ensure_lease(row.id, now)  # set up at all: part of the scheduled checks
            repo.session.flush()
            return build_view(repo, row, now, self.interval)

        view = self._guarded(where, actor, attempt, changed)
        assert view is not None
        return view

    def _guarded(
        self,
        where: Channel,
        actor: Actor,
        attempt: Attempt,
        work: Callable[[NumberingRepository, Onboarding, datetime], NumberingView | None],
    ) -> NumberingView | None:
        """Run ``work`` as one guarded change if ``actor`` may change the onboarding (again
        from a fresh read when a concurrent writer made it stale); a denied attempt is
        audited in a transaction of its own, after this one has ended."""
        denied_on: list[int] = []

        def change(uow: UnitOfWork) -> NumberingView | None:
            row = channel_onboarding(uow, where, lock=True)
            denied_on[:] = [row.id]
            check_permission(row, actor, Capability.CHANGE)
            return work(uow.numbering, row, self.clock())

        def record(refusal: DomainError) -> None:
            event = AuditEvent(
                onboarding_id=denied_on[0],
                team_id=where.team_id,
                channel_id=where.channel_id,
                actor=actor.user_id,
                at=self.clock(),
                action=attempt.action,
                subject=attempt.subject,
                new_value=attempt.new,
                outcome="denied",
            )
            record_in_own_transaction(self._uow, with_refusal(event, refusal))

        return run_guarded(
            self._uow, change, record=record, audited=(PermissionDenied,), what=where
        )


@dataclass(frozen=True)
class Audit:
    action: str
    subject: str | None
    old: str | None
    new: str | None
    note: str | None = None

    def event(
        self, row: Onboarding, actor: Actor, at: datetime, outcome: str = "applied"
    ) -> AuditEvent:
        return AuditEvent(
            onboarding_id=row.id,
            team_id=row.team_id,
            channel_id=row.channel_id,
            actor=actor.user_id,
            at=at,
            action=self.action,
            subject=self.subject,
            old_value=self.old,
            new_value=self.new,
            note=self.note,
            outcome=outcome,
        )


def _text(value: int | None) -> str | None:
    return None if value is None else str(value)


def _thresholds(value: Thresholds) -> str:
    return (
        f"warning {value.warning_days} d / {value.warning_numbers}, "
        f"critical {value.critical_days} d / {value.critical_numbers}"
    )
