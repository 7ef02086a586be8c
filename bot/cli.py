"""The command line: `python -m bot [--version] [COMMAND [ARGS]]` (also `rackbeat-bot`).

Parsing happens in two steps. The top level knows the commands by name (the table below) and
takes only `--help` and `--version`; everything after the command's name goes to that
command's own argparse parser, which declares its arguments in one place:

- `validate`: `build_parser()` in `bot/cli_validate.py`
- `check-numbering`: `build_parser()` in `bot/cli_numbering.py`
- `worker`: `worker_parser()` below (it runs `bot.worker_cmd.run_worker`)
- `serve`, `socket`, `console`, `migrate`: no arguments; `plain_parser()` below

Each command's parser is built only when that command runs, so `validate` does not import
Slack and `migrate --help` does not import polars. Every parser refuses unknown options and
arguments with its usage and exit status 2 (argparse's own behaviour).
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings

PROG = "python -m bot"
DISTRIBUTION = "rackbeat-onboarding-bot"


@dataclass(frozen=True)
class Command:
    name: str
    summary: str
    # "module:function" returning the command's ArgumentParser; imported only when it runs.
    parser: str


COMMANDS = {
    command.name: command
    for command in (
        Command(
            "serve",
            "HTTP mode: POST /slack/events, GET /healthz, and with SLACK_CLIENT_ID and "
            "SLACK_CLIENT_SECRET GET /slack/install and /slack/oauth_redirect (waitress)",
            "bot.cli:serve_parser",
        ),
        Command("socket", "Socket Mode (needs SLACK_APP_TOKEN)", "bot.cli:socket_parser"),
        Command(
            "console",
            "the terminal workspace: the real handlers against a local Slack",
            "bot.cli:console_parser",
        ),
        Command(
            "validate",
            "check register CSVs offline with the bot's engine",
            "bot.cli_validate:build_parser",
        ),
        Command(
            "check-numbering",
            "run the numbering check once now (for cron)",
            "bot.cli_numbering:build_parser",
        ),
        Command("migrate", "bring the database schema up to date", "bot.cli:migrate_parser"),
        Command(
            "worker",
            "run background workers against the PostgreSQL job queue",
            "bot.cli:worker_parser",
        ),
    )
}

_NO_COMMAND = """\
Without a command, the mode is chosen from the environment, and printed with the reason:
  SLACK_APP_TOKEN set                                    → socket
  SLACK_BOT_TOKEN set                                    → serve (one workspace)
  SLACK_CLIENT_ID + SLACK_CLIENT_SECRET set, no bot token → serve (installation via OAuth)
  no Slack tokens                                        → console

`python -m bot COMMAND --help` describes each command.
"""


def package_version() -> str:
    # Imported here: importlib.metadata costs every command's start ~20 ms, `--version` only
    # needs it.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown (not installed)"


class _Version(argparse.Action):
    """`--version`, looked up only when asked for (argparse's own wants the text up front)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        print(f"rackbeat-bot {package_version()}")
        parser.exit()


def top_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Rackbeat onboarding assistant for Slack.",
        epilog=_NO_COMMAND,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, default=argparse.SUPPRESS)
    # Listed for --help and the usage line; the command's own parser reads its arguments.
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for command in COMMANDS.values():
        commands.add_parser(command.name, help=command.summary, add_help=False)
    return parser


@dataclass(frozen=True)
class Invocation:
    """What the command line asked for: a command and its parsed options, or no command."""

    command: str | None
    options: argparse.Namespace
    args: list[str]


def parse(argv: Sequence[str]) -> Invocation:
    """Parse ``argv``; `--help`, `--version` and refusals exit here (0, 0 and 2)."""
    args = list(argv)
    position = next((i for i, arg in enumerate(args) if not arg.startswith("-")), len(args))
    head, rest = args[:position], args[position:]
    top = top_parser()
    top.parse_args(head)
    if not rest:
        return Invocation(None, argparse.Namespace(), [])
    name, rest = rest[0], rest[1:]
    command = COMMANDS.get(name)
    if command is None:
        top.error(f"unknown command {name!r} (choose from {', '.join(COMMANDS)})")
    return Invocation(name, command_parser(command).parse_args(rest), rest)


def command_parser(command: Command) -> argparse.ArgumentParser:
    module, function = command.parser.split(":")
    build: Callable[[], argparse.ArgumentParser] = getattr(
        importlib.import_module(module), function
    )
    return build()


def plain_parser(name: str, description: str) -> argparse.ArgumentParser:
    return argparse.ArgumentParser(prog=f"{PROG} {name}", description=description)


def serve_parser() -> argparse.ArgumentParser:
    return plain_parser(
        "serve",
        "HTTP mode on waitress (HOST, PORT): POST /slack/events takes slash commands, "
        "interactivity and events; GET /healthz for the load balancer. With SLACK_BOT_TOKEN "
        "the bot serves one workspace; with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET instead, "
        "GET /slack/install and GET /slack/oauth_redirect install it into any workspace. "
        "Needs SLACK_SIGNING_SECRET.",
    )


def socket_parser() -> argparse.ArgumentParser:
    return plain_parser(
        "socket",
        "Socket Mode: no public URL needed. Needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN.",
    )


def console_parser() -> argparse.ArgumentParser:
    return plain_parser(
        "console",
        "The terminal workspace: the real bot against a local Slack emulator. Type "
        "`/rackbeat help`, or `help` for the console's own commands; a script can come on "
        "stdin.",
    )


def migrate_parser() -> argparse.ArgumentParser:
    return plain_parser(
        "migrate",
        "Bring the database schema (DATABASE_URL) up to date; the other commands do this on "
        "start too.",
    )


def worker_parser() -> argparse.ArgumentParser:
    parser = plain_parser(
        "worker",
        "Run background workers against the PostgreSQL job queue (DATABASE_URL), on any "
        "machine that reaches the database.",
    )
    parser.add_argument(
        "--concurrency",
        type=_positive,
        # bot.worker_cmd.DEFAULT_CONCURRENCY (not imported: that module loads procrastinate).
        default=8,
        metavar="N",
        help="jobs run at once in this process (default 8)",
    )
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def choose_mode(settings: Settings) -> tuple[str, str]:
    """The mode `python -m bot` runs without a command, and why (printed for the operator)."""
    if settings.slack_app_token is not None:
        return "socket", "SLACK_APP_TOKEN is set"
    if settings.slack_bot_token is not None and settings.slack_signing_secret is not None:
        return "serve", "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set, no SLACK_APP_TOKEN"
    if settings.slack_bot_token is not None:
        return "serve", "SLACK_BOT_TOKEN is set (HTTP mode also needs SLACK_SIGNING_SECRET)"
    if settings.oauth_configured:
        return "serve", (
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set, no bot token: installation into "
            "any workspace via OAuth"
        )
    return "console", "no Slack tokens are set"
