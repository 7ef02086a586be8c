"""What the store tells the rest of the code when the database itself is away."""

from __future__ import annotations


class StoreUnavailable(Exception):
    """The database cannot be reached (down, unreachable, its files gone).

    The unit of work raises it in place of SQLAlchemy's ``OperationalError`` or
    ``InterfaceError`` (kept as ``__cause__``), so no caller outside ``core/store`` needs to
    know SQLAlchemy to tell an outage from a bug: the error hook answers it with the calm
    "database" message, and background work retries it later.
    """
