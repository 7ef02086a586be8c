"""Answers to the onboarding commands (next, changes, members, history, the live
announcement): pure functions of core's snapshots."""

from __future__ import annotations

from core.account.verify import VERIFIER
from core.onboarding.machine import Action
from core.onboarding.snapshot import (
    AuditAction,
    AuditEntry,
    ChangeResult,
    HistoryPage,
    NextStep,
    OnboardingSnapshot,
    Outcome,
)
from core.onboarding.steps import StepId, StepState
from handlers.blocks.audit_words import numbering_values
from handlers.blocks.checklist import (
    Block,
    SlackMessage,
    context,
    guide_text,
    section,
    step_buttons,
)
from handlers.blocks.onboarding_words import (
    numbering_detail,
    rule_text,
    state_word,
    step_name,
    step_title,
)
from handlers.blocks.refusals import refusal_text
from handlers.messages import CATALOG, t
from handlers.messages.formatting import format_when, mention

NOTE_CHARS = 600
STEP_ACTIONS = {
    AuditAction.STEP_BEGIN: Action.BEGIN,
    AuditAction.STEP_DONE: Action.DONE,
    AuditAction.STEP_SKIP: Action.SKIP,
    AuditAction.STEP_REOPEN: Action.REOPEN,
}


def next_message(next_step: NextStep) -> SlackMessage:
    """What to do now: the step, its guide text, what still blocks it, its buttons."""
    snapshot = next_step.snapshot
    language = snapshot.language.value
    view = next_step.step
    if view is None:
        attention = snapshot.attention
        text = (
            t("onboarding.next.none", language)
            if attention is None
            else t(
                "onboarding.next.attention",
                language,
                position=attention.position,
                title=step_name(attention.id, language),
                detail=numbering_detail(snapshot.numbering.levels, language),
            )
        )
        return SlackMessage(text, [section(text)])
    heading = t(
        "onboarding.next.heading",
        language,
        position=view.position,
        title=step_name(view.id, language),
        state=state_word(view.state, language),
    )
    lines = [heading, guide_text(view.id, language).split("\n", 1)[1]]
    if view.blockers:
        lines.append(t("onboarding.next.before_done", language))
        lines.extend(
            f"• {rule_text(refusal.facts(snapshot.situation), language)}"
            for refusal in view.blockers
        )
    text = "\n".join(lines)
    return SlackMessage(text, [section(text), step_buttons(view, language)])


def change_text(result: ChangeResult) -> str:
    """A one-line confirmation of what a command changed (or that nothing needed to)."""
    snapshot = result.snapshot
    language = snapshot.language.value
    lines = []
    for change in result.changes:
        action = STEP_ACTIONS.get(change.action)
        if action is not None and change.subject:
            title = step_title(StepId(change.subject), language)
            lines.append(t(f"onboarding.changed.{action.value}", language, step=title))
        elif change.action is AuditAction.VALUATION and change.new:
            method = t(f"onb.valuation.{change.new}", language)
            lines.append(t("onboarding.valuation.recorded", language, method=method))
        elif change.action is AuditAction.LANGUAGE:
            lines.append(t("onboarding.language.changed", language))
    if result.reactivated:
        lines.append(t("onboarding.changed.reactivated", language))
    added = [c.subject for c in result.changes if c.action is AuditAction.MEMBER_ADD and c.subject]
    removed = [
        c.subject for c in result.changes if c.action is AuditAction.MEMBER_REMOVE and c.subject
    ]
    if added:
        lines.append(t("onboarding.members.added", language, users=_mentions(added)))
    if removed:
        lines.append(t("onboarding.members.removed", language, users=_mentions(removed)))
    return "\n".join(lines)


def live_announcement(snapshot: OnboardingSnapshot) -> SlackMessage:
    text = t("onboarding.live", snapshot.language.value, company=snapshot.company_name)
    return SlackMessage(text, [section(text)])


def members_message(snapshot: OnboardingSnapshot, already: tuple[str, ...] = ()) -> SlackMessage:
    language = snapshot.language.value
    lines = []
    if already:
        lines.append(t("onboarding.members.already", language, users=_mentions(already)))
    lines.append(
        t(
            "onboarding.members.list",
            language,
            members=_mentions([m.user_id for m in snapshot.members]),
            owner=mention(snapshot.owner_id),
        )
    )
    text = "\n".join(lines)
    return SlackMessage(text, [section(text), context(t("onboarding.members.how", language))])


def history_message(page: HistoryPage, language: str) -> SlackMessage:
    """Up to a page of audit rows, newest first, and how to see older ones."""
    if not page.entries:
        text = t("onboarding.history.empty", language)
        return SlackMessage(text, [section(text)])
    lines = [t("onboarding.history.heading", language)]
    lines.extend(history_line(entry, language) for entry in page.entries)
    first = (page.page - 1) * page.page_size + 1
    last = first + len(page.entries) - 1
    footer_key = "onboarding.history.more" if page.has_older else "onboarding.history.end"
    footer = t(footer_key, language, first=first, last=last, total=page.total, next=page.page + 1)
    body = "\n".join(lines)
    blocks: list[Block] = [section(chunk) for chunk in _chunks(lines)]
    blocks.append(context(footer))
    return SlackMessage(f"{body}\n{footer}", blocks)


def history_line(entry: AuditEntry, language: str) -> str:
    mark = {
        Outcome.APPLIED: ":white_small_square:",
        Outcome.REFUSED: ":no_entry:",
        Outcome.DENIED: ":lock:",
    }[entry.outcome]
    what = _what(entry, language)
    if entry.outcome is not Outcome.APPLIED:
        what = f"{what} — _{t(f'onboarding.history.{entry.outcome.value}', language)}_"
    note_text = _note(entry, language)
    if note_text and entry.outcome is not Outcome.DENIED:
        # One line per entry, with every reason: a refusal with several lists them as bullets
        # after a headline that on its own says nothing ("can't be marked done (now to do):").
        note = " ".join(note_text.split())
        note = note if len(note) <= NOTE_CHARS else note[: NOTE_CHARS - 1] + "…"
        what = f"{what} — {note}"
    return t(
        "onboarding.history.line",
        language,
        mark=mark,
        when=format_when(entry.at, language),
        # A step the account verified by itself has no person behind it.
        who="Rackbeat" if entry.actor == VERIFIER else mention(entry.actor),
        what=what,
    )


def _note(entry: AuditEntry, language: str) -> str:
    """What the person wrote and, for a refused attempt, why it was refused, in ``language``
    (a row from before refusals were kept as codes keeps its words: ``note_in``)."""
    refusal = (
        refusal_text(entry.refusal_code, entry.refusal_params or {}, language)
        if entry.refusal_code
        else None
    )
    return " — ".join(part for part in (entry.note_in(language), refusal) if part)


def _what(entry: AuditEntry, language: str) -> str:
    try:
        action = AuditAction(entry.action)
    except ValueError:
        return _other_area(entry, language)
    if action in STEP_ACTIONS and entry.subject:
        return t(
            "onboarding.audit.step",
            language,
            step=step_title(StepId(entry.subject), language),
            old=_state(entry.old_value, language),
            new=_state(entry.new_value, language),
        )
    if action is AuditAction.STATE:
        return t(
            "onboarding.audit.onboarding.state",
            language,
            old=_word("onb.onboarding", entry.old_value, language),
            new=_word("onb.onboarding", entry.new_value, language),
        )
    if action is AuditAction.LANGUAGE:
        return t(
            "onboarding.audit.language.set",
            language,
            old=_word("onb.language", entry.old_value, language),
            new=_word("onb.language", entry.new_value, language),
        )
    if action is AuditAction.VALUATION:
        return t(
            "onboarding.audit.valuation.set",
            language,
            old=_word("onb.valuation", entry.old_value, language),
            new=_word("onb.valuation", entry.new_value, language),
        )
    subject = " ".join(mention(s) for s in (entry.subject or "").split()) or "–"
    return t(
        f"onboarding.audit.{action.value}",
        language,
        old=entry.old_value or "–",
        new=entry.new_value or "–",
        subject=subject,
    )


def _other_area(entry: AuditEntry, language: str) -> str:
    """Rows other areas write to the trail (the numbering watch), in words where we have them."""
    values = numbering_values(
        entry.action, entry.subject, entry.old_value, entry.new_value, language
    )
    # `numbering.connect.rackbeat` and `numbering.connect.netvisor` read alike.
    key = "onboarding.audit." + entry.action.removesuffix(".rackbeat").removesuffix(".netvisor")
    if key in CATALOG:
        return t(key, language, **values)
    return t("onboarding.audit.other", language, action=entry.action, **values)


def _state(value: str | None, language: str) -> str:
    try:
        return state_word(StepState(value or ""), language)
    except ValueError:
        return value or "–"


def _word(prefix: str, value: str | None, language: str) -> str:
    if not value:
        return t("onb.valuation.none", language) if prefix == "onb.valuation" else "–"
    try:
        return t(f"{prefix}.{value}", language)
    except KeyError:
        return value


def _mentions(users: list[str] | tuple[str, ...]) -> str:
    return ", ".join(mention(user) for user in users) or "–"


def _chunks(lines: list[str], limit: int = 2900) -> list[str]:
    """Section texts under Slack's 3000-character limit."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        if current and len(current) + len(line) + 1 > limit:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line[:limit]
    if current:
        chunks.append(current)
    return chunks
