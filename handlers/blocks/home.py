"""The App Home tab: the user's onboardings across channels, with progress and next step."""

from __future__ import annotations

from typing import Any

from core.onboarding.snapshot import OnboardingSnapshot
from core.tenancy import Actor
from handlers.blocks.checklist import context, section
from handlers.blocks.onboarding_words import numbering_detail, step_name
from handlers.messages import t


def home_view(
    user_id: str, onboardings: tuple[OnboardingSnapshot, ...], language: str
) -> dict[str, Any]:
    """``views.publish`` body for ``user_id``; each onboarding in its own language."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": t("onboarding.home.title", language)},
        },
        context(t("onboarding.home.intro", language)),
        {"type": "divider"},
    ]
    if not onboardings:
        blocks.append(section(t("onboarding.home.empty", language)))
    for snapshot in onboardings:
        blocks.append(section(home_item(user_id, snapshot), f"home:{snapshot.id}"))
    return {"type": "home", "blocks": blocks[:100]}


def home_item(user_id: str, snapshot: OnboardingSnapshot) -> str:
    language = snapshot.language.value
    done, total = snapshot.progress
    next_view = snapshot.next_step
    next_text = (
        t(
            "onboarding.home.next",
            language,
            position=next_view.position,
            title=step_name(next_view.id, language),
        )
        if next_view
        else _settled_text(snapshot, language)
    )
    role = snapshot.role_of(Actor(user_id))
    return t(
        "onboarding.home.item",
        language,
        company=snapshot.company_name,
        channel=snapshot.channel.channel_id,
        done=done,
        total=total,
        state=t(f"onb.onboarding.{snapshot.state.value}", language),
        role=t(f"onboarding.role.{role.value}", language),
        next=next_text,
    )


def _settled_text(snapshot: OnboardingSnapshot, language: str) -> str:
    view = snapshot.attention
    if view is None:
        return t("onboarding.home.done", language)
    return t(
        "onboarding.home.attention",
        language,
        position=view.position,
        title=step_name(view.id, language),
        detail=numbering_detail(snapshot.numbering.levels, language),
    )
