"""Rackbeat and Netvisor credentials, and their encryption at rest.

Secrets are ``SecretStr``: ``repr()``, ``str()``, logs and validation errors show ``**********``
(``hide_input_in_errors`` keeps a wrongly typed key out of error messages too).

At rest they are a Fernet token (AES-128-CBC + HMAC-SHA256, from ``cryptography``) under a key
derived from ``SECRET_KEY`` with HKDF-SHA256. Rotation (docs/operations.md): start the process
with the new key as the current one and the old key among ``previous_keys``
(``SECRET_KEY_PREVIOUS``); everything still opens (MultiFernet tries each key), and
``core.numbering.credentials.reseal_stored`` re-encrypts the stored tokens under the new key
(every process does it when it starts), after which the old key can be dropped.

Shared by the areas that store credentials (``core/numbering``), read with them
(``core/account``) and send them (``core/sources``); it knows no table.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Literal, TypeVar

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from stdnum.fi import ytunnus

from core.errors import ConfigurationError

MIN_SECRET_KEY_LENGTH = 16
_HKDF_SALT = b"rackbeat-onboarding-bot"
_HKDF_INFO = b"stored-credentials/v1"

M = TypeVar("M", bound=BaseModel)


class _Credentials(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", hide_input_in_errors=True, str_strip_whitespace=True
    )


class RackbeatCredentials(_Credentials):
    """A Rackbeat API token (Settings → API in Rackbeat), sent as a bearer token."""

    api_token: SecretStr = Field(min_length=1)


class NetvisorCredentials(_Credentials):
    """Netvisor API identifiers: the company's CustomerId/Key and the software partner's.

    The two keys never travel: they only key the MAC of each request.
    """

    customer_id: str = Field(min_length=1, max_length=100)
    customer_key: SecretStr = Field(min_length=1)
    partner_id: str = Field(min_length=1, max_length=100)
    partner_key: SecretStr = Field(min_length=1)
    organisation_id: str = Field(description="the company's business id, 1234567-8")
    language: Literal["FI", "EN", "SE"] = "FI"

    @field_validator("organisation_id")
    @classmethod
    def _business_id(cls, value: str) -> str:
        if not ytunnus.is_valid(value):
            raise ValueError("must be a Finnish business id such as 1234567-8")
        return str(ytunnus.format(value))


def _fernet(secret: str) -> Fernet:
    if len(secret) < MIN_SECRET_KEY_LENGTH:
        raise ConfigurationError(
            f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters; make one with "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))'."
        )
    kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO)
    return Fernet(base64.urlsafe_b64encode(kdf.derive(secret.encode("utf-8"))))


def _plain(value: str | SecretStr) -> str:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


class SecretBox:
    """Encrypts credentials models for storage; decrypts with the current or a previous key."""

    def __init__(
        self, secret_key: str | SecretStr, previous_keys: Sequence[str | SecretStr] = ()
    ) -> None:
        keys = [_fernet(_plain(secret_key)), *(_fernet(_plain(key)) for key in previous_keys)]
        self._current = keys[0]
        self._fernet = MultiFernet(keys)
        self._key_count = len(keys)

    def __repr__(self) -> str:
        return f"SecretBox(keys={self._key_count})"

    def seal(self, credentials: BaseModel) -> str:
        """The credentials as an encrypted token (text, safe to store)."""
        plain = {
            name: _plain(value) if isinstance(value, SecretStr) else value
            for name, value in credentials
        }
        return self._fernet.encrypt(json.dumps(plain).encode("utf-8")).decode("ascii")

    def open(self, token: str, model: type[M]) -> M:
        """The credentials back from ``seal``'s token."""
        try:
            plain = self._fernet.decrypt(token.encode("ascii"))
            return model.model_validate(json.loads(plain))
        except (InvalidToken, ValueError, ValidationError) as exc:
            raise ConfigurationError(
                "Stored credentials cannot be opened with SECRET_KEY: if the key was changed, "
                "give the old one as a previous key, or connect again."
            ) from exc

    def is_current(self, token: str) -> bool:
        """Whether ``token`` opens with the current key alone (nothing to re-encrypt)."""
        try:
            self._current.decrypt(token.encode("ascii"))
        except (InvalidToken, ValueError):
            return False
        return True

    def rotate(self, token: str) -> str:
        """The same secret re-encrypted under the current key."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, ValueError) as exc:
            raise ConfigurationError(
                "Stored credentials cannot be opened with SECRET_KEY or a previous key."
            ) from exc
