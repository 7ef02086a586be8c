"""Block Kit of the account view and the account notes of file replies (pure functions)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from core.account.model import ALL_LISTS, AccountSnapshot
from core.account.service import AccountView, CheckAccount, ReadFailure
from core.registers.model import FileResult, Register
from handlers.blocks.numbering import age
from handlers.blocks.registers import mrkdwn_text
from handlers.blocks.upstream import failure_text as upstream_text
from handlers.messages import t
from handlers.messages.formatting import format_when

ACTION_REFRESH = "account:refresh"
SHOWN_ORDERS = 20
SHOWN_REFERENCES = 8
SETTINGS_LISTS = (
    "product_groups",
    "customer_groups",
    "supplier_groups",
    "units",
    "locations",
    "payment_terms",
    "layouts",
)

NEEDS: dict[Register, tuple[str, ...]] = {
    Register.PRODUCTS: ("product_groups",),
    Register.CUSTOMERS: ("customer_groups", "payment_terms"),
    Register.SUPPLIERS: ("supplier_groups", "payment_terms"),
    Register.INVENTORY: ("locations",),
}
"""The reference lists a register's rows point into: empty ones block its import."""

Blocks = list[dict[str, Any]]


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def list_word(name: str, lang: str) -> str:
    return t(f"account.list.{name}", lang)


def missing_lists(view: AccountView, registers: Iterable[Register]) -> list[str]:
    """Reference lists the uploaded registers need that the account has none of."""
    needed = dict.fromkeys(name for r in registers for name in NEEDS.get(r, ()))
    return [name for name in needed if view.counts.get(name, 0) == 0]


def account_message(
    view: AccountView,
    lang: str,
    now: datetime,
    *,
    registers: Iterable[Register] = (),
    snapshot: AccountSnapshot | None = None,
    valuation: str | None = None,
    unknown: Iterable[str] = (),
) -> tuple[str, Blocks]:
    """`/rackbeat account`: company, counts per list, when read, what the account has (the
    `settings` step's checklist), what is missing for the uploaded files, open orders."""
    if not view.connected:
        text = t("account.not_connected", lang)
        return text, [_section(text)]
    blocks: Blocks = []
    if view.has_snapshot and view.read_at is not None:
        title = t(
            "account.title",
            lang,
            company=mrkdwn_text(view.company or "?"),
            when=format_when(view.read_at, lang),
        )
        counts = ", ".join(
            f"{list_word(name, lang)} {view.counts.get(name, 0):,}".replace(",", "\u00a0")
            for name in ALL_LISTS
        )
        blocks += [_section(title), _section(t("account.counts", lang, counts=counts))]
        if snapshot is not None:
            blocks.append(_section(settings_text(snapshot, lang, valuation)))
            with_stock = snapshot.products_with_stock()
            if with_stock:
                blocks.append(_context(t("account.stock", lang, count=with_stock)))
        missing = missing_lists(view, registers)
        if missing:
            names = ", ".join(list_word(m, lang) for m in missing)
            blocks.append(_section(t("account.missing", lang, lists=names)))
        items = ", ".join(mrkdwn_text(item) for item in unknown)
        if items:
            blocks.append(_section(t("account.unknown_references", lang, items=items)))
    else:
        title = t("account.never_read", lang)
        blocks.append(_section(title))
    if view.failure is not None:
        blocks.append(_section(failure_text(view.failure, view.read_at, lang, now)))
    orders = orders_text(view, lang)
    if orders:
        blocks.append(_section(orders))
    blocks.append(
        {
            "type": "actions",
            "block_id": "account_actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": ACTION_REFRESH,
                    "text": {"type": "plain_text", "text": t("account.button.refresh", lang)},
                    "value": "refresh",
                }
            ],
        }
    )
    return title, blocks


def settings_text(snapshot: AccountSnapshot, lang: str, valuation: str | None) -> str:
    """The reference lists, a few entries each: what the `settings` step is about."""
    lines = [t("account.has", lang)]
    for name in SETTINGS_LISTS:
        refs = snapshot.lists.get(name, ())
        shown = ", ".join(f"{r.number} {mrkdwn_text(r.name)}" for r in refs[:SHOWN_REFERENCES])
        more = f", … (+{len(refs) - SHOWN_REFERENCES})" if len(refs) > SHOWN_REFERENCES else ""
        lines.append(f"• {list_word(name, lang)}: {shown + more or t('account.none_yet', lang)}")
    if valuation:
        lines.append(t("account.valuation", lang, method=valuation.upper()))
    else:
        lines.append(t("account.valuation.unknown", lang))
    return "\n".join(lines)


def failure_text(failure: ReadFailure, read_at: datetime | None, lang: str, now: datetime) -> str:
    params = {
        "list": list_word(failure.list_name, lang),
        "reason": _why(failure, lang),
        "when": format_when(failure.at, lang),
    }
    if read_at is None:
        return t("account.failed.none", lang, **params)
    return t("account.failed", lang, age=age(read_at, now, lang), **params)


def orders_text(view: AccountView, lang: str) -> str | None:
    if view.orders_failure:
        return t("account.orders.failed", lang, reason=mrkdwn_text(view.orders_failure))
    if view.orders is None or view.orders_read_at is None:
        return None
    when = format_when(view.orders_read_at, lang)
    if not view.orders:
        return t("account.orders.none", lang, when=when)
    shown = ", ".join(
        f"{mrkdwn_text(number)} ({mrkdwn_text(status)})"
        for number, status in view.orders[:SHOWN_ORDERS]
    )
    more = f", … (+{len(view.orders) - SHOWN_ORDERS})" if len(view.orders) > SHOWN_ORDERS else ""
    return t("account.orders.open", lang, count=len(view.orders), numbers=shown + more, when=when)


def account_note(result: FileResult, check: CheckAccount | None, lang: str, now: datetime) -> str:
    """One line under a file's verdict: how it was (or was not) checked against Rackbeat."""
    if check is None:
        return t("account.note.not_checked", lang)
    failure, snapshot = check.failure, check.snapshot
    if failure is not None:
        params = {"list": list_word(failure.list_name, lang), "reason": _why(failure, lang)}
        if snapshot is None:
            return t("account.note.unread", lang, **params)
        stale = t("account.note.stale", lang, age=age(snapshot.read_at, now, lang), **params)
    else:
        stale = ""
    summary = result.account
    if snapshot is None or summary is None:
        return stale or t("account.note.not_checked", lang)
    checked = t(
        "account.note.checked",
        lang,
        company=mrkdwn_text(summary.company),
        when=format_when(snapshot.read_at, lang),
        existing=summary.existing,
        changing=summary.changing,
    )
    return f"{stale}\n{checked}" if stale else checked


def _why(failure: ReadFailure, lang: str) -> str:
    """Why the account could not be read, in the reader's words (the stored reason is
    English: it stays for a failure recorded without a code)."""
    if not failure.code:
        return mrkdwn_text(failure.reason)
    if failure.code == "malformed" and failure.reason:
        # "Rackbeat's answer is unusable: entry 1 has no name." → what the parser found.
        detail = failure.reason.split(": ", 1)[-1].rstrip(".").replace("`", "'")
        return t("upstream.malformed.detail", lang, source="Rackbeat", detail=detail)
    return upstream_text("rackbeat", failure.code, lang)
