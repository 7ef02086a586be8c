"""Every user-facing string, in English and Finnish.

Each area keeps its strings in a module of this package (``MESSAGES = {key: {"en": …,
"fi": …}}``); this module merges them, and refuses at import a key that is missing a language
or defined twice. Code and tests refer to keys, never to copied literals::

    t("help.unknown", "fi", sub="foo")
"""

from __future__ import annotations

from collections.abc import Mapping

from core.language import DEFAULT_LANGUAGE, Language, language_of
from handlers.messages import (
    account,
    common,
    help_topics,
    imports,
    install,
    issues,
    numbering,
    onboarding,
    onboarding_refusals,
    registers,
    steps,
    upstream,
)

LANGUAGES: tuple[Language, ...] = tuple(Language)

# Areas add their module here.
_AREAS: tuple[Mapping[str, Mapping[str, str]], ...] = (
    common.MESSAGES,
    help_topics.MESSAGES,
    onboarding.MESSAGES,
    onboarding_refusals.MESSAGES,
    steps.MESSAGES,
    numbering.MESSAGES,
    registers.MESSAGES,
    issues.MESSAGES,
    upstream.MESSAGES,
    install.MESSAGES,
    imports.MESSAGES,
    account.MESSAGES,
)


def _merge(areas: tuple[Mapping[str, Mapping[str, str]], ...]) -> dict[str, Mapping[str, str]]:
    merged: dict[str, Mapping[str, str]] = {}
    for area in areas:
        for key, texts in area.items():
            if key in merged:
                raise ValueError(f"message key {key!r} is defined twice")
            missing = [lang for lang in LANGUAGES if not texts.get(lang)]
            if missing:
                raise ValueError(f"message key {key!r} lacks {', '.join(missing)}")
            merged[key] = texts
    return merged


CATALOG: Mapping[str, Mapping[str, str]] = _merge(_AREAS)


def t(key: str, lang: str | None = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The text for ``key`` in ``lang`` with ``params`` filled in (str.format syntax)."""
    text = CATALOG[key][language_of(lang)]
    return text.format(**params) if params else text
