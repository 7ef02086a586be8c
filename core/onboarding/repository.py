"""Database access of the onboarding area, over the unit of work's session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from core.store.models import AuditEvent, ChannelLanguage, Member, Onboarding, Workspace
from core.tenancy import Channel


class OnboardingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def for_channel(self, where: Channel, *, lock: bool = False) -> Onboarding | None:
        """The onboarding of a channel with its steps and members.

        ``lock`` takes the row lock (``SELECT … FOR UPDATE``) where the backend has one, so
        concurrent writers on PostgreSQL queue instead of racing; SQLite already serialises
        writers (``BEGIN IMMEDIATE``). The version column catches anything that slips past.
        """
        query = (
            select(Onboarding)
            .where(Onboarding.team_id == where.team_id, Onboarding.channel_id == where.channel_id)
            .options(selectinload(Onboarding.steps), selectinload(Onboarding.members))
        )
        if lock:
            query = query.with_for_update(of=Onboarding)
        return self.session.scalars(query).one_or_none()

    def language_for(self, where: Channel) -> str | None:
        return self.session.scalar(
            select(Onboarding.language).where(
                Onboarding.team_id == where.team_id, Onboarding.channel_id == where.channel_id
            )
        )

    def channel_language(self, where: Channel) -> str | None:
        """The language the channel chose before it had an onboarding, if any."""
        row = self.session.get(ChannelLanguage, (where.team_id, where.channel_id))
        return None if row is None else row.language

    def remember_language(self, where: Channel, language: str, user_id: str, now: datetime) -> bool:
        """Store the channel's language before its onboarding; False if it was already so."""
        row = self.session.get(ChannelLanguage, (where.team_id, where.channel_id))
        if row is not None and row.language == language:
            return False
        if row is None:
            row = ChannelLanguage(team_id=where.team_id, channel_id=where.channel_id)
            self.session.add(row)
        row.language, row.set_by, row.set_at = language, user_id, now
        self.session.flush()
        return True

    def for_user(self, team_id: str, user_id: str) -> Sequence[Onboarding]:
        """Onboardings of one team that ``user_id`` owns or is a member of, latest first."""
        member_of = select(Member.onboarding_id).where(Member.user_id == user_id)
        query = (
            select(Onboarding)
            .where(
                Onboarding.team_id == team_id,
                or_(Onboarding.owner_id == user_id, Onboarding.id.in_(member_of)),
            )
            .options(selectinload(Onboarding.steps), selectinload(Onboarding.members))
            .order_by(Onboarding.updated_at.desc(), Onboarding.id.desc())
        )
        return self.session.scalars(query).all()

    def by_id(self, onboarding_id: int) -> Onboarding | None:
        return self.session.get(Onboarding, onboarding_id)

    def ensure_workspace(self, team_id: str, now: datetime) -> None:
        if self.session.get(Workspace, team_id) is None:
            self.session.add(Workspace(team_id=team_id, created_at=now))
            self.session.flush()

    def add_audit(self, event: AuditEvent) -> None:
        self.session.add(event)

    def ever_applied(self, onboarding_id: int, action: str, subject: str) -> bool:
        """Whether the audit trail holds an applied ``action`` on ``subject``: history that
        outlives the current state (a reopened step was still done once)."""
        query = select(AuditEvent.id).where(
            AuditEvent.onboarding_id == onboarding_id,
            AuditEvent.action == action,
            AuditEvent.subject == subject,
            AuditEvent.outcome == "applied",
        )
        return self.session.scalar(query.limit(1)) is not None

    def count_audit(self, onboarding_id: int) -> int:
        query = select(func.count()).select_from(AuditEvent)
        return self.session.scalar(query.where(AuditEvent.onboarding_id == onboarding_id)) or 0

    def audit_page(self, onboarding_id: int, offset: int, limit: int) -> Sequence[AuditEvent]:
        query = (
            select(AuditEvent)
            .where(AuditEvent.onboarding_id == onboarding_id)
            # Insertion order, not `at`: a clock set back would otherwise list the latest
            # change below older ones (tests/faults/test_clock_jumps.py).
            .order_by(AuditEvent.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return self.session.scalars(query).all()
