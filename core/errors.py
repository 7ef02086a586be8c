"""The errors the domain raises on purpose: one family, ``DomainError(code, **params)``.

A ``DomainError`` is a refusal the user can act on. It carries no words: ``code`` is a key
of the message catalogue (``handlers/messages``, defined in every language) and ``params``
are the data its words need (step ids, states, user ids, datetimes, numbers). The one error
hook says it in the reader's language (``handlers.errors.render_error``); anything else
escaping a handler is a bug and is logged with a traceback. Logs keep the code.
"""

from __future__ import annotations

from typing import Self

from core.language import Language


class DomainError(Exception):
    """A refusal: ``code`` (a catalogue key) and the ``params`` of its words.

    ``language`` is set when ``core`` knows the reader's language better than the channel
    does (the asker's Slack locale in a channel that has no onboarding yet); the error hook
    uses it before the channel's.
    """

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        self.language: Language | None = None

    def for_reader(self, language: Language) -> Self:
        """This refusal, to be said in ``language`` whatever the channel speaks."""
        self.language = language
        return self


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
    """Rackbeat or Netvisor did not give a usable answer.

    Worded from its source and the upstream's code (``core.upstream``); ``reason`` is an
    English account for logs and the command line, never shown to a Slack user.
    """

    def __init__(self, reason: str, /, **params: object) -> None:
        super().__init__(reason, **params)
        self.reason = reason


class UpstreamUnavailable(UpstreamError):
    """Timeout, connection failure, 5xx or 429 that did not clear: try again later."""


class UpstreamRejected(UpstreamError):
    """The upstream refused the request (401, 404, 422, FAILED status): fix the input."""


class ConfigurationError(DomainError):
    """The process is configured in a way that cannot work (for example no SECRET_KEY)."""
