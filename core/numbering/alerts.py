"""When the watch speaks in the channel: a pure decision from the last state and a new level.

Per series, an *episode* runs from the first time the level leaves ``ok`` until it is ``ok``
again:

- an **alert** when the level gets worse than before (or turns ``unknown``), once per level
  and episode, so a series flapping between ``warning`` and ``critical`` alerts once;
- a **reminder** at most every ``reminder_every`` while ``critical`` or ``collision``, unless
  acknowledged at that level or worse (an acknowledgement lasts until the level gets worse
  than what was acknowledged) or snoozed;
- one **all-clear** when the level is back to ``ok``, which ends the episode.

Every notice has a key (``e3:alert:critical``, ``e3:reminder:2``, ``e3:all_clear``) that the
store makes unique per onboarding and series: whatever the number of processes or retries,
a notice exists once. Reminder keys count whole periods since the episode's last alert, so two
processes deciding at the same time derive the same key.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from core.numbering.model import Level

REMINDER_LEVELS = frozenset({Level.CRITICAL, Level.COLLISION})
DEFAULT_REMINDER_EVERY = timedelta(days=1)
SNOOZE = timedelta(days=7)


class NoticeKind(StrEnum):
    ALERT = "alert"
    REMINDER = "reminder"
    ALL_CLEAR = "all_clear"


@dataclass(frozen=True, slots=True)
class AlertState:
    """What the channel has been told about one series."""

    level: Level = Level.OK
    episode: int = 1
    alerted: frozenset[Level] = frozenset()
    alerted_at: datetime | None = None
    acknowledged: Level | None = None
    snoozed_until: datetime | None = None
    last_notice_at: datetime | None = None

    def quiet(self, level: Level, now: datetime) -> bool:
        """Whether reminders about ``level`` are silenced now."""
        if self.snoozed_until is not None and now < self.snoozed_until:
            return True
        return self.acknowledged is not None and level.rank <= self.acknowledged.rank


@dataclass(frozen=True, slots=True)
class Notice:
    kind: NoticeKind
    level: Level
    episode: int
    key: str


def plan(
    state: AlertState,
    level: Level,
    now: datetime,
    reminder_every: timedelta = DEFAULT_REMINDER_EVERY,
) -> tuple[AlertState, Notice | None]:
    """The new state and the notice to post (if any) for a series now evaluated at ``level``.

    >>> from datetime import UTC, datetime, timedelta
    >>> t0 = datetime(2025, 1, 6, 9, tzinfo=UTC)
    >>> state, notice = plan(AlertState(), Level.WARNING, t0)
    >>> notice.key
    'e1:alert:warning'
    >>> state, notice = plan(state, Level.WARNING, t0 + timedelta(hours=1))
    >>> notice is None
    True
    >>> state, notice = plan(state, Level.CRITICAL, t0 + timedelta(hours=2))
    >>> notice.key
    'e1:alert:critical'
    >>> state, notice = plan(state, Level.CRITICAL, t0 + timedelta(days=1, hours=2))
    >>> notice.key
    'e1:reminder:1'
    >>> state, notice = plan(state, Level.OK, t0 + timedelta(days=2))
    >>> notice.key, state.episode
    ('e1:all_clear', 2)
    """
    if level is Level.OK:
        if state.level is Level.OK:
            return state, None
        notice = Notice(NoticeKind.ALL_CLEAR, level, state.episode, f"e{state.episode}:all_clear")
        return AlertState(episode=state.episode + 1, last_notice_at=now), notice
    worse = level.rank > state.level.rank or (
        level is Level.UNKNOWN and state.level is not Level.UNKNOWN
    )
    if worse and level not in state.alerted:
        notice = Notice(
            NoticeKind.ALERT, level, state.episode, f"e{state.episode}:alert:{level.value}"
        )
        new_state = replace(
            state,
            level=level,
            alerted=state.alerted | {level},
            alerted_at=now,
            acknowledged=None,
            last_notice_at=now,
        )
        return new_state, notice
    moved = replace(state, level=level)
    if (
        level in REMINDER_LEVELS
        and not moved.quiet(level, now)
        and _reminder_due(moved, now, reminder_every)
    ):
        assert moved.alerted_at is not None
        number = int((now - moved.alerted_at) / reminder_every)
        key = f"e{state.episode}:reminder:{number}"
        return replace(moved, last_notice_at=now), Notice(
            NoticeKind.REMINDER, level, state.episode, key
        )
    return moved, None


def _reminder_due(state: AlertState, now: datetime, every: timedelta) -> bool:
    if state.alerted_at is None:
        return False
    last = state.last_notice_at or state.alerted_at
    return now - last >= every and now - state.alerted_at >= every


def acknowledge(state: AlertState) -> AlertState:
    """No reminders until the level gets worse than it is now."""
    return replace(state, acknowledged=state.level)


def snooze(state: AlertState, now: datetime, period: timedelta = SNOOZE) -> AlertState:
    """No reminders for ``period`` (a worse level still alerts)."""
    return replace(state, snoozed_until=now + period)
