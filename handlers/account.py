"""`/rackbeat account [refresh|export]` and the Refresh button: what the bot sees in the
connected Rackbeat account.

Reading an account can take a while (a large one is hundreds of requests under the rate
ceiling), so a refresh first says it is reading; listeners run after ``ack()`` in any case.
Anyone in the channel may look, refresh and export: nothing here changes the onboarding.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, Respond

from core.account.service import AccountService
from core.errors import InvalidArgument
from core.onboarding.service import OnboardingService
from core.registers.model import Register
from core.tenancy import Channel
from handlers.blocks.account import ACTION_REFRESH, account_message
from handlers.commands import CommandContext, CommandRouter
from handlers.deps import Deps
from handlers.messages import t
from handlers.messages.formatting import format_when, mention
from handlers.numbering import parse_click
from handlers.registry import Registrar

log = logging.getLogger(__name__)


class AccountCommands:
    def __init__(self, deps: Deps, service: AccountService) -> None:
        self.deps = deps
        self.service = service

    def onboarding_id(self, where: Channel) -> tuple[int, str]:
        # ``snapshot`` refuses in the channel's chosen language when nothing is started yet.
        found = OnboardingService(self.deps.uow).snapshot(where)
        return found.id, found.language

    def message(self, onboarding_id: int, lang: str) -> tuple[str, list[dict[str, Any]]]:
        view = self.service.view(onboarding_id)
        valuation = self.service.valuation(onboarding_id)
        with self.deps.uow() as uow:
            registers: list[Register] = list(uow.registers.known(onboarding_id).snapshots)
        snapshot = self.service.snapshot(onboarding_id) if view.has_snapshot else None
        return account_message(
            view,
            lang,
            self.deps.clock(),
            registers=registers,
            snapshot=snapshot,
            valuation=valuation,
            unknown=self.service.unknown_references(onboarding_id),
        )

    def account(self, ctx: CommandContext) -> None:
        where = Channel(ctx.team_id, ctx.channel_id)
        onboarding_id, lang = self.onboarding_id(where)
        verb = ctx.args.strip().lower()
        if verb in ("", "show", "näytä"):
            view = self.service.view(onboarding_id)
            stale = view.read_at is None or self.deps.clock() - view.read_at > self.service.max_age
            if view.connected and stale:
                # Never read, or too old to show as the account: read it first.
                self.refresh(onboarding_id, lang, ctx.user_id, ctx.reply)
            else:
                ctx.reply(*self.message(onboarding_id, lang))
        elif verb in ("refresh", "päivitä", "paivita"):
            self.refresh(onboarding_id, lang, ctx.user_id, ctx.reply)
        elif verb in ("export", "vie"):
            self.export(ctx, onboarding_id, lang)
        else:
            raise InvalidArgument("account.usage")

    def refresh(self, onboarding_id: int, lang: str, user_id: str, reply: Any) -> None:
        if not self.service.view(onboarding_id).connected:
            reply(*self.message(onboarding_id, lang))
            return
        reply(t("account.reading", lang))
        self.service.refresh(onboarding_id, actor=user_id)
        self.service.read_orders(onboarding_id)
        reply(*self.message(onboarding_id, lang))

    def export(self, ctx: CommandContext, onboarding_id: int, lang: str) -> None:
        snapshot = self.service.snapshot(onboarding_id)
        if snapshot is None:
            ctx.reply(t("account.export.nothing", lang))
            return
        stamp = snapshot.read_at.strftime("%Y%m%d-%H%M")
        filename = f"rackbeat-account-{stamp}.json"
        data = json.dumps(snapshot.to_json(), ensure_ascii=False, indent=1).encode()
        ts = ctx.post(t("account.export.posted", lang, who=mention(ctx.user_id)))
        ctx.client.files_upload_v2(
            channel=ctx.channel_id,
            thread_ts=ts,
            file=data,
            filename=filename,
            title=filename,
            initial_comment=t(
                "account.export.comment",
                lang,
                when=format_when(snapshot.read_at, lang),
                filename=filename,
            ),
        )

    def on_refresh(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        click = parse_click(body, action)
        onboarding_id, lang = self.onboarding_id(click.where)

        def replace(text: str, blocks: list[dict[str, Any]] | None = None) -> None:
            respond(text=text, blocks=blocks, replace_original=True, response_type="ephemeral")

        self.refresh(onboarding_id, lang, click.user_id, replace)


def register(reg: Registrar, router: CommandRouter, deps: Deps) -> None:
    service = deps.account
    if service is None:
        return
    commands = AccountCommands(deps, service)
    router.add("account", commands.account, "tili")
    reg.action(ACTION_REFRESH, commands.on_refresh)
