"""HTTP mode: a WSGI app served by waitress.

waitress is a production WSGI server with a thread pool, pure Python (nothing to compile,
runs the same on every platform), and keeps the scheduler in the same process; for more
throughput run several processes behind a load balancer on one PostgreSQL.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine
from waitress.server import create_server

from bot.envelope import problem
from core.store.database import ping

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

log = logging.getLogger(__name__)


def wsgi_app(app: App, engine: Engine) -> WsgiApp:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method in {"GET", "HEAD"}:
            healthy = ping(engine)
            body = (
                {"status": "ok", "database": "ok"}
                if healthy
                else {
                    "status": "degraded",
                    "database": "unreachable",
                }
            )
            return _json(start_response, 200 if healthy else 503, body)
        if path == EVENTS_PATH:
            if method != "POST":
                return _json(start_response, 405, {"error": "POST only"})
            malformed = _malformed(environ)
            if malformed is not None:
                # Slack re-sends what got no 2xx; this payload would never parse (bot.envelope).
                log.warning("refused a malformed request: %s", malformed)
                return _json(start_response, 400, {"error": "malformed request"}, no_retry=True)
            return slack(environ, start_response)
        return _json(start_response, 404, {"error": "not found"})

    return application


def _malformed(environ: dict[str, Any]) -> str | None:
    """What is wrong with the request's body (read here, put back for Bolt), or ``None``."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return "the Content-Length is not a number"
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return problem(body, environ.get("CONTENT_TYPE"))


def _json(
    start_response: StartResponse, status: int, body: dict[str, str], *, no_retry: bool = False
) -> list[bytes]:
    data = json.dumps(body).encode()
    reason = {
        200: "OK",
        400: "Bad Request",
        404: "Not Found",
        405: "Method Not Allowed",
        503: "Service Unavailable",
    }
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    if no_retry:
        headers.append(("X-Slack-No-Retry", "1"))
    start_response(f"{status} {reason[status]}", headers)
    return [data]


def make_server(application: WsgiApp, host: str, port: int, threads: int = 16) -> Any:
    """A waitress server (not yet running); ``.run()`` serves, ``.close()`` stops."""
    return create_server(application, host=host, port=port, threads=threads, ident="rackbeat-bot")
