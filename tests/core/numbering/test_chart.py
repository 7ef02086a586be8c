"""The chart renders headless for any view, with or without data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.numbering import (
    EvaluationContext,
    Level,
    Observation,
    Reading,
    SeriesHistory,
    SeriesInputs,
    Strategy,
    evaluate_series,
)
from core.numbering.alerts import AlertState
from core.numbering.chart import ChartLabels, render_chart
from core.numbering.repository import NumberingConfig
from core.numbering.view import NumberingView, OnboardingRef, SeriesView
from core.upstream import Series, Source

NOW = datetime(2025, 1, 17, 10, tzinfo=UTC)
LABELS = ChartLabels(
    title="Testi Oy",
    series={Series.ORDER: "Orders", Series.INVOICE: "Invoices"},
    rackbeat="Rackbeat",
    netvisor="Netvisor",
    limit="limit",
    forecast="forecast",
    meets="meets {date}",
    no_data="no data",
    levels={level: level.value for level in Level},
)


def view_of(inputs: SeriesInputs, history: SeriesHistory) -> NumberingView:
    evaluation = evaluate_series(
        Series.INVOICE, Strategy.MIXED, inputs, history, EvaluationContext(NOW)
    )
    series = SeriesView(evaluation, history, AlertState(), NOW)
    return NumberingView(
        OnboardingRef(1, "T1", "C1", "Testi Oy", "en"),
        NumberingConfig.default(),
        {Series.ORDER: series, Series.INVOICE: series},
        {},
        NOW,
    )


def test_a_forecast_chart_is_a_png() -> None:
    history = SeriesHistory(
        rackbeat_next=tuple(
            Observation(NOW - timedelta(days=20 - d), 999_000 + 20 * d) for d in range(21)
        )
    )
    inputs = SeriesInputs(
        Reading(999_500, Source.MANUAL, NOW),
        Reading(1_000_010, Source.NETVISOR, NOW),
        Reading(1_000_000, Source.MANUAL, NOW),
    )
    view = view_of(inputs, history)
    assert view.series[Series.INVOICE].evaluation.forecast.runs_out_at is not None
    png = render_chart(view, LABELS)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert 10_000 < len(png) < 500_000


def test_a_chart_without_any_data_still_renders() -> None:
    png = render_chart(view_of(SeriesInputs(), SeriesHistory()), LABELS)
    assert png.startswith(b"\x89PNG")
