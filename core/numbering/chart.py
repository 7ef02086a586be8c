"""A PNG of both series over time: Rackbeat's next number, Netvisor's largest, the limit, the
forecast and where they meet. Rendered headless with Agg through matplotlib's object API (no
pyplot global state, so threads can render at once). Labels come from the caller: every
user-facing word lives in the handlers' messages.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from core.numbering.model import InputField, Level, Observation, Reading
from core.numbering.view import NumberingView, SeriesView
from core.upstream import Series

RACKBEAT_COLOUR = "#1f6feb"
NETVISOR_COLOUR = "#d97706"
LIMIT_COLOUR = "#b91c1c"


@dataclass(frozen=True)
class ChartLabels:
    title: str
    series: Mapping[Series, str]
    rackbeat: str
    netvisor: str
    limit: str
    forecast: str
    meets: str
    """Annotation at the meeting point; ``{date}`` is filled in."""
    no_data: str
    levels: Mapping[Level, str]
    # Numbers on the axis and dates on the axis and in ``meets``, as the reader writes them
    # (``1 000 000`` and ``6.12.2026`` in Finnish): the caller knows the language.
    number: Callable[[float], str] = "{:,.0f}".format
    date: Callable[[date], str] = date.isoformat


def render_chart(view: NumberingView, labels: ChartLabels, dpi: int = 80) -> bytes:
    """The PNG bytes of the chart for ``view``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 6), dpi=dpi)
    figure.subplots_adjust(left=0.12, right=0.97, top=0.9, bottom=0.08, hspace=0.45)
    FigureCanvasAgg(figure)
    figure.suptitle(labels.title)
    axes = figure.subplots(len(Series), 1)
    for ax, series in zip(axes, Series, strict=True):
        _plot_series(ax, view.series[series], view.now, labels, labels.series[series])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _plot_series(
    ax: object, series: SeriesView, now: datetime, labels: ChartLabels, title: str
) -> None:
    from matplotlib.axes import Axes
    from matplotlib.dates import AutoDateLocator, num2date
    from matplotlib.ticker import FuncFormatter

    assert isinstance(ax, Axes)
    ax.set_title(f"{title}: {labels.levels[series.level]}", loc="left", fontsize=10)
    evaluation = series.evaluation
    rackbeat = _with_current(series.history.rackbeat_next, evaluation.inputs.rackbeat_next, now)
    netvisor = _with_current(series.history.netvisor_max, evaluation.inputs.netvisor_max, now)
    drawn = False
    for points, colour, label in (
        (rackbeat, RACKBEAT_COLOUR, labels.rackbeat),
        (netvisor, NETVISOR_COLOUR, labels.netvisor),
    ):
        if points:
            ax.step(
                _x(p.at for p in points),
                [p.value for p in points],
                where="post",
                color=colour,
                label=label,
                marker=".",
            )
            drawn = True
    if evaluation.ceiling is not None:
        ax.axhline(evaluation.ceiling, color=LIMIT_COLOUR, linestyle=":", label=labels.limit)
    _plot_forecast(ax, series, now, labels)
    if not drawn:
        ax.text(0.5, 0.5, labels.no_data, transform=ax.transAxes, ha="center", va="center")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: labels.number(value)))
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]  # untyped in matplotlib
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _: labels.date(num2date(value).date()))  # type: ignore[no-untyped-call]
    )
    ax.tick_params(axis="x", labelsize=7)  # whole dates: smaller, so they do not overlap
    ax.grid(alpha=0.3)
    if drawn:
        ax.legend(loc="upper left", fontsize=8)


def _plot_forecast(ax: object, series: SeriesView, now: datetime, labels: ChartLabels) -> None:
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)
    evaluation = series.evaluation
    meets_at = evaluation.forecast.runs_out_at
    moving = evaluation.inputs.get(evaluation.moving) if evaluation.moving else None
    if meets_at is None or moving is None or evaluation.ceiling is None:
        return
    ax.plot(
        _x([now, meets_at]),
        [moving.value, evaluation.ceiling],
        color=NETVISOR_COLOUR if evaluation.moving is InputField.NETVISOR_MAX else RACKBEAT_COLOUR,
        linestyle="--",
        label=labels.forecast,
    )
    ax.plot(_x([meets_at]), [evaluation.ceiling], marker="X", markersize=10, color=LIMIT_COLOUR)
    ax.annotate(
        labels.meets.format(date=labels.date(meets_at.date())),
        (_x([meets_at])[0], float(evaluation.ceiling)),
        textcoords="offset points",
        xytext=(-10, -15),
        ha="right",
        fontsize=8,
        color=LIMIT_COLOUR,
    )


def _with_current(
    history: tuple[Observation, ...], current: Reading | None, now: datetime
) -> list[Observation]:
    points = sorted(history, key=lambda p: p.at)
    if current is not None:
        points.append(Observation(now, current.value))
    return points


def _x(times: Iterable[datetime]) -> list[float]:
    """Matplotlib's date numbers (days since its epoch, UTC)."""
    from matplotlib.dates import date2num

    return [float(date2num(moment)) for moment in times]  # type: ignore[no-untyped-call]
