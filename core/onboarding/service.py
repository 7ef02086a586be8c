"""The onboarding application service: every read and change of an onboarding goes through it.

Each change runs in one unit of work: load the channel's onboarding (row lock where the backend
has one), check the actor's permission, let the state machine decide, write the new state and
one audit row per change, commit. A refused attempt (rules or permissions) is written as an
audit row too, in a transaction of its own, and then re-raised for the caller to show.

Two people clicking at once: writers are serialised by the database (``BEGIN IMMEDIATE`` on
SQLite, ``FOR UPDATE`` on PostgreSQL), and the ``version`` column catches anything else — a
``StaleDataError`` makes the service reload and decide again, so the second click is judged
on the state the first one left (typically "already done by …").

The service returns plain snapshots; it knows nothing of Slack. Whether a user is a workspace
admin comes in with the ``Actor``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from core.errors import DomainError, InvalidArgument, NotFound, PermissionDenied, TransitionRefused
from core.guarded import (
    channel_onboarding,
    check_permission,
    missing_onboarding,
    record_in_own_transaction,
    run_guarded,
    with_refusal,
)
from core.language import Language, language_of
from core.onboarding.machine import (
    TRANSITIONS,
    Action,
    OnboardingState,
    Situation,
    decide,
    decide_valuation,
    onboarding_state,
)
from core.onboarding.numbering_gate import NumberingStatusProvider
from core.onboarding.rows import (
    MEMBER_ROLE,
    OWNER_ROLE,
    audit_entry,
    audit_event,
    situation_of,
    snapshot_of,
    step_row,
    step_state_of,
)
from core.onboarding.snapshot import (
    STEP_AUDIT_ACTIONS,
    AuditAction,
    Change,
    ChangeResult,
    HistoryPage,
    NextStep,
    OnboardingSnapshot,
    Outcome,
)
from core.onboarding.steps import STEPS, StepId, StepState, Valuation
from core.store.models import Member, Onboarding
from core.store.models import StepState as StepRow
from core.store.uow import UnitOfWork, UnitOfWorkFactory
from core.tenancy import Actor, Capability, Channel, Role, role_of

HISTORY_PAGE_SIZE = 20
MAX_NOTE_CHARS = 2000


def _utc_now() -> datetime:
    return datetime.now(UTC)


class AlreadyStarted(TransitionRefused):
    """``start`` in a channel that already has an onboarding."""


@dataclass
class _Attempt:
    """What a change attempt is about, filled in as it proceeds, for the refusal's audit row."""

    action: AuditAction
    subject: str | None
    onboarding_id: int | None = None
    old: str | None = None
    new: str | None = None
    note: str | None = None
    read_old: Callable[[Onboarding], str | None] | None = None
    """Reads ``old`` from the loaded row before the permission check, so a denied attempt's
    audit row still says what it would have changed."""


@dataclass
class _Work:
    """One attempt's loaded state, handed to the function that applies the change."""

    session: Session
    row: Onboarding
    actor: Actor
    now: datetime
    attempt: _Attempt
    changes: list[Change] = field(default_factory=list)
    announce_live: bool = False


_Apply = Callable[[_Work], None]


class OnboardingService:
    """Start, read and change the onboarding of a channel.

    >>> service = OnboardingService(uow_factory)                        # doctest: +SKIP
    >>> where, ann = Channel("T1", "C1"), Actor("U_ANN")                # doctest: +SKIP
    >>> service.start(where, ann, "Acme Oy")                             # doctest: +SKIP
    >>> service.done(where, ann, StepId.LOGIN).snapshot.progress         # doctest: +SKIP
    (1, 10)
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        numbering: NumberingStatusProvider | None = None,
        clock: Callable[[], datetime] = _utc_now,
        max_attempts: int = 5,
        read_open_orders: Callable[[int], object] | None = None,
    ) -> None:
        self._uow = uow
        self._numbering = numbering
        # Reads Netvisor's open sales orders into the store before `previous_orders` is
        # marked done (the account area's reader; network, so outside any transaction).
        self._read_open_orders = read_open_orders
        self._clock = clock
        self._max_attempts = max_attempts

    # --- reading ---------------------------------------------------------------------------

    def language(self, where: Channel) -> Language | None:
        """The channel's onboarding language, else the language the channel chose before
        starting one, else ``None`` (cheap)."""
        with self._uow() as uow:
            repo = uow.onboardings
            stored = repo.language_for(where) or repo.channel_language(where)
            return None if stored is None else language_of(stored)

    def find(self, where: Channel) -> OnboardingSnapshot | None:
        with self._uow() as uow:
            row = uow.onboardings.for_channel(where)
            return None if row is None else snapshot_of(uow.session, row, self._numbering)

    def snapshot(self, where: Channel, actor: Actor | None = None) -> OnboardingSnapshot:
        """The channel's onboarding, or ``NotFound`` telling how to start one."""
        found = self.find(where)
        if found is None:
            raise missing_onboarding(self.language(where), actor)
        return found

    def next(self, where: Channel, actor: Actor | None = None) -> NextStep:
        current = self.snapshot(where, actor)
        return NextStep(snapshot=current, step=current.next_step)

    def role(self, where: Channel, actor: Actor) -> Role:
        current = self.snapshot(where, actor)
        return role_of(actor, current.owner_id, current.member_ids)

    def history(
        self,
        where: Channel,
        page: int = 1,
        actor: Actor | None = None,
        page_size: int = HISTORY_PAGE_SIZE,
    ) -> HistoryPage:
        """Audit rows, newest first, ``page_size`` a page (page 1 is the latest)."""
        with self._uow() as uow:
            repo = uow.onboardings
            row = repo.for_channel(where)
            if row is None:
                raise missing_onboarding(repo.channel_language(where), actor)
            total = repo.count_audit(row.id)
            pages = max(1, math.ceil(total / page_size))
            if page < 1 or page > pages:
                raise InvalidArgument("onb.history.page_out_of_range", page=page, pages=pages)
            events = repo.audit_page(row.id, (page - 1) * page_size, page_size)
            return HistoryPage(
                entries=tuple(audit_entry(event) for event in events),
                page=page,
                pages=pages,
                total=total,
                page_size=page_size,
            )

    def for_user(self, team_id: str, user_id: str) -> tuple[OnboardingSnapshot, ...]:
        """The onboardings of a team that the user owns or is a member of (App Home)."""
        with self._uow() as uow:
            rows = uow.onboardings.for_user(team_id, user_id)
            return tuple(snapshot_of(uow.session, row, self._numbering) for row in rows)

    # --- starting --------------------------------------------------------------------------

    def start(
        self,
        where: Channel,
        actor: Actor,
        company_name: str | None,
        language: Language | None = None,
    ) -> ChangeResult:
        """Start the channel's onboarding; ``AlreadyStarted`` (with its status) if one exists.

        Anyone in the channel may start; the starter becomes the owner. The language is the
        one given, else the one the channel chose before (``remember_language``), else the
        starter's Slack locale when it is Finnish.
        """
        chosen = language or self.language(where) or _language_hint(actor)
        name = " ".join((company_name or "").split())[:255] or where.channel_id
        attempt = _Attempt(AuditAction.START, None, new=name)
        # IntegrityError: someone started the same channel (or created the workspace row) a
        # moment before us; the next attempt sees their onboarding and refuses.
        return run_guarded(
            self._uow,
            lambda unit: self._start_once(unit, where, actor, name, chosen, attempt),
            record=lambda refusal: self._record_refusal(where, actor, attempt, refusal),
            retry_on=(StaleDataError, IntegrityError),
            max_attempts=self._max_attempts,
            what=where,
        )

    def _start_once(
        self,
        uow: UnitOfWork,
        where: Channel,
        actor: Actor,
        name: str,
        language: Language,
        attempt: _Attempt,
    ) -> ChangeResult:
        repo = uow.onboardings
        existing = repo.for_channel(where, lock=True)
        if existing is not None:
            attempt.onboarding_id = existing.id
            raise self._already_started(uow.session, existing)
        now = self._clock()
        repo.ensure_workspace(where.team_id, now)
        row = Onboarding(
            team_id=where.team_id,
            channel_id=where.channel_id,
            company_name=name,
            state=OnboardingState.ACTIVE.value,
            language=language.value,
            owner_id=actor.user_id,
            created_at=now,
            updated_at=now,
        )
        row.steps = [
            StepRow(step=entry.id.value, position=entry.position, state=StepState.TODO.value)
            for entry in STEPS
        ]
        row.members = [
            Member(user_id=actor.user_id, role=OWNER_ROLE, added_by=actor.user_id, added_at=now)
        ]
        uow.session.add(row)
        uow.session.flush()
        change = Change(AuditAction.START, None, None, name)
        repo.add_audit(audit_event(where, actor, row.id, now, change, Outcome.APPLIED))
        uow.session.flush()
        return ChangeResult(snapshot_of(uow.session, row, self._numbering), (change,))

    def _already_started(self, session: Session, row: Onboarding) -> AlreadyStarted:
        current = snapshot_of(session, row, self._numbering)
        settled, total = current.progress
        return AlreadyStarted(
            "onb.start.exists",
            company=current.company_name,
            state=current.state,
            done=settled,
            total=total,
            owner=current.owner_id,
            when=current.created_at,
        )

    # --- steps -----------------------------------------------------------------------------

    def done(
        self, where: Channel, actor: Actor, step_id: StepId, note: str | None = None
    ) -> ChangeResult:
        return self.change_step(where, actor, step_id, Action.DONE, note)

    def skip(
        self, where: Channel, actor: Actor, step_id: StepId, reason: str | None = None
    ) -> ChangeResult:
        return self.change_step(where, actor, step_id, Action.SKIP, reason)

    def reopen(
        self, where: Channel, actor: Actor, step_id: StepId, reason: str | None = None
    ) -> ChangeResult:
        return self.change_step(where, actor, step_id, Action.REOPEN, reason)

    def begin(
        self, where: Channel, actor: Actor, step_id: StepId, note: str | None = None
    ) -> ChangeResult:
        """Start progress on a step (to do → in progress), for example when its CSV arrives."""
        return self.change_step(where, actor, step_id, Action.BEGIN, note)

    def change_step(
        self,
        where: Channel,
        actor: Actor,
        step_id: StepId,
        action: Action,
        note: str | None = None,
    ) -> ChangeResult:
        """Apply ``action`` to ``step_id``; ``StepRefused`` says why not and what to do."""
        clean_note = _clean_note(note)
        if (
            step_id is StepId.PREVIOUS_ORDERS
            and action is Action.DONE
            and self._read_open_orders is not None
        ):
            found = self.find(where)
            if found is not None:
                self._read_open_orders(found.id)
        attempt = _Attempt(
            STEP_AUDIT_ACTIONS[action],
            step_id.value,
            new=TRANSITIONS[action].target.value,
            note=clean_note,
            read_old=lambda row: step_state_of(row, step_id),
        )

        def apply(work: _Work) -> None:
            before = replace(
                situation_of(work.session, work.row, self._numbering),
                reason_given=clean_note is not None,
            )
            target = decide(before, step_id, action)
            row = step_row(work.row, step_id)
            row.state = target.value
            row.changed_by = work.actor.user_id
            row.changed_at = work.now
            row.note = clean_note
            work.changes.append(
                Change(
                    STEP_AUDIT_ACTIONS[action],
                    step_id.value,
                    before.state(step_id),
                    target,
                    clean_note,
                )
            )
            after = before.with_state(step_id, target)
            self._follow_onboarding_state(work, after)

        return self._change(where, actor, Capability.CHANGE, attempt, apply)

    def _follow_onboarding_state(self, work: _Work, after: Situation) -> None:
        """Live when every step is settled, active again when one is reopened; the first
        time it goes live the caller is told to announce it (once, ever)."""
        old = work.row.state
        new = onboarding_state(after).value
        if old == new:
            return
        work.row.state = new
        work.changes.append(Change(AuditAction.STATE, None, old, new))
        if new == OnboardingState.LIVE and work.row.live_announced_at is None:
            work.row.live_announced_at = work.now
            work.announce_live = True

    # --- settings of the onboarding ------------------------------------------------------

    def set_valuation(self, where: Channel, actor: Actor, method: Valuation) -> ChangeResult:
        """Record the valuation method; refused once initial balances have started."""
        attempt = _Attempt(
            AuditAction.VALUATION,
            None,
            new=method.value,
            read_old=lambda row: row.valuation_method,
        )

        def apply(work: _Work) -> None:
            before = situation_of(work.session, work.row, self._numbering)
            chosen = decide_valuation(before, method)
            if work.row.valuation_method == chosen.value:
                return
            work.changes.append(
                Change(AuditAction.VALUATION, None, work.row.valuation_method, chosen.value)
            )
            work.row.valuation_method = chosen.value

        return self._change(where, actor, Capability.CHANGE, attempt, apply)

    def remember_language(self, where: Channel, actor: Actor, language: Language) -> bool | None:
        """Before ``start``: keep ``language`` for the channel (anyone in it may choose, as
        anyone may start). True if stored, False if it was already so, None when the channel
        has an onboarding (then ``set_language`` applies, with its permissions and audit)."""
        with self._uow() as uow:
            repo = uow.onboardings
            if repo.language_for(where) is not None:
                return None
            changed = repo.remember_language(where, language.value, actor.user_id, self._clock())
            uow.commit()
            return changed

    def set_language(self, where: Channel, actor: Actor, language: Language) -> ChangeResult:
        attempt = _Attempt(
            AuditAction.LANGUAGE,
            None,
            new=language.value,
            read_old=lambda row: row.language,
        )

        def apply(work: _Work) -> None:
            if work.row.language == language.value:
                return
            work.changes.append(Change(AuditAction.LANGUAGE, None, work.row.language, language))
            work.row.language = language.value

        return self._change(where, actor, Capability.CHANGE, attempt, apply)

    # --- members ---------------------------------------------------------------------------

    def add_members(self, where: Channel, actor: Actor, user_ids: Iterable[str]) -> ChangeResult:
        """Add members (owner or workspace admin only); those already in are left as they are."""
        users = tuple(dict.fromkeys(user_ids))
        attempt = _Attempt(AuditAction.MEMBER_ADD, " ".join(users))

        def apply(work: _Work) -> None:
            present = {member.user_id for member in work.row.members}
            for user_id in users:
                if user_id in present or user_id == work.row.owner_id:
                    continue
                work.row.members.append(
                    Member(
                        user_id=user_id,
                        role=MEMBER_ROLE,
                        added_by=work.actor.user_id,
                        added_at=work.now,
                    )
                )
                work.changes.append(Change(AuditAction.MEMBER_ADD, user_id, None, MEMBER_ROLE))

        return self._change(where, actor, Capability.MANAGE_MEMBERS, attempt, apply)

    def remove_members(self, where: Channel, actor: Actor, user_ids: Iterable[str]) -> ChangeResult:
        """Remove members (owner or workspace admin only); all or nothing."""
        users = tuple(dict.fromkeys(user_ids))
        attempt = _Attempt(AuditAction.MEMBER_REMOVE, " ".join(users))

        def apply(work: _Work) -> None:
            by_user = {member.user_id: member for member in work.row.members}
            for user_id in users:
                if user_id == work.row.owner_id:
                    raise TransitionRefused("onb.members.owner_stays", user=user_id)
                member = by_user.get(user_id)
                if member is None:
                    raise InvalidArgument(
                        "onb.members.not_member", user=user_id, members=tuple(by_user)
                    )
                work.row.members.remove(member)
                work.changes.append(Change(AuditAction.MEMBER_REMOVE, user_id, member.role, None))

        return self._change(where, actor, Capability.MANAGE_MEMBERS, attempt, apply)

    # --- the checklist message -------------------------------------------------------------

    def remember_checklist(self, where: Channel, ts: str | None) -> None:
        """Store the ts of the channel's checklist message (not a user change: no audit)."""

        def store(uow: UnitOfWork) -> None:
            row = uow.onboardings.for_channel(where, lock=True)
            if row is None:
                raise NotFound("onb.not_found")
            if row.checklist_ts != ts:
                row.checklist_ts = ts

        run_guarded(
            self._uow,
            store,
            record=lambda refusal: None,
            audited=(),
            max_attempts=self._max_attempts,
            what=where,
        )

    # --- the machinery of a change ------------------------------------------------------

    def _change(
        self,
        where: Channel,
        actor: Actor,
        capability: Capability,
        attempt: _Attempt,
        apply: _Apply,
    ) -> ChangeResult:
        return run_guarded(
            self._uow,
            lambda unit: self._change_once(unit, where, actor, capability, attempt, apply),
            record=lambda refusal: self._record_refusal(where, actor, attempt, refusal),
            max_attempts=self._max_attempts,
            what=where,
        )

    def _change_once(
        self,
        uow: UnitOfWork,
        where: Channel,
        actor: Actor,
        capability: Capability,
        attempt: _Attempt,
        apply: _Apply,
    ) -> ChangeResult:
        repo = uow.onboardings
        row = channel_onboarding(uow, where, lock=True, asker=actor)
        attempt.onboarding_id = row.id
        if attempt.read_old is not None:
            attempt.old = attempt.read_old(row)
        check_permission(row, actor, capability)
        work = _Work(uow.session, row, actor, self._clock(), attempt)
        apply(work)
        if not work.changes:
            return ChangeResult(snapshot_of(uow.session, row, self._numbering), ())
        row.updated_at = work.now
        # Always write the onboarding row, so its version moves even when only child rows
        # (steps, members) changed: that is what makes a concurrent writer stale.
        flag_modified(row, "updated_at")
        for change in work.changes:
            repo.add_audit(audit_event(where, actor, row.id, work.now, change, Outcome.APPLIED))
        uow.session.flush()
        return ChangeResult(
            snapshot_of(uow.session, row, self._numbering),
            tuple(work.changes),
            work.announce_live,
        )

    def _record_refusal(
        self, where: Channel, actor: Actor, attempt: _Attempt, refusal: DomainError
    ) -> None:
        outcome = Outcome.DENIED if isinstance(refusal, PermissionDenied) else Outcome.REFUSED
        change = Change(attempt.action, attempt.subject, attempt.old, attempt.new, attempt.note)
        event = audit_event(where, actor, attempt.onboarding_id, self._clock(), change, outcome)
        record_in_own_transaction(self._uow, with_refusal(event, refusal))


def _language_hint(actor: Actor | None) -> Language:
    return language_of(actor.locale if actor else None)


def _clean_note(note: str | None) -> str | None:
    cleaned = (note or "").strip()
    return cleaned[:MAX_NOTE_CHARS] or None
