"""The numbering watch in Slack: status and alert messages, the setup and connect modals.

Pure functions of ``core.numbering`` objects. Buttons carry only the series (``value``);
tenancy comes from the signed payload's team and channel, and permissions are checked again
in ``core``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from core.numbering.alerts import NoticeKind
from core.numbering.chart import ChartLabels
from core.numbering.checker import Delivery
from core.numbering.evaluate import SeriesEvaluation
from core.numbering.model import InputField, Level, Reading, Strategy
from core.numbering.notes import Note, NoteCode
from core.numbering.view import Connection, NumberingView, SeriesView
from core.tenancy import Channel
from core.upstream import Series, Source
from handlers.blocks.checklist import Block, SlackMessage, button, context, section
from handlers.blocks.upstream import failure_text
from handlers.messages import t
from handlers.messages.formatting import format_date, format_number, format_when, mention, tn

ACTION_SETUP = "numbering:setup"
ACTION_CHECK = "numbering:check"
ACTION_ACK = "numbering:ack"
ACTION_SNOOZE = "numbering:snooze"
SETUP_CALLBACK = "numbering_setup"
CONNECT_CALLBACK = "numbering_connect"
"""``numbering_connect:rackbeat`` / ``numbering_connect:netvisor``."""

LEVEL_ICONS: dict[Level, str] = {
    Level.OK: ":large_green_circle:",
    Level.WARNING: ":large_yellow_circle:",
    Level.UNKNOWN: ":white_circle:",
    Level.CRITICAL: ":red_circle:",
    Level.COLLISION: ":rotating_light:",
}
THRESHOLD_FIELDS = ("warning_days", "warning_numbers", "critical_days", "critical_numbers")
NETVISOR_FIELDS = ("customer_id", "customer_key", "partner_id", "partner_key", "organisation_id")


# --- words ---------------------------------------------------------------------------------


def number(value: int, language: str) -> str:
    """``1,000,024`` in English, ``1 000 024`` (no-break spaces) in Finnish."""
    return format_number(value, language)


def age(moment: datetime, now: datetime, language: str) -> str:
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 1:
        return t("numbering.age.now", language)
    if minutes < 60:
        return t("numbering.age.minutes", language, n=minutes)
    if minutes < 48 * 60:
        return t("numbering.age.hours", language, n=minutes // 60)
    return t("numbering.age.days", language, n=minutes // (24 * 60))


def level_word(level: Level, language: str) -> str:
    return t(f"numbering.level.{level.value}", language)


def series_word(series: Series, language: str) -> str:
    return t(f"numbering.series.{series.value}", language)


def field_word(field: InputField, language: str) -> str:
    return t(f"numbering.field.{field.value}", language)


def source_word(source: Source, language: str) -> str:
    return t(f"numbering.source.{source.value}", language)


def note_text(note: Note, language: str) -> str:
    params: dict[str, Any] = {
        "field": field_word(note.field, language) if note.field else "",
        "source": source_word(note.source, language) if note.source else "",
        "when": format_when(note.since, language) if note.since else "–",
        "value": number(note.value, language) if note.value is not None else "",
        "detail": note.detail or "",
    }
    if note.code is NoteCode.SOURCE_FAILING and note.source and note.detail:
        params["detail"] = failure_text(note.source, note.detail, language)
    return t(f"numbering.note.{note.code.value}", language, **params)


def _forecast_text(evaluation: SeriesEvaluation, language: str) -> str | None:
    rate = evaluation.rate.per_business_day if evaluation.rate else None
    days = evaluation.days_left
    if rate is None or days is None:
        return None
    rate_text = format_number(rate, language, 1)
    when = evaluation.forecast.runs_out_at
    if when is None:
        return t("numbering.forecast.far", language, rate=rate_text)
    date = format_date(when, language)
    left = tn("numbering.count.days", language, round(days))
    return t("numbering.forecast.days", language, days=left, rate=rate_text, date=date)


def _reading_line(
    series: Series, field: InputField, reading: Reading | None, now: datetime, language: str
) -> str:
    if reading is None:
        return t(
            "numbering.value.missing",
            language,
            field=field_word(field, language),
            series=series.value,
            field_id=field.value,
        )
    return t(
        "numbering.value",
        language,
        field=field_word(field, language),
        value=number(reading.value, language),
        source=source_word(reading.source, language),
        age=age(reading.observed_at, now, language),
    )


def series_detail(series: Series, view: SeriesView, now: datetime, language: str) -> list[str]:
    """Headroom, forecast and reasons of one series, one line each."""
    evaluation = view.evaluation
    lines = []
    if evaluation.headroom is not None and evaluation.ceiling is not None:
        # A headroom of zero or less is an overlap: never "-1 000 numbers left".
        lines.append(
            t(
                "numbering.headroom" if evaluation.headroom > 0 else "numbering.headroom.none",
                language,
                headroom=tn("numbering.count.numbers", language, evaluation.headroom),
                limit=t(f"numbering.headroom.limit.{evaluation.strategy.value}", language),
                ceiling=number(evaluation.ceiling, language),
            )
        )
    forecast = _forecast_text(evaluation, language)
    if forecast:
        lines.append(forecast)
    lines.extend(note_text(note, language) for note in evaluation.notes)
    return lines


def _series_section(series: Series, view: SeriesView, now: datetime, language: str) -> Block:
    evaluation = view.evaluation
    heading = t(
        "numbering.status.series",
        language,
        icon=LEVEL_ICONS[view.level],
        series=series_word(series, language),
        level=level_word(view.level, language),
        strategy=t(f"numbering.strategy.{evaluation.strategy.value}", language),
    )
    details = series_detail(series, view, now, language)
    return section("\n".join([heading, *(f"• {line}" for line in details)]))


def _values_context(series: Series, view: SeriesView, now: datetime, language: str) -> Block:
    fields = [InputField.RACKBEAT_NEXT, InputField.NETVISOR_MAX]
    if view.evaluation.strategy is Strategy.MIXED:
        fields.append(InputField.NETVISOR_BLOCK_START)
    inputs = view.evaluation.inputs
    return context(
        " · ".join(_reading_line(series, f, inputs.get(f), now, language) for f in fields)
    )


def _alert_state_lines(view: SeriesView, now: datetime, language: str) -> list[str]:
    state, lines = view.alert, []
    if state.acknowledged is not None:
        lines.append(
            t("numbering.acknowledged", language, level=level_word(state.acknowledged, language))
        )
    if state.snoozed_until is not None and state.snoozed_until > now:
        lines.append(
            t("numbering.snoozed", language, when=format_when(state.snoozed_until, language))
        )
    return lines


def _connection_line(source: Source, connection: Connection | None, language: str) -> str:
    name = source_word(source, language)
    if connection is None:
        return t("numbering.connection.none", language, source=name, source_id=source.value)
    line = t(
        "numbering.connection.connected",
        language,
        source=name,
        company=connection.company,
        who=mention(connection.connected_by),
        when=format_when(connection.connected_at, language),
    )
    if connection.consecutive_failures and connection.failing_since:
        line += t(
            "numbering.connection.failing",
            language,
            failure=failure_text(source, connection.last_error or "?", language),
            when=format_when(connection.failing_since, language),
        )
    return line


# --- messages --------------------------------------------------------------------------------


def status_text(view: NumberingView, language: str) -> str:
    return t(
        "numbering.status.text",
        language,
        order=level_word(view.series[Series.ORDER].level, language),
        invoice=level_word(view.series[Series.INVOICE].level, language),
    )


def status_message(view: NumberingView, language: str) -> SlackMessage:
    """``/rackbeat numbering``: both series, their values with source and age, the
    connections, the thresholds, and buttons for the setup modal and a check now."""
    now = view.now
    title = t("numbering.status.title", language, company=view.onboarding.company_name)
    blocks: list[Block] = [section(f"*{title}*")]
    for series in Series:
        series_view = view.series[series]
        blocks.append(_series_section(series, series_view, now, language))
        blocks.append(_values_context(series, series_view, now, language))
        state_lines = _alert_state_lines(series_view, now, language)
        if state_lines:
            blocks.append(context(" ".join(state_lines)))
    connections = [
        _connection_line(s, view.connections.get(s), language)
        for s in Source
        if s is not Source.MANUAL
    ]
    thresholds = view.config.thresholds
    checked = [v.checked_at for v in view.series.values() if v.checked_at is not None]
    checked_line = (
        t("numbering.checked", language, when=format_when(max(checked), language))
        if checked
        else t("numbering.checked.never", language)
    )
    blocks.append(
        context(
            "\n".join(
                [
                    *connections,
                    t(
                        "numbering.thresholds",
                        language,
                        **{f: number(getattr(thresholds, f), language) for f in THRESHOLD_FIELDS},
                    ),
                    checked_line,
                ]
            )
        )
    )
    blocks.append(
        {
            "type": "actions",
            "block_id": "numbering:actions",
            "elements": [
                button(t("numbering.button.setup", language), ACTION_SETUP, "setup"),
                button(t("numbering.button.check", language), ACTION_CHECK, "check"),
            ],
        }
    )
    return SlackMessage(status_text(view, language), blocks)


def alert_message(delivery: Delivery, language: str) -> SlackMessage:
    """An alert, a reminder or the all-clear for one series, with its buttons."""
    view, series = delivery.view, delivery.series
    series_view = view.series[series]
    heading = t(
        f"numbering.alert.{delivery.kind.value}",
        language,
        icon=LEVEL_ICONS[delivery.level],
        series=series_word(series, language),
        level=level_word(delivery.level, language),
    )
    blocks: list[Block] = [section(f"{heading}\n*{view.onboarding.company_name}*")]
    if delivery.kind is not NoticeKind.ALL_CLEAR:
        details = series_detail(series, series_view, view.now, language)
        if details:
            blocks.append(section("\n".join(f"• {line}" for line in details)))
    blocks.append(_values_context(series, series_view, view.now, language))
    if delivery.kind is not NoticeKind.ALL_CLEAR:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"numbering:alert:{delivery.alert_id}",
                "elements": [
                    button(t("numbering.button.ack", language), ACTION_ACK, series.value),
                    button(t("numbering.button.snooze", language), ACTION_SNOOZE, series.value),
                    button(t("numbering.button.check", language), ACTION_CHECK, series.value),
                ],
            }
        )
    return SlackMessage(heading, blocks)


def chart_labels(view: NumberingView, language: str) -> ChartLabels:
    return ChartLabels(
        title=t("numbering.chart.title", language, company=view.onboarding.company_name),
        series={series: series_word(series, language) for series in Series},
        rackbeat=t("numbering.chart.rackbeat", language),
        netvisor=t("numbering.chart.netvisor", language),
        limit=t("numbering.chart.limit", language),
        forecast=t("numbering.chart.forecast", language),
        meets=t("numbering.chart.meets", language, date="{date}"),
        no_data=t("numbering.chart.no_data", language),
        levels={level: level_word(level, language) for level in Level},
        number=lambda value: format_number(round(value), language),
        date=lambda day: format_date(day, language),
    )


# --- modals ----------------------------------------------------------------------------------


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:150], "emoji": True}


def metadata(where: Channel) -> str:
    return json.dumps({"team": where.team_id, "channel": where.channel_id})


def _strategy_input(series: Series, current: Strategy, language: str) -> Block:
    options = [
        {"text": _plain(t(f"numbering.strategy.{s.value}", language)), "value": s.value}
        for s in Strategy
    ]
    chosen = next(o for o in options if o["value"] == current.value)
    return {
        "type": "input",
        "block_id": f"strategy.{series.value}",
        "label": _plain(
            t("numbering.modal.strategy", language, series=series_word(series, language))
        ),
        "element": {
            "type": "static_select",
            "action_id": "value",
            "options": options,
            "initial_option": chosen,
        },
    }


def _value_input(
    series: Series, field: InputField, current: Reading | None, language: str
) -> Block:
    element: Block = {"type": "plain_text_input", "action_id": "value"}
    if current is not None:
        shown = number(current.value, language)
        element["placeholder"] = _plain(t("numbering.modal.current", language, value=shown))
    return {
        "type": "input",
        "block_id": f"value.{series.value}.{field.value}",
        "optional": True,
        "label": _plain(
            t(
                "numbering.modal.value",
                language,
                series=series_word(series, language),
                field=field_word(field, language),
            )
        ),
        "hint": _plain(t("numbering.modal.value.hint", language)),
        "element": element,
    }


def _threshold_input(name: str, value: int, language: str) -> Block:
    return {
        "type": "input",
        "block_id": f"threshold.{name}",
        "label": _plain(t(f"numbering.modal.{name}", language)),
        "element": {
            "type": "number_input",
            "action_id": "value",
            "is_decimal_allowed": False,
            "initial_value": str(value),
            "min_value": "0",
        },
    }


def setup_modal(view: NumberingView, where: Channel, language: str) -> dict[str, Any]:
    """Strategy per series, manual values (empty keeps the current one) and thresholds."""
    blocks: list[Block] = []
    for series in Series:
        blocks.append(_strategy_input(series, view.config.strategies[series], language))
    for series in Series:
        inputs = view.series[series].evaluation.inputs
        for field in InputField:
            blocks.append(_value_input(series, field, inputs.get(field), language))
    thresholds = view.config.thresholds
    blocks.extend(_threshold_input(n, getattr(thresholds, n), language) for n in THRESHOLD_FIELDS)
    return {
        "type": "modal",
        "callback_id": SETUP_CALLBACK,
        "private_metadata": metadata(where),
        "title": _plain(t("numbering.modal.setup.title", language)),
        "submit": _plain(t("numbering.modal.save", language)),
        "close": _plain(t("numbering.modal.cancel", language)),
        "blocks": blocks,
    }


def _text_input(name: str, label: str, *, optional: bool = False) -> Block:
    return {
        "type": "input",
        "block_id": name,
        "optional": optional,
        "label": _plain(label),
        "element": {"type": "plain_text_input", "action_id": "value"},
    }


def connect_modal(source: Source, where: Channel, language: str) -> dict[str, Any]:
    """Credential fields for ``source``; nothing is ever filled in from storage."""
    name = source_word(source, language)
    blocks: list[Block] = [section(t("numbering.modal.connect.intro", language, source=name))]
    if source is Source.RACKBEAT:
        blocks.append(_text_input("api_token", t("numbering.modal.rackbeat.token", language)))
    else:
        blocks.extend(
            _text_input(field, t(f"numbering.modal.netvisor.{field}", language))
            for field in NETVISOR_FIELDS
        )
    return {
        "type": "modal",
        "callback_id": f"{CONNECT_CALLBACK}:{source.value}",
        "private_metadata": metadata(where),
        "title": _plain(t("numbering.modal.connect.title", language, source=name)),
        "submit": _plain(t("numbering.modal.connect.submit", language)),
        "close": _plain(t("numbering.modal.cancel", language)),
        "blocks": blocks,
    }


def notice_modal(title: str, text: str, language: str) -> dict[str, Any]:
    """A modal that only says something (testing…, connected, failed)."""
    return {
        "type": "modal",
        "title": _plain(title),
        "close": _plain(t("numbering.modal.close", language)),
        "blocks": [section(text)],
    }
