"""The onboarding's data in words: steps, states, who settled a step and when, numbering
levels, and every onboarding refusal.

``core`` raises an onboarding refusal as a code and data (step ids, states, user ids,
datetimes); ``WORDINGS`` turns the data into what the code's template in the catalogue takes,
in the reader's language. The same functions word a refusal kept in the history, whose data
came back from JSON: ids and states as their text, moments in ISO 8601, tuples as lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from enum import Enum
from functools import partial
from typing import Any

from core.onboarding.machine import Action
from core.onboarding.steps import CATALOGUE, STEPS, StepId, StepState
from handlers.messages import t
from handlers.messages.formatting import format_when, mention

Params = Mapping[str, Any]
Wording = Callable[[Params, str], str]


def step_name(step: StepId | str, language: str) -> str:
    """``Log in to Rackbeat`` / ``Kirjautuminen Rackbeatiin``."""
    return t(f"step.{StepId(step).value}.title", language)


def step_title(step: StepId | str, language: str) -> str:
    """The step as the checklist numbers it: ``1. Log in to Rackbeat``."""
    return f"{CATALOGUE[StepId(step)].position}. {step_name(step, language)}"


def state_word(state: StepState | str, language: str) -> str:
    return t(f"onb.state.{StepState(state).value}", language)


def valid_steps(language: str) -> str:
    """``login`` (Log in to Rackbeat), ``settings`` (…), … for a refused step argument."""
    return ", ".join(f"`{entry.id.value}` ({step_name(entry.id, language)})" for entry in STEPS)


def numbering_detail(levels: Iterable[Iterable[str]], language: str) -> str:
    """``orders: OK, invoices: overlap`` from a numbering gate's (series, level) pairs."""
    return ", ".join(
        f"{t(f'onb.series.{series}', language)}: {t(f'onb.level.{level}', language)}"
        for series, level in levels
    )


def by_text(user: str | None, at: datetime | str | None, language: str) -> str:
    """Who settled a step and when: ``<@U1>, 2 Jan 2026 09:05 UTC`` (``?`` for what is not
    known)."""
    who = mention(user) if user else "?"
    when = format_when(_moment(at), language) if at else "?"
    return t("onb.by", language, who=who, when=when)


def rule_text(facts: Params, language: str) -> str:
    """One rule's reason (``onb.rule.<code>``) from its facts (``machine.Refusal.facts``)."""
    words: dict[str, object] = {
        "id": StepId(facts["step"]).value,
        "state": state_word(facts["state"], language),
        "by": by_text(facts.get("by"), facts.get("at"), language),
    }
    if facts.get("dep") is not None:
        words["dep"] = step_name(facts["dep"], language)
        words["dep_state"] = state_word(facts["dep_state"], language)
    if "levels" in facts:
        words["detail"] = numbering_detail(facts["levels"], language)
    if "orders" in facts:
        shown = [str(number) for number in facts["orders"]]
        more = int(facts["count"]) - len(shown)
        words["count"] = int(facts["count"])
        words["numbers"] = ", ".join(shown) + (f", … (+{more})" if more else "")
    return t(f"onb.rule.{facts['rule']}", language, **words)


def step_refused_text(code: str, params: Params, language: str) -> str:
    """A refused step action: the headline, then every reason (one on the same line, more
    as bullets)."""
    headline = t(
        code,
        language,
        step=step_name(params["step"], language),
        state=state_word(params["state"], language),
    )
    reasons = [rule_text(facts, language) for facts in params["reasons"]]
    if len(reasons) == 1:
        return f"{headline} {reasons[0]}"
    return headline + "".join(f"\n• {reason}" for reason in reasons)


def _moment(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _value(value: object) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def _mentions(users: Iterable[str]) -> str:
    return ", ".join(mention(user) for user in users) or "–"


def _worded(code: str, words: Callable[[Params, str], dict[str, object]]) -> Wording:
    return lambda params, language: t(code, language, **words(params, language))


def _hint(suggestion: object, language: str) -> str:
    if not suggestion:
        return ""
    return t("onb.invalid.did_you_mean", language, suggestion=StepId(_value(suggestion)).value)


WORDINGS: Mapping[str, Wording] = {
    **{
        f"onb.refused.{action.value}": partial(step_refused_text, f"onb.refused.{action.value}")
        for action in Action
    },
    "onb.valuation.locked": _worded(
        "onb.valuation.locked",
        lambda p, lang: {
            "dep": step_name(p["dep"], lang),
            "current": t(f"onb.valuation.{_value(p['current'])}", lang),
        },
    ),
    "onb.permission.change": _worded(
        "onb.permission.change",
        lambda p, lang: {"owner": mention(p["owner"]), "you": mention(p["you"])},
    ),
    "onb.permission.members": _worded(
        "onb.permission.members", lambda p, lang: {"owner": mention(p["owner"])}
    ),
    "onb.start.exists": _worded(
        "onb.start.exists",
        lambda p, lang: {
            "company": p["company"],
            "state": t(f"onb.onboarding.{_value(p['state'])}", lang),
            "done": p["done"],
            "total": p["total"],
            "owner": mention(p["owner"]),
            "when": format_when(_moment(p["when"]), lang),
        },
    ),
    "onb.members.owner_stays": _worded(
        "onb.members.owner_stays", lambda p, lang: {"user": mention(p["user"])}
    ),
    "onb.members.not_member": _worded(
        "onb.members.not_member",
        lambda p, lang: {"user": mention(p["user"]), "members": _mentions(p["members"])},
    ),
    "onb.invalid.step": _worded(
        "onb.invalid.step",
        lambda p, lang: {
            "value": p["value"],
            "hint": _hint(p.get("suggestion"), lang),
            "valid": valid_steps(lang),
        },
    ),
    "onb.invalid.step_missing": _worded(
        "onb.invalid.step_missing", lambda p, lang: {"valid": valid_steps(lang)}
    ),
}
"""Refusal code → its words from its data; a code not listed takes its params as they are."""
