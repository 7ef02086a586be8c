"""slack-sdk's installation and OAuth-state stores on our own tables and migrations.

slack-sdk's `SQLAlchemyInstallationStore` keeps bot tokens in plain text and creates its
tables itself; these keep them sealed with `SECRET_KEY` (the same `SecretBox` as the
Rackbeat and Netvisor credentials, `SECRET_KEY_PREVIOUS` included) in tables that Alembic
migrates with the rest (`0013_i13_installations`). Only the bot's tokens are kept: the app
asks for no user scopes.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, SecretStr
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore

from core.credentials import SecretBox
from core.errors import ConfigurationError
from core.store.installations_repo import StoredInstallation
from core.store.uow import UnitOfWorkFactory

log = logging.getLogger("bot.oauth")

# Slack's own samples give a state ten minutes: long enough to read the permissions page.
STATE_LIFETIME = timedelta(minutes=10)


class SlackTokens(BaseModel):
    """What is sealed: the bot token, and its refresh token when token rotation is on."""

    bot_token: SecretStr
    bot_refresh_token: SecretStr | None = None


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SealedInstallationStore(InstallationStore):
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        box: SecretBox,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.uow = uow
        self.box = box
        self.clock = clock

    @property
    def logger(self) -> logging.Logger:
        return log

    def save(self, installation: Installation) -> None:
        if installation.team_id is None or installation.bot_token is None:
            # An org-wide (Enterprise Grid) install has no team; the manifest does not offer it.
            raise ValueError("only workspace installations with a bot token are supported")
        tokens = SlackTokens(
            bot_token=SecretStr(installation.bot_token),
            bot_refresh_token=SecretStr(installation.bot_refresh_token)
            if installation.bot_refresh_token
            else None,
        )
        expires = installation.bot_token_expires_at
        stored = StoredInstallation(
            team_id=installation.team_id,
            enterprise_id=installation.enterprise_id,
            team_name=installation.team_name,
            app_id=installation.app_id,
            bot_id=installation.bot_id,
            bot_user_id=installation.bot_user_id,
            bot_scopes=",".join(installation.bot_scopes or []),
            installer_user_id=installation.user_id,
            tokens_sealed=self.box.seal(tokens),
            token_expires_at=datetime.fromtimestamp(expires, UTC) if expires else None,
            installed_at=self.clock(),
        )
        with self.uow() as unit:
            unit.installations.save(stored)
            unit.commit()
        log.info("installed in workspace %s (%s)", installation.team_id, installation.team_name)

    def save_bot(self, bot: Bot) -> None:
        # Bolt calls this only with token rotation, after refreshing; `save` keeps both.
        self.save(
            Installation(
                app_id=bot.app_id,
                enterprise_id=bot.enterprise_id,
                team_id=bot.team_id,
                team_name=bot.team_name,
                bot_token=bot.bot_token,
                bot_id=bot.bot_id,
                bot_user_id=bot.bot_user_id,
                bot_scopes=bot.bot_scopes,
                bot_refresh_token=bot.bot_refresh_token,
                bot_token_expires_at=bot.bot_token_expires_at,
                user_id="",
            )
        )

    def _find(self, team_id: str | None) -> tuple[StoredInstallation, SlackTokens] | None:
        if team_id is None:
            return None
        with self.uow() as unit:
            stored = unit.installations.find(team_id)
        if stored is None:
            return None
        try:
            return stored, self.box.open(stored.tokens_sealed, SlackTokens)
        except ConfigurationError:
            log.error(
                "the bot token of workspace %s cannot be opened with SECRET_KEY or "
                "SECRET_KEY_PREVIOUS: give the key it was stored with, or reinstall the app",
                team_id,
            )
            return None

    def installed(self, team_id: str) -> bool:
        """Whether the workspace has an installation (one indexed read, nothing decrypted)."""
        with self.uow() as unit:
            return unit.installations.installed(team_id)

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = self._find(team_id)
        if found is None:
            return None
        stored, tokens = found
        return Bot(
            app_id=stored.app_id,
            enterprise_id=stored.enterprise_id,
            team_id=stored.team_id,
            team_name=stored.team_name,
            bot_token=tokens.bot_token.get_secret_value(),
            bot_id=stored.bot_id or "",
            bot_user_id=stored.bot_user_id or "",
            bot_scopes=stored.bot_scopes,
            bot_refresh_token=_plain(tokens.bot_refresh_token),
            bot_token_expires_at=_epoch(stored.token_expires_at),
            installed_at=stored.installed_at.timestamp(),
        )

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        found = self._find(team_id)
        if found is None:
            return None
        stored, tokens = found
        return Installation(
            app_id=stored.app_id,
            enterprise_id=stored.enterprise_id,
            team_id=stored.team_id,
            team_name=stored.team_name,
            bot_token=tokens.bot_token.get_secret_value(),
            bot_id=stored.bot_id,
            bot_user_id=stored.bot_user_id,
            bot_scopes=stored.bot_scopes,
            bot_refresh_token=_plain(tokens.bot_refresh_token),
            bot_token_expires_at=_epoch(stored.token_expires_at),
            user_id=stored.installer_user_id or "",
            installed_at=stored.installed_at.timestamp(),
        )

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._delete(team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        # Only the bot's tokens are stored: a user's revoked token has nothing to delete.
        if user_id is None:
            self._delete(team_id)

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._delete(team_id)

    def _delete(self, team_id: str | None) -> None:
        if team_id is None:
            return
        with self.uow() as unit:
            existed = unit.installations.delete(team_id, self.clock())
            unit.commit()
        if existed:
            log.info("uninstalled from workspace %s: its tokens are deleted", team_id)

    def reseal(self) -> int:
        """Re-encrypt tokens sealed under a previous key with SECRET_KEY; how many."""
        resealed = 0
        with self.uow() as unit:
            repository = unit.installations
            for team_id, sealed in repository.sealed_tokens():
                if self.box.is_current(sealed):
                    continue
                try:
                    tokens = self.box.open(sealed, SlackTokens)
                except ConfigurationError:
                    continue  # reported when the workspace's token is next needed
                repository.reseal(team_id, self.box.seal(tokens))
                resealed += 1
            unit.commit()
        return resealed


class DatabaseStateStore(OAuthStateStore):
    """OAuth states in `slack_oauth_states`: any process may finish an installation that
    another began, and a state is good once, for ten minutes."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        lifetime: timedelta = STATE_LIFETIME,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.uow = uow
        self.lifetime = lifetime
        self.clock = clock

    @property
    def logger(self) -> logging.Logger:
        return log

    def issue(self, *args: object, **kwargs: object) -> str:
        state = secrets.token_urlsafe(32)
        with self.uow() as unit:
            unit.installations.add_state(state, self.clock() + self.lifetime)
            unit.commit()
        return state

    def consume(self, state: str) -> bool:
        with self.uow() as unit:
            valid = unit.installations.consume_state(state[:64], self.clock())
            unit.commit()
        return valid


def _plain(secret: SecretStr | None) -> str | None:
    return secret.get_secret_value() if secret is not None else None


def _epoch(moment: datetime | None) -> int | None:
    return int(moment.timestamp()) if moment is not None else None
