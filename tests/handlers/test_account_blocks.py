"""The account view and the account notes of file replies, without Slack."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from core.account.model import AccountSnapshot, Reference
from core.account.service import AccountView, CheckAccount, ReadFailure
from core.registers.model import FileResult, Register
from core.registers.references import AccountSummary
from handlers.blocks.account import account_message, account_note
from handlers.messages import t

READ = datetime(2026, 12, 6, 14, 3, tzinfo=UTC)
NOW = READ + timedelta(hours=3)
SNAPSHOT = AccountSnapshot(
    "Kone ja Rauta Oy",
    READ,
    lists={"units": (Reference("1", "kpl"),), "locations": (Reference("1", "Päävarasto"),)},
)


def text_of(blocks: list[dict[str, object]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_the_view_names_what_the_uploaded_files_still_need_in_finnish() -> None:
    view = AccountView(True, "Kone ja Rauta Oy", READ, {"units": 1, "locations": 1})
    _, blocks = account_message(
        view, "fi", NOW, registers=[Register.PRODUCTS, Register.CUSTOMERS], snapshot=SNAPSHOT
    )
    shown = text_of(blocks)
    assert t("account.missing", "fi", lists="tuoteryhmät, asiakasryhmät, maksuehdot") in shown
    assert "yksiköt: 1 kpl" in shown
    assert "tuoteryhmät: ei vielä yhtään" in shown
    assert t("account.valuation.unknown", "fi") in shown
    assert "account:refresh" in shown


def test_a_failed_read_is_shown_with_the_age_of_what_is_shown() -> None:
    failure = ReadFailure("customers", "http_503", "Rackbeat is down (HTTP 503).", NOW)
    view = AccountView(True, "Kone ja Rauta Oy", READ, {}, failure)
    _, blocks = account_message(view, "en", NOW)
    assert "I could not read customers from Rackbeat" in text_of(blocks)
    assert "read 3 h ago" in text_of(blocks)


def test_open_orders_are_listed_with_their_status_words_as_netvisor_gives_them() -> None:
    view = AccountView(True, orders=[("5001", "open"), ("5003", "Toimitettu")], orders_read_at=NOW)
    _, blocks = account_message(view, "en", NOW)
    assert "2 sales orders still open: 5001 (open), 5003 (Toimitettu)" in text_of(blocks)


def test_not_connected_says_how_to_connect() -> None:
    text, _ = account_message(AccountView(False), "en", NOW)
    assert text == t("account.not_connected", "en")


def test_file_notes() -> None:
    result = FileResult("p.csv", account=AccountSummary("Kone ja Rauta Oy", 5, 2))
    assert account_note(result, None, "en", NOW) == t("account.note.not_checked", "en")
    fresh = account_note(result, CheckAccount(SNAPSHOT, None), "en", NOW)
    assert fresh.startswith("Checked against Rackbeat (Kone ja Rauta Oy, read 6 Dec 2026")
    assert "5 rows already exist there, 2 of them" in fresh
    failure = ReadFailure("units", "malformed", "bad", NOW)
    stale = account_note(result, CheckAccount(SNAPSHOT, failure), "fi", NOW)
    assert "joka luettiin 3 t sitten" in stale
    unread = account_note(FileResult("p.csv"), CheckAccount(None, failure), "en", NOW)
    assert unread == t("account.note.unread", "en", list="units", reason="bad")
