"""HTTP mode: a WSGI app served by waitress.

waitress is a production WSGI server with a thread pool, pure Python (nothing to compile,
runs the same on every platform), and keeps the scheduler in the same process; for more
throughput run several processes behind a load balancer on one PostgreSQL.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from pydantic import SecretStr
from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request.internals import build_context
from sqlalchemy import Engine
from waitress.server import create_server

from bot.envelope import problem
from bot.jobqueue import queue_health
from core.store.database import ping

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_REQUEST_AGE = 5 * 60  # seconds, as Slack's own verifiers allow

log = logging.getLogger(__name__)


def wsgi_app(
    app: App,
    engine: Engine,
    signing_secret: SecretStr | str,
    queue_stall_seconds: float | None = None,
) -> WsgiApp:
    """`/slack/events` for Bolt, `/healthz` for the load balancer (the database, and the job
    queue when there is one: ``queue_stall_seconds`` is how long jobs may wait with no
    worker taking any before it answers 503); in OAuth mode `/slack/install` and
    `/slack/oauth_redirect` too.

    Slack's signature is checked here first, before anything is read from the body: an
    unsigned or stale request is a 401 whatever it holds (Bolt checks again, but only after it
    has parsed the body, and it answers a non-numeric timestamp with a 500).
    """
    slack = _SlackHandler(app, path=EVENTS_PATH)
    # OAuth mode (bot/oauth.py): the "Add to Slack" page and Slack's redirect back, both GET
    # from a browser (no Slack signature: the `state` and its cookie protect the redirect).
    flow = app.oauth_flow
    oauth_paths = {flow.install_path, flow.redirect_uri_path} if flow is not None else set()
    secret = (
        signing_secret.get_secret_value()
        if isinstance(signing_secret, SecretStr)
        else signing_secret
    ).encode("utf-8")

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method in {"GET", "HEAD"}:
            return health(start_response, engine, queue_stall_seconds)
        if path in oauth_paths and method == "GET":
            return slack(environ, start_response)
        if path == EVENTS_PATH:
            if method != "POST":
                return _json(start_response, 405, {"error": "POST only"})
            raw = _body(environ)
            if raw is None or not signed_by_slack(secret, raw, environ):
                return _json(start_response, 401, {"error": "invalid request"})
            malformed = problem(raw, environ.get("CONTENT_TYPE"))
            if malformed is not None:
                # Slack re-sends what got no 2xx; this payload would never parse (bot.envelope).
                log.warning("refused a malformed request: %s", malformed)
                return _json(start_response, 400, {"error": "malformed request"}, no_retry=True)
            return slack(environ, start_response)
        return _json(start_response, 404, {"error": "not found"})

    return application


def health(
    start_response: StartResponse, engine: Engine, queue_stall_seconds: float | None
) -> list[bytes]:
    database = ping(engine)
    body: dict[str, Any] = {"status": "ok", "database": "ok" if database else "unreachable"}
    healthy = database
    if database and queue_stall_seconds is not None:
        try:
            queue = queue_health(engine)
        except Exception:
            log.warning("could not read the job queue's state", exc_info=True)
            body["queue"] = "unreadable"
            healthy = False
        else:
            body["queue"] = queue.as_json()
            if queue.stuck(queue_stall_seconds):
                # Jobs wait and no worker has taken one for that long: nobody works the queue.
                body["queue"]["stalled"] = True
                healthy = False
    if not healthy:
        body["status"] = "degraded"
    return _json(start_response, 200 if healthy else 503, body)


class _SlackHandler(SlackRequestHandler):
    """Bolt's WSGI handler, less one misreading (slack-bolt 1.30 ``parse_body``): a form body
    that merely contains the text "payload" (`/rackbeat start payload oy`, a channel named
    #payload-team) is taken for interactivity, has no ``payload=`` field, and was dispatched
    as an empty request: 404, and "dispatch_failed" in Slack."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        bolt = BoltRequest(
            body=request.get_body(), query=request.query_string, headers=request.get_headers()
        )
        if not bolt.body and "payload" in bolt.raw_body and bolt.content_type != "application/json":
            form = dict(parse_qsl(bolt.raw_body, keep_blank_values=True))
            if "payload" not in form:
                bolt.body = form
                bolt.context = build_context(BoltContext(), form)
        return self.app.dispatch(bolt)


def _body(environ: dict[str, Any]) -> bytes | None:
    """The request's body (read here, put back for Bolt); ``None`` without a usable length."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def signed_by_slack(
    secret: bytes, body: bytes, environ: dict[str, Any], now: float | None = None
) -> bool:
    """Slack's signature (api.slack.com/authentication/verifying-requests-from-slack):
    ``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}``, the timestamp within 5 minutes.
    Computed over the bytes as they came (slack_sdk's verifier decodes them as UTF-8 first and
    raises on anything else)."""
    timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
    signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
    if not timestamp.isdigit() or not signature:
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_REQUEST_AGE:
        return False
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = "v0=" + hmac.new(secret, base, hashlib.sha256).hexdigest()
    # WSGI hands headers over as latin-1 text.
    return hmac.compare_digest(expected.encode("ascii"), signature.encode("latin-1"))


def _json(
    start_response: StartResponse, status: int, body: dict[str, Any], *, no_retry: bool = False
) -> list[bytes]:
    data = json.dumps(body).encode()
    reason = {
        200: "OK",
        400: "Bad Request",
        401: "Unauthorized",
        404: "Not Found",
        405: "Method Not Allowed",
        503: "Service Unavailable",
    }
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    if no_retry:
        headers.append(("X-Slack-No-Retry", "1"))
    start_response(f"{status} {reason[status]}", headers)
    return [data]


def make_server(
    application: WsgiApp, host: str, port: int, threads: int = 16, poll_seconds: float = 1.0
) -> Any:
    """A waitress server (not yet running); ``.run()`` serves, ``.close()`` stops.

    ``poll_seconds``: how long the loop may sit in ``select`` before it notices ``.close()``
    (waitress's default; a process that stops it from another thread often wants less)."""
    return create_server(
        application,
        host=host,
        port=port,
        threads=threads,
        ident="rackbeat-bot",
        asyncore_loop_timeout=poll_seconds,
    )
