"""The numbering step's gate: OK only when both series are OK; never OK on no data."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from sqlalchemy.orm import Session

from core.onboarding.numbering_gate import NumberingGate, Verdict, numbering_status_ok


@pytest.mark.parametrize(
    ("levels", "verdict"),
    [
        ({"order": "ok", "invoice": "ok"}, Verdict.OK),
        ({"order": "ok", "invoice": "warning"}, Verdict.NOT_OK),
        ({"order": "collision", "invoice": "unknown"}, Verdict.NOT_OK),
        ({"order": "ok", "invoice": "unknown"}, Verdict.UNKNOWN),
        ({"order": "ok"}, Verdict.UNKNOWN),
        ({}, Verdict.UNKNOWN),
        ({"order": "ok", "invoice": "fine"}, Verdict.UNKNOWN),
    ],
)
def test_verdict_from_series_levels(levels: dict[str, str], verdict: Verdict) -> None:
    assert NumberingGate.from_levels(levels).verdict is verdict


def test_without_a_provider_nothing_is_known() -> None:
    gate = numbering_status_ok(session=None, onboarding_id=1)  # type: ignore[arg-type]
    assert gate.verdict is Verdict.UNKNOWN and not gate.ok


def test_a_provider_plugs_in() -> None:
    seen: list[int] = []

    def provider(session: Session, onboarding_id: int) -> Mapping[str, str]:
        seen.append(onboarding_id)
        return {"invoice": "ok", "order": "ok"}

    gate = numbering_status_ok(None, 7, provider)  # type: ignore[arg-type]
    assert gate.ok and seen == [7]
    assert gate.levels == (("order", "ok"), ("invoice", "ok"))
