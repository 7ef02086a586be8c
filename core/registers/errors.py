"""Refusals of a whole file, each with a stable code the Slack layer can translate."""

from __future__ import annotations

from core.errors import CsvUnreadable


class UnreadableFile(CsvUnreadable):
    """A file the engine cannot read as a register CSV.

    ``code`` is one of ``empty``, ``header_only``, ``binary``, ``spreadsheet``, ``html``,
    ``not_text``, ``unknown_register``, ``ambiguous_register``; ``reason`` is a user-safe English
    sentence; ``row`` the line that gave the file away, when one did.
    """

    def __init__(self, code: str, reason: str, row: int | None = None) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.row = row
