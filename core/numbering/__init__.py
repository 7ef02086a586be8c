"""The numbering watch: will Rackbeat's and Netvisor's order and invoice numbers collide, and when.

Pure functions over plain values: ``model`` (vocabulary), ``thresholds`` (levels),
``calendar`` and ``forecast`` (rates per weekday, days left), ``freshness`` (stale data and
failing sources), ``evaluate`` (one series, both strategies).
"""

from core.numbering.evaluate import EvaluationContext, SeriesEvaluation, evaluate_series
from core.numbering.forecast import Forecast, RateEstimate, RatePolicy, estimate_rate, forecast
from core.numbering.freshness import FreshnessPolicy, SourceHealth
from core.numbering.model import (
    InputField,
    Level,
    Observation,
    Reading,
    SeriesHistory,
    SeriesInputs,
    Strategy,
    effective_rackbeat_next,
    worst,
)
from core.numbering.notes import Note, NoteCode
from core.numbering.thresholds import Thresholds, level_for
from core.upstream import Series, Source, parse_number

__all__ = [
    "EvaluationContext",
    "Forecast",
    "FreshnessPolicy",
    "InputField",
    "Level",
    "Note",
    "NoteCode",
    "Observation",
    "RateEstimate",
    "RatePolicy",
    "Reading",
    "Series",
    "SeriesEvaluation",
    "SeriesHistory",
    "SeriesInputs",
    "Source",
    "SourceHealth",
    "Strategy",
    "Thresholds",
    "effective_rackbeat_next",
    "estimate_rate",
    "evaluate_series",
    "forecast",
    "level_for",
    "parse_number",
    "worst",
]
