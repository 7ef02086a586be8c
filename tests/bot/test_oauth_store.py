"""Bot tokens of OAuth installations are sealed with SECRET_KEY and survive its rotation."""

from __future__ import annotations

import pytest
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import select

from bot.oauth_store import SealedInstallationStore
from core.credentials import SecretBox
from core.store.installation_models import SlackInstallation
from core.store.uow import UnitOfWorkFactory

OLD, NEW = "old-secret-key-0123456789", "new-secret-key-0123456789"
TOKEN = "xoxb-acme-secret-token"


def installation(team_id: str = "T0ACME", token: str = TOKEN) -> Installation:
    return Installation(
        app_id="A0LOCAL",
        team_id=team_id,
        team_name="Acme Oy",
        bot_token=token,
        bot_id="B0ACME",
        bot_user_id="U0ACMEBOT",
        bot_scopes=["commands", "chat:write"],
        user_id="U0INSTALLER",
    )


def test_the_token_is_stored_sealed_and_found_by_its_team(uow: UnitOfWorkFactory) -> None:
    store = SealedInstallationStore(uow, SecretBox(OLD))
    store.save(installation())
    with uow() as unit:
        sealed = unit.session.scalar(select(SlackInstallation.tokens_sealed))
    assert sealed is not None
    assert TOKEN not in sealed
    bot = store.find_bot(enterprise_id=None, team_id="T0ACME")
    assert bot is not None
    assert bot.bot_token == TOKEN
    assert bot.bot_scopes == ["commands", "chat:write"]
    assert store.find_bot(enterprise_id=None, team_id="T0OTHER") is None


def test_a_rotated_key_reseals_the_tokens_once(uow: UnitOfWorkFactory) -> None:
    SealedInstallationStore(uow, SecretBox(OLD)).save(installation())
    rotated = SealedInstallationStore(uow, SecretBox(NEW, [OLD]))
    assert rotated.reseal() == 1
    assert rotated.reseal() == 0
    only_new = SealedInstallationStore(uow, SecretBox(NEW))
    bot = only_new.find_bot(enterprise_id=None, team_id="T0ACME")
    assert bot is not None
    assert bot.bot_token == TOKEN


def test_a_token_no_key_opens_is_no_installation_and_says_why(
    uow: UnitOfWorkFactory, caplog: pytest.LogCaptureFixture
) -> None:
    SealedInstallationStore(uow, SecretBox(OLD)).save(installation())
    assert (
        SealedInstallationStore(uow, SecretBox(NEW)).find_bot(enterprise_id=None, team_id="T0ACME")
        is None
    )
    assert "cannot be opened with SECRET_KEY" in caplog.text
    assert TOKEN not in caplog.text
