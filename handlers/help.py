"""`/rackbeat help [topic]`, and the answer to an empty or unknown subcommand."""

from __future__ import annotations

from typing import Any

from core.language import Language
from core.onboarding.steps import STEPS
from handlers.blocks.onboarding_words import step_name
from handlers.commands import CommandContext, CommandRouter
from handlers.deps import Deps
from handlers.messages import t
from handlers.messages.help_topics import TOPICS
from handlers.registry import Registrar

# Finnish and near-miss words people type for a topic.
TOPIC_ALIASES: dict[str, str] = {
    "vaiheet": "steps",
    "step": "steps",
    "csv": "csv",
    "files": "csv",
    "tiedostot": "csv",
    "numerointi": "numbering",
    "numbers": "numbering",
    "numerot": "numbering",
    "rights": "access",
    "users": "access",
    "oikeudet": "access",
    "käyttöoikeudet": "access",
    "integration": "sync",
    "siirto": "sync",
    "synkronointi": "sync",
    "tilaukset": "orders",
    "order": "orders",
}


def help_blocks(language: Language, lead: str | None = None) -> list[dict[str, Any]]:
    parts = [lead] if lead else []
    parts += [t("help.intro", language), t("help.commands", language)]
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": part}} for part in parts
    ]
    blocks.append(
        {"type": "context", "elements": [{"type": "mrkdwn", "text": t("help.topics", language)}]}
    )
    return blocks


def steps_text(language: Language) -> str:
    """The checklist's steps with its numbers and ids, from the catalogue (one numbering)."""
    lines = [t("help.steps.title", language)]
    for entry in STEPS:
        optional = t("help.steps.optional", language) if entry.optional else ""
        lines.append(
            t(
                "help.steps.line",
                language,
                position=entry.position,
                title=step_name(entry.id, language),
                id=entry.id.value,
                optional=optional,
            )
        )
    lines.append(t("help.steps.footer", language))
    return "\n".join(lines)


def resolve_topic(word: str) -> str | None:
    key = word.strip().lower()
    return key if key in TOPICS else TOPIC_ALIASES.get(key)


def show_help(ctx: CommandContext) -> None:
    if ctx.subcommand in {"help", "apua", "ohje"} and ctx.args:
        topic = resolve_topic(ctx.args)
        if topic is None:
            ctx.reply(
                t(
                    "help.unknown_topic",
                    ctx.language,
                    topic=ctx.args,
                    topics=", ".join(f"`{x}`" for x in TOPICS),
                )
            )
            return
        ctx.reply(
            steps_text(ctx.language) if topic == "steps" else t(f"help.topic.{topic}", ctx.language)
        )
        return
    lead = None
    if ctx.subcommand not in {"", "help", "apua", "ohje"}:
        lead = t("command.unknown", ctx.language, sub=ctx.subcommand)
    blocks = help_blocks(ctx.language, lead)
    fallback = "\n\n".join(block["text"]["text"] for block in blocks if "text" in block)
    ctx.reply(fallback, blocks)


def register(reg: Registrar, router: CommandRouter, deps: Deps) -> None:
    router.add("help", show_help, "apua", "ohje", "?")
    router.set_fallback(show_help)
