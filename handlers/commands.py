"""`/rackbeat SUBCOMMAND ARGS`: parse at the edge, route to the area that owns the subcommand.

Every area adds its subcommands to the router in its `register`; the single `/rackbeat`
listener acknowledges at once and dispatches after `ack()`, so slow work never risks Slack's
3-second limit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from core.errors import InvalidArgument
from core.language import Language


class SlashCommand(BaseModel):
    """The fields of Slack's form post that we use."""

    model_config = ConfigDict(extra="ignore")

    team_id: str
    channel_id: str
    user_id: str
    command: str = "/rackbeat"
    text: str = ""
    user_name: str | None = None
    channel_name: str | None = None
    trigger_id: str | None = None
    response_url: str | None = None


@dataclass(frozen=True)
class CommandContext:
    """One parsed invocation, with the means to answer it."""

    command: SlashCommand
    subcommand: str
    args: str
    client: WebClient
    respond: Respond
    language: Language

    @property
    def team_id(self) -> str:
        return self.command.team_id

    @property
    def channel_id(self) -> str:
        return self.command.channel_id

    @property
    def user_id(self) -> str:
        return self.command.user_id

    def reply(self, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
        """Answer only the user who typed the command."""
        self.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

    def post(self, text: str, blocks: list[dict[str, Any]] | None = None) -> str:
        """Post in the channel for everyone; returns the message ts."""
        response = self.client.chat_postMessage(channel=self.channel_id, text=text, blocks=blocks)
        return str(response["ts"])


CommandHandler = Callable[[CommandContext], None]
LanguageResolver = Callable[[str, str], Language]


@dataclass(frozen=True)
class Route:
    handler: CommandHandler
    aliases: tuple[str, ...] = ()


class CommandRouter:
    def __init__(self) -> None:
        self._routes: dict[str, CommandHandler] = {}
        self._fallback: CommandHandler | None = None
        # Areas that know a channel's language (the onboarding) replace this.
        self.language_for: LanguageResolver = lambda _team, _channel: Language.EN

    def add(self, name: str, handler: CommandHandler, *aliases: str) -> None:
        for word in (name, *aliases):
            if word in self._routes:
                raise ValueError(f"subcommand {word!r} is registered twice")
            self._routes[word] = handler

    def set_fallback(self, handler: CommandHandler) -> None:
        """What answers an empty or unknown subcommand (the help)."""
        self._fallback = handler

    @property
    def subcommands(self) -> set[str]:
        return set(self._routes)

    def listener(self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        try:
            command = SlashCommand.model_validate(body)
        except ValidationError as exc:
            raise InvalidArgument("error.command_incomplete") from exc
        subcommand, args = split_subcommand(command.text)
        language = self.language_for(command.team_id, command.channel_id)
        context = CommandContext(command, subcommand, args, client, respond, language)
        handler = self._routes.get(subcommand)
        if handler is not None:
            handler(context)
            return
        if self._fallback is None:
            raise InvalidArgument("command.unknown", sub=subcommand)
        self._fallback(context)


def split_subcommand(text: str) -> tuple[str, str]:
    """First word (lower-cased) and the rest, whitespace squeezed.

    >>> split_subcommand("  Done   settings  checked by Anna ")
    ('done', 'settings checked by Anna')
    >>> split_subcommand("")
    ('', '')
    """
    words = text.split()
    if not words:
        return "", ""
    return words[0].lower(), " ".join(words[1:])
