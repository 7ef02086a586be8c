"""`python -m bot [COMMAND] [ARGS]` (`rackbeat-bot`): the commands are in `bot/cli.py`.

A thin entry point: parse the command line, read the settings, build the dependencies, start
the chosen mode.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.cli import choose_mode, parse

if TYPE_CHECKING:
    import argparse

    from bot.config import Settings


def main(argv: Sequence[str] | None = None) -> int:
    invocation = parse(sys.argv[1:] if argv is None else argv)
    mode = invocation.command
    if mode == "validate":
        # Offline and fast: no settings, no database, no Slack imports.
        return _entry_point("bot.cli_validate")(invocation.args)
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
    return _run(mode, settings, invocation.options)


def _run(mode: str, settings: Settings, options: argparse.Namespace) -> int:
    if mode == "console":
        from bot.console import run_console

        return run_console(settings, [])
    if mode == "migrate":
        return _migrate(settings)
    if mode == "check-numbering":
        return _entry_point("bot.cli_numbering")(options, settings)
    if mode == "worker":
        return _worker(settings, options)
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


def _worker(settings: Settings, options: argparse.Namespace) -> int:
    # Imported here: procrastinate and the Slack app only load for the worker command.
    from bot.worker_cmd import run_worker

    return run_worker(settings, options.concurrency)


def _exit_at_once(code: int) -> None:
    """End a one-shot command without the interpreter's teardown.

    Once ``validate`` has written its answer, unloading polars and the rest takes 20–80 ms,
    nothing that a CI pipeline waiting for the exit status needs. The streams are flushed
    first; every file the command writes is closed by then.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away (`| head`), or closed
        pass
    os._exit(code)


if __name__ == "__main__":
    status = main()
    if sys.argv[1:2] == ["validate"]:
        _exit_at_once(status)
    sys.exit(status)
