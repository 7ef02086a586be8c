"""Installation into any workspace: Bolt's OAuth v2 flow, on our stores (`bot/oauth_store.py`).

With `SLACK_CLIENT_ID` and `SLACK_CLIENT_SECRET` (and no `SLACK_BOT_TOKEN`), `serve` answers
`GET /slack/install` (the "Add to Slack" page: a fresh `state` in the database and in a
cookie of the installing browser) and `GET /slack/oauth_redirect` (state and browser checked,
the code exchanged with `oauth.v2.access`, the installation stored with its bot token sealed).
Bolt then answers every request with the token of the workspace it came from; a workspace
without an installation gets its usual 401, and nothing is stored.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from threading import Lock
from urllib.parse import urljoin

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.middleware import Middleware
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient

from bot.config import Settings
from bot.oauth_store import DatabaseStateStore, SealedInstallationStore
from core.credentials import SecretBox
from core.store.uow import UnitOfWorkFactory
from handlers.messages import t

log = logging.getLogger("bot.oauth")

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"

# The bot scopes of app.yaml (a test keeps the two equal): what the install page asks for.
BOT_SCOPES = (
    "commands",
    "chat:write",
    "files:read",
    "files:write",
    "channels:history",
    "groups:history",
    "users:read",
)

# Why an installation failed → the page's explanation (anything else is Slack's own code).
_FAILURES = {
    "access_denied",
    "invalid_browser",
    "invalid_state",
    "missing_code",
    "invalid_code",
}


def authorization_url(api_url: str) -> str:
    """Slack's consent page beside its Web API: https://slack.com/oauth/v2/authorize for
    https://slack.com/api/ (an emulator's for the emulator's)."""
    return urljoin(api_url, "../oauth/v2/authorize")


def sealing_box(settings: Settings) -> SecretBox:
    if settings.secret_key is None:
        raise ValueError("SECRET_KEY is needed to store the workspaces' bot tokens")
    return SecretBox(settings.secret_key, settings.secret_key_previous)


def oauth_settings(settings: Settings, uow: UnitOfWorkFactory) -> OAuthSettings:
    if settings.slack_client_id is None or settings.slack_client_secret is None:
        raise ValueError("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are needed for OAuth")
    flow = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=authorization_url(settings.slack_api_url),
        installation_store=SealedInstallationStore(uow, sealing_box(settings)),
        # Bolt asks the installation store for the bot only (no user tokens are requested).
        installation_store_bot_only=True,
        state_store=DatabaseStateStore(uow),
        callback_options=CallbackOptions(success=installed_page, failure=failed_page),
        logger=logging.getLogger("slack_bolt.oauth"),
    )
    # Bolt asks `auth.test` on every request for the bot's ids, which never change for a token
    # (a reinstall brings a new one): remember them per token and answer without the round
    # trip. A workspace whose tokens were revoked is refused before authorization
    # (RefuseUnknownWorkspaces), so a remembered result of a dead token is never used.
    flow.authorize = InstallationStoreAuthorize(
        logger=logging.getLogger("slack_bolt.oauth"),
        client_id=flow.client_id,
        client_secret=flow.client_secret,
        token_rotation_expiration_minutes=flow.token_rotation_expiration_minutes,
        installation_store=flow.installation_store,
        bot_only=True,
        cache_enabled=True,
    )
    return flow


class RefuseUnknownWorkspaces(Middleware):
    """A request from a workspace with no installation gets a silent 401 before Bolt's
    authorization, which would otherwise answer the person with its own English-only "your
    installation is no longer available" text. Nothing is stored, nothing is posted."""

    # Events that arrive after the token is gone; the handlers/install.py listeners need them.
    _TOKENLESS_EVENTS = frozenset({"app_uninstalled", "tokens_revoked"})

    def __init__(self, store: SealedInstallationStore) -> None:
        self.store = store

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        body = req.body or {}
        event = body.get("event")
        event_type = event.get("type") if isinstance(event, dict) else None
        if body.get("type") in {"url_verification", "ssl_check"} or (
            event_type in self._TOKENLESS_EVENTS
        ):
            return next()
        team_id = req.context.team_id
        if team_id and self.store.installed(team_id):
            return next()
        log.info("refused a request from workspace %s: it has no installation", team_id)
        return BoltResponse(status=401, body="")


def refuse_unknown_workspaces(settings: Settings, uow: UnitOfWorkFactory) -> Middleware:
    return RefuseUnknownWorkspaces(SealedInstallationStore(uow, sealing_box(settings)))


def page_text(text: str) -> str:
    """A catalogue text as HTML: escaped, its `code spans` (commands) shown as code."""
    return re.sub(r"`([^`]*)`", r"<code>\1</code>", html.escape(text))


def installed_page(args: SuccessArgs) -> BoltResponse:
    installation = args.installation
    lang = _language(args.request.headers)
    team = installation.team_name or installation.team_id or ""
    link = f"https://slack.com/app_redirect?app={installation.app_id}&team={installation.team_id}"
    body = f"<p>{page_text(t('install.done', lang, team=team))}</p>" + (
        f'<p><a href="{html.escape(link)}">{html.escape(t("install.open_slack", lang))}</a></p>'
    )
    return _page(200, lang, body, args.default)


def failed_page(args: FailureArgs) -> BoltResponse:
    """A readable page and one log line; Bolt stored nothing (it stores only on success)."""
    reason = args.reason
    log.warning("installation not completed: %s", reason, exc_info=args.error is not None)
    lang = _language(args.request.headers)
    detail = (
        t(f"install.failed.{reason}", lang)
        if reason in _FAILURES
        else t("install.failed.other", lang, reason=reason)
    )
    body = (
        f"<p><strong>{html.escape(t('install.failed', lang))}</strong></p>"
        f"<p>{html.escape(detail)}</p>"
        f'<p><a href="{INSTALL_PATH}">{html.escape(t("install.again", lang))}</a></p>'
    )
    status = args.suggested_status_code if reason != "access_denied" else 200
    return _page(status, lang, body, args.default)


def _page(status: int, lang: str, body: str, default: CallbackOptions) -> BoltResponse:
    title = html.escape(t("install.title", lang))
    document = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1>{body}</body></html>"
    )
    headers: dict[str, str | Sequence[str]] = {"Content-Type": "text/html; charset=utf-8"}
    # The state cookie is spent either way (Bolt's own pages delete it too).
    deletion = _cookie_deletion(default)
    if deletion:
        headers["Set-Cookie"] = deletion
    return BoltResponse(status=status, body=document, headers=headers)


def _cookie_deletion(default: CallbackOptions) -> str | None:
    state_utils = getattr(getattr(default, "_response_builder", None), "_state_utils", None)
    build = getattr(state_utils, "build_set_cookie_for_deletion", None)
    return str(build()) if callable(build) else None


def _language(headers: Mapping[str, Sequence[str]]) -> str:
    accept = next(iter(headers.get("accept-language") or ()), "")
    return "fi" if accept.lower().startswith("fi") else "en"


@dataclass
class WorkspaceClients:
    """A Web API client for each workspace, for work no Slack request started (scheduled
    numbering checks, resumed file checks): the installation's token in OAuth mode
    (``store``), the one `SLACK_BOT_TOKEN` otherwise (``token``)."""

    build: Callable[[str], WebClient]
    store: SealedInstallationStore | None = None
    token: str | None = None
    _clients: dict[str, WebClient] = field(default_factory=dict)
    _lock: Lock = field(default_factory=Lock)

    def for_team(self, team_id: str) -> WebClient | None:
        """``None`` when nothing can be posted there (uninstalled, or never installed)."""
        token = self.token
        if self.store is not None:
            bot = self.store.find_bot(enterprise_id=None, team_id=team_id)
            token = bot.bot_token if bot is not None else None
        if token is None:
            return None
        with self._lock:
            client = self._clients.get(token)
            if client is None:
                client = self._clients[token] = self.build(token)
        return client
