"""The hand-over from the front to a worker process (bot/workers.py), without processes: what
travels is what the front's Bolt app parsed, and a dead worker's queue is read without hanging."""

from __future__ import annotations

import multiprocessing
import pickle
import time
from urllib.parse import urlencode

from slack_bolt import BoltRequest

from bot.workers import Handoff, _drain


def command_request(text: str) -> BoltRequest:
    form = {"team_id": "T1", "channel_id": "C1", "user_id": "U1", "command": "/rackbeat"}
    raw = urlencode({**form, "text": text})
    return BoltRequest(
        body=raw,
        headers={"content-type": "application/x-www-form-urlencoded", "x-slack-retry-num": "1"},
    )


def test_a_command_arrives_in_the_worker_as_the_front_read_it() -> None:
    original = command_request("start Acme Oy")
    rebuilt = pickle.loads(pickle.dumps(Handoff.of(original))).request()
    assert rebuilt.mode == "http"
    assert rebuilt.body == original.body
    assert rebuilt.raw_body == original.raw_body
    assert rebuilt.headers["x-slack-retry-num"] == ["1"]
    assert (rebuilt.context.team_id, rebuilt.context.channel_id, rebuilt.context.user_id) == (
        "T1",
        "C1",
        "U1",
    )


def test_the_front_s_correction_of_bolt_s_parse_travels_with_the_request() -> None:
    # Bolt reads a form body that mentions "payload" as interactivity and parses nothing;
    # bot.server corrects the body, and the worker must not parse the raw text again.
    original = command_request("start payload oy")
    assert original.body == {}
    original.body = {"team_id": "T1", "channel_id": "C1", "text": "start payload oy"}
    rebuilt = Handoff.of(original).request()
    assert rebuilt.body["text"] == "start payload oy"
    assert rebuilt.context.channel_id == "C1"


def test_a_socket_mode_payload_keeps_its_mode_and_body() -> None:
    payload = {"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U1"}}
    original = BoltRequest(body=payload, mode="socket_mode")
    rebuilt = Handoff.of(original).request()
    assert rebuilt.mode == "socket_mode"
    assert rebuilt.body == payload
    assert rebuilt.context.team_id == "T1"


def test_what_a_dead_worker_left_queued_is_read_back_for_its_replacement() -> None:
    work = multiprocessing.get_context("spawn").Queue()
    items = [Handoff.of(command_request(f"status {n}")) for n in range(3)]
    for item in items:
        work.put(item)
    assert [i.body["text"] for i in _drain(work)] == ["status 0", "status 1", "status 2"]
    work.close()


def test_a_queue_whose_reader_died_while_reading_is_given_up_quickly() -> None:
    work = multiprocessing.get_context("spawn").Queue()
    work.put(Handoff.of(command_request("status")))
    # A reader killed inside get() never releases the queue's read lock.
    work._rlock.acquire()  # type: ignore[attr-defined]
    started = time.monotonic()
    assert _drain(work) == []
    # It gives up after a moment (0.2 s); without that it would block for ever.
    assert time.monotonic() - started < 10
    work._rlock.release()  # type: ignore[attr-defined]
    work.close()
