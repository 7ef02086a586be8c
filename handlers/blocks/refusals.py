"""A refusal in words: its code's template in the reader's language, with its data said in
that language too.

The one error hook (``handlers.errors.render_error``) and the history (a refused attempt's
audit row keeps the code and the data) both come here, so a refusal reads the same wherever
it is shown. An area whose data needs words of its own (step titles, states, mentions,
moments) lists a wording for its codes (``handlers.blocks.onboarding_words.WORDINGS``); the
rest take their params as they are, a function of the language called with it, an upstream
failure as its sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.upstream import SourceRejected, SourceUnavailable
from handlers.blocks.onboarding_words import WORDINGS
from handlers.blocks.upstream import failure_text
from handlers.messages import CATALOG, t

UPSTREAM_FAILURES = (SourceRejected, SourceUnavailable)


def refusal_text(code: str, params: Mapping[str, Any], language: str) -> str:
    """The words of the refusal ``code`` with ``params`` in ``language``; a code that is not
    in the catalogue (an operator's English sentence raised as it is) as it is."""
    wording = WORDINGS.get(code)
    if wording is not None:
        return wording(params, language)
    if code not in CATALOG:
        return code
    return t(code, language, **{name: said(value, language) for name, value in params.items()})


def said(value: object, language: str) -> object:
    """A parameter in ``language``: an upstream failure as its sentence, a function of the
    language called with it, anything else as it is."""
    if isinstance(value, UPSTREAM_FAILURES):
        return failure_text(value.source, value.code, language)
    return value(language) if callable(value) else value
