"""Between database rows and the onboarding's plain values: the machine's ``Situation``, the
snapshots the service returns, and audit rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core.language import language_of
from core.onboarding.machine import OnboardingState, Situation, StepRecord
from core.onboarding.numbering_gate import NumberingStatusProvider, numbering_status_ok
from core.onboarding.orders_gate import open_orders_of
from core.onboarding.repository import OnboardingRepository
from core.onboarding.snapshot import (
    AuditAction,
    AuditEntry,
    Change,
    MemberView,
    OnboardingSnapshot,
    Outcome,
    step_views,
)
from core.onboarding.steps import STEPS, StepId, StepState, Valuation
from core.store.models import AuditEvent, Onboarding
from core.store.models import StepState as StepRow
from core.tenancy import Actor, Channel

OWNER_ROLE = "owner"
MEMBER_ROLE = "member"

_STEP_IDS = frozenset(step_id.value for step_id in StepId)
_VALUATIONS = frozenset(method.value for method in Valuation)


def situation_of(
    session: Session, row: Onboarding, numbering: NumberingStatusProvider | None
) -> Situation:
    """What the rules look at, read from the rows (the numbering verdict from its provider)."""
    records = {
        StepId(step_row.step): StepRecord(
            StepState(step_row.state), step_row.changed_by, step_row.changed_at
        )
        for step_row in row.steps
        if step_row.step in _STEP_IDS
    }
    valuation = Valuation(row.valuation_method) if row.valuation_method in _VALUATIONS else None
    return Situation(
        steps=records,
        valuation=valuation,
        numbering=numbering_status_ok(session, row.id, numbering),
        balances_done_before=balances_done_before(session, row),
        open_orders=open_orders_of(session, row.id),
    )


def balances_done_before(session: Session, row: Onboarding) -> bool:
    """Initial balances were marked done once: the audit trail remembers it after a reopen."""
    if row.id is None:
        return False
    return OnboardingRepository(session).ever_applied(
        row.id, AuditAction.STEP_DONE.value, StepId.INITIAL_BALANCES.value
    )


def snapshot_of(
    session: Session, row: Onboarding, numbering: NumberingStatusProvider | None
) -> OnboardingSnapshot:
    situation = situation_of(session, row, numbering)
    notes = {StepId(s.step): s.note for s in row.steps if s.step in _STEP_IDS}
    members = sorted(row.members, key=lambda m: (m.role != OWNER_ROLE, m.added_at, m.user_id))
    return OnboardingSnapshot(
        id=row.id,
        channel=Channel(row.team_id, row.channel_id),
        company_name=row.company_name,
        state=OnboardingState(row.state),
        language=language_of(row.language),
        valuation=situation.valuation,
        owner_id=row.owner_id,
        members=tuple(MemberView(m.user_id, m.role, m.added_by, m.added_at) for m in members),
        checklist_ts=row.checklist_ts,
        created_at=row.created_at,
        updated_at=row.updated_at,
        live_announced_at=row.live_announced_at,
        version=row.version,
        steps=step_views(situation, notes),
        situation=situation,
        numbering=situation.numbering,
    )


def step_state_of(row: Onboarding, step_id: StepId) -> str:
    found = (s.state for s in row.steps if s.step == step_id.value)
    return next(found, StepState.TODO.value)


def step_row(row: Onboarding, step_id: StepId) -> StepRow:
    """The row of ``step_id``; created for a step added to the catalogue after the start."""
    for existing in row.steps:
        if existing.step == step_id.value:
            return existing
    position = next(entry.position for entry in STEPS if entry.id is step_id)
    created = StepRow(step=step_id.value, position=position, state=StepState.TODO.value)
    row.steps.append(created)
    return created


def audit_event(
    where: Channel,
    actor: Actor,
    onboarding_id: int | None,
    at: datetime,
    change: Change,
    outcome: Outcome,
) -> AuditEvent:
    return AuditEvent(
        onboarding_id=onboarding_id,
        team_id=where.team_id,
        channel_id=where.channel_id,
        actor=actor.user_id,
        at=at,
        action=change.action.value,
        subject=change.subject,
        old_value=None if change.old is None else str(change.old),
        new_value=None if change.new is None else str(change.new),
        note=change.note,
        outcome=outcome.value,
    )


def audit_entry(event: AuditEvent) -> AuditEntry:
    return AuditEntry(
        id=event.id,
        at=event.at,
        actor=event.actor,
        action=event.action,
        subject=event.subject,
        old_value=event.old_value,
        new_value=event.new_value,
        note=event.note,
        outcome=Outcome(event.outcome),
        note_translations=event.note_translations,
        refusal_code=event.refusal_code,
        refusal_params=event.refusal_params,
    )
