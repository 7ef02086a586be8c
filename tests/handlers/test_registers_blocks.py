"""The thread reply's blocks, rendered without Slack."""

from __future__ import annotations

from datetime import date

from core.registers import FileInput, validate_files
from core.registers.report import group_issues
from handlers.blocks.registers import (
    ACTION_MARK_DONE,
    after_mark_done,
    issue_line,
    result_message,
    verdict,
)
from handlers.messages import t

HEADER = "number;name;group;cost_price;sales_price"


def check(text: str):  # type: ignore[no-untyped-def]
    return validate_files([FileInput("p.csv", data=text.encode())], today=date(2024, 1, 1)).files[0]


def test_verdict_of_a_clean_file_in_both_languages() -> None:
    result = check(f"{HEADER}\n1;A;1;1;1\n")
    assert verdict(result, "en") == t(
        "registers.verdict.valid", "en", name="p.csv", register="products", rows="1 row"
    )
    assert verdict(result, "fi") == t(
        "registers.verdict.valid", "fi", name="p.csv", register="tuotteet", rows="1 rivi"
    )


def test_verdict_counts_agree_with_their_nouns_and_group_thousands() -> None:
    rows = "".join(f"{i};A;x;1;1\n" for i in range(1, 1202))
    result = check(f"{HEADER}\n{rows}")
    line = verdict(result, "fi")
    assert "1\u00a0201 virhettä ja 0 varoitusta" in line and "1\u00a0201 riviä" in line
    one = verdict(check(f"{HEADER}\n1;A;x;1;1\n"), "fi")
    assert "1 virhe ja 0 varoitusta" in one and "1 rivi)" in one


def test_issues_are_grouped_with_row_ranges_and_translated_titles() -> None:
    result = check(f"{HEADER}\n1;A;x;1;1\n2;B;x;1;1\n3;C;1;1;1\n4;D;x;1;1\n")
    groups, _ = group_issues(result)
    assert issue_line(groups[0], "en", result.headers) == (
        ":x: *Name instead of a number*, column *group*: rows 2–3, 5 (3×); e.g. `x`"
    )
    assert issue_line(groups[0], "fi", result.headers).startswith(
        ":x: *Nimi numeron sijaan*, sarake *group*: rivit 2–3, 5"
    )


def test_button_only_for_a_clean_file_in_an_onboarding() -> None:
    clean = check(f"{HEADER}\n1;A;1;1;1\n")
    _, blocks = result_message(clean, "en", with_button=True, no_onboarding=False)
    actions = [b for b in blocks if b["type"] == "actions"]
    assert actions[0]["elements"][0]["action_id"] == ACTION_MARK_DONE
    assert actions[0]["elements"][0]["value"] == '{"step": "products"}'
    _, blocks = result_message(clean, "en", with_button=False, no_onboarding=True)
    assert not [b for b in blocks if b["type"] == "actions"]
    assert t("registers.hint.no_onboarding", "en") in str(blocks)
    done = after_mark_done(
        result_message(clean, "en", with_button=True, no_onboarding=False)[1], "U1", "en"
    )
    assert not [b for b in done if b["type"] == "actions"]


def test_many_kinds_of_issue_are_capped_with_a_pointer_to_the_report() -> None:
    rows = "\n".join(
        [f"{HEADER};barcode;unit;batch_tracking;min_stock", "x" * 30 + ";;y;-1;1.2.3;123;;maybe;z"]
    )
    _, blocks = result_message(check(rows + "\n"), "en", with_button=False, no_onboarding=False)
    assert len(str(blocks)) < 12_000
