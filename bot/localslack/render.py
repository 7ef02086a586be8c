"""Block Kit as plain text, for the terminal workspace.

Buttons are numbered so a person can type ``click N``; modal inputs are numbered so they
can type ``fill N VALUE``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
LINK = re.compile(r"<([^|>]+)\|([^>]+)>")
BARE_LINK = re.compile(r"<((?:https?|mailto):[^>]+)>")
CHANNEL = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]*))?>")


@dataclass
class Rendered:
    lines: list[str] = field(default_factory=list)
    buttons: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # element, block_id
    inputs: list[dict[str, Any]] = field(default_factory=list)  # input blocks, in order


def mrkdwn(text: str, user_name: Callable[[str], str] = lambda u: u) -> str:
    text = MENTION.sub(lambda m: "@" + user_name(m.group(1)), text)
    text = CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = LINK.sub(r"\2 (\1)", text)
    text = BARE_LINK.sub(r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text(obj: dict[str, Any] | None, user_name: Callable[[str], str]) -> str:
    if not obj:
        return ""
    return mrkdwn(str(obj.get("text", "")), user_name)


def render_blocks(
    blocks: list[dict[str, Any]],
    fallback: str = "",
    user_name: Callable[[str], str] = lambda u: u,
    first_button: int = 1,
) -> Rendered:
    out = Rendered()
    if not blocks:
        out.lines = mrkdwn(fallback, user_name).splitlines() or [""]
        return out
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            out.lines.append(f"== {_text(block.get('text'), user_name)} ==")
        elif kind == "section":
            if block.get("text"):
                out.lines.extend(_text(block["text"], user_name).splitlines())
            for f in block.get("fields", []):
                out.lines.append("  " + _text(f, user_name).replace("\n", " "))
            accessory = block.get("accessory")
            if accessory and accessory.get("type") == "button":
                out.buttons.append((accessory, str(block.get("block_id", ""))))
                n = first_button + len(out.buttons) - 1
                out.lines.append(f"    [{n}] {_text(accessory.get('text'), user_name)}")
        elif kind == "context":
            parts = [_text(e, user_name) for e in block.get("elements", []) if e.get("text")]
            out.lines.append("  (" + " · ".join(parts) + ")")
        elif kind == "divider":
            out.lines.append("  ────────")
        elif kind == "image":
            out.lines.append(f"  [image: {block.get('alt_text', '')}]")
        elif kind == "actions":
            labels = []
            for element in block.get("elements", []):
                if element.get("type") in {"button", "static_select", "overflow"}:
                    out.buttons.append((element, str(block.get("block_id", ""))))
                    n = first_button + len(out.buttons) - 1
                    label = _text(element.get("text") or element.get("placeholder"), user_name)
                    labels.append(f"[{n}] {label}")
            out.lines.append("    " + "  ".join(labels))
        elif kind == "input":
            out.inputs.append(block)
            n = len(out.inputs)
            label = _text(block.get("label"), user_name)
            optional = " (optional)" if block.get("optional") else ""
            out.lines.append(f"  <{n}> {label}{optional}: {_describe_input(block['element'])}")
        elif kind == "rich_text":
            out.lines.append(fallback)
    return out


def _describe_input(element: dict[str, Any]) -> str:
    kind = element.get("type")
    options = element.get("options") or []
    if options:
        choices = " | ".join(str(o.get("value")) for o in options)
        initial = element.get("initial_option", {}).get("value")
        return f"one of {choices}" + (f" (now {initial})" if initial else "")
    initial = element.get("initial_value")
    hint = "number" if kind == "number_input" else "text"
    return f"<{hint}>" + (f" (now {initial})" if initial else "")


def input_state(block: dict[str, Any], value: str) -> dict[str, Any]:
    """Slack's ``state.values`` entry for an input block given what the person typed."""
    element = block["element"]
    kind = element.get("type")
    if kind in {"static_select", "radio_buttons"}:
        options = element.get("options") or []
        chosen = _match_option(options, value)
        if chosen is None:
            choices = ", ".join(str(o.get("value")) for o in options)
            raise ValueError(f"choose one of: {choices}")
        return {"type": kind, "selected_option": chosen}
    if kind == "checkboxes":
        options = element.get("options") or []
        picked = [_match_option(options, v.strip()) for v in value.split(",") if v.strip()]
        return {"type": kind, "selected_options": [p for p in picked if p is not None]}
    return {"type": kind or "plain_text_input", "value": value}


def _match_option(options: list[dict[str, Any]], value: str) -> dict[str, Any] | None:
    lowered = value.strip().lower()
    for index, option in enumerate(options, start=1):
        label = str(option.get("text", {}).get("text", "")).lower()
        if lowered in {str(option.get("value", "")).lower(), label, str(index)}:
            return option
    return None


def initial_state(block: dict[str, Any]) -> dict[str, Any] | None:
    """The value an input starts with (``initial_value`` / ``initial_option``), if any."""
    element = block["element"]
    if "initial_option" in element:
        return {"type": element.get("type"), "selected_option": element["initial_option"]}
    if "initial_value" in element:
        return {"type": element.get("type"), "value": element["initial_value"]}
    if element.get("type") in {"plain_text_input", "number_input"}:
        return {"type": element.get("type"), "value": None}
    return None
