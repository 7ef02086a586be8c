"""App Home: each user's onboardings across the workspace's channels, published when they
open the tab."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from core.language import language_of
from handlers.blocks.home import home_view
from handlers.checklist import actor_for, service_for
from handlers.deps import Deps
from handlers.registry import Registrar


def register(reg: Registrar, deps: Deps) -> None:
    service = service_for(deps)

    def on_app_home_opened(
        ack: Ack,
        body: dict[str, Any],
        event: dict[str, Any],
        client: WebClient,
        logger: logging.Logger,
    ) -> None:
        ack()
        if event.get("tab", "home") != "home":
            return
        user_id = str(event.get("user") or "")
        team_id = str(body.get("team_id") or "")
        if not user_id or not team_id:
            logger.warning("app_home_opened without a user or team")
            return
        onboardings = service.for_user(team_id, user_id)
        locale = actor_for(client, user_id, team_id).locale
        if locale is None and onboardings:
            language = onboardings[0].language.value
        else:
            language = language_of(locale).value
        client.views_publish(user_id=user_id, view=home_view(user_id, onboardings, language))

    reg.event("app_home_opened", on_app_home_opened)
