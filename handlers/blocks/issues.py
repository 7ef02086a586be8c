"""Issues in words: the sentence of one issue, a column as its reader knows it, the report.

``core.registers`` hands out codes and facts; this module picks the template in
``handlers.messages`` for the reader's language and fills it.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.registers.model import Describe, FileResult, Issue
from core.registers.report import REPORT_COLUMNS, ReportWording, write_error_report
from handlers.blocks.text import mrkdwn_text
from handlers.messages import CATALOG, t
from handlers.messages.formatting import format_number
from handlers.messages.issues import COLUMN_NAMES

# Facts that are counts or lengths: written as numbers of the reader's language.
_NUMERIC = ("count", "length", "max", "first", "width", "position")
# Text from the user's file or the Rackbeat account: shown in mrkdwn as it is, never as markup.
_QUOTED = ("header", "guess", "value", "name", "closest", "changes")


def _same(header: str, name: str) -> bool:
    """`Cost price` and `cost_price` name the same thing: no need to say it twice."""
    return header.casefold().replace(" ", "_").replace("-", "_") == name


def column_label(
    name: str | None, headers: Mapping[str, str], lang: str, *, plain: bool = False
) -> str:
    """``group`` → ``*Tuoteryhmä* (group)`` when the file's header was `Tuoteryhmä`;
    ``*Ryhmä* (group)`` for a column the file lacks; ``*group*`` for a canonical header."""
    if not name:
        return ""
    header = headers.get(name)
    if header is None:
        header = t(f"registers.column.{name}", lang) if name in COLUMN_NAMES else name
    canonical = "" if _same(header, name) else t("registers.column.canonical", lang, name=name)
    if plain:  # a CSV cell: no mrkdwn
        return f"{header}{canonical}"
    return t("registers.column.label", lang, header=mrkdwn_text(header), canonical=canonical)


# The fact whose absence picks a code's ``.plain`` wording (a guess is not always possible).
_OPTIONAL = {
    "missing_column": "guess",
    "zip_invalid": "guess",
    "ean_checksum": "digit",
    "unknown_column": "header",  # an empty header cell: the column is named by its position
    "unknown_reference": "closest",  # the account has none of the kind yet
    "already_in_rackbeat": "changes",  # the row changes nothing
}

# The fact whose presence picks a code's wording ``.SUFFIX``.
_WITH = {
    "unknown_product": ("account", "account"),  # looked for in the Rackbeat account too
    "unknown_supplier": ("account", "account"),
    "unknown_reference": ("numbers", "several"),  # several records of the name
    "binary": ("line", "line"),  # the line with control characters
}


def _template(code: str, params: Mapping[str, str], column: str | None) -> str:
    key = f"registers.issue.{code}"
    if params.get("count") == "1" and f"{key}.one" in CATALOG:
        return f"{key}.one"
    if code == "header_ambiguous" and not params.get("column"):
        return f"{key}.ignored"  # read as stock balances: no column of this register
    if code == "tracking_on_product_with_stock" and column == "serial_numbers":
        return f"{key}.serial"
    if code in _WITH and params.get(_WITH[code][0]):
        return f"{key}.{_WITH[code][1]}"
    optional = _OPTIONAL.get(code)
    if optional and not params.get(optional):
        return f"{key}.plain"
    return key


def describe_issue(
    issue: Issue, lang: str, headers: Mapping[str, str] | None = None, *, plain: bool = False
) -> str:
    """The sentence of one issue in ``lang``.

    >>> from core.registers.model import Severity
    >>> describe_issue(Issue(Severity.ERROR, 2, "name", "required_missing", None), "fi")
    '*Nimi* (name) on pakollinen tieto.'
    """
    headers = headers or {}
    params: dict[str, str] = {"reason": "", **issue.params}
    for name in _NUMERIC:
        if params.get(name, "").isdigit():
            params[name] = format_number(int(params[name]), lang)
    # ``column`` is the issue's column, or the missing/duplicated one a header issue names.
    # A header note already quotes the user's header: name the column by its own words.
    own = {} if issue.code in ("header_guessed", "header_ambiguous") else headers
    params["column"] = column_label(
        issue.params.get("column") or issue.column, own, lang, plain=plain
    )
    if not plain:  # text from the user's file, shown in mrkdwn
        for name in _QUOTED:
            if name in params:
                params[name] = mrkdwn_text(params[name])
    if "list" in params:  # an account's reference list, named in the reader's words
        for form in ("what", "what_part", "plural"):
            params[form] = t(f"registers.list.{params['list']}.{form}", lang)
    for name in ("hint", "register"):  # a register, named in the reader's words
        if name in params:
            params[name] = t(f"registers.name.{params[name]}", lang)
    key = f"registers.issue.{issue.code}"
    if key not in CATALOG:  # a code this version has no words for: say what we know
        title = f"registers.code.{issue.code}"
        return issue.params.get("reason") or (t(title, lang) if title in CATALOG else issue.code)
    return t(_template(issue.code, issue.params, issue.column), lang, **params)


def describer(
    lang: str, headers: Mapping[str, str] | None = None, *, plain: bool = False
) -> Describe:
    """``describe_issue`` bound to a language and a file's headers (for ``to_json``)."""
    return lambda issue: describe_issue(issue, lang, headers, plain=plain)


def report_wording(result: FileResult, lang: str) -> ReportWording:
    """The error report's words in ``lang``; columns named as the file's headers."""
    return ReportWording(
        headers={name: t(f"registers.report.header.{name}", lang) for name in REPORT_COLUMNS},
        severities={s: t(f"registers.report.severity.{s}", lang) for s in ("error", "warning")},
        # Plain text in a CSV: no mrkdwn stars.
        column=lambda name: column_label(name, result.headers, lang, plain=True),
        describe=lambda issue: describe_issue(issue, lang, result.headers, plain=True),
    )


def error_report(result: FileResult, lang: str) -> bytes:
    """Every issue of ``result`` as the CSV a reader of ``lang`` gets (UTF-8 with BOM)."""
    data = write_error_report(result, report_wording(result, lang))
    assert data is not None
    return data
