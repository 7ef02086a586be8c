"""The checklist message and a step's guide: pure functions of an onboarding snapshot.

One checklist per onboarding, edited in place after every change. Each step shows its state,
who changed it and when; open steps get Done, Skip (optional steps only) and Guide buttons
whose ``value`` is the step id. Buttons are conveniences only: every click is re-checked in
``core`` (tenancy from the payload's team and channel, permissions, the rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.account.verify import VERIFIER
from core.onboarding.machine import Refusal
from core.onboarding.snapshot import OnboardingSnapshot, StepView
from core.onboarding.steps import CATALOGUE, StepId, StepState
from handlers.blocks.onboarding_words import numbering_detail, state_word, step_name, step_title
from handlers.messages import t
from handlers.messages.formatting import format_when, mention

Block = dict[str, Any]

ACTION_DONE = "checklist:done"
ACTION_SKIP = "checklist:skip"
ACTION_GUIDE = "checklist:guide"
STEP_BLOCK_PREFIX = "checklist:step:"

STATE_ICONS: dict[StepState, str] = {
    StepState.TODO: ":white_large_square:",
    StepState.IN_PROGRESS: ":arrows_counterclockwise:",
    StepState.DONE: ":white_check_mark:",
    StepState.SKIPPED: ":fast_forward:",
}
NOTE_CHARS = 200


@dataclass(frozen=True)
class SlackMessage:
    """What ``chat.postMessage`` / ``chat.update`` / ``respond`` get: text and blocks."""

    text: str
    blocks: list[Block]


def section(text: str, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if block_id:
        block["block_id"] = block_id
    return block


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def button(label: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def blocker_words(blockers: tuple[Refusal, ...], language: str) -> list[str]:
    """Short labels for what a step waits for (those the checklist has words for)."""
    words = []
    for refusal in blockers:
        key = f"onboarding.blocker.{refusal.code}"
        try:
            words.append(t(key, language))
        except KeyError:
            continue
    return words


def step_line(view: StepView, language: str, *, is_next: bool = False) -> str:
    """``:white_check_mark: *1. Log in to Rackbeat* — done by @ann, 2 Mar 2026 08:05 UTC``."""
    title = f"*{step_title(view.id, language)}*"
    if view.optional:
        title += f" _({t('onboarding.checklist.optional', language)})_"
    icon = ":point_right:" if is_next else STATE_ICONS[view.state]
    line = f"{icon} {title}"
    if view.changed_by == VERIFIER and view.changed_at and view.state is StepState.DONE:
        # Settled from the account itself, not ticked by a person: say so.
        line += " — " + t("account.verified", language, when=format_when(view.changed_at, language))
    elif view.changed_by and view.changed_at and view.state is not StepState.TODO:
        changed = t(
            "onboarding.checklist.changed",
            language,
            state=state_word(view.state, language),
            who=mention(view.changed_by),
            when=format_when(view.changed_at, language),
        )
        line += f" — {changed}"
    elif view.state is not StepState.TODO:
        line += f" — {state_word(view.state, language)}"
    if view.note:
        note = view.note if len(view.note) <= NOTE_CHARS else view.note[: NOTE_CHARS - 1] + "…"
        line += f"\n> {note}"
    waiting = blocker_words(view.blockers, language) if view.actionable else []
    if waiting:
        line += "\n_" + t("onboarding.checklist.waiting", language, items=", ".join(waiting)) + "_"
    return line


def step_buttons(view: StepView, language: str) -> Block:
    """Done, Skip (optional steps), Guide for an open step."""
    value = view.id.value
    elements = [button(t("onboarding.button.done", language), ACTION_DONE, value, "primary")]
    if view.can_skip:
        elements.append(button(t("onboarding.button.skip", language), ACTION_SKIP, value))
    elements.append(button(t("onboarding.button.guide", language), ACTION_GUIDE, value))
    return {
        "type": "actions",
        "block_id": f"{STEP_BLOCK_PREFIX}{value}:actions",
        "elements": elements,
    }


def checklist_message(snapshot: OnboardingSnapshot) -> SlackMessage:
    """The whole checklist: title, summary, next step, one entry per step, footer."""
    language = snapshot.language.value
    done, total = snapshot.progress
    valuation = (
        t(f"onb.valuation.{snapshot.valuation.value}", language)
        if snapshot.valuation
        else t("onb.valuation.none", language)
    )
    next_view = snapshot.next_step
    blocks: list[Block] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": t("onboarding.checklist.title", language, company=snapshot.company_name)[
                    :150
                ],
            },
        },
        context(
            t(
                "onboarding.checklist.summary",
                language,
                done=done,
                total=total,
                state=t(f"onb.onboarding.{snapshot.state.value}", language),
                valuation=valuation,
                owner=mention(snapshot.owner_id),
            )
        ),
        section(
            t(
                "onboarding.checklist.next",
                language,
                position=next_view.position,
                title=step_name(next_view.id, language),
            )
            if next_view
            else _settled_line(snapshot, language),
            block_id="checklist:next",
        ),
        {"type": "divider"},
    ]
    for view in snapshot.steps:
        is_next = next_view is not None and view.id is next_view.id
        blocks.append(
            section(step_line(view, language, is_next=is_next), STEP_BLOCK_PREFIX + view.id)
        )
        if view.actionable:
            blocks.append(step_buttons(view, language))
    blocks.extend([{"type": "divider"}, context(t("onboarding.checklist.footer", language))])
    fallback = t(
        "onboarding.checklist.fallback",
        language,
        company=snapshot.company_name,
        done=done,
        total=total,
    )
    return SlackMessage(fallback, blocks)


def _settled_line(snapshot: OnboardingSnapshot, language: str) -> str:
    """Everything settled, unless a settled step needs attention again (a live collision)."""
    view = snapshot.attention
    if view is None:
        return t("onboarding.checklist.all_settled", language)
    return t(
        "onboarding.checklist.attention",
        language,
        position=view.position,
        title=step_name(view.id, language),
        detail=numbering_detail(snapshot.numbering.levels, language),
    )


def guide_text(step_id: StepId, language: str) -> str:
    """A step's guide text for people: heading, what to do, how to skip or finish it."""
    entry = CATALOGUE[step_id]
    parts = [
        t(
            "onboarding.guide.heading",
            language,
            position=entry.position,
            title=step_name(step_id, language),
        ),
        t(f"step.{step_id.value}.guide", language),
    ]
    if entry.optional:
        parts.append(
            t(
                "onboarding.guide.optional",
                language,
                skip_means=t(f"step.{step_id.value}.skip_means", language),
                id=entry.id.value,
            )
        )
    parts.append(t("onboarding.guide.finish", language, id=entry.id.value))
    return "\n".join(parts)


def guide_message(step_id: StepId, language: str) -> SlackMessage:
    text = guide_text(step_id, language)
    return SlackMessage(text, [section(text)])
