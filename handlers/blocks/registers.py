"""Block Kit of CSV intake: the thread reply with the verdict, grouped issues and the button."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from core.registers.intake import STEP_OF
from core.registers.model import FileResult, Issue, Severity
from core.registers.report import IssueGroup, group_issues
from handlers.blocks.issues import column_label, describe_issue
from handlers.blocks.text import mrkdwn_text
from handlers.messages import t
from handlers.messages.formatting import format_number, tn

ACTION_MARK_DONE = "registers:mark_done"
SHOWN_GROUPS = 15

Blocks = list[dict[str, Any]]

__all__ = ["STEP_OF", "mrkdwn_text"]  # re-exported for the intake and import blocks


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def verdict(result: FileResult, lang: str) -> str:
    """The one-line verdict: ready to import, or how many errors and warnings."""
    register = t(f"registers.name.{result.register}", lang) if result.register else "?"
    params = {
        "name": mrkdwn_text(result.file),
        "register": register,
        "rows": tn("registers.count.rows", lang, result.rows),
        "errors": tn("registers.count.errors", lang, result.error_count),
        "warnings": tn("registers.count.warnings", lang, result.warning_count),
    }
    if result.valid:
        line = t("registers.verdict.valid", lang, **params)
        if result.warning_count:
            line += t("registers.verdict.warnings", lang, **params)
        return line
    return t("registers.verdict.invalid", lang, **params)


def issue_line(group: IssueGroup, lang: str, headers: Mapping[str, str] | None = None) -> str:
    """`:x: *Wrong EAN check digit*, column *EAN* (barcode): rows 5, 9, 17–20 (6×); e.g. …`.

    A file-level issue (no rows) gets its sentence instead; a column is named by the header
    the user wrote (``headers``), with the canonical name after it when they differ.
    """
    headers = headers or {}
    icon = ":x:" if group.severity == Severity.ERROR else ":warning:"
    title = t(f"registers.code.{group.code}", lang)
    if not group.rows:
        value = group.samples[0] if group.samples else None
        issue = Issue(group.severity, None, group.column, group.code, value, group.params)
        return f"{icon} *{title}*: {describe_issue(issue, lang, headers)}"
    column = (
        ", " + t("registers.group.column", lang, label=column_label(group.column, headers, lang))
        if group.column
        else ""
    )
    where = tn("registers.group.rows", lang, group.count, rows=group.rows)
    count = f" ({format_number(group.count, lang)}×)" if group.count > 1 else ""
    # A backtick in a value would end the code span early.
    samples = ", ".join(f"`{mrkdwn_text(s[:40]).replace('`', 'ˋ')}`" for s in group.samples)
    example = "; " + t("registers.group.samples", lang, samples=samples) if samples else ""
    return f"{icon} *{title}*{column}: {where}{count}{example}"


def result_message(
    result: FileResult,
    lang: str,
    *,
    with_button: bool,
    no_onboarding: bool,
    account_note: str | None = None,
) -> tuple[str, Blocks]:
    """The final thread reply for a checked file: (fallback text, blocks). ``account_note``
    says how the file was (or was not) checked against the Rackbeat account."""
    line = verdict(result, lang)
    blocks: Blocks = [_section(line)]
    if account_note:
        blocks.append(_context(account_note))
    groups, left = group_issues(result, SHOWN_GROUPS)
    if groups:
        lines = (issue_line(g, lang, result.headers) for g in groups)
        blocks.append(_section("\n".join(lines)))
    if left:
        blocks.append(_context(tn("registers.more", lang, left)))
    if no_onboarding:
        blocks.append(_context(t("registers.hint.no_onboarding", lang)))
    if with_button and result.valid and result.register is not None:
        step = STEP_OF[result.register]
        blocks.append(
            {
                "type": "actions",
                "block_id": "registers_actions",
                "elements": [
                    {
                        "type": "button",
                        "style": "primary",
                        "action_id": ACTION_MARK_DONE,
                        "text": {
                            "type": "plain_text",
                            "text": t(
                                "registers.mark_done",
                                lang,
                                step=t(f"registers.name.{result.register}", lang),
                            ),
                        },
                        "value": json.dumps({"step": step}),
                    }
                ],
            }
        )
    return line, blocks


def simple_message(text: str) -> tuple[str, Blocks]:
    return text, [_section(text)]


def after_mark_done(blocks: Blocks, user_id: str, lang: str) -> Blocks:
    """The result message once its step was marked done: the button becomes a note."""
    kept = [b for b in blocks if b.get("type") != "actions"]
    return [*kept, _context(t("registers.marked_done", lang, user=user_id))]
