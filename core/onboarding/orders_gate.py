"""The question the ``previous_orders`` step asks: which Netvisor sales orders are still open?

The account area reads them from Netvisor (``core/account/orders.py``) and stores them beside
the account snapshot; the step's guard reads what was stored. Without a Netvisor connection
nothing is stored and nothing changes: the step is ticked by a person, as before.
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from core.store.account_models import AccountSnapshotRow


def open_orders_of(session: Session, onboarding_id: int) -> tuple[str, ...]:
    """``("10023 (open)", …)``: the open orders last read from Netvisor (none: empty)."""
    row = session.get(AccountSnapshotRow, onboarding_id)
    if row is None or not row.open_orders:
        return ()
    return tuple(f"{number} ({status})" for number, status in json.loads(row.open_orders))
