"""The errors the domain raises on purpose: one family, ``DomainError(code, **params)``.

A ``DomainError`` is a refusal the user can act on. It carries no words: ``code`` is a key
of the message catalogue (``handlers/messages``, defined in every language) and ``params``
are the values its words need. The one error hook says it in the user's language
(``handlers.errors.render_error``); anything else escaping a handler is a bug and is logged
with a traceback.

The onboarding area still words its refusals in ``core/onboarding/texts.py`` (its step
titles and rule texts have not moved to the catalogue yet): those are raised with their words
as the code and, where they are kept for the history, ``translations``.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refusal: ``code`` (a catalogue key) and the ``params`` of its words.

    A parameter may be a function of the language (``valid=valid_steps``): lists of steps are
    named in the reader's language too. ``reason`` is what logs and audit rows keep.
    """

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        self.reason = code
        self.translations: dict[str, str] = {}

    def in_language(self, language: str) -> str:
        """The words of a refusal worded in ``core``, in ``language`` if they were rendered
        in it, else as raised."""
        return self.translations.get(str(language), self.reason)


class NotFound(DomainError):
    """The thing asked for does not exist (in this channel or team)."""


class TransitionRefused(DomainError):
    """An onboarding step cannot move to the state asked for."""


class PermissionDenied(DomainError):
    """The user may read but not change this onboarding."""


class InvalidArgument(DomainError):
    """A command argument is not one of the valid values."""


class CsvUnreadable(DomainError):
    """A file is not a CSV the engine can read (binary, empty, unknown register…)."""


class NumberingConflict(DomainError):
    """Order or invoice numbers of Rackbeat and Netvisor overlap or are about to."""


class UpstreamError(DomainError):
    """Rackbeat or Netvisor did not give a usable answer."""


class UpstreamUnavailable(UpstreamError):
    """Timeout, connection failure, 5xx or 429 that did not clear: try again later."""


class UpstreamRejected(UpstreamError):
    """The upstream refused the request (401, 404, 422, FAILED status): fix the input."""


class ConfigurationError(DomainError):
    """The process is configured in a way that cannot work (for example no SECRET_KEY)."""
