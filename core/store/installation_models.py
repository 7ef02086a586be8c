"""Installations of the Slack app into workspaces (OAuth v2) and the OAuth `state`s in flight.

A workspace's bot token is stored sealed with `SECRET_KEY` (`core.credentials`), never
in plain text. An uninstall deletes the installation row; the workspace and its onboardings
stay (`workspaces.uninstalled_at` says so) and come back on reinstall.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.store.base import Base


class SlackInstallation(Base):
    """The bot's installation into one workspace: one row per team, replaced on reinstall."""

    __tablename__ = "slack_installations"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    team_name: Mapped[str | None] = mapped_column(String(255))
    app_id: Mapped[str | None] = mapped_column(String(32))
    bot_id: Mapped[str | None] = mapped_column(String(32))
    bot_user_id: Mapped[str | None] = mapped_column(String(32))
    bot_scopes: Mapped[str] = mapped_column(Text, default="")
    installer_user_id: Mapped[str | None] = mapped_column(String(32))
    # The bot token (and refresh token, with token rotation) sealed with SECRET_KEY.
    tokens_sealed: Mapped[str] = mapped_column(Text)
    token_expires_at: Mapped[datetime | None]
    installed_at: Mapped[datetime]


class OAuthState(Base):
    """A `state` handed to one browser for one installation; consumed once, or expired."""

    __tablename__ = "slack_oauth_states"

    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime]
