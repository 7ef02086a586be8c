"""Plain, immutable views of an onboarding: what the service returns and renderers draw.

Nothing here touches the database or Slack; a snapshot is a picture taken inside one
transaction, so everything in it is consistent with everything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from core.language import Language
from core.onboarding.machine import (
    Action,
    OnboardingState,
    Refusal,
    Situation,
    check,
    needs_attention,
    next_step,
    progress,
)
from core.onboarding.numbering_gate import NumberingGate
from core.onboarding.steps import CATALOGUE, OPEN, Step, StepId, StepState, Valuation
from core.tenancy import Actor, Capability, Channel, Role, may, role_of


@dataclass(frozen=True)
class StepView:
    id: StepId
    state: StepState
    changed_by: str | None
    changed_at: datetime | None
    note: str | None
    can_skip: bool
    """Skip is allowed right now (the step is optional and open)."""
    blockers: tuple[Refusal, ...]
    """Why ``done`` would be refused right now (empty when it would pass)."""

    @property
    def step(self) -> Step:
        return CATALOGUE[self.id]

    @property
    def position(self) -> int:
        return self.step.position

    @property
    def optional(self) -> bool:
        return self.step.optional

    @property
    def actionable(self) -> bool:
        """Open (to do or in progress): the checklist offers buttons for it."""
        return self.state in OPEN


@dataclass(frozen=True)
class MemberView:
    user_id: str
    role: str  # "owner" or "member"
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class OnboardingSnapshot:
    id: int
    channel: Channel
    company_name: str
    state: OnboardingState
    language: Language
    valuation: Valuation | None
    owner_id: str
    members: tuple[MemberView, ...]
    checklist_ts: str | None
    created_at: datetime
    updated_at: datetime
    live_announced_at: datetime | None
    version: int
    steps: tuple[StepView, ...]
    situation: Situation
    numbering: NumberingGate

    @property
    def progress(self) -> tuple[int, int]:
        """(settled steps, all steps)."""
        return progress(self.situation)

    @property
    def next_step(self) -> StepView | None:
        step_id = next_step(self.situation)
        return None if step_id is None else self.step(step_id)

    @property
    def attention(self) -> StepView | None:
        """A settled step that needs looking at again (``machine.needs_attention``)."""
        step_id = needs_attention(self.situation)
        return None if step_id is None else self.step(step_id)

    @property
    def member_ids(self) -> frozenset[str]:
        return frozenset(member.user_id for member in self.members)

    def step(self, step_id: StepId) -> StepView:
        return next(view for view in self.steps if view.id is step_id)

    def role_of(self, actor: Actor) -> Role:
        return role_of(actor, self.owner_id, self.member_ids)

    def may_change(self, actor: Actor) -> bool:
        return may(self.role_of(actor), Capability.CHANGE)


class AuditAction(StrEnum):
    START = "onboarding.start"
    STATE = "onboarding.state"  # active ↔ live, caused by a step change
    STEP_BEGIN = "step.begin"
    STEP_DONE = "step.done"
    STEP_SKIP = "step.skip"
    STEP_REOPEN = "step.reopen"
    VALUATION = "valuation.set"
    LANGUAGE = "language.set"
    MEMBER_ADD = "member.add"
    MEMBER_REMOVE = "member.remove"


STEP_AUDIT_ACTIONS: dict[Action, AuditAction] = {
    Action.BEGIN: AuditAction.STEP_BEGIN,
    Action.DONE: AuditAction.STEP_DONE,
    Action.SKIP: AuditAction.STEP_SKIP,
    Action.REOPEN: AuditAction.STEP_REOPEN,
}


class Outcome(StrEnum):
    APPLIED = "applied"
    REFUSED = "refused"  # the rules said no
    DENIED = "denied"  # the user may not change this onboarding


@dataclass(frozen=True)
class Change:
    """One applied change: ``subject`` moved from ``old`` to ``new``."""

    action: AuditAction
    subject: str | None
    old: str | None
    new: str | None
    note: str | None = None


@dataclass(frozen=True)
class ChangeResult:
    snapshot: OnboardingSnapshot
    changes: tuple[Change, ...]
    announce_live: bool = False
    """This change made the onboarding live for the first time: announce it in the channel."""

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def became_live(self) -> bool:
        return any(
            c.action is AuditAction.STATE and c.new == OnboardingState.LIVE for c in self.changes
        )

    @property
    def reactivated(self) -> bool:
        return any(
            c.action is AuditAction.STATE and c.new == OnboardingState.ACTIVE for c in self.changes
        )


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    subject: str | None
    old_value: str | None
    new_value: str | None
    note: str | None
    outcome: Outcome
    note_translations: Mapping[str, str] | None = None
    """Rows refused before refusals were kept as codes: the note and the refusal's words, in
    every language."""
    refusal_code: str | None = None
    """A refused attempt's refusal: its catalogue code and the data of its words."""
    refusal_params: Mapping[str, Any] | None = None

    def note_in(self, language: str) -> str | None:
        """The note in ``language`` where it was stored in every language, else as written."""
        return (self.note_translations or {}).get(language) or self.note


@dataclass(frozen=True)
class HistoryPage:
    entries: tuple[AuditEntry, ...]
    page: int
    pages: int
    total: int
    page_size: int

    @property
    def has_older(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class NextStep:
    snapshot: OnboardingSnapshot
    step: StepView | None
    """``None`` when every step is settled."""

    @property
    def blockers(self) -> tuple[Refusal, ...]:
        return () if self.step is None else self.step.blockers


def step_views(situation: Situation, notes: dict[StepId, str | None]) -> tuple[StepView, ...]:
    """One view per catalogue step, with what the rules say about it right now."""
    views = []
    for step_id in StepId:
        record = situation.record(step_id)
        views.append(
            StepView(
                id=step_id,
                state=record.state,
                changed_by=record.changed_by,
                changed_at=record.changed_at,
                note=notes.get(step_id),
                can_skip=not check(situation, step_id, Action.SKIP),
                blockers=tuple(
                    r for r in check(situation, step_id, Action.DONE) if record.state in OPEN
                ),
            )
        )
    return tuple(views)
