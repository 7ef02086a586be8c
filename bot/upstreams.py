"""The outside world, wired: the process's Rackbeat and Netvisor clients (``core/sources``)
handed to the areas through their ports.

``core/numbering`` declares what it reads through ``core.numbering.ports``, ``core/account``
the stored credentials it needs through ``core.account.ports``; neither imports
``core/sources`` for it nor the other area. This is the one place that knows all of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from pydantic import SecretStr

from bot.config import Settings
from core.account.service import AccountService
from core.credentials import SecretBox
from core.errors import ConfigurationError
from core.numbering.checker import NumberingChecker
from core.numbering.credentials import StoredCredentials
from core.numbering.service import NumberingService
from core.sources.identity import user_agent
from core.sources.ratelimit import AccountLimits
from core.sources.upstreams import Upstreams
from core.store.uow import UnitOfWorkFactory
from handlers.deps import Deps

log = logging.getLogger("bot.upstreams")


def secret_box(
    secret_key: SecretStr | None, previous_keys: Sequence[SecretStr] = ()
) -> SecretBox | None:
    """The box stored credentials are sealed with; ``None`` without a usable ``SECRET_KEY``.

    A key too weak to use is logged and treated as missing: the rest of the bot keeps working,
    ``connect`` refuses, stored credentials report the cause. ``previous_keys``
    (``SECRET_KEY_PREVIOUS``) still open what was stored under an older key.
    """
    if secret_key is None:
        return None
    try:
        return SecretBox(secret_key, previous_keys)
    except ConfigurationError as error:
        log.error("numbering credentials disabled: %s", error.code)
        return None


def build_upstreams(
    rackbeat_url: str,
    netvisor_url: str,
    *,
    max_connections: int = 64,
    rackbeat_contact: str | None = None,
    rackbeat_max_per_minute: int = 480,
) -> Upstreams:
    """The process's pooled clients, with one request ceiling per Rackbeat account."""
    return Upstreams(
        rackbeat_url,
        netvisor_url,
        max_connections=max_connections,
        rackbeat_user_agent=user_agent(rackbeat_contact),
        rackbeat_limits=AccountLimits(rackbeat_max_per_minute),
    )


def numbering_service(
    uow: UnitOfWorkFactory,
    clock: Callable[[], datetime],
    upstreams: Upstreams,
    box: SecretBox | None,
    interval: timedelta,
) -> NumberingService:
    checker = NumberingChecker(uow, upstreams, box, interval=interval, clock=clock)
    return NumberingService(uow, checker, upstreams, box, clock=clock, interval=interval)


def build_numbering(
    uow: UnitOfWorkFactory,
    clock: Callable[[], datetime],
    *,
    rackbeat_url: str,
    netvisor_url: str,
    secret_key: SecretStr | None,
    interval: timedelta,
    max_connections: int = 64,
    previous_keys: Sequence[SecretStr] = (),
    rackbeat_contact: str | None = None,
    rackbeat_max_per_minute: int = 480,
) -> NumberingService:
    """A numbering service with clients of its own (its checker and pooled clients inside):
    what `check-numbering`, the benchmarks and the tests use."""
    upstreams = build_upstreams(
        rackbeat_url,
        netvisor_url,
        max_connections=max_connections,
        rackbeat_contact=rackbeat_contact,
        rackbeat_max_per_minute=rackbeat_max_per_minute,
    )
    box = secret_box(secret_key, previous_keys)
    return numbering_service(uow, clock, upstreams, box, interval)


def attach_upstreams(deps: Deps, settings: Settings) -> NumberingService:
    """Build the process's clients, the numbering service and the account snapshot on them,
    and plug them into the listeners' dependencies (and the ``numbering`` step's guard)."""
    upstreams = build_upstreams(
        settings.rackbeat_api_url,
        settings.netvisor_api_url,
        rackbeat_contact=settings.rackbeat_contact,
        rackbeat_max_per_minute=settings.rackbeat_max_requests_per_minute,
    )
    box = secret_box(settings.secret_key, settings.secret_key_previous)
    service = numbering_service(
        deps.uow,
        lambda: deps.clock(),  # noqa: PLW0108 - late-bound: tests replace deps.clock
        upstreams,
        box,
        timedelta(minutes=settings.numbering_check_minutes),
    )
    deps.upstreams = upstreams
    deps.numbering = service
    deps.numbering_status = service.levels
    deps.account = AccountService(
        deps.uow,
        upstreams,
        box,
        StoredCredentials(deps.uow),
        clock=lambda: deps.clock(),  # noqa: PLW0108 - late-bound: tests replace deps.clock
        max_age=timedelta(minutes=settings.account_max_age_minutes),
    )
    return service
