"""The peer of the load benchmark: a bare Bolt app that acknowledges everything and does
nothing else, on the same server kind as `serve` (waitress, 16 threads)."""

from __future__ import annotations

import argparse
import logging
import re

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.server import make_server, wsgi_app
from core.store.database import create_database_engine


def noop(ack: Ack) -> None:
    ack()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--signing-secret", required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    app = App(
        client=WebClient(token=args.token, base_url=args.api_url),
        signing_secret=args.signing_secret,
    )
    app.command("/rackbeat")(noop)
    app.action(re.compile(".*"))(noop)
    app.event("message")(noop)
    # Same WSGI wrapper and server as `serve`; /healthz pings an in-memory SQLite.
    engine = create_database_engine("sqlite://")
    make_server(wsgi_app(app, engine, args.signing_secret), "127.0.0.1", args.port).run()


if __name__ == "__main__":
    main()
