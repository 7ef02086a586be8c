"""The import's Block Kit, without Slack: which buttons each state offers, in both languages."""

from __future__ import annotations

import json

import pytest

from core.imports.model import Action, Counts, Status
from core.imports.planner import Preview, Problem
from core.imports.repository import PlannedRecord
from core.registers.model import Register
from handlers.blocks.imports import (
    ACTION_CANCEL,
    ACTION_CREATE,
    ACTION_RESUME,
    ACTION_RETRY,
    ACTION_UPDATE,
    final_message,
    preview_message,
    progress_message,
)
from handlers.blocks.registers import ACTION_MARK_DONE
from handlers.messages import t


def action_ids(blocks: list[dict[str, object]]) -> list[str]:
    return [
        str(e["action_id"])
        for b in blocks
        if b.get("type") == "actions"
        for e in b["elements"]  # type: ignore[attr-defined]
    ]


def planned(*actions: Action) -> list[PlannedRecord]:
    return [PlannedRecord(i, i + 1, str(i), a, {}) for i, a in enumerate(actions, start=1)]


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_updating_existing_records_is_a_separate_explicit_choice(lang: str) -> None:
    preview = Preview(Register.PRODUCTS, planned(Action.CREATE, Action.UPDATE, Action.UNCHANGED))
    _, blocks = preview_message(preview, 7, "products.csv", lang)
    assert action_ids(blocks) == [ACTION_CREATE, ACTION_UPDATE]
    values = {
        json.loads(e["value"])["import"]
        for b in blocks
        if b.get("type") == "actions"
        for e in b["elements"]
    }  # type: ignore[index]
    assert values == {7}
    text = t("imports.preview.counts", lang, creates=1, updates=1, unchanged=1)
    assert text in json.dumps(blocks, ensure_ascii=False).replace("\\n", "\n")


def test_a_preview_with_problems_offers_nothing_to_start() -> None:
    preview = Preview(
        Register.PRODUCTS, problems=[Problem("unknown_reference", 2, "1", "group", "9")]
    )
    text, blocks = preview_message(preview, None, "products.csv", "fi")
    assert action_ids(blocks) == [] and "rivi 2" in text


def test_progress_can_be_cancelled() -> None:
    text, blocks = progress_message("p.csv", Counts(created=5, failed=1, pending=4), 3, "en")
    assert action_ids(blocks) == [ACTION_CANCEL]
    assert text == t("imports.progress", "en", name="p.csv", done="6", total="10", failed="1")


@pytest.mark.parametrize(
    ("status", "code", "counts", "expected"),
    [
        (Status.DONE, None, Counts(created=9, failed=1), [ACTION_RETRY, ACTION_MARK_DONE]),
        (Status.DONE, None, Counts(created=10), [ACTION_MARK_DONE]),
        (Status.CANCELLED, None, Counts(created=3, pending=7), []),
        (Status.STOPPED, "unauthorized", Counts(created=3, pending=7), [ACTION_RESUME]),
    ],
)
def test_the_result_offers_what_can_be_done_next(
    status: Status, code: str | None, counts: Counts, expected: list[str]
) -> None:
    for lang in ("en", "fi"):
        _, blocks = final_message("p.csv", "products", counts, status, code, 3, lang)
        assert action_ids(blocks) == expected
