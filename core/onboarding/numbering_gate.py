"""The one question the onboarding asks the numbering area: are both series OK?

The ``numbering`` step can be marked done only when the order and the invoice series are both
at level ``ok``. The numbering area owns the answer. It plugs in by handing a
``NumberingStatusProvider`` to ``OnboardingService(numbering=...)`` (wired in ``bot/``), or by
filling in ``_levels_from_store`` below. Until then every level is unknown, and the step is
refused with the advice to run ``/rackbeat numbering check`` — never "ok" on no data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from sqlalchemy.orm import Session

SERIES: tuple[str, ...] = ("order", "invoice")
"""The two document series whose numbers must never overlap (CONTRACT: ``invoice|order``)."""

LEVELS: tuple[str, ...] = ("ok", "warning", "critical", "collision", "unknown")
"""The numbering monitor's levels (domain.md); anything else reads as ``unknown``."""


class Verdict(StrEnum):
    OK = "ok"
    NOT_OK = "not_ok"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class NumberingGate:
    """The verdict for the ``numbering`` step plus the level of each series behind it."""

    verdict: Verdict
    levels: tuple[tuple[str, str], ...]

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.OK

    @classmethod
    def from_levels(cls, levels: Mapping[str, str]) -> NumberingGate:
        """Both series ``ok`` → OK; any series at a known level other than ``ok`` → NOT_OK;
        otherwise (a series missing or ``unknown``) → UNKNOWN.

        >>> NumberingGate.from_levels({"order": "ok", "invoice": "ok"}).verdict
        <Verdict.OK: 'ok'>
        >>> NumberingGate.from_levels({"order": "ok"}).verdict
        <Verdict.UNKNOWN: 'unknown'>
        """
        normalised = tuple(
            (
                series,
                level if (level := str(levels.get(series, "unknown"))) in LEVELS else "unknown",
            )
            for series in SERIES
        )
        values = {level for _series, level in normalised}
        if values == {"ok"}:
            verdict = Verdict.OK
        elif values - {"ok", "unknown"}:
            verdict = Verdict.NOT_OK
        else:
            verdict = Verdict.UNKNOWN
        return cls(verdict=verdict, levels=normalised)


UNKNOWN = NumberingGate.from_levels({})


class NumberingStatusProvider(Protocol):
    """Reads the latest level of each series (``{"order": "ok", "invoice": "warning"}``)
    for one onboarding, inside the caller's transaction."""

    def __call__(self, session: Session, onboarding_id: int) -> Mapping[str, str]: ...


def _levels_from_store(session: Session, onboarding_id: int) -> Mapping[str, str]:
    """Where the numbering area reads its stored status when no provider is passed.

    Nothing is stored yet, so nothing is known.
    """
    del session, onboarding_id
    return {}


def numbering_status_ok(
    session: Session, onboarding_id: int, provider: NumberingStatusProvider | None = None
) -> NumberingGate:
    """The gate of the ``numbering`` step: is the numbering of both series OK right now?

    ``provider`` is the numbering area's reader; without one, ``_levels_from_store`` answers.
    A provider that fails counts as "unknown" only if it says so: errors propagate, because
    a broken reader must not quietly block (or pass) the step.
    """
    reader = provider if provider is not None else _levels_from_store
    return NumberingGate.from_levels(reader(session, onboarding_id))
