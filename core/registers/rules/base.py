"""What every register shares: cleaning, checks by column kind, uniqueness, issue frames.

A rule is a ``Check``: a boolean polars expression that is true on the rows with the issue. All
checks of a batch are counted in one ``select`` (polars runs them in parallel); only those
that hit are filtered into issue rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
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
    # What the wording needs besides code, column and value: a JSON object of strings, or
    # null. Words live in ``handlers/messages`` (per language); core only names the facts.
    "params": pl.String(),
}


def empty_issues() -> pl.DataFrame:
    return pl.DataFrame(schema=ISSUE_SCHEMA)


def issue_frame(
    rows: list[int | None],
    column: str | None,
    code: str,
    values_: list[str | None],
    params: list[Mapping[str, object] | None] | None = None,
) -> pl.DataFrame:
    encoded = [encode_params(p) for p in params] if params else [None] * len(rows)
    return pl.DataFrame(
        {
            "row": rows,
            "column": [column] * len(rows),
            "code": [code] * len(rows),
            "value": values_,
            "params": encoded,
        },
        schema=ISSUE_SCHEMA,
    )


def encode_params(params: Mapping[str, object] | None) -> str | None:
    """Issue parameters as the ``params`` cell holds them (JSON, values as strings)."""
    if not params:
        return None
    return json.dumps({k: str(v) for k, v in params.items()}, ensure_ascii=False)


def params_expr(**params: pl.Expr) -> pl.Expr:
    """The ``params`` cell of each issue row from expressions (vectorised ``encode_params``)."""
    fields = [e.cast(pl.String).alias(k) for k, e in params.items()]
    return pl.struct(fields).struct.json_encode()


@dataclass(frozen=True)
class Check:
    code: str
    column: str | None
    mask: pl.Expr
    # Facts the wording needs beyond code, column and value (``{"max": pl.lit("25")}``).
    params: Mapping[str, pl.Expr] | None = None
    value: pl.Expr | None = None
    # Looks again at the (few) issue rows, e.g. to let a library confirm them.
    refine: Callable[[pl.DataFrame], pl.DataFrame] | None = None


# The checks run on a batch in another thread, and the issues they found there.
Ahead = tuple[list[Check], list[pl.DataFrame]]


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


def x(name: str) -> str:
    """Derived column names: true when the value has anything but digits (``not_digits``)."""
    return f"{name}__x"


@dataclass(frozen=True)
class RareWork:
    """Work that few rows need, done on those rows only: ``rows`` (a boolean expression over
    the prepared batch) picks them, and ``outputs`` are recomputed there, in turn, each a
    column name and how to compute it from the one before (the first from ``source``). Exact
    as long as every output already holds, on the other rows, what its computation would
    give."""

    rows: pl.Expr
    source: str
    outputs: tuple[tuple[str, Callable[[pl.Expr], pl.Expr]], ...]


def with_rare_work(frame: pl.DataFrame, work: list[RareWork]) -> pl.DataFrame:
    """``frame`` with every ``RareWork`` done: one pass finds the rows, then the outputs are
    recomputed on those rows only (a thousand rows cost nothing next to a batch)."""
    if not work or frame.height == 0:
        return frame
    picked = frame.select(w.rows.arg_true().implode().alias(str(i)) for i, w in enumerate(work))
    changed: list[pl.Series] = []
    for i, w in enumerate(work):
        rows = picked.get_column(str(i))[0]
        if rows.len():
            redone = frame.lazy().select(pl.col(w.source).gather(rows))
            before = w.source
            for name, value in w.outputs:
                redone = redone.with_columns(value(pl.col(before)).alias(name))
                before = name
            done = redone.collect()
            changed.extend(
                frame.get_column(name).scatter(rows, done.get_column(name)) for name, _ in w.outputs
            )
    if not changed:
        return frame
    out = frame.clone()  # shares the columns: replacing some leaves ``frame`` as it was
    for column in changed:
        out.replace_column(out.get_column_index(column.name), column)
    return out


# Columns read as written unless a value is not already clean: every decimal written plainly
# (`12,50`) and every boolean that is one of the words as listed (`kyllä`) is its own cleaned
# value, so trimming and parsing run only on the others (``RareWork``).
_AS_WRITTEN = (Kind.DECIMAL, Kind.BOOL)


@dataclass
class _Marks:
    decided: dict[str, str] = field(default_factory=dict)


class RegisterRules:
    """The validator of one file of one register; subclasses add the register's own rules."""

    register: Register
    required_codes: ClassVar[dict[str, str]] = {}
    # The register's own columns that must be digits alone (references always must).
    digits_only: ClassVar[tuple[str, ...]] = ()

    def __init__(self, header: HeaderMap, context: Context) -> None:
        self.header = header
        self.context = context
        self.columns: list[Column] = [
            c for c in SCHEMAS[header.register] if c.name in header.positions
        ]
        self.present = {c.name for c in self.columns}
        self._marks = _Marks()
        self._keys: list[pl.DataFrame] = []
        self._built: tuple[tuple[tuple[str, str], ...], list[Check]] | None = None

    # -- preparing a batch ------------------------------------------------------------------

    @property
    def decimal_marks(self) -> dict[str, str]:
        return dict(self._marks.decided)

    def prepare(self, raw: pl.DataFrame, *, apostrophes: bool = True) -> pl.DataFrame:
        """``prepared_rows`` of ``raw``, then ``note_marks`` of them: one batch after another."""
        frame = self.prepared_rows(raw, apostrophes=apostrophes)
        self.note_marks(frame)
        return frame

    def prepared_rows(self, raw: pl.DataFrame, *, apostrophes: bool = True) -> pl.DataFrame:
        """Canonical, cleaned columns plus parsed values; fully empty rows dropped.

        One lazy query does what every row needs: polars shares common subexpressions and
        runs columns in parallel. Decimals and yes/no values are taken as written where they
        are already clean (most are); what only the others need (blanks, thousands
        separators, words in other cases) is then done on those rows alone (``RareWork``),
        and Excel's leading apostrophe only in a batch that has one. ``apostrophes=False``
        says that no cell of ``raw`` has an apostrophe at all (``Batch.apostrophes``): then
        not even the test runs.

        Depends on nothing earlier batches decided: the next batch may be prepared while
        this one is checked. ``note_marks`` is what must follow in the file's order.
        """
        cleaned = [
            self._raw(c).alias(c.name)
            if c.kind in _AS_WRITTEN
            else self._trimmed(c, apostrophes).alias(c.name)
            for c in self.columns
        ]
        query = (
            raw.lazy()
            .select(pl.col(ROW), *cleaned)
            .with_columns(
                values.empty_as_null(pl.col(c.name))
                for c in self.columns
                if c.kind not in _AS_WRITTEN
            )
        )
        derived: list[pl.Expr] = []
        rare: list[RareWork] = []
        for c in self.columns:
            col = pl.col(c.name)
            if c.kind == Kind.DECIMAL:
                derived.append(col.alias(t(c.name)))
                derived.append(values.plain_decimal_value(col).alias(n(c.name)))
                rare.append(self._decimal_work(c.name, apostrophes))
            elif c.kind == Kind.BOOL:
                derived.append(values.boolean(col, lowercase=False).alias(b(c.name)))
                rare.append(self._boolean_work(c.name, apostrophes))
            elif c.kind == Kind.DATE:
                derived.append(values.date(col).alias(d(c.name)))
        for name in self.digit_checked():
            col = pl.col(name)
            derived.append(values.short_not_digits(col).alias(x(name)))
            # A value too long for the parse is searched, alone: one such value in a batch
            # had polars search every value of the column.
            long = col.str.len_bytes() > values.DIGITS_PARSED
            rare.append(RareWork(long, name, ((x(name), values.not_digits),)))
        frame = with_rare_work(query.with_columns(derived).collect(), rare)
        # After the rare work: a value of blanks becomes null there. A row is empty only if
        # every column has a null somewhere (a count polars keeps), and filtering copies
        # every column even when it keeps every row: only a batch with an empty row pays.
        columns = [frame.get_column(c.name) for c in self.columns]
        if columns and all(column.null_count() for column in columns):
            keep = pl.any_horizontal(pl.col(c.name).is_not_null() for c in self.columns)
            keep_rows = frame.select(keep).to_series()
            if not keep_rows.all():
                frame = frame.filter(keep_rows)
        return frame

    def digit_checked(self) -> list[str]:
        """The columns whose checks ask whether a value is digits alone (``x(name)``)."""
        return [c.name for c in self.columns if c.kind == Kind.REF or c.name in self.digits_only]

    def _decimal_work(self, name: str, apostrophes: bool) -> RareWork:
        """A decimal not written plainly (`1 234,50`, ` 12,5`, `abc`): cleaned, then its text
        and value as the rules define them. A plain one (``values.PLAIN``) needs none of it:
        no blanks, no apostrophe, no thousands, and its value is a plain parse."""
        cleaned = self._cleaned_on_few_rows(apostrophes)
        col = pl.col(name)
        return RareWork(
            col.is_not_null() & ~values.decimal_valid(col),
            name,
            (
                (name, cleaned),
                (t(name), values.decimal_text),
                (n(name), values.decimal_value),
            ),
        )

    def _boolean_work(self, name: str, apostrophes: bool) -> RareWork:
        """A yes/no value that is not one of the words as listed (`KYLLÄ`, ` 1`, `maybe`)."""
        cleaned = self._cleaned_on_few_rows(apostrophes)
        col = pl.col(name)
        return RareWork(
            # The words as listed already have their value: the rows without one are the rest.
            col.is_not_null() & pl.col(b(name)).is_null(),
            name,
            ((name, cleaned), (b(name), values.boolean)),
        )

    @staticmethod
    def _cleaned_on_few_rows(apostrophes: bool) -> Callable[[pl.Expr], pl.Expr]:
        """What ``_trimmed`` and ``empty_as_null`` make of a value, computed on the rows that
        need it. Whether the batch drops Excel's apostrophe is decided on those rows alone:
        the others are plain, and no plain value starts with one, so the answer is the same.
        """

        def cleaned(expr: pl.Expr) -> pl.Expr:
            marker = expr.str.starts_with("'").any() if apostrophes else False
            return values.empty_as_null(values.trim(expr, apostrophe=marker))

        return cleaned

    def _trimmed(self, column: Column, apostrophes: bool) -> pl.Expr:
        raw = self._raw(column)
        if column.kind == Kind.TEXT or not apostrophes:
            return values.trim(raw, apostrophe=False)
        # Excel's text marker is dropped in a batch where some value starts with it.
        return values.trim(raw, apostrophe=raw.str.starts_with("'").any())

    def _raw(self, column: Column) -> pl.Expr:
        return pl.col(f"f{self.header.positions[column.name]}")

    def note_marks(self, frame: pl.DataFrame) -> None:
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
                checks.append(Check(code, c.name, col.is_null(), value=pl.lit(None)))
            if c.max_len is not None:
                checks.append(
                    Check(
                        "too_long",
                        c.name,
                        col.str.len_chars() > c.max_len,
                        {"length": col.str.len_chars(), "max": pl.lit(c.max_len)},
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
                    values.formula_like(col),
                )
            ]
        if c.kind == Kind.REF:
            return [
                Check(
                    "reference_not_number",
                    c.name,
                    pl.col(x(c.name)),
                )
            ]
        if c.kind == Kind.BOOL:
            return [
                Check(
                    "boolean_invalid",
                    c.name,
                    col.is_not_null() & pl.col(b(c.name)).is_null(),
                )
            ]
        if c.kind == Kind.DATE:
            return [
                Check(
                    "date_invalid",
                    c.name,
                    col.is_not_null() & pl.col(d(c.name)).is_null(),
                ),
                Check(
                    "date_in_future",
                    c.name,
                    pl.col(d(c.name)) > pl.lit(self.context.today),
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
            )
        ]
        mark = self._marks.decided.get(c.name)
        if mark is not None:
            other = "." if mark == "," else ","
            checks.append(
                Check(
                    "decimal_ambiguous",
                    c.name,
                    # The pattern only where the other mark is (in few batches of a file).
                    pl.when(values.has_byte(col, other)).then(
                        col.str.contains(values.THOUSANDS_LIKE)
                    ),
                    {"mark": pl.lit(mark), "other": pl.lit(other)},
                )
            )
        if c.min_value is not None:
            checks.append(
                Check(
                    "negative_value",
                    c.name,
                    pl.col(n(c.name)) < c.min_value,
                )
            )
        return checks

    def checks(self) -> list[Check]:
        """Every check of this register; subclasses extend."""
        return self.kind_checks()

    def check_batch(self, frame: pl.DataFrame, ahead: Ahead | None = None) -> list[pl.DataFrame]:
        """Issues of one prepared batch (and remembers what end-of-file rules need).

        ``ahead``: the checks another thread ran on this batch (``current_checks()`` when the
        batch was handed to it) and what they found. Used only if those are still the
        checks: a decimal mark decided in between changes them, and then they run here.
        """
        self.remember(frame)
        checks = self.current_checks()
        if ahead is not None and ahead[0] is checks:
            return ahead[1]
        return run_checks(frame, checks)

    def current_checks(self) -> list[Check]:
        """``checks()``, built again only when a decimal mark was decided: the checks depend
        on nothing else that changes while a file is read."""
        marks = tuple(sorted(self._marks.decided.items()))
        if self._built is None or self._built[0] != marks:
            self._built = (marks, self.checks())
        return self._built[1]

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

    Only the 64-bit hashes of all keys are sorted, to find the hashes that occur more than
    once (equal keys have equal hashes); the rows with those, a few, are then compared by
    their keys. Sorting the whole key frame instead held two copies of it at the end of a
    5M-row file (about 250 MB); a hash-based ``is_duplicated`` costs ~100 MB more too.
    """
    group = [*by, key]
    digest = pl.struct(group).hash() if len(group) > 1 else pl.col(key).hash()
    # One thread sorts with a third less CPU than two (15 against 26 ms for 1M hashes).
    hashes = keys.select(digest).to_series().sort(multithreaded=False)
    repeated = hashes.filter(hashes == hashes.shift(1)).unique()
    del hashes
    candidates = keys.filter(digest.is_in(repeated.implode()))
    return _duplicates_among(candidates, group, key, code)


def _duplicates_among(keys: pl.DataFrame, group: list[str], key: str, code: str) -> pl.DataFrame:
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
        params=params_expr(first=pl.col("first")),
    )


_ANY = "__any"  # whether a row has any issue


def run_checks(frame: pl.DataFrame, checks: list[Check]) -> list[pl.DataFrame]:
    """The issues ``checks`` find on ``frame``: one frame, each check's rows in turn.

    Every mask is computed once, in one lazy query; issue rows are then built only from the
    few rows that have any issue, every check's in one more collect. (A single query adding
    the masks to the batch and filtering it holds a second batch-wide frame: 12 MB more at
    the peak for the same time.)
    """
    if not checks or frame.height == 0:
        return []
    names = [f"__m{i}" for i in range(len(checks))]
    masks = (
        frame.lazy()
        .select(c.mask.fill_null(False).alias(name) for c, name in zip(checks, names, strict=True))
        .with_columns(pl.any_horizontal(names).alias(_ANY))
        .collect()
    )
    any_hit = masks.get_column(_ANY)
    if not any_hit.any():
        return []
    # Side by side costs nothing (no copy); one filter then copies the few rows of both.
    # rechunk: polars 2.1 panics in pl.format over some multi-chunk filter results.
    hits = pl.concat([frame, masks], how="horizontal").filter(any_hit).rechunk()
    counts = hits.select(names).sum().row(0)
    hit = [(name, check) for name, check, count in zip(names, checks, counts, strict=True) if count]
    found = pl.collect_all(
        [_issues(hits.lazy().filter(pl.col(name)), check) for name, check in hit]
    )
    refined = [
        check.refine(f) if check.refine else f for f, (_, check) in zip(found, hit, strict=True)
    ]
    # One frame, in the checks' order, copied out of the batch once.
    return [_own_copy(pl.concat(refined, how="vertical"))]


def _own_copy(issues: pl.DataFrame) -> pl.DataFrame:
    """The few issue rows in memory of their own.

    A value cut from a batch still points into the batch's string buffers (polars' string
    views), which would stay alive as long as the issue does: about 17 MB for every million
    rows, kept until the end of the file. Through Python, a few dozen rows cost nothing.
    """
    return pl.DataFrame(issues.rows(), schema=issues.schema, orient="row")


def _issues(rows: pl.LazyFrame, check: Check) -> pl.LazyFrame:
    value = check.value if check.value is not None else pl.col(check.column or ROW)
    params = params_expr(**check.params) if check.params else pl.lit(None, pl.String)
    return rows.select(
        row=pl.col(ROW).cast(pl.Int64),
        column=pl.lit(check.column, pl.String),
        code=pl.lit(check.code, pl.String),
        value=value.cast(pl.String),
        params=params.cast(pl.String),
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
