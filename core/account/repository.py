"""The only SQL of the account area: one ``account_snapshots`` row per onboarding."""

from __future__ import annotations

import json
import zlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.account.model import ALL_LISTS, AccountSnapshot
from core.store.account_models import AccountSnapshotRow
from core.store.registers_models import ValidationResult

_MAX_REASON = 255


class AccountRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def row(self, onboarding_id: int, *, lock: bool = False) -> AccountSnapshotRow | None:
        return self.session.get(AccountSnapshotRow, onboarding_id, with_for_update=lock)

    def _row_for_write(self, onboarding_id: int) -> AccountSnapshotRow:
        found = self.row(onboarding_id, lock=True)
        if found is None:
            found = AccountSnapshotRow(onboarding_id=onboarding_id)
            self.session.add(found)
        return found

    def save(self, onboarding_id: int, snapshot: AccountSnapshot) -> None:
        """Replace the snapshot; a failure recorded before is over."""
        row = self._row_for_write(onboarding_id)
        row.company = snapshot.company[:255]
        row.read_at = snapshot.read_at
        row.data = zlib.compress(json.dumps(snapshot.to_json()).encode(), 6)
        row.counts = json.dumps({name: snapshot.count(name) for name in ALL_LISTS})
        row.failed_list = row.failed_code = row.failed_reason = None
        row.failed_at = None

    def record_failure(
        self, onboarding_id: int, list_name: str, code: str, reason: str, at: datetime
    ) -> None:
        """What failed, beside the last good snapshot (which stays as it was)."""
        row = self._row_for_write(onboarding_id)
        row.failed_list = list_name[:32]
        row.failed_code = code[:64]
        row.failed_reason = reason[:_MAX_REASON]
        row.failed_at = at

    def save_orders(self, onboarding_id: int, orders: list[tuple[str, str]], at: datetime) -> None:
        row = self._row_for_write(onboarding_id)
        row.open_orders = json.dumps(orders)
        row.orders_read_at = at

    @staticmethod
    def snapshot(row: AccountSnapshotRow) -> AccountSnapshot | None:
        if row.data is None:
            return None
        return AccountSnapshot.from_json(json.loads(zlib.decompress(row.data)))

    @staticmethod
    def counts(row: AccountSnapshotRow) -> dict[str, int]:
        return {str(k): int(v) for k, v in json.loads(row.counts or "{}").items()}

    @staticmethod
    def orders(row: AccountSnapshotRow) -> list[tuple[str, str]]:
        return [(str(n), str(s)) for n, s in json.loads(row.open_orders or "[]")]

    def unknown_references(self, onboarding_id: int, limit: int = 10) -> list[str]:
        """``group 7 (products.csv)``: what the latest file of each register points at and the
        account lacks (from the stored results, whose issues are capped; enough to name them)."""
        rows = self.session.scalars(
            select(ValidationResult)
            .where(ValidationResult.onboarding_id == onboarding_id)
            .order_by(ValidationResult.created_at.desc(), ValidationResult.id.desc())
        )
        latest: dict[str, ValidationResult] = {}
        for row in rows:
            if row.register is not None:
                latest.setdefault(row.register, row)
        found: dict[str, None] = {}
        for row in latest.values():
            for issue in row.summary.get("issues", []):
                if issue.get("code") == "unknown_reference" and len(found) < limit:
                    found[f"{issue.get('column')} {issue.get('value')} ({row.file_name})"] = None
        return list(found)
