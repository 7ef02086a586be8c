"""What the account snapshot needs from another area, as a protocol.

The credentials it reads Rackbeat and Netvisor with are stored by the numbering watch (they
are connected with `/rackbeat numbering connect`); ``core.numbering.credentials
.StoredCredentials`` implements this without either area importing the other, and
``bot/upstreams.py`` hands it over.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from core.upstream import Source


class SealedCredentials(Protocol):
    def sealed(self, onboarding_id: int) -> Mapping[Source, str]:
        """The onboarding's stored credentials by source, still encrypted (``SecretBox``)."""
