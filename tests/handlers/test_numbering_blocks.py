"""Numbering views are pure functions: status, alerts, modals, parsing of modal input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from core.credentials import NetvisorCredentials, RackbeatCredentials
from core.numbering import (
    EvaluationContext,
    InputField,
    Level,
    Reading,
    SeriesHistory,
    SeriesInputs,
    Strategy,
    evaluate_series,
)
from core.numbering.alerts import AlertState, NoticeKind
from core.numbering.checker import Delivery
from core.numbering.repository import NumberingConfig
from core.numbering.service import Setup
from core.numbering.view import Connection, NumberingView, OnboardingRef, SeriesView
from core.tenancy import Channel
from core.upstream import Series, Source
from handlers.blocks.numbering import (
    ACTION_ACK,
    ACTION_CHECK,
    ACTION_SETUP,
    ACTION_SNOOZE,
    _forecast_text,
    alert_message,
    connect_modal,
    number,
    setup_modal,
    status_message,
)
from handlers.messages import t
from handlers.numbering import parse_credentials, parse_setup

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def view(level_next: int = 999_950, language: str = "en") -> NumberingView:
    inputs = SeriesInputs(
        Reading(level_next, Source.RACKBEAT, NOW - timedelta(minutes=5)),
        Reading(1_000_010, Source.MANUAL, NOW - timedelta(days=3)),
        Reading(1_000_000, Source.MANUAL, NOW - timedelta(days=3)),
    )
    evaluation = evaluate_series(
        Series.INVOICE, Strategy.MIXED, inputs, SeriesHistory(), EvaluationContext(NOW)
    )
    series = SeriesView(evaluation, SeriesHistory(), AlertState(), NOW)
    connection = Connection(
        Source.RACKBEAT, "Kone Oy", "U0ANN", NOW, 2, NOW - timedelta(hours=2), "timeout", None
    )
    return NumberingView(
        OnboardingRef(1, "T1", "C1", "Testi Oy", language),
        NumberingConfig(
            dict.fromkeys(Series, Strategy.MIXED), NumberingConfig.default().thresholds
        ),
        {Series.ORDER: series, Series.INVOICE: series},
        {Source.RACKBEAT: connection},
        NOW,
    )


def buttons(blocks: list[dict[str, Any]]) -> list[str]:
    return [e["action_id"] for b in blocks for e in b.get("elements", []) if "action_id" in e]


@pytest.mark.parametrize(
    ("value", "language", "text"),
    [(1_000_024, "en", "1,000,024"), (1_000_024, "fi", "1\u00a0000\u00a0024")],
)
def test_numbers_are_grouped_the_local_way(value: int, language: str, text: str) -> None:
    assert number(value, language) == text


def test_status_shows_level_values_source_age_connections_and_buttons() -> None:
    message = status_message(view(), "en")
    text = str(message.blocks)
    assert message.text == t("numbering.status.text", "en", order="critical", invoice="critical")
    assert "50 numbers left" in text
    assert "5 min ago" in text and "3 d ago" in text
    assert (
        "connected to Kone Oy" in text
        and "failing since" in text
        and "did not answer in time" in text
    )
    assert "Netvisor: not connected" in text
    assert buttons(message.blocks) == [ACTION_SETUP, ACTION_CHECK]


def test_status_speaks_finnish() -> None:
    message = status_message(view(language="fi"), "fi")
    assert t("numbering.level.critical", "fi") in message.text
    assert "Myyntilaskut" in str(message.blocks)


def test_an_alert_carries_the_cause_and_its_buttons_an_all_clear_none() -> None:
    numbering = view()
    alert = alert_message(
        Delivery(7, NoticeKind.ALERT, Series.INVOICE, Level.CRITICAL, numbering), "en"
    )
    assert "is now *critical*" in alert.text
    assert buttons(alert.blocks) == [ACTION_ACK, ACTION_SNOOZE, ACTION_CHECK]
    assert [b["elements"][0]["value"] for b in alert.blocks if b["type"] == "actions"] == [
        "invoice"
    ]
    clear = alert_message(
        Delivery(8, NoticeKind.ALL_CLEAR, Series.INVOICE, Level.OK, numbering), "en"
    )
    assert buttons(clear.blocks) == []


def test_setup_modal_round_trips_through_its_parser() -> None:
    modal = setup_modal(view(), Channel("T1", "C1"), "en")
    state: dict[str, dict[str, Any]] = {}
    for block in modal["blocks"]:
        element = block["element"]
        if "initial_option" in element:
            state[block["block_id"]] = {"value": {"selected_option": element["initial_option"]}}
        elif "initial_value" in element:
            state[block["block_id"]] = {"value": {"value": element["initial_value"]}}
    state["value.order.rackbeat-next"] = {"value": {"value": "12 345"}}
    parsed = parse_setup(state, "en")
    assert isinstance(parsed, Setup)
    assert parsed.strategies == dict.fromkeys(Series, Strategy.MIXED)
    assert parsed.values == {(Series.ORDER, InputField.RACKBEAT_NEXT): 12_345}
    assert parsed.thresholds == NumberingConfig.default().thresholds


def test_setup_errors_point_at_their_inputs() -> None:
    state = {
        "value.order.netvisor-max": {"value": {"value": "abc"}},
        "threshold.warning_days": {"value": {"value": "5"}},
        "threshold.warning_numbers": {"value": {"value": "1000"}},
        "threshold.critical_days": {"value": {"value": "7"}},
        "threshold.critical_numbers": {"value": {"value": ""}},
    }
    errors = parse_setup(state, "en")
    assert errors == {
        "value.order.netvisor-max": t("numbering.modal.bad_number", "en", max="2,147,483,647"),
        "threshold.critical_numbers": t("numbering.modal.not_a_number", "en"),
        "threshold.critical_days": "Critical at 7 days must not be above warning at 5 days.",
    }


def test_threshold_checks_of_the_setup_modal_speak_finnish() -> None:
    state = {
        "threshold.warning_days": {"value": {"value": "30"}},
        "threshold.warning_numbers": {"value": {"value": "1000"}},
        "threshold.critical_days": {"value": {"value": "7"}},
        "threshold.critical_numbers": {"value": {"value": "12000"}},
    }
    assert parse_setup(state, "fi") == {
        "threshold.critical_numbers": "Kriittinen raja (12\u00a0000 numeroa) ei voi olla suurempi "
        "kuin varoitusraja (1\u00a0000 numeroa).",
    }


def test_connect_modals_never_carry_a_value() -> None:
    for source in (Source.RACKBEAT, Source.NETVISOR):
        modal = connect_modal(source, Channel("T1", "C1"), "en")
        inputs = [b for b in modal["blocks"] if b["type"] == "input"]
        assert inputs and all("initial_value" not in b["element"] for b in inputs)


def test_credentials_from_the_modal_are_validated_without_echoing_them() -> None:
    good = parse_credentials(Source.RACKBEAT, {"api_token": {"value": {"value": "tok-123"}}}, "en")
    assert isinstance(good, RackbeatCredentials)
    state = {
        "customer_id": {"value": {"value": "c"}},
        "customer_key": {"value": {"value": "secret-key-zz"}},
        "partner_id": {"value": {"value": "p"}},
        "partner_key": {"value": {"value": ""}},
        "organisation_id": {"value": {"value": "1234567-0"}},
    }
    errors = parse_credentials(Source.NETVISOR, state, "en")
    assert errors == {
        "partner_key": t("numbering.modal.invalid", "en"),
        "organisation_id": t("numbering.modal.invalid", "en"),
    }
    state["partner_key"] = {"value": {"value": "pk"}}
    state["organisation_id"] = {"value": {"value": "1572860-0"}}
    assert isinstance(parse_credentials(Source.NETVISOR, state, "en"), NetvisorCredentials)


@pytest.mark.parametrize(
    ("days", "language", "expected"),
    [
        (1.2, "en", "about 1 day left at 2.5 numbers a working day (around 6 Mar 2026)"),
        (1.2, "fi", "noin 1 päivä jäljellä, kun numeroita kuluu 2,5 arkipäivässä (noin 6.3.2026)"),
        (3, "fi", "noin 3 päivää jäljellä"),
    ],
)
def test_the_forecast_counts_days_and_writes_dates_the_readers_way(
    days: float, language: str, expected: str
) -> None:
    evaluation = SimpleNamespace(
        rate=SimpleNamespace(per_business_day=2.5),
        days_left=days,
        forecast=SimpleNamespace(runs_out_at=datetime(2026, 3, 6, 12, tzinfo=UTC)),
    )
    text = _forecast_text(evaluation, language)  # type: ignore[arg-type]
    assert text is not None and text.startswith(expected)
