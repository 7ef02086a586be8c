"""Block Kit of the Rackbeat import: the button on a verdict, the preview, progress, result."""

from __future__ import annotations

import json
from typing import Any

from core.imports.model import Action, Counts, Status
from core.imports.planner import Preview, Problem
from core.registers.model import Register
from handlers.blocks.registers import ACTION_MARK_DONE, STEP_OF, mrkdwn_text
from handlers.messages import t

ACTION_PREVIEW = "imports:preview"
ACTION_CREATE = "imports:confirm_create"
ACTION_UPDATE = "imports:confirm_update"
ACTION_CANCEL = "imports:cancel"
ACTION_RETRY = "imports:retry_failed"
ACTION_RESUME = "imports:resume"
SHOWN_PROBLEMS = 15

Blocks = list[dict[str, Any]]


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def _button(action_id: str, text: str, value: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": text[:75]},
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _actions(block_id: str, *buttons: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "block_id": block_id, "elements": list(buttons)}


def import_button(file_id: str, lang: str) -> Blocks:
    """Appended to the verdict of a clean register file while Rackbeat is connected."""
    value = json.dumps({"file": file_id})
    return [
        _actions("imports_offer", _button(ACTION_PREVIEW, t("imports.button.preview", lang), value))
    ]


def inventory_note(lang: str) -> Blocks:
    return [_context(t("imports.inventory_note", lang))]


def _problem_line(problem: Problem, lang: str) -> str:
    return t(
        f"imports.problem.{problem.code}",
        lang,
        row=problem.row,
        number=mrkdwn_text(problem.number),
        column=problem.column,
        value=f"`{mrkdwn_text(problem.value[:40])}`",
    )


def preview_message(
    preview: Preview, import_id: int | None, name: str, lang: str
) -> tuple[str, Blocks]:
    register = t(f"registers.name.{preview.register}", lang)
    if not preview.ok:
        lines = [_problem_line(p, lang) for p in preview.problems[:SHOWN_PROBLEMS]]
        if len(preview.problems) > SHOWN_PROBLEMS:
            lines.append(
                t("imports.problem.more", lang, count=len(preview.problems) - SHOWN_PROBLEMS)
            )
        text = t("imports.preview.stopped", lang, name=mrkdwn_text(name), problems="\n".join(lines))
        return text, [_section(text)]
    creates, updates = preview.count(Action.CREATE), preview.count(Action.UPDATE)
    unchanged = preview.count(Action.UNCHANGED)
    title = t("imports.preview.title", lang, name=mrkdwn_text(name), register=register)
    blocks: Blocks = [
        _section(title),
        _section(
            t("imports.preview.counts", lang, creates=creates, updates=updates, unchanged=unchanged)
        ),
    ]
    if preview.references:
        lists = ", ".join(f"{path} ({n})" for path, n in sorted(preview.references.items()))
        blocks.append(_context(t("imports.preview.references", lang, lists=lists)))
    if preview.not_sent:
        columns = ", ".join(f"`{c}`" for c in preview.not_sent)
        blocks.append(_context(t("imports.preview.not_sent", lang, columns=columns)))
    if import_id is None or creates + updates == 0:
        blocks.append(_section(t("imports.preview.nothing", lang)))
        return title, blocks
    value = json.dumps({"import": import_id})
    buttons = []
    if creates:
        buttons.append(
            _button(
                ACTION_CREATE, t("imports.button.create", lang, count=creates), value, "primary"
            )
        )
    if updates:
        buttons.append(
            _button(
                ACTION_UPDATE,
                t("imports.button.update", lang, count=updates),
                value,
                "danger" if not creates else None,
            )
        )
    blocks.append(_actions("imports_confirm", *buttons))
    return title, blocks


def progress_message(name: str, counts: Counts, import_id: int, lang: str) -> tuple[str, Blocks]:
    text = t(
        "imports.progress",
        lang,
        name=mrkdwn_text(name),
        done=f"{counts.done:,}",
        total=f"{counts.total:,}",
        failed=f"{counts.failed:,}",
    )
    value = json.dumps({"import": import_id})
    return text, [
        _section(text),
        _actions(
            "imports_running",
            _button(ACTION_CANCEL, t("imports.button.cancel", lang), value, "danger"),
        ),
    ]


def final_message(
    name: str,
    register: str,
    counts: Counts,
    status: Status,
    code: str | None,
    import_id: int,
    lang: str,
) -> tuple[str, Blocks]:
    params = {
        "name": mrkdwn_text(name),
        "created": f"{counts.created:,}",
        "updated": f"{counts.updated:,}",
        "unchanged": f"{counts.unchanged + counts.skipped:,}",
        "failed": f"{counts.failed:,}",
        "left": f"{counts.pending:,}",
        "code": code or "?",
    }
    value = json.dumps({"import": import_id})
    buttons = []
    if status is Status.DONE:
        text = t("imports.done", lang, **params)
        if counts.failed:
            buttons.append(_button(ACTION_RETRY, t("imports.button.retry", lang), value))
        step = STEP_OF.get(Register(register))
        if step is not None:
            buttons.append(
                _button(
                    ACTION_MARK_DONE,
                    t("registers.mark_done", lang, step=t(f"registers.name.{register}", lang)),
                    json.dumps({"step": step}),
                    "primary",
                )
            )
    elif status is Status.CANCELLED:
        text = t("imports.cancelled", lang, **params)
    else:
        key = f"imports.stopped.{code}"
        text = t(
            key
            if code in ("unauthorized", "disconnected", "unavailable")
            else "imports.stopped.other",
            lang,
            **params,
        )
        buttons.append(_button(ACTION_RESUME, t("imports.button.resume", lang), value, "primary"))
    blocks: Blocks = [_section(text)]
    if buttons:
        blocks.append(_actions("imports_result", *buttons))
    return text, blocks
