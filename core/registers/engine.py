"""Checking files: one at a time (``validate_file``) or together (``validate_files``)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date

import polars as pl

from core.registers.account import AccountFacts
from core.registers.codes import CODES
from core.registers.errors import UnreadableFile
from core.registers.header import HeaderMap, closest_header, detect_register, map_header
from core.registers.known import KnownRegisters, Snapshot
from core.registers.model import (
    ISSUE_CAP,
    FileInput,
    FileResult,
    Issue,
    Register,
    Severity,
    ValidationRun,
    Valuation,
    decode_params,
)
from core.registers.presumed import Sniffer, never_backwards, presuming
from core.registers.reading import Batch, Dialect, iter_batches
from core.registers.references import AccountChecks, known_with_account
from core.registers.rules import Context, RegisterRules, rules_for
from core.registers.rules.base import (
    ISSUE_SCHEMA,
    Ahead,
    Check,
    empty_issues,
    encode_params,
    issue_frame,
    run_checks,
)
from core.registers.sniff import MIXED_PREFIX
from core.registers.source import Utf8Stats

Progress = Callable[[int], None]

# References point this way: a file is checked after the registers it refers to.
_ORDER = {Register.SUPPLIERS: 0, Register.CUSTOMERS: 1, Register.PRODUCTS: 2, Register.INVENTORY: 3}


def validate_files(
    files: Sequence[FileInput],
    *,
    known: KnownRegisters | None = None,
    valuation: Valuation | None = None,
    register_override: Register | str | None = None,
    register_hint: Register | str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    account: AccountFacts | None = None,
) -> ValidationRun:
    """Check several files together; results come back in the order of ``files``.

    ``register_override`` (the CLI's ``--register``) decides the register of every file;
    ``register_hint`` (a register named in a Slack message) only breaks ties: a header with
    every required column of one register wins over it, with the warning
    ``register_hint_overruled``.

    Suppliers are read before products and products before inventory, so references are
    checked against the files of the same run, or else against ``known`` (the latest
    error-free registers of the onboarding). An unreadable file becomes a result with
    ``unreadable=True`` and one error; the others are still checked. With ``account`` (a
    snapshot of the Rackbeat account), files are also checked against the account
    (``core/registers/references.py``).

    >>> data = b"number;name;group;cost_price;sales_price\\n1;A;1;0;0\\n"
    >>> run = validate_files([FileInput("p.csv", data=data)])
    >>> run.valid, run.files[0].register.value
    (True, 'products')
    """
    override = Register(register_override) if register_override else None
    hint = Register(register_hint) if register_hint else None
    day = today or date.today()
    reported = never_backwards(progress)

    def run(sniffer: Sniffer) -> ValidationRun:
        return _validate_files(
            files,
            sniffer,
            known=known,
            valuation=valuation,
            override=override,
            hint=hint,
            today=day,
            progress=reported,
            account=account,
        )

    return presuming(run)


def _validate_files(
    files: Sequence[FileInput],
    sniffer: Sniffer,
    *,
    known: KnownRegisters | None,
    valuation: Valuation | None,
    override: Register | None,
    hint: Register | None,
    today: date,
    progress: Progress | None,
    account: AccountFacts | None,
) -> ValidationRun:
    state = known or KnownRegisters()
    results: dict[int, FileResult] = {}
    readable: list[tuple[int, FileInput, Dialect, Register, Register | None]] = []
    for index, file in enumerate(files):
        try:
            dialect = sniffer(file)
            if override is not None:
                register, overruled = override, None
            else:
                register, overruled = choose_register(dialect.header, file.name, hint)
        except UnreadableFile as exc:
            results[index] = unreadable_result(file.name, exc)
            continue
        readable.append((index, file, dialect, register, overruled))
    ordered = sorted(readable, key=lambda p: _ORDER[p[3]])
    for position, (index, file, dialect, register, overruled) in enumerate(ordered):
        later = position < len(ordered) - 1
        try:
            result, run_snapshot = _validate(
                file,
                dialect,
                register,
                state,
                valuation,
                today,
                progress,
                for_run=later,
                overruled=overruled,
                account=account,
            )
        except UnreadableFile as exc:
            results[index] = unreadable_result(file.name, exc)
            continue
        results[index] = result
        # Later files of this run are checked against this one even if it has errors: that
        # is the file the user is about to import. Only error-free ones are kept (snapshot).
        if run_snapshot is not None:
            state = state.with_snapshot(run_snapshot)
    return ValidationRun([results[i] for i in range(len(files))])


def validate_file(
    file: FileInput,
    *,
    known: KnownRegisters | None = None,
    valuation: Valuation | None = None,
    register_override: Register | str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    account: AccountFacts | None = None,
) -> FileResult:
    """Check one file; raises ``UnreadableFile`` (a ``CsvUnreadable``) if it is not a CSV."""
    day = today or date.today()
    reported = never_backwards(progress)

    def run(sniffer: Sniffer) -> FileResult:
        dialect = sniffer(file)
        register = (
            Register(register_override)
            if register_override
            else detect_register(dialect.header, file.name)
        )
        result, _ = _validate(
            file,
            dialect,
            register,
            known or KnownRegisters(),
            valuation,
            day,
            reported,
            account=account,
        )
        return result

    return presuming(run)


def choose_register(
    header: tuple[str, ...], filename: str, hint: Register | None
) -> tuple[Register, Register | None]:
    """The file's register, and the hint when the header overrules it.

    A header with every required column of exactly the registers that exclude the hint is
    clear: it wins, and the hint is returned to be reported. Otherwise (the header fits the
    hint too, e.g. customers and suppliers share their required columns, or fits no register
    completely) the hint decides; without one, the header and the file name do.
    """
    if hint is None:
        return detect_register(header, filename), None
    complete = [register for register in Register if not map_header(register, header).missing]
    if not complete or hint in complete:
        return hint, None
    chosen = complete[0] if len(complete) == 1 else detect_register(header, filename)
    return chosen, hint


def unreadable_result(name: str, error: UnreadableFile) -> FileResult:
    # The reason stays English for logs and the command line; readers get the code's words.
    # ``line``: the line that gave the file away (control characters), for the wording.
    params = {"reason": error.reason, **({"line": str(error.row)} if error.row else {})}
    issue = Issue(Severity.ERROR, error.row, None, error.code, None, params)
    return FileResult(
        file=name, error_count=1, counts={error.code: 1}, issues=[issue], unreadable=True
    )


def _validate(
    file: FileInput,
    dialect: Dialect,
    register: Register,
    known: KnownRegisters,
    valuation: Valuation | None,
    today: date,
    progress: Progress | None,
    *,
    for_run: bool = False,
    overruled: Register | None = None,
    account: AccountFacts | None = None,
) -> tuple[FileResult, Snapshot | None]:
    """Check one file; the snapshot is built when the file is valid or ``for_run`` needs it."""
    stats = Utf8Stats()
    try:
        # The first rows decide headers that mean different columns in different files.
        batches = iter_batches(file, dialect, stats)
        first = next(batches, None)
    except csv.Error as exc:
        raise UnreadableFile("not_text", f"The file cannot be read as CSV ({exc}).") from exc
    header = map_header(register, dialect.header, first.frame if first else None)
    every_batch = _with_first(first, batches)
    del first  # only the iterator holds it now: released once checked, like the others
    extra: AccountChecks | None = None
    if account is not None:
        known = known_with_account(known, account, register)
        extra = AccountChecks(header, account)
    rules = rules_for(header, Context(known, valuation, today))
    frames = [_header_issues(header)]
    if overruled is not None:
        frames.append(_overruled(overruled, register))
    rows = 0
    try:
        checked = not header.missing
        for extra_fields, prepared, ahead in _prepared_ahead(rules, every_batch, checked=checked):
            if extra_fields:
                frames.append(_extra_fields(extra_fields))
            rules.note_marks(prepared)
            rows += prepared.height
            if not checked:
                continue  # without the required columns, row rules would only add noise
            found = rules.check_batch(prepared, ahead)
            frames.extend(found if extra is None else extra.check_batch(prepared, found))
            if progress is not None:
                progress(rows)
    except csv.Error as exc:
        raise UnreadableFile("not_text", f"The file cannot be read as CSV ({exc}).") from exc
    if rows == 0:
        raise UnreadableFile("header_only", "The file has a header row but no data rows.")
    if not header.missing:
        finished = rules.finish()
        frames.extend(finished if extra is None else [extra.adjust(f) for f in finished])
    frames.extend(_encoding_issues(stats, dialect))
    result = _result(file.name, register, dialect.encoding, dialect.delimiter, rows, frames)
    _how_it_was_read(result, dialect, header, rules.decimal_marks)
    if extra is not None:
        result.account = extra.summary
        result.replacements = extra.replacements
    if not (result.valid or for_run):
        return result, None
    snapshot = rules.snapshot()
    if result.valid:
        result.snapshot = snapshot
    return result, snapshot


def _how_it_was_read(
    result: FileResult, dialect: Dialect, header: HeaderMap, decimal_marks: dict[str, str]
) -> None:
    result.dialect = dialect
    result.header = header
    result.decimal_marks = decimal_marks
    # The user's own headers, so that messages name columns the way the reader knows them.
    result.headers = {
        name: dialect.header[index].strip() for name, index in header.positions.items()
    }


def _with_first(first: Batch | None, rest: Iterator[Batch]) -> Iterator[Batch]:
    """``first`` then ``rest``, holding no reference to ``first`` once it is handed out
    (``chain`` would keep it for the whole file: memory stays flat only if it goes)."""
    held = [first] if first is not None else []
    del first
    while held:
        yield held.pop()
    yield from rest


def _prepared_ahead(
    rules: RegisterRules, batches: Iterator[Batch], *, checked: bool
) -> Iterator[tuple[list[tuple[int, str]], pl.DataFrame, Ahead | None]]:
    """Each batch's surplus fields, prepared rows and, for every other batch, its checks run
    ahead (``RegisterRules.check_batch``'s ``ahead``), in the file's order.

    The next batch is read here and prepared in a worker thread while the caller checks
    this one: polars lets go of the GIL in its queries, so on two cores preparing overlaps
    reading and checking. The worker also runs the checks of every other batch, with the
    checks current when the batch is handed over (the caller runs them again in the rare
    batch where a decimal mark was decided in between). One batch ahead at most: memory
    holds one prepared batch more.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare") as pool:
        ahead: tuple[list[tuple[int, str]], Future[_Prepared]] | None = None
        for index, batch in enumerate(batches):
            # Every other batch: the worker's preparing and the caller's reading take about
            # the same time, so the checks are split between them.
            checks = rules.current_checks() if checked and index % 2 else None
            job = pool.submit(_prepare, rules, batch, checks)
            extra = batch.extra
            del batch  # the worker holds the raw rows until they are prepared, no longer
            if ahead is not None:
                yield ahead[0], *ahead[1].result()
            ahead = (extra, job)
        if ahead is not None:
            yield ahead[0], *ahead[1].result()


_Prepared = tuple[pl.DataFrame, Ahead | None]


def _prepare(rules: RegisterRules, batch: Batch, checks: list[Check] | None) -> _Prepared:
    prepared = rules.prepared_rows(batch.frame, apostrophes=batch.apostrophes)
    return prepared, ((checks, run_checks(prepared, checks)) if checks is not None else None)


def _header_issues(header: HeaderMap) -> pl.DataFrame:
    unmatched = [cell for _, cell in header.unknown]
    rows: list[tuple[str, str | None, dict[str, object]]] = []
    columns: list[str | None] = []  # the column a guessed or decided header was read as
    for note in header.notes:
        rows.append(_note_issue(note.cell, note.column, note.reason))
        columns.append(note.column)
    for column in header.missing:
        guess = closest_header(column, header.register, unmatched)
        rows.append(("missing_column", None, {"column": column, "guess": guess or ""}))
    for cell, name in header.duplicates:
        rows.append(("duplicate_column", cell, {"column": name, "header": cell}))
    for index, cell in header.unknown:
        if cell.strip():
            rows.append(("unknown_column", cell, {"header": cell}))
        else:  # the wording without a header names the column by its position
            rows.append(("unknown_column", None, {"position": index + 1}))
    if not rows:
        return empty_issues()
    columns += [None] * (len(rows) - len(columns))
    return pl.DataFrame(
        {
            "row": [None] * len(rows),
            "column": columns,
            "code": [r[0] for r in rows],
            "value": [r[1] for r in rows],
            "params": [encode_params(r[2]) for r in rows],
        },
        schema=ISSUE_SCHEMA,
    )


def _note_issue(
    cell: str, column: str | None, reason: str
) -> tuple[str, str | None, dict[str, object]]:
    """A header read as a column it does not name exactly: guessed, or decided (``column``
    None: read as stock balances, which this register does not import)."""
    code = "header_guessed" if reason == "guessed" else "header_ambiguous"
    params: dict[str, object] = {"header": cell}
    if column is not None:
        params["column"] = column
    return (code, cell, params)


def _encoding_issues(stats: Utf8Stats, dialect: Dialect) -> list[pl.DataFrame]:
    """File-level warnings about how the bytes were decoded."""
    found: list[pl.DataFrame] = []
    if stats.replaced:
        found.append(
            issue_frame(
                [None],
                None,
                "encoding_replaced",
                [None],
                [{"count": stats.replaced, "encoding": dialect.encoding}],
            )
        )
    if stats.legacy_lines:
        legacy = dialect.encoding.removeprefix(MIXED_PREFIX)
        found.append(
            issue_frame(
                [None],
                None,
                "encoding_mixed",
                [None],
                [{"count": stats.legacy_lines, "encoding": legacy}],
            )
        )
    return found


def _overruled(hint: Register, register: Register) -> pl.DataFrame:
    """The warning that the header overruled the register named in the message."""
    return issue_frame(
        [None],
        None,
        "register_hint_overruled",
        [hint.value],
        [{"hint": hint.value, "register": register.value}],
    )


def _extra_fields(extra: list[tuple[int, str]]) -> pl.DataFrame:
    return issue_frame(
        [row for row, _ in extra],
        None,
        "extra_fields",
        [surplus for _, surplus in extra],
    )


def _result(
    name: str,
    register: Register,
    encoding: str,
    delimiter: str,
    rows: int,
    frames: list[pl.DataFrame],
) -> FileResult:
    issues = (
        pl.concat([f for f in frames if f.height], how="vertical")
        if any(f.height for f in frames)
        else empty_issues()
    )
    issues = issues.sort("row", nulls_last=False, maintain_order=True)
    counts = dict(issues.group_by("code").len().sort("code").iter_rows())
    errors = sum(v for k, v in counts.items() if CODES[k].severity == Severity.ERROR)
    capped = [
        Issue(CODES[code].severity, row, column, code, value, decode_params(params))
        for row, column, code, value, params in issues.head(ISSUE_CAP).iter_rows()
    ]
    return FileResult(
        file=name,
        register=register,
        encoding=encoding,
        delimiter=delimiter,
        rows=rows,
        error_count=errors,
        warning_count=issues.height - errors,
        counts=counts,
        issues=capped,
        truncated=issues.height > ISSUE_CAP,
        all_issues=issues,
    )
