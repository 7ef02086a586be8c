"""`python -m bot [serve|socket|console|validate|check-numbering|migrate]`.

A thin entry point: read the settings, build the dependencies, start the chosen mode.
"""

from __future__ import annotations

import importlib
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from bot.config import Settings

USAGE = """\
usage: python -m bot [MODE] [ARGS]

modes:
  (none)            choose from the environment: no Slack tokens → console,
                    SLACK_APP_TOKEN → socket, SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET → serve
  serve             HTTP mode: POST /slack/events, GET /healthz (waitress)
  socket            Socket Mode (needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN)
  worker            run jobs from the PostgreSQL queue (`worker --concurrency N`)
  console           the terminal workspace: the real handlers against a local Slack
  validate FILE...  check register CSVs offline (see `python -m bot validate --help`)
  check-numbering   run the numbering check once now (see `--help`)
  migrate           bring the database schema up to date
"""

MODES = ("serve", "socket", "worker", "console", "validate", "check-numbering", "migrate")


def choose_mode(settings: Settings) -> tuple[str, str]:
    """The mode `python -m bot` runs without one, and why (printed for the operator)."""
    if settings.slack_app_token is not None:
        return "socket", "SLACK_APP_TOKEN is set"
    if settings.slack_bot_token is not None and settings.slack_signing_secret is not None:
        return "serve", "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set, no SLACK_APP_TOKEN"
    if settings.slack_bot_token is not None:
        return "serve", "SLACK_BOT_TOKEN is set (HTTP mode also needs SLACK_SIGNING_SECRET)"
    return "console", "no Slack tokens are set"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    mode = args.pop(0) if args and not args[0].startswith("-") else None
    if mode is not None and mode not in MODES:
        print(f"unknown mode {mode!r}\n\n{USAGE}", file=sys.stderr)
        return 2
    if mode == "validate":
        # Offline and fast: no settings, no database, no Slack imports.
        return _entry_point("bot.cli_validate")(args)
    # Imported here: `validate` must start fast and needs no settings.
    from bot.config import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    from bot.logs import configure_logging, secrets_of

    if mode is None:
        mode, reason = choose_mode(settings)
        print(f"rackbeat-bot: {mode} mode ({reason})", file=sys.stderr)
    level = settings.log_level
    if mode == "console" and "log_level" not in settings.model_fields_set:
        # The terminal workspace prints the conversation; keep routine logs out of it.
        level = "WARNING"
    configure_logging(level, secrets_of(settings))
    return _run(mode, settings, args)


def _run(mode: str, settings: Settings, args: list[str]) -> int:
    if mode == "console":
        from bot.console import run_console

        return run_console(settings, args)
    if mode == "migrate":
        return _migrate(settings)
    if mode == "check-numbering":
        return _entry_point("bot.cli_numbering")(args, settings)
    if mode == "worker":
        return _entry_point("bot.worker_cmd")(args, settings)
    if mode == "socket":
        from bot.modes import run_socket

        return run_socket(settings)
    from bot.modes import run_serve

    return run_serve(settings)


def _entry_point(module: str) -> Callable[..., int]:
    """The `main` of a sub-command module, imported only when that command runs."""
    entry: Callable[..., int] = importlib.import_module(module).main
    return entry


def _migrate(settings: Settings) -> int:
    from core.store.database import create_database_engine, current_revisions, migrate

    engine = create_database_engine(settings.database_url)
    migrate(engine)
    print(f"database schema is up to date (revision {', '.join(current_revisions(engine))})")
    engine.dispose()
    return 0


def _terminate(*_: Any) -> NoReturn:
    raise KeyboardInterrupt


def install_sigterm() -> None:
    """Treat SIGTERM (what process managers send) like Ctrl-C: stop cleanly."""
    signal.signal(signal.SIGTERM, _terminate)


if __name__ == "__main__":
    sys.exit(main())
