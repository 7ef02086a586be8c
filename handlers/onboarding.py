"""`/rackbeat start|status|next|done|skip|reopen|set|members|history|language`.

Each subcommand parses its arguments forgivingly (``handlers.onboarding_parsing``), calls the
onboarding service, refreshes the channel's checklist after a change and answers the person
ephemerally. Refusals are ``DomainError``s: the one error hook shows them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from core.errors import InvalidArgument
from core.language import Language, language_of
from core.onboarding.machine import Action
from core.onboarding.service import OnboardingService
from core.tenancy import Actor, Channel
from handlers import checklist, home
from handlers.blocks.checklist import section
from handlers.blocks.onboarding import (
    change_text,
    history_message,
    members_message,
    next_message,
)
from handlers.checklist import actor_for, after_change, publish_checklist, service_for
from handlers.commands import CommandContext, CommandRouter
from handlers.deps import Deps
from handlers.messages import t
from handlers.onboarding_parsing import (
    MembersVerb,
    parse_language,
    parse_members,
    parse_page,
    parse_set,
    split_step,
)
from handlers.registry import Registrar
from handlers.slack_failures import SLACK_FAILURES, describe

log = logging.getLogger(__name__)

# Slack's stand-in names for conversations that have no real name.
NAMELESS_CHANNELS = frozenset({"", "directmessage", "privategroup", "mpdm"})


def where(ctx: CommandContext) -> Channel:
    return Channel(ctx.team_id, ctx.channel_id)


def ui_language(value: str | None) -> Language:
    return language_of(value)


def user_exists(client: WebClient, user_id: str) -> bool:
    """Whether Slack knows ``user_id`` as a person who has not been deactivated.

    Only Slack's own "no such user" (``user_not_found``, or a deleted account) says no: if
    Slack cannot be asked, the id (already checked for its form) is given the benefit.
    """
    try:
        response = client.users_info(user=user_id)
    except SlackApiError as error:
        return bool(error.response.get("error") != "user_not_found")
    except SLACK_FAILURES as error:
        log.warning("users.info failed for %s: %s", user_id, describe(error))
        return True
    user = response.get("user") or {}
    return not user.get("deleted")


class OnboardingCommands:
    """The subcommands, over one service."""

    def __init__(self, service: OnboardingService) -> None:
        self.service = service

    def start(self, ctx: CommandContext) -> None:
        if ctx.channel_id.startswith("D"):
            raise InvalidArgument("command.wrong_place")
        channel_name = (ctx.command.channel_name or "").strip()
        name = ctx.args or ("" if channel_name in NAMELESS_CHANNELS else channel_name)
        actor = actor_for(ctx.client, ctx.user_id, ctx.team_id)
        result = self.service.start(where(ctx), actor, name)
        after_change(self.service, ctx.client, result)
        language = result.snapshot.language.value
        ctx.reply(t("onboarding.started", language, company=result.snapshot.company_name))

    def status(self, ctx: CommandContext) -> None:
        self.service.snapshot(where(ctx), Actor(ctx.user_id))  # NotFound tells how to start
        published = publish_checklist(self.service, ctx.client, where(ctx))
        if published.snapshot is None:
            return
        language = published.snapshot.language.value
        if published.reposted:
            ctx.reply(t("onboarding.status.reposted", language))
            return
        # Refreshed in place, possibly far up the channel: one line that links to it, not a
        # second copy that goes stale at the next change.
        link = _permalink(ctx.client, ctx.channel_id, published.ts)
        if link is None:
            ctx.reply(t("onboarding.status.refreshed_here", language))
        else:
            ctx.reply(t("onboarding.status.refreshed", language, link=link))

    def next(self, ctx: CommandContext) -> None:
        message = next_message(self.service.next(where(ctx), Actor(ctx.user_id)))
        ctx.reply(message.text, message.blocks)

    def done(self, ctx: CommandContext) -> None:
        self._step(ctx, Action.DONE)

    def skip(self, ctx: CommandContext) -> None:
        self._step(ctx, Action.SKIP)

    def reopen(self, ctx: CommandContext) -> None:
        self._step(ctx, Action.REOPEN)

    def _step(self, ctx: CommandContext, action: Action) -> None:
        step, note = split_step(ctx.args)
        actor = actor_for(ctx.client, ctx.user_id, ctx.team_id)
        result = self.service.change_step(where(ctx), actor, step, action, note)
        after_change(self.service, ctx.client, result)
        ctx.reply(change_text(result))

    def set(self, ctx: CommandContext) -> None:
        method = parse_set(ctx.args)
        actor = actor_for(ctx.client, ctx.user_id, ctx.team_id)
        result = self.service.set_valuation(where(ctx), actor, method)
        language = result.snapshot.language.value
        if not result.changed:
            method_word = t(f"onb.valuation.{method.value}", language)
            ctx.reply(t("onboarding.valuation.unchanged", language, method=method_word))
            return
        after_change(self.service, ctx.client, result)
        ctx.reply(change_text(result))

    def members(self, ctx: CommandContext) -> None:
        args = parse_members(ctx.args)
        if args.verb is MembersVerb.LIST:
            message = members_message(self.service.snapshot(where(ctx), Actor(ctx.user_id)))
            ctx.reply(message.text, message.blocks)
            return
        actor = actor_for(ctx.client, ctx.user_id, ctx.team_id)
        if args.verb is MembersVerb.ADD:
            nobody = [user for user in args.users if not user_exists(ctx.client, user)]
            if nobody:
                users = ", ".join(f"`{user}`" for user in nobody)
                raise InvalidArgument("onboarding.members.unknown", users=users)
            result = self.service.add_members(where(ctx), actor, args.users)
        else:
            result = self.service.remove_members(where(ctx), actor, args.users)
        changed = {c.subject for c in result.changes}
        already = tuple(user for user in args.users if user not in changed)
        listing = members_message(result.snapshot, already if args.verb is MembersVerb.ADD else ())
        confirmation = change_text(result)
        blocks = [section(confirmation), *listing.blocks] if confirmation else listing.blocks
        ctx.reply("\n".join(p for p in (confirmation, listing.text) if p), blocks)

    def history(self, ctx: CommandContext) -> None:
        page = self.service.history(where(ctx), parse_page(ctx.args), Actor(ctx.user_id))
        message = history_message(page, ctx.language)
        ctx.reply(message.text, message.blocks)

    def language(self, ctx: CommandContext) -> None:
        chosen = parse_language(ctx.args)
        remembered = self.service.remember_language(where(ctx), Actor(ctx.user_id), chosen)
        if remembered is not None:  # no onboarding yet: the channel's language until start
            key = "remembered" if remembered else "already_remembered"
            ctx.reply(t(f"onboarding.language.{key}", chosen.value))
            return
        actor = actor_for(ctx.client, ctx.user_id, ctx.team_id)
        result = self.service.set_language(where(ctx), actor, chosen)
        if result.changed:
            after_change(self.service, ctx.client, result)
            ctx.reply(t("onboarding.language.changed", chosen.value))
        else:
            ctx.reply(t("onboarding.language.unchanged", chosen.value))


def _permalink(client: WebClient, channel_id: str, ts: str | None) -> str | None:
    """A link to a message (``chat.getPermalink`` needs no scope); None if Slack can't say."""
    if ts is None:
        return None
    try:
        response = client.chat_getPermalink(channel=channel_id, message_ts=ts)
    except SLACK_FAILURES as error:
        log.info("no permalink for %s in %s: %s", ts, channel_id, describe(error))
        return None
    link = response.get("permalink")
    safe = isinstance(link, str) and link.startswith("https://") and not set("<>| ") & set(link)
    return link if safe else None


def register(reg: Registrar, router: CommandRouter, deps: Deps) -> None:
    service = service_for(deps)
    commands = OnboardingCommands(service)
    routes: list[tuple[Callable[[CommandContext], None], str, tuple[str, ...]]] = [
        (commands.start, "start", ("aloita",)),
        (commands.status, "status", ("tila", "checklist")),
        (commands.next, "next", ("seuraava",)),
        (commands.done, "done", ("valmis", "tehty")),
        (commands.skip, "skip", ("ohita",)),
        (commands.reopen, "reopen", ("avaa",)),
        (commands.set, "set", ("aseta",)),
        (commands.members, "members", ("member", "jäsenet", "jasenet")),
        (commands.history, "history", ("historia",)),
        (commands.language, "language", ("kieli", "lang")),
    ]
    for handler, name, aliases in routes:
        router.add(name, handler, *aliases)
    # Every answer in a channel speaks its onboarding's language.
    router.language_for = lambda team, channel: ui_language(
        service.language(Channel(team, channel))
    )
    checklist.register(reg, deps)
    home.register(reg, deps)
