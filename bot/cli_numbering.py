"""`python -m bot check-numbering [--channel C] [--concurrency N]`: one check round now.

For those who prefer cron to the scheduler inside `serve`: checks every configured onboarding
(or the one of ``--channel``), prints the result per onboarding and series, and posts alerts
exactly like the scheduler (the same unique keys: cron and a running bot never double-post).
Without ``SLACK_BOT_TOKEN`` (or OAuth installations) nothing is posted; the alerts wait for
the next run that can.

Exit status: 0 every series OK (or, without ``--channel``, nothing set up yet), 1 some series
not OK, 2 a check could not run — including ``--channel`` naming a channel with no onboarding
whose numbering is set up.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from bot.config import Settings
from bot.scheduler import WorkspaceNotifier
from bot.upstreams import attach_upstreams
from bot.wiring import workspace_clients
from core.numbering.checker import DEFAULT_CONCURRENCY, CheckReport, Delivery, Notifier
from core.numbering.model import Level
from core.numbering.view import NumberingView
from core.store.database import create_database_engine, migrate
from core.store.uow import unit_of_work_factory
from core.upstream import Series
from handlers.deps import Deps, RuntimeConfig


class NoSlack:
    """The notifier without a bot token: alerts stay undelivered for the next run."""

    def deliver(self, delivery: Delivery) -> str:
        raise RuntimeError("SLACK_BOT_TOKEN is not set: alert not posted")

    def checked(self, view: NumberingView) -> None:
        """No checklist to refresh without Slack."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot check-numbering",
        description="Run the numbering check once now and post alerts like the scheduler.",
    )
    parser.add_argument("--channel", help="only the onboarding of this Slack channel id")
    parser.add_argument(
        "--concurrency",
        type=_positive,
        default=DEFAULT_CONCURRENCY,
        help=f"upstream reads at once, at least 1 (default {DEFAULT_CONCURRENCY})",
    )
    return parser


def _positive(text: str) -> int:
    """``--concurrency``: a whole number from 1 (0 reads nothing and would hide that)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is too few: at least 1 read at a time")
    return value


def main(
    args: Sequence[str] | argparse.Namespace, settings: Settings, out: TextIO = sys.stdout
) -> int:
    """Run the check; ``args`` is the command line after `check-numbering`, or already parsed
    (`bot.cli` parses it before the settings are read, so that `--help` needs none)."""
    options = (
        args if isinstance(args, argparse.Namespace) else build_parser().parse_args(list(args))
    )
    engine = create_database_engine(settings.database_url)
    migrate(engine)
    uow = unit_of_work_factory(engine)
    deps = Deps(config=RuntimeConfig(bot_token=settings.slack_bot_token), uow=uow)
    service = attach_upstreams(deps, settings)
    try:
        with uow() as unit:
            targets = unit.numbering.watched(options.channel)
        if not targets:
            print("no onboarding has numbering set up" + _in(options.channel), file=out)
            # Asked for one channel that has nothing to check: the check did not run.
            return 2 if options.channel else 0
        notifier = _notifier(settings, deps)
        ids = [target[0] for target in targets]
        round_report = service.checker.check_due(notifier, options.concurrency, keep=True, only=ids)
        reports = {report.view.onboarding.id: report for report in round_report.reports}
        outcome = 2 if round_report.errors else 0
        for onboarding_id, channel, company in targets:
            report = reports.get(onboarding_id)
            if report is None:
                print(f"{channel} {company}: not checked (running elsewhere, or failed)", file=out)
            elif not _print(report, channel, company, out):
                outcome = max(outcome, 1)
        return outcome
    finally:
        service.close()
        engine.dispose()


def _notifier(settings: Settings, deps: Deps) -> Notifier:
    if settings.slack_bot_token is None and not settings.oauth_configured:
        return NoSlack()
    # One token, or in OAuth mode each onboarding's workspace's own.
    return WorkspaceNotifier(workspace_clients(settings, deps), deps)


def _in(channel: str | None) -> str:
    return f" in {channel}" if channel else ""


def _print(report: CheckReport, channel: str, company: str, out: TextIO) -> bool:
    """Print one onboarding's result; ``True`` if both series are OK."""
    view = report.view
    print(f"{channel} {company}", file=out)
    for series in Series:
        evaluation = view.series[series].evaluation
        parts = [f"  {series.value}: {evaluation.level.value}"]
        if evaluation.headroom is not None:
            parts.append(f"headroom {evaluation.headroom:,}")
        if evaluation.days_left is not None:
            parts.append(f"~{evaluation.days_left:.0f} days")
        parts.extend(note.code.value for note in evaluation.notes)
        print(", ".join(parts), file=out)
    for source, failure in report.failures.items():
        print(f"  {source.value}: {failure.code}: {failure.reason}", file=out)
    for delivery in report.delivered:
        print(f"  posted {delivery.kind.value} ({delivery.series.value})", file=out)
    return all(v.level is Level.OK for v in view.series.values())
