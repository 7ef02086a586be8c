"""What every register shares: cleaning, checks by column kind, uniqueness, issue frames.

A rule is a ``Check``: a boolean polars expression that is true on the rows with the issue. All
checks of a batch are counted in one ``select`` (polars runs them in parallel); only those
that hit are filtered into issue rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

import polars as pl

from core.registers import values
from core.registers.columns import SCHEMAS, Column, Kind
from core.registers.header import HeaderMap
from core.registers.known import KnownRegisters, Snapshot
from core.registers.model import Register, Valuation
from core.registers.reading import ROW

ISSUE_SCHEMA: dict[str, pl.DataType] = {
    "row": pl.Int64(),
    "column": pl.String(),
    "code": pl.String(),
    "value": pl.String(),
    "message": pl.String(),
}


def empty_issues() -> pl.DataFrame:
    return pl.DataFrame(schema=ISSUE_SCHEMA)


def issue_frame(
    rows: list[int | None],
    column: str | None,
    code: str,
    values_: list[str | None],
    messages: list[str],
) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "row": rows,
            "column": [column] * len(rows),
            "code": [code] * len(rows),
            "value": values_,
            "message": messages,
        },
        schema=ISSUE_SCHEMA,
    )


@dataclass(frozen=True)
class Check:
    code: str
    column: str | None
    mask: pl.Expr
    message: pl.Expr | str
    value: pl.Expr | None = None
    # Looks again at the (few) issue rows, e.g. to let a library confirm them.
    refine: Callable[[pl.DataFrame], pl.DataFrame] | None = None


@dataclass
class Context:
    """What a file is checked against: the registers known so far, valuation, today."""

    known: KnownRegisters
    valuation: Valuation | None
    today: date


def t(name: str) -> str:
    """Derived column names: cleaned decimal text."""
    return f"{name}__t"


def n(name: str) -> str:
    """Derived column names: numeric value."""
    return f"{name}__n"


def b(name: str) -> str:
    """Derived column names: boolean value."""
    return f"{name}__b"


def d(name: str) -> str:
    """Derived column names: date value."""
    return f"{name}__d"


@dataclass
class _Marks:
    decided: dict[str, str] = field(default_factory=dict)


class RegisterRules:
    """The validator of one file of one register; subclasses add the register's own rules."""

    register: Register
    required_codes: ClassVar[dict[str, str]] = {}

    def __init__(self, header: HeaderMap, context: Context) -> None:
        self.header = header
        self.context = context
        self.columns: list[Column] = [
            c for c in SCHEMAS[header.register] if c.name in header.positions
        ]
        self.present = {c.name for c in self.columns}
        self._marks = _Marks()
        self._keys: list[pl.DataFrame] = []

    # -- preparing a batch ------------------------------------------------------------------

    @property
    def decimal_marks(self) -> dict[str, str]:
        return dict(self._marks.decided)

    def prepare(self, raw: pl.DataFrame) -> pl.DataFrame:
        """Canonical, cleaned columns plus parsed values; fully empty rows dropped.

        One lazy query: polars shares common subexpressions and runs columns in parallel.
        """
        looks = self._look(raw)
        cleaned = [
            values.clean(
                self._raw(c), apostrophe=c.kind != Kind.TEXT and looks[f"{c.name}:'"]
            ).alias(c.name)
            for c in self.columns
        ]
        query = raw.lazy().select(pl.col(ROW), *cleaned)
        if self.columns:
            query = query.filter(
                pl.any_horizontal(pl.col(c.name).is_not_null() for c in self.columns)
            )
        derived: list[pl.Expr] = []
        for c in self.columns:
            col = pl.col(c.name)
            if c.kind == Kind.DECIMAL:
                text = values.decimal_text(col) if looks[f"{c.name}:group"] else col
                derived.append(text.alias(t(c.name)))
                derived.append(values.decimal_value(text).alias(n(c.name)))
            elif c.kind == Kind.BOOL:
                exact = looks[f"{c.name}:exact"]
                derived.append(values.boolean(col, lowercase=not exact).alias(b(c.name)))
            elif c.kind == Kind.DATE:
                derived.append(values.date(col).alias(d(c.name)))
        frame = query.with_columns(derived).collect() if derived else query.collect()
        self._decide_marks(frame)
        return frame

    def _raw(self, column: Column) -> pl.Expr:
        return pl.col(f"f{self.header.positions[column.name]}")

    def _look(self, raw: pl.DataFrame) -> dict[str, bool]:
        """Cheap per-batch facts that let ``prepare`` skip work most files never need:
        Excel's leading apostrophe, thousands separators, yes/no words in other cases."""
        facts: list[pl.Expr] = []
        for c in self.columns:
            col = self._raw(c)
            facts.append(col.str.starts_with("'").any().alias(f"{c.name}:'"))
            if c.kind == Kind.DECIMAL:
                group = col.str.contains(values.GROUP_CHARS).any()
                facts.append(group.alias(f"{c.name}:group"))
            elif c.kind == Kind.BOOL:
                exact = (col.is_null() | col.is_in(values.BOOLEAN_WORDS)).all()
                facts.append(exact.alias(f"{c.name}:exact"))
        if not facts or raw.height == 0:
            return {str(e.meta.output_name()): True for e in facts}
        return {
            k: bool(v) for k, v in raw.lazy().select(facts).collect().row(0, named=True).items()
        }

    def _decide_marks(self, frame: pl.DataFrame) -> None:
        """Fix each decimal column's mark from the first batch that shows one.

        Values that cannot be thousands-grouped (`12,50`, `3.5`) vote; `1,234`-like values vote
        only when nothing else does. A tie goes to `,`, the Finnish mark.
        """
        for c in self.columns:
            if c.kind != Kind.DECIMAL or c.name in self._marks.decided:
                continue
            text = pl.col(t(c.name))
            valid = values.decimal_valid(text)
            mark = values.decimal_mark(text)
            loose = text.str.contains(values.THOUSANDS_LIKE)
            votes = frame.select(
                clear_comma=(valid & ~loose & (mark == ",")).sum(),
                clear_point=(valid & ~loose & (mark == ".")).sum(),
                loose_comma=(valid & loose & (mark == ",")).sum(),
                loose_point=(valid & loose & (mark == ".")).sum(),
            ).row(0)
            comma, point = votes[0], votes[1]
            if comma == point == 0:
                comma, point = votes[2], votes[3]
            if comma or point:
                self._marks.decided[c.name] = "," if comma >= point else "."

    # -- checks -----------------------------------------------------------------------------

    def kind_checks(self) -> list[Check]:
        checks: list[Check] = []
        for c in self.columns:
            col = pl.col(c.name)
            if c.required:
                code = self.required_codes.get(c.name, "required_missing")
                checks.append(
                    Check(code, c.name, col.is_null(), f"{c.name} is required", pl.lit(None))
                )
            if c.max_len is not None:
                checks.append(
                    Check(
                        "too_long",
                        c.name,
                        col.str.len_chars() > c.max_len,
                        pl.format(
                            f"{{}} characters, at most {c.max_len} allowed", col.str.len_chars()
                        ),
                    )
                )
            checks.extend(self._kind_check(c))
        return checks

    def _kind_check(self, c: Column) -> list[Check]:
        col = pl.col(c.name)
        if c.kind == Kind.TEXT:
            return [
                Check(
                    "formula_like_text",
                    c.name,
                    col.str.contains(values.FORMULA_START),
                    "starts like a spreadsheet formula",
                )
            ]
        if c.kind == Kind.REF:
            return [
                Check(
                    "reference_not_number",
                    c.name,
                    col.is_not_null() & ~col.str.contains(r"^[0-9]+$"),
                    f"{c.name} must be a number, not a name",
                )
            ]
        if c.kind == Kind.BOOL:
            return [
                Check(
                    "boolean_invalid",
                    c.name,
                    col.is_not_null() & pl.col(b(c.name)).is_null(),
                    "not a yes/no value",
                )
            ]
        if c.kind == Kind.DATE:
            return [
                Check(
                    "date_invalid",
                    c.name,
                    col.is_not_null() & pl.col(d(c.name)).is_null(),
                    "not a date: write D.M.YYYY, DD.MM.YYYY or YYYY-MM-DD",
                ),
                Check(
                    "date_in_future",
                    c.name,
                    pl.col(d(c.name)) > pl.lit(self.context.today),
                    "the date is in the future",
                ),
            ]
        if c.kind == Kind.DECIMAL:
            return self._decimal_checks(c)
        return []

    def _decimal_checks(self, c: Column) -> list[Check]:
        col = pl.col(c.name)
        checks = [
            Check(
                "decimal_invalid",
                c.name,
                col.is_not_null() & pl.col(n(c.name)).is_null(),
                "not a number",
            )
        ]
        mark = self._marks.decided.get(c.name)
        if mark is not None:
            other = "." if mark == "," else ","
            checks.append(
                Check(
                    "decimal_ambiguous",
                    c.name,
                    col.str.contains(values.THOUSANDS_LIKE) & col.str.contains(other, literal=True),
                    f"the column uses '{mark}' as decimal mark; write this value without '{other}'",
                )
            )
        if c.min_value is not None:
            checks.append(
                Check(
                    "negative_value",
                    c.name,
                    pl.col(n(c.name)) < c.min_value,
                    "must not be negative",
                )
            )
        return checks

    def checks(self) -> list[Check]:
        """Every check of this register; subclasses extend."""
        return self.kind_checks()

    def check_batch(self, frame: pl.DataFrame) -> list[pl.DataFrame]:
        """Issues of one prepared batch (and remembers what end-of-file rules need)."""
        self.remember(frame)
        return run_checks(frame, self.checks())

    def remember(self, frame: pl.DataFrame) -> None:
        """Keep the keys for uniqueness: (row, number) of the register's key column."""
        key = self.key_column()
        if key and key in self.present:
            self._keys.append(
                frame.select(pl.col(ROW).cast(pl.Int32), pl.col(key)).filter(
                    pl.col(key).is_not_null()
                )
            )

    def key_column(self) -> str | None:
        return "number"

    def keys(self) -> pl.DataFrame:
        key = self.key_column() or "number"
        if not self._keys:
            return pl.DataFrame(schema={ROW: pl.Int32, key: pl.String})
        return pl.concat(self._keys, rechunk=False)

    def finish(self) -> list[pl.DataFrame]:
        """End-of-file rules: duplicate numbers."""
        key = self.key_column()
        if not key or key not in self.present:
            return []
        return [duplicates(self.keys(), key, "duplicate_number")]

    def snapshot(self) -> Snapshot:
        key = self.key_column() or "number"
        return Snapshot(self.header.register, self.keys().get_column(key).unique().sort())


def duplicates(keys: pl.DataFrame, key: str, code: str, by: Iterable[str] = ()) -> pl.DataFrame:
    """Every repeat of a key after its first row, pointing at that first row.

    Sort-based: a hash-based ``is_duplicated`` over a million keys costs ~100 MB more.
    """
    group = [*by, key]
    # Sorting by a 64-bit hash first is several times faster than by the strings; equal keys
    # have equal hashes, and the strings break the (rare) ties of different keys.
    digest = pl.struct(group).hash() if len(group) > 1 else pl.col(key).hash()
    ordered = keys.with_columns(digest.alias("__hash")).sort(["__hash", *group, ROW])
    same_prev = pl.all_horizontal(pl.col(k) == pl.col(k).shift(1) for k in group)
    same_next = pl.all_horizontal(pl.col(k) == pl.col(k).shift(-1) for k in group)
    involved = ordered.filter((same_prev | same_next).fill_null(False))
    found = (
        involved.with_columns(first=pl.col(ROW).min().over(group))
        .filter(pl.col(ROW) != pl.col("first"))
        .sort(ROW)
    )
    return found.select(
        row=pl.col(ROW).cast(pl.Int64),
        column=pl.lit(key, pl.String),
        code=pl.lit(code, pl.String),
        value=pl.col(key),
        message=pl.format("also on row {}", pl.col("first")),
    )


def run_checks(frame: pl.DataFrame, checks: list[Check]) -> list[pl.DataFrame]:
    """Issue frames of ``checks`` on ``frame``.

    Every mask is computed once, in one lazy query; issue rows are then built only from the
    few rows that have any issue.
    """
    if not checks or frame.height == 0:
        return []
    masks = (
        frame.lazy()
        .select([c.mask.fill_null(False).alias(f"m{i}") for i, c in enumerate(checks)])
        .collect()
    )
    hits = masks.sum().row(0)
    if not any(hits):
        return []
    any_hit = masks.select(pl.any_horizontal(pl.all())).to_series()
    rows, row_masks = frame.filter(any_hit), masks.filter(any_hit)
    out: list[pl.DataFrame] = []
    for i, (count, check) in enumerate(zip(hits, checks, strict=True)):
        if count:
            issues = _issues(rows.filter(row_masks.get_column(f"m{i}")), check)
            out.append(check.refine(issues) if check.refine else issues)
    return out


def _issues(rows: pl.DataFrame, check: Check) -> pl.DataFrame:
    value = check.value if check.value is not None else pl.col(check.column or ROW)
    message = check.message if isinstance(check.message, pl.Expr) else pl.lit(check.message)
    # rechunk: polars 2.1 panics in pl.format over some multi-chunk filter results.
    return rows.rechunk().select(
        row=pl.col(ROW).cast(pl.Int64),
        column=pl.lit(check.column, pl.String),
        code=pl.lit(check.code, pl.String),
        value=value.cast(pl.String),
        message=message.cast(pl.String),
    )


def python_lookup(
    frame: pl.DataFrame,
    column: str,
    verdict: Callable[[str], str | None],
    cache: dict[str, str | None],
) -> pl.Series:
    """Per distinct value, ``verdict`` (an issue code or None) computed once in Python.

    For rules a maintained library answers better than an expression (business ids, VAT
    numbers, IBANs); registers of customers and suppliers are small enough for it.
    """
    for value in frame.get_column(column).drop_nulls().unique().to_list():
        if value not in cache:
            cache[value] = verdict(value)
    return frame.get_column(column).replace_strict(cache, default=None, return_dtype=pl.String)
