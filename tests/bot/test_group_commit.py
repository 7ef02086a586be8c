"""Group commit: what arrives while a store is under way is stored together, and every caller
still hears of its own outcome."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from bot.group_commit import GroupCommit
from tests.waiting import until

WAIT = 10


class GatedStore:
    """Records every batch; the first store waits until the test opens the gate."""

    def __init__(self, refuse: str | None = None, fail_with: BaseException | None = None):
        self.batches: list[list[str]] = []
        self.first_started = threading.Event()
        self.gate = threading.Event()
        self.refuse = refuse
        self.fail_with = fail_with

    def __call__(self, items: Sequence[str]) -> None:
        if not self.batches:
            self.first_started.set()
            assert self.gate.wait(WAIT), "the test never opened the gate"
        self.batches.append(list(items))
        if self.fail_with is not None:
            raise self.fail_with
        if self.refuse in items:
            raise KeyError(self.refuse)


def submit_all(commit: GroupCommit[str], items: list[str]) -> dict[str, Future[None]]:
    pool = ThreadPoolExecutor(len(items))
    try:
        return {item: pool.submit(commit.submit, item) for item in items}
    finally:
        pool.shutdown(wait=False)


def waiting(commit: GroupCommit[str], count: int) -> None:
    until(lambda: commit.pending >= count, f"{count} items to wait", timeout=WAIT)


def test_an_item_submitted_alone_is_stored_at_once_and_alone() -> None:
    store = GatedStore()
    store.gate.set()
    commit = GroupCommit(store)
    commit.submit("a")
    commit.submit("b")
    commit.close()
    assert store.batches == [["a"], ["b"]]


def test_what_arrives_while_a_store_is_under_way_is_stored_in_one_batch() -> None:
    store = GatedStore()
    commit = GroupCommit(store, threads=1)
    first = submit_all(commit, ["first"])
    assert store.first_started.wait(WAIT)
    rest = submit_all(commit, ["b", "c", "d", "e"])
    waiting(commit, 4)
    store.gate.set()
    for future in [*first.values(), *rest.values()]:
        future.result(WAIT)
    commit.close()
    assert store.batches[0] == ["first"]
    assert sorted(store.batches[1]) == ["b", "c", "d", "e"]


def test_a_batch_refused_for_one_item_is_stored_item_by_item_and_only_that_caller_hears() -> None:
    store = GatedStore(refuse="dup")
    commit = GroupCommit(store, threads=1, alone_on=(KeyError,))
    submit_all(commit, ["first"])
    assert store.first_started.wait(WAIT)
    rest = submit_all(commit, ["b", "dup", "c"])
    waiting(commit, 3)
    store.gate.set()
    with pytest.raises(KeyError):
        rest["dup"].result(WAIT)
    rest["b"].result(WAIT)
    rest["c"].result(WAIT)
    commit.close()
    assert sorted(batch[0] for batch in store.batches[2:]) == ["b", "c", "dup"]


def test_any_other_failure_reaches_every_caller_of_the_batch() -> None:
    store = GatedStore(fail_with=ConnectionError("database away"))
    commit = GroupCommit(store, threads=1, alone_on=(KeyError,))
    futures = submit_all(commit, ["first"])
    assert store.first_started.wait(WAIT)
    futures |= submit_all(commit, ["b", "c"])
    waiting(commit, 2)
    store.gate.set()
    for future in futures.values():
        with pytest.raises(ConnectionError):
            future.result(WAIT)
    commit.close()
    assert len(store.batches) == 2  # not retried one by one: the error is not one item's


def test_close_stores_what_waits_and_refuses_what_comes_after() -> None:
    store = GatedStore()
    commit = GroupCommit(store, threads=1)
    first = submit_all(commit, ["first"])
    assert store.first_started.wait(WAIT)
    rest = submit_all(commit, ["b", "c"])
    waiting(commit, 2)
    closing = threading.Thread(target=commit.close)
    closing.start()
    store.gate.set()
    closing.join(WAIT)
    assert not closing.is_alive()
    for future in [*first.values(), *rest.values()]:
        future.result(WAIT)
    assert sorted(item for batch in store.batches for item in batch) == ["b", "c", "first"]
    with pytest.raises(RuntimeError, match="closed"):
        commit.submit("late")
