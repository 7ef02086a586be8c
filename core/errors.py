"""The errors the domain raises on purpose.

A ``DomainError`` is a refusal the user can act on: its ``reason`` is safe to show in Slack or
on the terminal. Anything else escaping a handler is a bug and is logged with a traceback.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refusal with a user-safe reason.

    ``translations`` (language code → reason) is filled where the reason was rendered in every
    language, so a stored refusal can be shown later in the language chosen then.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.translations: dict[str, str] = {}

    def in_language(self, language: str) -> str:
        """The reason in ``language`` if it was rendered in it, else as raised."""
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
