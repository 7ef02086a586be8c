"""Checks of a file against the live account: references, existing records, tracking.

With a snapshot of the Rackbeat account (``AccountFacts``), a file is also checked for what
only the account knows (codes in docs/csv-formats.md):

* ``unknown_reference``: a group, unit, location, payment-term or layout the account lacks
  (the message lists the closest ones the account has);
* ``reference_by_name``: a name where a number belongs that matches exactly one record (case
  and accents aside); the normalized file carries the number (``replacements``);
* ``already_in_rackbeat``: a row whose number exists, with what the import would change;
* ``tracking_on_product_with_stock``: batch or serial tracking switched on for a product that
  has stock in Rackbeat (refused there: tracking is fixed once a product has transactions).

The account is also a second source for the cross-file references (``known_with_account``):
an inventory row's product and a product's supplier may exist in the account instead of the
uploaded registers.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field

import polars as pl

from core.registers.account import AccountFacts, ReferenceEntry
from core.registers.header import HeaderMap
from core.registers.known import KnownRegisters, Snapshot
from core.registers.model import Register
from core.registers.reading import ROW
from core.registers.rules.base import b, issue_frame, n

REFERENCES: dict[Register, dict[str, str]] = {
    Register.PRODUCTS: {"group": "product_groups", "unit": "units", "location": "locations"},
    Register.CUSTOMERS: {
        "group": "customer_groups",
        "payment_terms": "payment_terms",
        "layout": "layouts",
    },
    Register.SUPPLIERS: {
        "group": "supplier_groups",
        "payment_terms": "payment_terms",
        "layout": "layouts",
    },
    Register.INVENTORY: {"location": "locations"},
}
"""Per register: column → the account's reference list it names."""

NAMES_ALLOWED = frozenset({"unit"})
"""Columns where the record's name is as good as its number (a unit is written `kpl`)."""

WORDS: dict[str, tuple[str, str]] = {
    "product_groups": ("product group", "product groups"),
    "customer_groups": ("customer group", "customer groups"),
    "supplier_groups": ("supplier group", "supplier groups"),
    "units": ("unit", "units"),
    "locations": ("location", "locations"),
    "payment_terms": ("payment term", "payment terms"),
    "layouts": ("layout", "layouts"),
}

CLOSEST = 5
"""How many existing records an ``unknown_reference`` message names."""

_DECIMALS = frozenset({"cost_price", "sales_price", "min_stock"})
_FLAGS = ("batch_tracking", "serial_numbers")


def name_key(value: str) -> str:
    """Case, accents and spacing do not matter when a name stands for a number.

    >>> name_key("  Työkalut ") == name_key("TYOKALUT")
    True
    """
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@dataclass
class AccountSummary:
    """What the reply says about the account beside the issues."""

    company: str
    existing: int = 0
    """Rows whose number already exists in the account."""
    changing: int = 0
    """Of those, rows that would change the existing record."""

    def to_json(self) -> dict[str, object]:
        return {"company": self.company, "existing": self.existing, "changing": self.changing}


@dataclass
class _Verdict:
    code: str | None
    message: str | None = None
    number: str | None = None


@dataclass
class AccountChecks:
    """The account checks of one file, batch by batch (see ``check_batch``)."""

    header: HeaderMap
    account: AccountFacts
    summary: AccountSummary = field(init=False)
    replacements: dict[str, dict[str, str]] = field(default_factory=dict, init=False)
    _verdicts: dict[str, dict[str, _Verdict]] = field(default_factory=dict, init=False)
    _right: pl.LazyFrame | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.summary = AccountSummary(self.account.company)
        self.register = self.header.register
        present = set(self.header.positions)
        self.columns = {
            column: list_name
            for column, list_name in REFERENCES[self.register].items()
            if column in present and list_name in self.account.lists
        }
        self._present = present

    def check_batch(self, frame: pl.DataFrame, issues: list[pl.DataFrame]) -> list[pl.DataFrame]:
        """The rules' ``issues`` of this batch, adjusted for the account, plus its own."""
        out = [self.adjust(issue) for issue in issues]
        for column, list_name in self.columns.items():
            out.extend(self._references(frame, column, list_name))
        if self.register in self.account.records and "number" in self._present:
            out.extend(self._existing(frame))
        return [o for o in out if o.height]

    # -- what the rules said ----------------------------------------------------------------

    def adjust(self, issues: pl.DataFrame) -> pl.DataFrame:
        """The account decides references: ``reference_not_number`` on a column it checks
        gives way to its verdict; "not in the products register" becomes "in neither"."""
        if issues.height == 0:
            return issues
        checked = list(self.columns)
        kept = issues.filter(
            ~((pl.col("code") == "reference_not_number") & pl.col("column").is_in(checked))
        )
        return kept.with_columns(
            message=pl.when(pl.col("code") == "unknown_product")
            .then(
                pl.format("product {} is neither in the products register nor in Rackbeat", "value")
            )
            .when(pl.col("code") == "unknown_supplier")
            .then(
                pl.format(
                    "supplier {} is neither in the suppliers register nor in Rackbeat", "value"
                )
            )
            .otherwise(pl.col("message"))
        )

    # -- references -------------------------------------------------------------------------

    def _references(self, frame: pl.DataFrame, column: str, list_name: str) -> list[pl.DataFrame]:
        verdicts = self._verdicts.setdefault(column, {})
        entries = self.account.lists[list_name]
        for value in frame.get_column(column).drop_nulls().unique().to_list():
            if value not in verdicts:
                verdicts[value] = self._verdict(column, list_name, entries, value)
                found = verdicts[value]
                if found.code == "reference_by_name" and found.number is not None:
                    self.replacements.setdefault(column, {})[value] = found.number
        codes = {v: x.code for v, x in verdicts.items() if x.code}
        if not codes:
            return []
        hits = frame.select(ROW, column).filter(pl.col(column).is_in(list(codes)))
        if hits.height == 0:
            return []
        values = hits.get_column(column).to_list()
        return [
            issue_frame(
                [
                    row
                    for row, v in zip(hits.get_column(ROW).to_list(), values, strict=True)
                    if codes[v] == code
                ],
                column,
                code,
                [v for v in values if codes[v] == code],
                [verdicts[v].message or "" for v in values if codes[v] == code],
            )
            for code in sorted(set(codes.values()))
        ]

    def _verdict(
        self, column: str, list_name: str, entries: tuple[ReferenceEntry, ...], value: str
    ) -> _Verdict:
        word, plural = WORDS[list_name]
        if any(e.number == value for e in entries):
            return _Verdict(None)
        key = name_key(value)
        named = [e for e in entries if name_key(e.name) == key]
        if named and column in NAMES_ALLOWED:
            return _Verdict(None)
        if not entries:
            return _Verdict(
                "unknown_reference",
                f"{word} {value} does not exist in Rackbeat: the account has no {plural} yet",
            )
        if value.isdigit() or not named:
            return _Verdict(
                "unknown_reference",
                f"{word} {value} does not exist in Rackbeat; {plural}: " + _closest(entries, value),
            )
        if len(named) > 1:
            numbers = ", ".join(e.number for e in named)
            return _Verdict(
                "unknown_reference",
                f"several {plural} are named '{value}' in Rackbeat ({numbers}): give the number",
            )
        number = named[0].number
        return _Verdict(
            "reference_by_name",
            f"'{value}' is {word} {number} {named[0].name} in Rackbeat; "
            f"the normalized file uses {number}",
            number,
        )

    # -- existing records ---------------------------------------------------------------------

    def _existing(self, frame: pl.DataFrame) -> list[pl.DataFrame]:
        """``already_in_rackbeat`` (and, for products, ``tracking_on_product_with_stock``) in
        one lazy query: the wide join of file and account columns is never materialized."""
        account = self.account.records[self.register]
        compared = [c for c in account.columns if c in self._present and c != "number"]
        flags: list[str] = []
        if self.register == Register.PRODUCTS:
            compared = [c for c in compared if c not in _FLAGS]
            flags = [c for c in _FLAGS if c in self._present]
        wanted = [ROW, "number", *compared, *(n(c) for c in compared if c in _DECIMALS)]
        wanted += [*flags, *(b(c) for c in flags)]
        left = frame.lazy().select([c for c in wanted if c in frame.columns])
        for column, mapping in self.replacements.items():
            if column in frame.columns:
                left = left.with_columns(pl.col(column).replace(mapping))
        if self._right is None:
            renamed = account.rename({c: f"rb__{c}" for c in account.columns if c != "number"})
            self._right = renamed.lazy()
        changes = [self._change(c) for c in compared] + [_flag_change(c) for c in flags]
        diff = pl.concat_str(changes, separator=", ", ignore_nulls=True) if changes else pl.lit("")
        switched = {
            column: pl.col(b(column)).fill_null(False)
            & ~pl.col(f"rb__{column}")
            & pl.col("rb__has_stock")
            for column in flags
        }
        found = (
            left.join(self._right, on="number", how="inner")
            .select(
                pl.col(ROW).cast(pl.Int64).alias("row"),
                "number",
                diff.fill_null("").alias("diff"),
                *(pl.col(c).alias(f"value__{c}") for c in flags),
                *(mask.alias(f"on__{c}") for c, mask in switched.items()),
                *([pl.col("rb__stock")] if flags else []),
            )
            .collect(engine="in-memory")  # small query: no streaming set-up
        )
        if found.height == 0:
            return []
        changing = found.get_column("diff") != ""
        self.summary.existing += found.height
        self.summary.changing += int(changing.sum())
        out = [
            found.select(
                "row",
                column=pl.lit("number", pl.String),
                code=pl.lit("already_in_rackbeat", pl.String),
                value=pl.col("number"),
                message=pl.when(pl.col("diff") == "")
                .then(pl.lit("already in Rackbeat; the row changes nothing"))
                .otherwise(pl.lit("already in Rackbeat; would change ") + pl.col("diff")),
            )
        ]
        for column in flags:
            hits = found.filter(pl.col(f"on__{column}"))
            if hits.height == 0:
                continue
            word = "batch tracking" if column == "batch_tracking" else "serial numbers"
            out.append(
                hits.select(
                    "row",
                    column=pl.lit(column, pl.String),
                    code=pl.lit("tracking_on_product_with_stock", pl.String),
                    value=pl.col(f"value__{column}"),
                    message=pl.format(
                        f"product {{}} has stock in Rackbeat ({{}}): {word} can no longer be "
                        "switched on",
                        pl.col("number"),
                        pl.col("rb__stock"),
                    ),
                )
            )
        return out

    def _change(self, column: str) -> pl.Expr:
        """``column 'old' → 'new'`` where the file would change the record, else null."""
        new, old = pl.col(column), pl.col(f"rb__{column}")
        if column in _DECIMALS:
            new_value = pl.col(n(column))
            differs = new_value.is_not_null() & (
                old.is_null() | ((new_value - old.cast(pl.Float64, strict=False)).abs() > 1e-9)
            )
        else:
            differs = new.is_not_null() & (old.is_null() | (new != old))
        return pl.when(differs).then(
            pl.concat_str(
                [pl.lit(f"{column} '"), old.fill_null(""), pl.lit("' → '"), new, pl.lit("'")]
            )
        )


def _flag_change(column: str) -> pl.Expr:
    new, old = pl.col(b(column)), pl.col(f"rb__{column}")
    as_digit = {True: "1", False: "0"}
    return pl.when(new.is_not_null() & (new != old)).then(
        pl.format(
            "{} '{}' → '{}'",
            pl.lit(column),
            old.replace_strict(as_digit, return_dtype=pl.String),
            new.replace_strict(as_digit, return_dtype=pl.String),
        )
    )


def _closest(entries: tuple[ReferenceEntry, ...], value: str) -> str:
    """The existing records nearest ``value``: by number for a number, by name for a name."""
    if value.isdigit():
        numeric = [e for e in entries if e.number.isdigit()]
        ordered = sorted(numeric, key=lambda e: (abs(int(e.number) - int(value)), int(e.number)))
        ordered += [e for e in entries if not e.number.isdigit()]
    else:
        names = {name_key(e.name): e for e in entries}
        close = difflib.get_close_matches(name_key(value), list(names), n=CLOSEST, cutoff=0)
        ordered = [names[k] for k in close]
    shown = sorted(
        ordered[:CLOSEST], key=lambda e: (not e.number.isdigit(), len(e.number), e.number)
    )
    more = ", …" if len(entries) > CLOSEST else ""
    return ", ".join(f"{e.number} {e.name}" for e in shown) + more


def known_with_account(
    known: KnownRegisters, account: AccountFacts, register: Register
) -> KnownRegisters:
    """``known`` plus the account's records where ``register``'s cross-file rules look:
    inventory rows may name products that exist only in Rackbeat, products suppliers that
    exist only there. The uploaded register wins where both have a number."""
    if register == Register.INVENTORY:
        return known.with_snapshot(_merged_products(known.get(Register.PRODUCTS), account))
    if register == Register.PRODUCTS and Register.SUPPLIERS in account.records:
        files = known.get(Register.SUPPLIERS)
        keys = account.numbers(Register.SUPPLIERS)
        if files is not None:
            keys = pl.concat([files.keys, keys])
        return known.with_snapshot(Snapshot(Register.SUPPLIERS, keys.unique().sort()))
    return known


def _merged_products(files: Snapshot | None, account: AccountFacts) -> Snapshot:
    frame = account.records.get(Register.PRODUCTS)
    if frame is None:
        return files or Snapshot(Register.PRODUCTS, pl.Series([], dtype=pl.String))
    if files is not None:
        frame = frame.filter(~pl.col("number").is_in(files.keys.implode()))
    keys = frame.get_column("number")
    batch = frame.filter("batch_tracking").get_column("number")
    serial = frame.filter("serial_numbers").get_column("number")
    if files is not None:
        keys, batch, serial = (
            pl.concat([files.keys, keys]),
            pl.concat([files.batch, batch]),
            pl.concat([files.serial, serial]),
        )
    return Snapshot(
        Register.PRODUCTS, keys.unique().sort(), batch.unique().sort(), serial.unique().sort()
    )
