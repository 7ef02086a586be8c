"""The job workers' journal of answers (bot/answer_journal.py): an answer a request was given
is not given again when its job runs a second time; one that did not reach Slack is."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from bot.answer_journal import Journal
from core.store.uow import UnitOfWorkFactory
from handlers.deps import Deps, RuntimeConfig


@pytest.fixture
def journal(uow: UnitOfWorkFactory) -> Journal:
    return Journal(Deps(config=RuntimeConfig(bot_token=SecretStr("xoxb-test")), uow=uow))


class Slack:
    """Counts what was sent; answers like chat.postMessage."""

    def __init__(self) -> None:
        self.sent = 0

    def post(self) -> dict[str, Any]:
        self.sent += 1
        return {"ok": True, "ts": f"17.{self.sent}"}


ANSWER = {"method": "chat.postMessage", "json": {"channel": "C1", "text": "hello"}}


def test_an_answer_given_once_is_skipped_on_the_second_run_with_slacks_reply(
    journal: Journal,
) -> None:
    slack = Slack()
    first = journal.once("trigger:1", ANSWER, slack.post)
    again = journal.once("trigger:1", ANSWER, slack.post)
    assert slack.sent == 1
    assert first == again == {"ok": True, "ts": "17.1"}


def test_another_request_or_another_answer_is_sent(journal: Journal) -> None:
    slack = Slack()
    journal.once("trigger:1", ANSWER, slack.post)
    journal.once("trigger:2", ANSWER, slack.post)
    journal.once("trigger:1", {**ANSWER, "json": {"channel": "C1", "text": "bye"}}, slack.post)
    assert slack.sent == 3


def test_an_answer_slack_did_not_take_is_sent_again(journal: Journal) -> None:
    slack = Slack()
    assert journal.once("trigger:1", ANSWER, lambda: None) is None
    journal.once("trigger:1", ANSWER, slack.post)
    assert slack.sent == 1


def test_an_answer_whose_sending_failed_is_sent_again(journal: Journal) -> None:
    def unreachable() -> dict[str, Any]:
        raise ConnectionError("Slack is away")

    with pytest.raises(ConnectionError):
        journal.once("trigger:1", ANSWER, unreachable)
    slack = Slack()
    journal.once("trigger:1", ANSWER, slack.post)
    assert slack.sent == 1
