"""The job workers' journal of answers (bot/answer_journal.py): an answer a request was given
is not given again when its job runs a second time; one that did not reach Slack is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from slack_sdk.errors import SlackApiError

from bot.answer_journal import Journal, JournaledRespond, JournaledWebClient
from bot.localslack.server import LocalSlack
from bot.slack_retries import RetryingRespond
from core.store.database import create_database_engine, migrate
from core.store.uow import unit_of_work_factory
from handlers.deps import Deps, RuntimeConfig


@pytest.fixture
def journal(database_url: str) -> Iterator[Journal]:
    """On SQLite and on PostgreSQL, where job workers keep it (its locks differ)."""
    engine = create_database_engine(database_url)
    migrate(engine)
    config = RuntimeConfig(bot_token=SecretStr("xoxb-test"))
    yield Journal(Deps(config=config, uow=unit_of_work_factory(engine)))
    engine.dispose()


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


# --- a file: three calls, so a crash can fall between Slack's share and the record --------


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs (not an Exception, so nothing catches it)."""


def journaled_client(slack: LocalSlack, journal: Journal, killed_after: str = "") -> Any:
    """The worker's client for request ``trigger:1``; ``killed_after`` names the Slack call
    after which the worker dies (Slack has done it, the worker never hears back)."""

    class Client(JournaledWebClient):
        def _perform_urllib_http_request(self, *, url: str, args: Any) -> dict[str, Any]:
            # Below every layer of the client: the request reached Slack, nothing after it ran.
            response = super()._perform_urllib_http_request(url=url, args=args)
            if killed_after and url.endswith(f"/{killed_after}"):
                raise WorkerKilled(killed_after)
            return response

    client = Client(token=slack.bot_token, base_url=slack.api_url)
    client.journal, client.request_key, client.answered = journal, "trigger:1", Counter()
    return client


def upload_report(client: Any) -> Any:
    return client.files_upload_v2(
        channel="C1", thread_ts="17.1", filename="report.csv", content="row;error\n"
    )


def shared_reports(slack: LocalSlack) -> list[str]:
    return [f.id for f in slack.uploads if f.name == "report.csv" and f.channel == "C1"]


def test_a_file_shared_before_the_worker_died_is_not_shared_again(
    slack: LocalSlack, journal: Journal
) -> None:
    with pytest.raises(WorkerKilled):
        upload_report(journaled_client(slack, journal, "files.completeUploadExternal"))
    assert len(shared_reports(slack)) == 1
    again = upload_report(journaled_client(slack, journal))
    assert again["ok"] and len(shared_reports(slack)) == 1
    # A third run finds the answer recorded as given and does not even ask Slack.
    calls = len(slack.calls)
    upload_report(journaled_client(slack, journal))
    assert len(slack.calls) == calls and len(shared_reports(slack)) == 1


def test_a_file_the_worker_died_before_sharing_is_uploaded_by_the_next_run(
    slack: LocalSlack, journal: Journal
) -> None:
    with pytest.raises(WorkerKilled):
        upload_report(journaled_client(slack, journal, "files.getUploadURLExternal"))
    assert shared_reports(slack) == []
    upload_report(journaled_client(slack, journal))
    assert len(shared_reports(slack)) == 1


# --- a message: a crash right after Slack took it ------------------------------------------


def post_answer(client: Any, thread_ts: str | None = None) -> Any:
    return client.chat_postMessage(channel="C1", thread_ts=thread_ts, text="Checked: 3 rows")


def answers_posted(slack: LocalSlack) -> list[str]:
    return [m.ts for m in slack.messages.values() if m.text == "Checked: 3 rows"]


@pytest.mark.parametrize("thread", [False, True], ids=["channel", "thread"])
def test_a_message_posted_before_the_worker_died_is_not_posted_again(
    slack: LocalSlack, journal: Journal, thread: bool
) -> None:
    thread_ts = None
    if thread:
        parent = journaled_client(slack, journal).chat_postMessage(channel="C1", text="file")
        thread_ts = parent["ts"]
    with pytest.raises(WorkerKilled):
        post_answer(journaled_client(slack, journal, "chat.postMessage"), thread_ts)
    [first] = answers_posted(slack)
    again = post_answer(journaled_client(slack, journal), thread_ts)
    assert answers_posted(slack) == [first]
    assert again["ts"] == first  # the caller edits the message it would have posted


def test_a_message_slack_never_took_is_posted_by_the_next_run(
    slack: LocalSlack, journal: Journal
) -> None:
    """Noted as on its way, but Slack refused it: the next run finds nothing and posts it."""
    slack.fail_next("chat.postMessage", status=200, error="fatal_error")
    with pytest.raises(SlackApiError):
        post_answer(journaled_client(slack, journal))
    assert answers_posted(slack) == []
    post_answer(journaled_client(slack, journal))
    assert len(answers_posted(slack)) == 1


# --- an answer to one person through a response_url -----------------------------------------


def test_a_response_url_answer_given_by_a_first_run_is_not_given_by_the_second(
    slack: LocalSlack, journal: Journal
) -> None:
    url = slack.new_response_url("C1", "U1")

    def run_once() -> None:
        inner = RetryingRespond(response_url=url, timeout=5, retry_handlers=[])
        respond = JournaledRespond(inner, journal, "trigger:1")
        respond(text="Checklist refreshed", response_type="ephemeral")
        respond(text="One more thing", response_type="ephemeral")

    run_once()
    run_once()  # the job ran again: both answers were given, neither is given twice
    assert len(slack.calls_to("response_url")) == 2
