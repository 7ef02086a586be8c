"""The numbering chart in Finnish: labels, numbers on the axis and dates, checked from what
the renderer is given and what it asks the labels to format."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta

from core.numbering import Observation, Reading, SeriesHistory, SeriesInputs
from core.numbering.chart import ChartLabels, render_chart
from core.upstream import Series, Source
from handlers.blocks.numbering import chart_labels
from tests.core.numbering.test_chart import NOW, view_of
from tests.handlers.test_finnish_catalogue import english_words


def forecast_view():  # type: ignore[no-untyped-def]
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
    return view_of(inputs, history)


def recording(labels: ChartLabels) -> tuple[ChartLabels, list[str], list[str]]:
    """The same labels, remembering every number and date the renderer has them format."""
    numbers: list[str] = []
    dates: list[str] = []

    def number(value: float) -> str:
        numbers.append(labels.number(value))
        return numbers[-1]

    def day(value: date) -> str:
        dates.append(labels.date(value))
        return dates[-1]

    return dataclasses.replace(labels, number=number, date=day), numbers, dates


def test_the_finnish_chart_has_finnish_words_numbers_and_dates() -> None:
    view = forecast_view()
    labels = chart_labels(view, "fi")
    words = [
        labels.title,
        labels.rackbeat,
        labels.netvisor,
        labels.limit,
        labels.forecast,
        labels.meets.format(date="17.1.2025"),
        labels.no_data,
        *labels.series.values(),
        *labels.levels.values(),
    ]
    assert [w for w in words if english_words(w)] == []
    assert labels.series[Series.INVOICE] == "Myyntilaskut"

    spy, numbers, dates = recording(labels)
    png = render_chart(view, spy)
    assert png.startswith(b"\x89PNG")
    # The axis: Finnish thousands (no-break spaces), never `1,000,000`.
    assert numbers and all("," not in n for n in numbers)
    assert any(re.fullmatch(r"1\u00a0000\u00a0000", n) for n in numbers)
    # Dates on the axis and at the meeting point: 17.1.2025, not 2025-01-17 nor "Jan".
    assert dates and all(re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", d) for d in dates)
    meets = view.series[Series.INVOICE].evaluation.forecast.runs_out_at
    assert meets is not None
    assert f"{meets.day}.{meets.month}.{meets.year}" in dates


def test_the_english_chart_keeps_english_formats() -> None:
    spy, numbers, dates = recording(chart_labels(forecast_view(), "en"))
    render_chart(forecast_view(), spy)
    assert "1,000,000" in numbers
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", d) for d in dates)
