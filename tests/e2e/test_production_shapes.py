"""The main flows through the shape production runs: `serve` and `socket` as real processes
with their default worker process, on SQLite and on PostgreSQL. The in-process tests
(`BotUnderTest`, no hand-off) cover each flow's details; these show the same flows survive
the hand-off to a worker and Socket Mode's envelopes: onboarding, file intake with its
verdict, numbering with an alert, App Home and a modal."""

from __future__ import annotations

import ctypes
import json
import platform
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.localslack import LocalSlack
from bot.localslack.state import Message
from core.numbering.model import Level
from core.onboarding.steps import StepId
from handlers.blocks.checklist import ACTION_DONE
from handlers.blocks.numbering import ACTION_ACK, ACTION_SETUP, LEVEL_ICONS
from handlers.messages import t
from tests.faults.support import PRODUCTS_WITH_WARNING, shows_done
from tests.shapes import SHAPES, RunningBot, start_bot
from tests.waiting import until

CHANNEL = "C0SHAPES"
# How long to wait for the worker's answer: it runs at a lower CPU priority, so on a loaded
# 2-core machine (a chart to draw, PostgreSQL beside it) it can take well over a minute.
WAIT = 180
# A flow is a dozen such waits on a real process: more than the suite's 120 s per test.
pytestmark = pytest.mark.timeout(900)
ANN = "U0ANN"
BLOCK = 1_000_000


@pytest.fixture(params=SHAPES)
def bot(
    request: pytest.FixtureRequest, slack: LocalSlack, database_url: str, tmp_path: Path
) -> Iterator[RunningBot]:
    slack.add_user(ANN, "ann")
    running = start_bot(str(request.param), slack, database_url, tmp_path, {})
    yield running
    running.finish()


def answers(slack: LocalSlack, after: int) -> list[str]:
    """What the bot said to people after call ``after`` (response_url and ephemerals)."""
    return [
        str(call.params.get("text", ""))
        for call in slack.calls
        if call.seq > after
        and call.method in {"response_url", "chat.postEphemeral"}
        and call.status == 200
    ]


def ask(bot: RunningBot, slack: LocalSlack, text: str, expect: str = "") -> str:
    """``/rackbeat text`` from Ann; the first answer she gets after it that contains
    ``expect`` (the work runs in the worker, so answers are awaited, not assumed)."""
    before = slack.last_seq
    bot.driver.command(text, user=ANN, channel=CHANNEL)
    found = until(
        lambda: [a for a in answers(slack, before) if expect in a],
        f"an answer to {text!r}",
        timeout=WAIT,
    )
    return str(found[0])


def bot_posts(slack: LocalSlack) -> list[Message]:
    return [
        m
        for m in slack.channel_messages(CHANNEL, include_replies=False)
        if m.user == slack.bot_user_id
    ]


def start(bot: RunningBot, slack: LocalSlack) -> Message:
    bot.driver.command("start Muoto Oy", user=ANN, channel=CHANNEL)
    return until(lambda: next(iter(bot_posts(slack)), None), "the checklist", timeout=WAIT)


def element(message: Message, action_id: str) -> tuple[dict[str, Any], str]:
    for block in message.blocks:
        for candidate in block.get("elements", []):
            if isinstance(candidate, dict) and candidate.get("action_id") == action_id:
                return candidate, str(block.get("block_id"))
    raise AssertionError(f"no {action_id} button on {message.text!r}")


def test_onboarding_checklist_click_next_and_status(bot: RunningBot, slack: LocalSlack) -> None:
    checklist = start(bot, slack)
    block_id = f"checklist:step:{StepId.LOGIN.value}:actions"
    [done] = [
        e
        for b in checklist.blocks
        if b.get("block_id") == block_id
        for e in b["elements"]
        if e["action_id"] == ACTION_DONE
    ]
    assert (
        bot.driver.click(
            done, user=ANN, channel=CHANNEL, message_ts=checklist.ts, block_id=block_id
        ).status
        == 200
    )

    def edited() -> Message | None:
        message = slack.message(CHANNEL, checklist.ts)
        return message if message is not None and shows_done(message, "login") else None

    until(edited, "the checklist to show login done", timeout=WAIT)
    assert "Company settings" in ask(bot, slack, "next", expect="Company settings")
    finished = bot.finish()
    assert len(bot_posts(slack)) == 1  # one checklist, edited in place
    # Where the work ran: on PostgreSQL a job worker process took it from the queue; on
    # SQLite the process does it itself (README, "Acknowledged means done").
    if "SQLite: the work after each acknowledgement runs in this process" in finished:
        assert "worker-0 ready" not in finished
    else:
        assert "worker-0 ready" in finished


def test_file_intake_gets_its_verdict_and_files(bot: RunningBot, slack: LocalSlack) -> None:
    start(bot, slack)
    _, shared, _ = bot.driver.upload(
        "products.csv", PRODUCTS_WITH_WARNING, user=ANN, channel=CHANNEL
    )

    def verdict() -> list[Message]:
        replies = slack.thread(CHANNEL, shared.ts)
        return [m for m in replies if "ready to import" in m.text + json.dumps(m.blocks)]

    until(verdict, "the verdict in the file's thread", timeout=90)
    bot.finish()
    names = sorted(f.name for f in slack.uploads if f.thread_ts == shared.ts)
    assert names == ["products-errors.csv", "products-normalized.csv"]
    replies = [m for m in slack.thread(CHANNEL, shared.ts) if m.user == slack.bot_user_id]
    assert len([m for m in replies if not m.files]) == 1  # one answer, edited to the verdict


def test_numbering_alert_with_chart_and_acknowledge(bot: RunningBot, slack: LocalSlack) -> None:
    start(bot, slack)
    ask(bot, slack, "numbering strategy mixed")
    for series, rackbeat_next in (("order", 10_000), ("invoice", BLOCK - 50)):
        ask(bot, slack, f"numbering set {series} rackbeat-next {rackbeat_next}")
        ask(bot, slack, f"numbering set {series} netvisor-max {BLOCK + 10}")
        ask(bot, slack, f"numbering set {series} netvisor-block-start {BLOCK}")
    result = t("numbering.check.result", "en", order="OK", invoice="critical")
    assert result in ask(bot, slack, "numbering check", expect=result)
    critical = t(
        "numbering.alert.alert",
        "en",
        icon=LEVEL_ICONS[Level.CRITICAL],
        series=t("numbering.series.invoice", "en"),
        level=t("numbering.level.critical", "en"),
    )
    [alert] = until(
        lambda: [m for m in bot_posts(slack) if m.text == critical], "the alert", timeout=WAIT
    )
    until(lambda: [f for f in slack.uploads if f.thread_ts == alert.ts], "the chart", timeout=WAIT)
    button, block_id = element(alert, ACTION_ACK)
    bot.driver.click(button, user=ANN, channel=CHANNEL, message_ts=alert.ts, block_id=block_id)
    until(
        lambda: [m for m in slack.thread(CHANNEL, alert.ts) if "acknowledged" in m.text],
        "the acknowledgement in the alert's thread",
        timeout=WAIT,
    )
    bot.finish()
    assert len([m for m in bot_posts(slack) if m.text == critical]) == 1


def test_app_home_shows_the_onboarding(bot: RunningBot, slack: LocalSlack) -> None:
    start(bot, slack)
    bot.driver.open_home(user=ANN)
    home = until(lambda: slack.homes.get(ANN), "App Home to be published", timeout=WAIT)
    assert f"*Muoto Oy* in <#{CHANNEL}> — 0/10" in str(home.view["blocks"])


def test_the_setup_modal_opens_and_saves(bot: RunningBot, slack: LocalSlack) -> None:
    start(bot, slack)
    bot.driver.command("numbering", user=ANN, channel=CHANNEL)
    status = until(
        lambda: next((m for m in bot_posts(slack) if m.text.startswith("Numbering:")), None),
        "the numbering status",
        timeout=WAIT,
    )
    button, block_id = element(status, ACTION_SETUP)
    bot.driver.click(button, user=ANN, channel=CHANNEL, message_ts=status.ts, block_id=block_id)
    modal = until(lambda: slack.open_modal(ANN), "the setup modal", timeout=WAIT)
    values = {
        "value.order.netvisor-block-start": {
            "value": {"type": "plain_text_input", "value": "1 000 000"}
        },
        "threshold.warning_days": {"value": {"type": "number_input", "value": "45"}},
        "threshold.warning_numbers": {"value": {"type": "number_input", "value": "1000"}},
        "threshold.critical_days": {"value": {"type": "number_input", "value": "7"}},
        "threshold.critical_numbers": {"value": {"type": "number_input", "value": "100"}},
    }
    before = slack.last_seq
    assert bot.driver.submit_view(modal, values, user=ANN).status == 200
    saved = until(lambda: answers(slack, before), "the setup to be saved", timeout=WAIT)
    assert saved == [t("numbering.setup.saved", "en")]
    # A bad number is refused in place, in the acknowledgement (Slack shows it on the field).
    values["value.order.netvisor-block-start"]["value"]["value"] = "INV-1"
    refused = bot.driver.submit_view(modal, values, user=ANN).json
    assert refused["response_action"] == "errors"
    assert set(refused["errors"]) == {"value.order.netvisor-block-start"}


# Slack's limit for an acknowledgement (slack.md): after 3 s it shows the user an error and,
# for events, sends the request again.
SLACK_ACK_LIMIT = 3.0
STUCK = 6.0  # well past the limit: work done before the acknowledgement would show


def test_slack_never_waits_more_than_3_s_even_while_the_work_is_stuck(
    bot: RunningBot, slack: LocalSlack
) -> None:
    """The README's guarantee: every request is acknowledged first. Slack's Web API hangs for
    STUCK seconds on every post the work makes; the acknowledgements still come at once."""
    for method in ("chat.postMessage", "chat.postEphemeral", "response_url", "files.download"):
        slack.fail_next(method, status=500, delay=STUCK)
    for text in ("start Kiire Oy", "status", "help"):
        began = time.monotonic()
        reply = bot.driver.command(text, user=ANN, channel=CHANNEL)
        took = time.monotonic() - began
        assert reply.status == 200
        assert took < SLACK_ACK_LIMIT, f"{text!r} was acknowledged after {took:.1f} s"
    began = time.monotonic()
    _, _, shared = bot.driver.upload(
        "products.csv", PRODUCTS_WITH_WARNING, user=ANN, channel=CHANNEL
    )
    took = time.monotonic() - began
    assert shared.status == 200
    assert took < SLACK_ACK_LIMIT, f"the file share was acknowledged after {took:.1f} s"


FUTEX = {"x86_64": 202, "aarch64": 98}  # the futex system call's number


def _asleep_threads_taking(pid: int, signum: int) -> list[int]:
    """The threads of ``pid`` other than its main one that do not block ``signum`` and sleep
    on a lock without a timeout (an idle pool thread), so that nothing but the signal could
    wake the main thread: a thread in a timed wait or a poll may wake it anyway."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        tid = int(task.name)
        status = (task / "status").read_text()
        mask = next(line for line in status.splitlines() if line.startswith("SigBlk:"))
        # `nr uaddr op val timeout …`: a futex wait whose timeout pointer is null.
        call = (task / "syscall").read_text().split()
        untimed_lock = call[:1] == [str(FUTEX[platform.machine()])] and call[4] == "0x0"
        if tid != pid and untimed_lock and not int(mask[7:], 16) & (1 << (signum - 1)):
            found.append(tid)
    return found


@pytest.mark.skipif(
    sys.platform != "linux" or platform.machine() not in FUTEX,
    reason="threads, their system calls and tgkill as Linux shows them",
)
def test_a_sigterm_the_kernel_hands_to_another_thread_still_stops_the_process(
    bot: RunningBot,
) -> None:
    """Linux may deliver a process's SIGTERM to any of its threads. CPython then runs the
    handler in the main thread, but only when that thread next runs Python: one asleep in an
    untimed wait never does, and the process ignores `docker stop` until it is killed (seen
    under load: "socket did not stop within 60 s of SIGTERM", its main thread asleep in
    Bolt's ``Event().wait()``). Here the signal is sent to one such thread on purpose."""
    asleep = _asleep_threads_taking(bot.process.pid, signal.SIGTERM)
    assert asleep, "no thread besides the main one sleeps on a lock: nothing to send it to"
    other = asleep[-1]
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.tgkill(bot.process.pid, other, signal.SIGTERM) == 0, ctypes.get_errno()
    try:
        bot.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"{bot.shape} ignored the SIGTERM:\n{bot.stderr()}") from None
    # The fixture's finish() then checks the exit code (0) and that the log has no traceback.
