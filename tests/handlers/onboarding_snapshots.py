"""Onboarding snapshots built in memory, for the pure renderers' tests."""

from __future__ import annotations

from datetime import UTC, datetime

from core.language import Language
from core.onboarding.machine import Situation, StepRecord, onboarding_state
from core.onboarding.numbering_gate import UNKNOWN, NumberingGate
from core.onboarding.snapshot import MemberView, OnboardingSnapshot, step_views
from core.onboarding.steps import StepId, StepState, Valuation
from core.tenancy import Channel

WHEN = datetime(2026, 3, 2, 8, 5, tzinfo=UTC)
HERE = Channel("T1", "C1")


def make_snapshot(
    states: dict[StepId, StepState] | None = None,
    *,
    language: Language = Language.EN,
    valuation: Valuation | None = None,
    numbering: NumberingGate = UNKNOWN,
    notes: dict[StepId, str | None] | None = None,
    company: str = "Acme Oy",
    owner: str = "U_ANN",
    members: tuple[str, ...] = (),
    channel: Channel = HERE,
) -> OnboardingSnapshot:
    records = {
        step: StepRecord(state, "U_ANN", WHEN) if state is not StepState.TODO else StepRecord()
        for step, state in (states or {}).items()
    }
    situation = Situation(steps=records, valuation=valuation, numbering=numbering)
    member_views = (
        MemberView(owner, "owner", owner, WHEN),
        *(MemberView(m, "member", owner, WHEN) for m in members),
    )
    return OnboardingSnapshot(
        id=1,
        channel=channel,
        company_name=company,
        state=onboarding_state(situation),
        language=language,
        valuation=valuation,
        owner_id=owner,
        members=member_views,
        checklist_ts="1700000000.000001",
        created_at=WHEN,
        updated_at=WHEN,
        live_announced_at=None,
        version=1,
        steps=step_views(situation, notes or {}),
        situation=situation,
        numbering=numbering,
    )
