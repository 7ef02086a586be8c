"""Persistence of Slack installations (OAuth mode) and of the OAuth `state`s in flight.

Tokens arrive here already sealed (`bot/oauth_store.py` seals them with `SECRET_KEY`): this
layer never sees a plain token. A state is consumed by one DELETE, so of two requests that
bring the same state only one finds it.

Infrastructure, not an area: installations are how the process reaches Slack at all (Bolt's
installation store, ``bot/oauth_store.py``), whatever the areas do, so this repository stays
in ``core/store`` beside its tables (areas keep theirs in ``core/<area>/repository.py``); the
unit of work hands it out as ``uow.installations``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Result, delete, select, update
from sqlalchemy.orm import Session

from core.store.installation_models import OAuthState, SlackInstallation
from core.store.models import Workspace


@dataclass(frozen=True)
class StoredInstallation:
    team_id: str
    enterprise_id: str | None
    team_name: str | None
    app_id: str | None
    bot_id: str | None
    bot_user_id: str | None
    bot_scopes: str
    installer_user_id: str | None
    tokens_sealed: str
    token_expires_at: datetime | None
    installed_at: datetime


class InstallationsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, installation: StoredInstallation) -> None:
        """Store the installation (a reinstall replaces the team's row) and mark the
        workspace installed again."""
        self.session.merge(SlackInstallation(**asdict(installation)))
        workspace = self.session.get(Workspace, installation.team_id)
        if workspace is None:
            self.session.add(
                Workspace(
                    team_id=installation.team_id,
                    name=installation.team_name,
                    created_at=installation.installed_at,
                )
            )
        else:
            workspace.uninstalled_at = None
            workspace.name = installation.team_name or workspace.name
        self.session.flush()

    def find(self, team_id: str) -> StoredInstallation | None:
        row = self.session.get(SlackInstallation, team_id)
        if row is None:
            return None
        return StoredInstallation(
            **{name: getattr(row, name) for name in StoredInstallation.__dataclass_fields__}
        )

    def installed(self, team_id: str) -> bool:
        query = select(SlackInstallation.team_id).where(SlackInstallation.team_id == team_id)
        return self.session.scalar(query) is not None

    def delete(self, team_id: str, now: datetime) -> bool:
        """Forget the team's tokens; its workspace row (and onboardings) stay, marked
        uninstalled. ``True`` if there was an installation."""
        deleted = _rowcount(
            self.session.execute(
                delete(SlackInstallation).where(SlackInstallation.team_id == team_id)
            )
        )
        self.session.execute(
            update(Workspace).where(Workspace.team_id == team_id).values(uninstalled_at=now)
        )
        return bool(deleted)

    def sealed_tokens(self) -> list[tuple[str, str]]:
        """(team id, sealed tokens) of every installation, for re-sealing under a new key."""
        query = select(SlackInstallation.team_id, SlackInstallation.tokens_sealed)
        return list(self.session.execute(query).tuples())

    def reseal(self, team_id: str, tokens_sealed: str) -> None:
        self.session.execute(
            update(SlackInstallation)
            .where(SlackInstallation.team_id == team_id)
            .values(tokens_sealed=tokens_sealed)
        )

    def uninstalled_at(self, team_id: str) -> datetime | None:
        return self.session.scalar(
            select(Workspace.uninstalled_at).where(Workspace.team_id == team_id)
        )

    # --- OAuth states ------------------------------------------------------------------------

    def add_state(self, state: str, expires_at: datetime) -> None:
        self.session.add(OAuthState(state=state, expires_at=expires_at))
        self.session.flush()

    def consume_state(self, state: str, now: datetime) -> bool:
        """``True`` once for a state that was issued and has not expired; expired states
        found on the way are removed too."""
        found = self.session.scalar(select(OAuthState.expires_at).where(OAuthState.state == state))
        taken = _rowcount(self.session.execute(delete(OAuthState).where(OAuthState.state == state)))
        self.session.execute(delete(OAuthState).where(OAuthState.expires_at < now))
        return bool(taken) and found is not None and found >= now


def _rowcount(result: Result[Any]) -> int:
    """Rows a DELETE or UPDATE touched (SQLAlchemy types it only on CursorResult)."""
    count: int = getattr(result, "rowcount", 0)
    return count
