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
from handlers.messages.formatting import tn

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


def test_counts_are_in_the_readers_number_format_and_plural() -> None:
    rows = "".join(f"{i};A;{'x' if i == 1 else 1};1;1\n" for i in range(1, 12_346))
    result = check(f"{HEADER}\n{rows}")
    assert "has 1 error and 0 warnings (products, 12,345 rows)" in verdict(result, "en")
    assert "1 virhe ja 0 varoitusta (tuotteet, 12\u00a0345 riviä)" in verdict(result, "fi")
    groups, _ = group_issues(result)
    assert ": row 2;" in issue_line(groups[0], "en")
    assert ": rivi 2;" in issue_line(groups[0], "fi")


def test_more_kinds_of_issue_are_counted_in_the_right_form() -> None:
    assert tn("registers.more", "en", 1).startswith("…and one more kind of issue")
    assert tn("registers.more", "fi", 1).startswith("…ja yksi muu ongelmatyyppi")
    assert tn("registers.more", "fi", 2).startswith("…ja 2 muuta ongelmatyyppiä")


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


def test_a_products_file_with_a_stock_column_says_it_was_left_out_in_both_languages() -> None:
    result = check(f"{HEADER};Varasto\n1;A;1;1;1;12,5\n")
    groups, _ = group_issues(result)
    assert issue_line(groups[0], "fi").endswith(
        t("registers.issue.header_ambiguous.ignored", "fi", header="Varasto")
    )
    assert issue_line(groups[0], "en").endswith(
        t("registers.issue.header_ambiguous.ignored", "en", header="Varasto")
    )
