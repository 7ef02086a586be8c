"""Human words for the ids the numbering watch writes to the audit trail.

The trail stores stable ids (``invoice.rackbeat-next``, ``rackbeat-only``, an ISO timestamp);
a history line shows them the way the reader says them ("Myyntilaskut, Rackbeatin seuraava
numero", "vain Rackbeat", "13.12.2026 klo 9.00 UTC"). An id we have no words for is shown as
it is rather than hidden.
"""

from __future__ import annotations

import re
from datetime import datetime

from core.numbering.model import InputField, Level, Strategy
from core.upstream import Series, Source
from handlers.messages import t
from handlers.messages.formatting import format_number, format_when

_NUMBERS = re.compile(r"\d+")


def series_field(subject: str, language: str) -> str:
    """``invoice.rackbeat-next`` → ``Myyntilaskut, Rackbeatin seuraava numero``."""
    series, _, field = subject.partition(".")
    try:
        series_text = t(f"numbering.series.{Series(series).value}", language)
        field_text = t(f"numbering.field.{InputField(field.replace('_', '-')).value}", language)
    except ValueError:
        return subject
    return t(
        "onboarding.audit.numbering.series_field", language, series=series_text, field=field_text
    )


def word(prefix: str, kind: type, value: str | None, language: str) -> str:
    """The catalogue word for an enum value (``numbering.strategy.mixed``); the id otherwise."""
    if not value:
        return "–"
    try:
        member = kind(value)
    except ValueError:
        return value
    return t(f"{prefix}.{member.value}", language)


def number_text(value: str | None, language: str) -> str:
    if not value:
        return "–"
    return format_number(int(value), language) if value.isdigit() else value


def when_text(value: str | None, language: str) -> str:
    if not value:
        return "–"
    try:
        return format_when(datetime.fromisoformat(value), language)
    except ValueError:
        return value


def thresholds_text(value: str | None, language: str) -> str:
    """``warning 30 d / 1000, critical 7 d / 100`` (as stored) in the reader's words."""
    numbers = _NUMBERS.findall(value or "")
    if len(numbers) != 4:
        return value or "–"
    wd, wn, cd, cn = (format_number(int(n), language) for n in numbers)
    return t("onboarding.audit.numbering.limits", language, wd=wd, wn=wn, cd=cd, cn=cn)


def numbering_values(
    action: str, subject: str | None, old: str | None, new: str | None, language: str
) -> dict[str, str]:
    """``subject``, ``old`` and ``new`` of a ``numbering.*`` audit row, in words."""
    kind = action.removesuffix(".rackbeat").removesuffix(".netvisor")
    if kind == "numbering.value":
        return {
            "subject": series_field(subject or "", language),
            "old": number_text(old, language),
            "new": number_text(new, language),
        }
    if kind == "numbering.strategy":
        return {
            "subject": word("numbering.series", Series, subject, language),
            "old": word("numbering.strategy", Strategy, old, language),
            "new": word("numbering.strategy", Strategy, new, language),
        }
    if kind == "numbering.thresholds":
        return {
            "subject": "–",
            "old": thresholds_text(old, language),
            "new": thresholds_text(new, language),
        }
    if kind in ("numbering.connect", "numbering.disconnect"):
        return {
            "subject": word("numbering.source", Source, subject, language),
            "old": old or "–",
            "new": new or "–",
        }
    if kind == "numbering.acknowledge":
        return {
            "subject": word("numbering.series", Series, subject, language),
            "old": old or "–",
            "new": word("numbering.level", Level, new, language),
        }
    if kind == "numbering.snooze":
        return {
            "subject": word("numbering.series", Series, subject, language),
            "old": old or "–",
            "new": when_text(new, language),
        }
    return {"subject": subject or "–", "old": old or "–", "new": new or "–"}
