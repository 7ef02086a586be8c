"""Builds the process's dependencies once: engine, schema, unit of work, executor."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.app import build_client
from bot.config import Settings
from bot.oauth import WorkspaceClients, sealing_box
from bot.oauth_store import SealedInstallationStore
from bot.upstreams import attach_upstreams
from core.credentials import SecretBox
from core.numbering.credentials import reseal_stored
from core.store.database import create_database_engine, migrate
from core.store.uow import unit_of_work_factory
from handlers.background import TrackingExecutor
from handlers.deps import Deps, RuntimeConfig

log = logging.getLogger("bot.wiring")


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    deps: Deps
    # A Web API client per workspace for the scheduler and the resumer.
    clients: WorkspaceClients

    def close(self) -> None:
        self.deps.listener_executor.shutdown(wait=True, cancel_futures=False)
        self.deps.executor.shutdown(wait=True, cancel_futures=False)
        if self.deps.numbering is not None:
            self.deps.numbering.close()
        self.engine.dispose()


def runtime_config(settings: Settings) -> RuntimeConfig:
    if settings.slack_bot_token is None and not settings.oauth_configured:
        raise ValueError("SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) is needed")
    return RuntimeConfig(
        bot_token=settings.slack_bot_token,
        file_hosts=settings.slack_file_hosts,
        slack_timeout_seconds=settings.slack_timeout_seconds,
        max_upload_mb=settings.max_upload_mb,
        numbering_check_minutes=settings.numbering_check_minutes,
        rackbeat_api_url=settings.rackbeat_api_url,
        netvisor_api_url=settings.netvisor_api_url,
        secret_key=settings.secret_key,
    )


def build_runtime(
    settings: Settings,
    *,
    run_migrations: bool = True,
    reseal: bool = True,
    job_worker: bool = False,
) -> Runtime:
    """Open the database (migrating it) and assemble what listeners and jobs share.

    Worker processes started by `serve` pass ``run_migrations=False, reseal=False``: their
    front did both. ``job_worker``: work that stops for a passing reason is retried as a job.
    """
    engine = create_database_engine(settings.database_url)
    if run_migrations:
        migrate(engine)
    deps = Deps(
        config=runtime_config(settings),
        uow=unit_of_work_factory(engine),
        # Few background workers: the work is mostly CPU under the GIL, and every extra
        # runnable thread slows the acknowledgements of new requests.
        executor=TrackingExecutor(max_workers=8),
        retries_later=job_worker,
    )
    numbering = attach_upstreams(deps, settings)
    if reseal and numbering.box is not None:
        reseal_credentials(deps, numbering.box)
    clients = workspace_clients(settings, deps)
    if clients.store is not None:
        deps.forget_workspace = forget_with(clients.store)
        if reseal:
            resealed = clients.store.reseal()
            if resealed:
                log.info("re-encrypted %d workspace bot token(s) under SECRET_KEY", resealed)
    return Runtime(settings, engine, deps, clients)


def workspace_clients(settings: Settings, deps: Deps) -> WorkspaceClients:
    """Clients for work no request started: per installation in OAuth mode (bot/oauth.py)."""

    def build(token: str) -> WebClient:
        return build_client(token, settings.slack_api_url, settings.slack_timeout_seconds)

    if settings.slack_bot_token is not None or not settings.oauth_configured:
        token = settings.slack_bot_token
        return WorkspaceClients(build, token=token.get_secret_value() if token else None)
    return WorkspaceClients(build, store=SealedInstallationStore(deps.uow, sealing_box(settings)))


def forget_with(store: SealedInstallationStore) -> Callable[[str], None]:
    def forget(team_id: str) -> None:
        store.delete_all(enterprise_id=None, team_id=team_id)

    return forget


def reseal_credentials(deps: Deps, box: SecretBox) -> None:
    """After a SECRET_KEY rotation: re-encrypt stored credentials under the new key, and say
    so; credentials no key opens are reported (docs/operations.md, "Rotating SECRET_KEY")."""
    found = reseal_stored(deps.uow, box)
    if found.resealed:
        log.info("re-encrypted %d stored credential(s) under SECRET_KEY", found.resealed)
    if found.unreadable:
        log.warning(
            "%d stored credential(s) cannot be opened with SECRET_KEY or SECRET_KEY_PREVIOUS: "
            "give the key they were stored with in SECRET_KEY_PREVIOUS, or connect again",
            found.unreadable,
        )
