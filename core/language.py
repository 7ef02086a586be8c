"""The languages the bot speaks, and the one place a stored code or a locale becomes one.

A language is a code, never words: what is said in it lives in ``handlers/messages``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Language(StrEnum):
    EN = "en"
    FI = "fi"


DEFAULT_LANGUAGE: Final = Language.EN


def language_of(value: str | None) -> Language:
    """The language for a stored code or a locale (``fi``, ``fi-FI``, ``fi_FI``); anything
    else, or nothing, is English."""
    code = (value or "").strip().lower().replace("_", "-")
    return Language.FI if code == "fi" or code.startswith("fi-") else Language.EN
