"""One error hook: refusals are answered with their reason, bugs with a calm apology."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

import handlers
from bot.localslack import LocalSlack
from core.errors import TransitionRefused
from handlers.commands import CommandContext, CommandRouter
from handlers.deps import Deps
from handlers.messages import t
from handlers.registry import Registrar
from tests.harness import BotUnderTest


def refuse(ctx: CommandContext) -> None:
    raise TransitionRefused("Step `initial_balances` waits for `settings`.")


def crash(ctx: CommandContext) -> None:
    raise RuntimeError("secret internals: xoxb-leaked-token-123")


def failing_area(reg: Registrar, router: CommandRouter, deps: Deps) -> None:
    router.add("refuse", refuse)
    router.add("crash", crash)


@pytest.fixture
def failing_bot(
    slack: LocalSlack, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[BotUnderTest]:
    monkeypatch.setattr(handlers, "AREAS", (failing_area, *handlers.AREAS))
    under_test = BotUnderTest(slack, sqlite_url)
    yield under_test
    under_test.stop()


def test_domain_error_is_answered_ephemerally_with_its_reason(
    failing_bot: BotUnderTest, slack: LocalSlack
) -> None:
    failing_bot.driver.command("refuse", user="U1", channel="C1")
    call = slack.wait_for("response_url")
    assert call.params["text"] == t(
        "error.refused", "en", reason="Step `initial_balances` waits for `settings`."
    )
    assert call.params["response_type"] == "ephemeral"


def test_bug_gets_an_apology_and_a_logged_traceback_without_secrets(
    failing_bot: BotUnderTest, slack: LocalSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    failing_bot.driver.command("crash", user="U1", channel="C1")
    call = slack.wait_for("response_url")
    failing_bot.settle()
    assert call.params["text"] == t("error.apology")
    assert "internals" not in call.params["text"]
    assert any(record.exc_info for record in caplog.records)
