"""What the listeners need, built once by `bot/` and handed to `register_handlers`.

Listeners get these by closure (Bolt fills listener parameters by name only, so services
cannot be injected as extra arguments).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydantic import SecretStr

from core.account.service import AccountService
from core.numbering.service import NumberingService
from core.onboarding.numbering_gate import NumberingStatusProvider
from core.sources.upstreams import Upstreams
from core.store.uow import UnitOfWorkFactory
from handlers.background import TrackingExecutor


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class RuntimeConfig:
    """The part of the settings that listeners use."""

    # The one workspace's token; ``None`` in OAuth mode, where each request brings its own.
    bot_token: SecretStr | None = None
    file_hosts: tuple[str, ...] = ("files.slack.com",)
    slack_timeout_seconds: float = 10.0
    max_upload_mb: int = 50
    numbering_check_minutes: int = 60
    rackbeat_api_url: str = "https://app.rackbeat.com/api/"
    netvisor_api_url: str = "https://isvapi.netvisor.fi/"
    secret_key: SecretStr | None = None


@dataclass
class Deps:
    """Built once per process in `bot/wiring.py`."""

    config: RuntimeConfig
    uow: UnitOfWorkFactory
    # Background work after `ack()`: the handlers' listeners, downloads, checks.
    executor: TrackingExecutor = field(default_factory=TrackingExecutor)
    # Bolt's own pool: it only runs the acknowledging wrappers, so it is never busy for long.
    listener_executor: TrackingExecutor = field(
        default_factory=lambda: TrackingExecutor(max_workers=32, thread_name_prefix="ack")
    )
    clock: Callable[[], datetime] = utc_now
    # True in a job worker: work stopped for a passing reason raises `RetryLater` and its job
    # runs again later; in-process work (SQLite, console) has no later and apologises.
    retries_later: bool = False
    # The numbering area's reader of both series' levels (gate of the `numbering` step).
    numbering_status: NumberingStatusProvider | None = None
    # The numbering watch (service, checker, upstream clients), built in `bot/wiring.py`.
    numbering: NumberingService | None = None
    # OAuth mode: forget a workspace's stored tokens after `app_uninstalled`/`tokens_revoked`.
    forget_workspace: Callable[[str], None] | None = None
    # The account snapshot (`/rackbeat account`, file checks against Rackbeat).
    account: AccountService | None = None
    # The process's Rackbeat and Netvisor clients (pooled, one request ceiling per account).
    upstreams: Upstreams | None = None
