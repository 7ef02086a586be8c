"""OAuth v2 in the emulator: installation into several emulated workspaces, one token each.

What Slack does between the bot's "Add to Slack" link and its redirect back (the person
picks a workspace and approves, or cancels) is ``approve``; the bot's side then runs as in
production: `oauth.v2.access` exchanges the code (once, with the app's client id and secret)
for a bot token of that workspace, and `auth.test` answers for whichever token it is given.
"""

from __future__ import annotations

import base64
import itertools
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

CLIENT_ID = "1000.2000"
CLIENT_SECRET = "local-client-secret"  # noqa: S105 - the emulator's own fake secret
APP_ID = "A0LOCAL"


@dataclass(frozen=True)
class Workspace:
    team_id: str
    team_name: str
    bot_user_id: str = "U0BOT"
    bot_id: str = "B0BOT"


@dataclass(frozen=True)
class Grant:
    workspace: Workspace
    scopes: str
    installer: str


class LocalOAuth:
    def __init__(
        self, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET, app_id: str = APP_ID
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.app_id = app_id
        self._codes: dict[str, Grant] = {}
        self._tokens: dict[str, Workspace] = {}
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    def approve(
        self,
        authorize_url: str,
        workspace: Workspace,
        redirect_uri: str,
        *,
        installer: str = "U0INSTALLER",
        cancel: bool = False,
    ) -> str:
        """Slack's consent page: the URL Slack sends the browser back to, with a code (or
        ``error=access_denied`` when the person cancels) and the ``state`` it was given."""
        query = {k: v[-1] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
        if query.get("client_id") != self.client_id:
            raise ValueError(f"unknown client_id {query.get('client_id')!r}")
        answer = {"state": query.get("state", "")}
        if cancel:
            answer["error"] = "access_denied"
        else:
            with self._lock:
                code = f"code-{next(self._counter)}-{workspace.team_id}"
                self._codes[code] = Grant(workspace, query.get("scope", ""), installer)
            answer["code"] = code
        return f"{redirect_uri}?{urlencode(answer)}"

    def exchange(self, params: dict[str, Any], authorization: str) -> dict[str, Any]:
        """`oauth.v2.access`: the app authenticates with its client id and secret (HTTP Basic,
        as slack-sdk sends them, or form fields); a code is good once."""
        client_id, client_secret = _basic(authorization)
        client_id = client_id or str(params.get("client_id") or "")
        client_secret = client_secret or str(params.get("client_secret") or "")
        if client_id != self.client_id or client_secret != self.client_secret:
            return {"ok": False, "error": "invalid_client_id"}
        with self._lock:
            grant = self._codes.pop(str(params.get("code") or ""), None)
            if grant is None:
                return {"ok": False, "error": "invalid_code"}
            token = f"xoxb-{grant.workspace.team_id.lower()}-{next(self._counter)}"
            self._tokens[token] = grant.workspace
        workspace = grant.workspace
        return {
            "ok": True,
            "access_token": token,
            "token_type": "bot",
            "scope": grant.scopes,
            "bot_user_id": workspace.bot_user_id,
            "app_id": self.app_id,
            "team": {"id": workspace.team_id, "name": workspace.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": grant.installer},
        }

    def workspace_of(self, token: str) -> Workspace | None:
        with self._lock:
            return self._tokens.get(token)

    def tokens_of(self, team_id: str) -> list[str]:
        with self._lock:
            return [t for t, w in self._tokens.items() if w.team_id == team_id]

    def uninstall(self, team_id: str) -> dict[str, Any]:
        """Revoke the workspace's tokens; the `app_uninstalled` event Slack then sends."""
        with self._lock:
            for token in [t for t, w in self._tokens.items() if w.team_id == team_id]:
                del self._tokens[token]
        return {
            "type": "event_callback",
            "team_id": team_id,
            "api_app_id": self.app_id,
            "event": {"type": "app_uninstalled", "event_ts": "1700000000.000001"},
            "event_id": f"Ev{team_id}UNINSTALL",
            "event_time": 1700000000,
        }


def auth_test_of(workspace: Workspace) -> dict[str, Any]:
    """`auth.test` for the workspace a token belongs to."""
    return {
        "ok": True,
        "url": "https://local.slack.invalid/",
        "team": workspace.team_name,
        "user": "rackbeat",
        "team_id": workspace.team_id,
        "user_id": workspace.bot_user_id,
        "bot_id": workspace.bot_id,
        "is_enterprise_install": False,
    }


def _basic(authorization: str) -> tuple[str, str]:
    if not authorization.startswith("Basic "):
        return "", ""
    try:
        decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode("utf-8")
    except ValueError:
        return "", ""
    client_id, _, secret = decoded.partition(":")
    return client_id, secret
