"""A Slack Web API emulator: a real HTTP server on 127.0.0.1 for the console and the tests.

It answers the methods the bot uses (see ../shared/slack.md, "Testing without Slack"),
serves and accepts files like Slack does (bytes only with the bot token, an HTML login page
otherwise), records every call, lets tests wait for a call with a timeout, and injects
failures (429 with Retry-After, 500, delays, an HTML page instead of a file).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bot.localslack.methods import METHODS, message_event, respond_via_url
from bot.localslack.oauth import LocalOAuth, Workspace, auth_test_of
from bot.localslack.state import Call, Ephemeral, Failure, Message, SlackFile, User, View
from bot.localslack.websocket import SocketSession, accept_key

LOGIN_PAGE = (
    b"<!DOCTYPE html><html><head><title>Slack</title></head>"
    b"<body><h1>Sign in to your workspace</h1></body></html>"
)

CallListener = Callable[[Call], None]
EventSink = Callable[[dict[str, Any]], None]


class LocalSlack:
    """One emulated workspace. ``start()`` it, point the bot's ``SLACK_API_URL`` at ``api_url``."""

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-local-token",  # noqa: S107 - the emulator's own fake token
        team_id: str = "T0LOCAL",
        team_name: str = "Local workspace",
        app_token: str = "xapp-local-token",  # noqa: S107 - the emulator's own fake token
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        file_host: str = "127.0.0.1",
        keep_calls: bool = True,
    ) -> None:
        # A long benchmark would otherwise keep every call in memory.
        self.keep_calls = keep_calls
        self.bot_token = bot_token
        self.app_token = app_token
        self.sockets: list[SocketSession] = []
        self.team_id = team_id
        self.team_name = team_name
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.file_host = file_host
        self.users: dict[str, User] = {bot_user_id: User(bot_user_id, "rackbeat", is_bot=True)}
        self.messages: dict[tuple[str, str], Message] = {}
        self.ephemerals: list[Ephemeral] = []
        self.views: dict[str, View] = {}
        self.homes: dict[str, View] = {}
        self.files: dict[str, SlackFile] = {}
        self.uploads: list[SlackFile] = []
        self.calls: list[Call] = []
        self.listeners: list[CallListener] = []
        self.event_sink: EventSink | None = None
        self.serve_login_page = False
        # Real Slack answers `users.info` for an id nobody has with `user_not_found`. Tests
        # that never register the people who type commands rely on invented users, so that is
        # the default; the console and tests of unknown ids switch it off.
        self.invent_users = True
        # A host name: downloads then answer 302 to that host's `/files-moved/` copy of the
        # file, which records whether the follow-up request carried the token.
        self.redirect_downloads: str | None = None
        self._failures: dict[str, list[Failure]] = {}
        self._response_urls: dict[str, dict[str, Any]] = {}
        self._triggers: dict[str, str] = {}
        self._counter = itertools.count(1)
        self._pending_emits = 0
        self._seq = 0
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        # Installation into other emulated workspaces, each with tokens of its own.
        self.oauth = LocalOAuth()

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> LocalSlack:
        handler = type("Handler", (_Handler,), {"slack": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            # A short poll: stop() (every test's teardown) waits for the loop to notice.
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="localslack",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> LocalSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def api_url(self) -> str:
        return self.base_url + "api/"

    # ----------------------------------------------------------------- test set-up

    def add_user(
        self,
        user_id: str,
        name: str | None = None,
        *,
        is_admin: bool = False,
        is_owner: bool = False,
        locale: str = "en-US",
    ) -> User:
        with self._lock:
            user = User(
                user_id,
                name or user_id.lower(),
                is_admin=is_admin,
                is_owner=is_owner,
                locale=locale,
            )
            self.users[user_id] = user
            return user

    def user(self, user_id: str) -> User:
        with self._lock:
            return self.users.setdefault(user_id, User(user_id, user_id.lower()))

    def next_ts(self) -> str:
        n = next(self._counter)
        return f"{1_700_000_000 + n // 1_000_000}.{n % 1_000_000:06d}"

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._counter):08d}"

    def new_trigger_id(self, user: str) -> str:
        trigger = f"{next(self._counter)}.{self.team_id}.trigger"
        with self._lock:
            self._triggers[trigger] = user
        return trigger

    def new_response_url(
        self, channel: str, user: str, *, message_ts: str | None = None, ephemeral: bool = False
    ) -> str:
        key = self.new_id("R")
        with self._lock:
            self._response_urls[key] = {
                "channel": channel,
                "user": user,
                "message_ts": message_ts,
                "ephemeral": ephemeral,
            }
        return f"{self.base_url}respond/{key}"

    def add_file(
        self,
        *,
        name: str,
        content: bytes,
        user: str,
        mimetype: str = "text/csv",
        filetype: str = "csv",
        size: int | None = None,
    ) -> SlackFile:
        slack_file = SlackFile(self.new_id("F"), name, content, mimetype, filetype, user, size=size)
        with self._lock:
            self.files[slack_file.id] = slack_file
        return slack_file

    def share_file(self, channel: str, user: str, slack_file: SlackFile, text: str = "") -> Message:
        """Post the `file_share` message that Slack shows for an upload."""
        with self._lock:
            slack_file.channel = channel
            message = Message(
                channel,
                self.next_ts(),
                text,
                [],
                user,
                files=[self.file_stub(slack_file)],
                subtype="file_share",
            )
            self.messages[(channel, message.ts)] = message
            self._changed.notify_all()
            return message

    def file_stub(self, slack_file: SlackFile) -> dict[str, Any]:
        return {"id": slack_file.id, "name": slack_file.name, "mimetype": slack_file.mimetype}

    def file_info(self, slack_file: SlackFile) -> dict[str, Any]:
        url = f"http://{self.file_host}:{self.port}/files-pri/{self.team_id}-{slack_file.id}/"
        url += slack_file.name
        return {
            "id": slack_file.id,
            "name": slack_file.name,
            "title": slack_file.title or slack_file.name,
            "mimetype": slack_file.mimetype,
            "filetype": slack_file.filetype,
            "size": slack_file.reported_size,
            "user": slack_file.user,
            "url_private": url,
            "url_private_download": url + "?download=1",
            "channels": [slack_file.channel] if slack_file.channel else [],
            # As Slack reports where a file was shared (private channels under "private").
            "shares": (
                {"public": {slack_file.channel: [{"thread_ts": slack_file.thread_ts}]}}
                if slack_file.channel
                else {}
            ),
            "is_external": False,
        }

    def fail_next(self, method: str, failure: Failure | None = None, **kwargs: Any) -> None:
        """Make the next call(s) to ``method`` fail; ``files.download`` targets downloads,
        ``upload`` the raw upload of ``files_upload_v2``, ``response_url`` answers via
        ``respond``."""
        with self._lock:
            self._failures.setdefault(method, []).append(failure or Failure(**kwargs))

    # ----------------------------------------------------------------- inspection

    def channel_messages(self, channel: str, *, include_replies: bool = True) -> list[Message]:
        with self._lock:
            found = [
                m
                for (ch, _), m in self.messages.items()
                if ch == channel and not m.deleted and (include_replies or m.thread_ts is None)
            ]
        return sorted(found, key=lambda m: float(m.ts))

    def message(self, channel: str, ts: str) -> Message | None:
        with self._lock:
            return self.messages.get((channel, ts))

    def thread(self, channel: str, thread_ts: str) -> list[Message]:
        return [m for m in self.channel_messages(channel) if m.thread_ts == thread_ts]

    def ephemerals_for(self, user: str | None = None) -> list[Ephemeral]:
        with self._lock:
            return [e for e in self.ephemerals if user is None or e.user == user]

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def open_modal(self, user: str) -> View | None:
        with self._lock:
            open_views = [v for v in self.views.values() if v.user == user and not v.closed]
        return open_views[-1] if open_views else None

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        *,
        timeout: float = 5.0,
        after: int = 0,
    ) -> Call:
        """The first call to ``method`` after call number ``after`` that matches ``predicate``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for call in self.calls:
                    if (
                        call.seq > after
                        and call.method == method
                        and (predicate is None or predicate(call))
                    ):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = ", ".join(c.method for c in self.calls[-20:])
                    raise AssertionError(f"no {method} call within {timeout}s; last calls: {seen}")
                self._changed.wait(remaining)

    def wait_quiet(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until no call arrived for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while time.monotonic() < deadline:
                count = len(self.calls)
                self._changed.wait(quiet)
                if len(self.calls) == count:
                    return

    def wait_socket(self, timeout: float = 10.0) -> SocketSession:
        """The newest open Socket Mode connection, once the app has made one."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                live = [s for s in self.sockets if s.open]
                if live:
                    return live[-1]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("the app opened no Socket Mode connection")
                self._changed.wait(remaining)

    @property
    def last_seq(self) -> int:
        with self._lock:
            return self.calls[-1].seq if self.calls else 0

    # ----------------------------------------------------------------- dispatch

    def workspace_of(self, token: str | None) -> Workspace | None:
        """The workspace a bot token belongs to: this one's own, or an OAuth installation's."""
        if not token:
            return None
        if token == self.bot_token:
            return Workspace(self.team_id, self.team_name, self.bot_user_id, self.bot_id)
        return self.oauth.workspace_of(token)

    def record(
        self,
        method: str,
        params: dict[str, Any],
        status: int,
        response: dict[str, Any],
        token: str = "",
    ) -> None:
        with self._changed:
            self._seq += 1
            call = Call(method, params, status, response, self._seq, token)
            if self.keep_calls:
                self.calls.append(call)
            self._changed.notify_all()
        for listener in list(self.listeners):
            listener(call)

    def take_failure(self, method: str) -> Failure | None:
        with self._lock:
            queue = self._failures.get(method)
            if not queue:
                return None
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.pop(0)
            return failure

    def call_api(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        implementation = METHODS.get(method)
        if implementation is None:
            return {"ok": False, "error": "unknown_method"}
        with self._changed:
            result = implementation(self, params)
            self._changed.notify_all()
        return result

    def respond(self, key: str, payload: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            target = self._response_urls.get(key)
        if target is None:
            return {"ok": False, "error": "expired_url"}
        with self._changed:
            result = respond_via_url(self, target, payload)
            self._changed.notify_all()
        return result

    def user_for_trigger(self, trigger_id: str) -> str | None:
        with self._lock:
            return self._triggers.pop(trigger_id, None)

    def emit(self, event: dict[str, Any]) -> None:
        """Deliver an event the way Slack would (after answering the call), if a sink is set."""
        sink = self.event_sink
        if sink is None:
            return
        with self._changed:
            self._pending_emits += 1

        def deliver() -> None:
            try:
                sink(event)
            finally:
                with self._changed:
                    self._pending_emits -= 1
                    self._changed.notify_all()

        threading.Thread(target=deliver, name="localslack-event", daemon=True).start()

    @property
    def pending_emits(self) -> int:
        with self._lock:
            return self._pending_emits


class _Handler(BaseHTTPRequestHandler):
    slack: LocalSlack
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self._route()

    def _route(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/socket" and self.headers.get("Upgrade", "").lower() == "websocket":
            self._websocket()
            return
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if url.path.startswith("/api/"):
            self._api(url.path.removeprefix("/api/"), url.query, raw)
        elif url.path.startswith("/files-pri/"):
            self._download(url.path)
        elif url.path.startswith("/files-moved/"):
            self._moved(url.path)
        elif url.path.startswith("/upload/"):
            self._upload(url.path.removeprefix("/upload/"), raw)
        elif url.path == "/_local/messages":
            channel = parse_qs(url.query).get("channel", [""])[0]
            found = [m.as_api() for m in self.slack.channel_messages(channel)]
            self._send(200, json.dumps(found).encode(), "application/json")
        elif url.path == "/_local/share":
            self._share(json.loads(raw or b"{}"))
        elif url.path.startswith("/respond/"):
            payload = json.loads(raw or b"{}")
            failure = self.slack.take_failure("response_url")
            if failure is not None:
                self._fail("response_url", payload, failure)
                return
            key = url.path.removeprefix("/respond/")
            result = self.slack.respond(key, payload)
            # The recorded answer names its response_url: tests count answers per request.
            self.slack.record("response_url", payload, 200, {**result, "url_key": key})
            self._send(
                200, b"ok" if result.get("ok") else json.dumps(result).encode(), "text/plain"
            )
        else:
            self._send(404, b"not found", "text/plain")

    def _params(self, query: str, raw: bytes) -> dict[str, Any]:
        params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query).items()}
        content_type = self.headers.get("Content-Type", "")
        if raw and "json" in content_type:
            params.update(json.loads(raw))
        elif raw:
            params.update({k: v[-1] for k, v in parse_qs(raw.decode("utf-8")).items()})
        for key in ("blocks", "view", "files", "attachments"):
            if isinstance(params.get(key), str):
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(params[key])
        return params

    def _api(self, method: str, query: str, raw: bytes) -> None:
        params = self._params(query, raw)
        failure = self.slack.take_failure(method)
        if failure is not None:
            self._fail(method, params, failure)
            return
        authorization = self.headers.get("Authorization", "")
        if method == "oauth.v2.access":
            # The app authenticates with its client id and secret, not a token.
            result = self.slack.oauth.exchange(params, authorization)
            self.slack.record(method, _without_secrets(params), 200, result)
            self._send(200, json.dumps(result).encode(), "application/json; charset=utf-8")
            return
        token = authorization.removeprefix("Bearer ") or params.get("token")
        workspace = None
        if method == "apps.connections.open":
            authorized = token == self.slack.app_token
        else:
            workspace = self.slack.workspace_of(token)
            authorized = workspace is not None
        if not authorized:
            result = {"ok": False, "error": "not_authed" if not token else "invalid_auth"}
        elif method == "auth.test" and workspace is not None:
            result = auth_test_of(workspace)
        else:
            result = self.slack.call_api(method, params)
        self.slack.record(method, params, 200, result, str(token or ""))
        self._send(200, json.dumps(result).encode(), "application/json; charset=utf-8")

    def _fail(self, method: str, params: dict[str, Any], failure: Failure) -> None:
        if failure.delay:
            time.sleep(failure.delay)
        body = failure.body
        if body is None:
            body = json.dumps({"ok": False, "error": failure.error or "ratelimited"}).encode()
        # Retry-After: 0 is a valid answer too ("try again now").
        headers = {} if failure.retry_after is None else {"Retry-After": str(failure.retry_after)}
        self.slack.record(method, params, failure.status, {"ok": False, "injected": True})
        self._send(failure.status, body, failure.content_type, headers)

    def _share(self, request: dict[str, Any]) -> None:
        """A person drops a file: store it, post it, answer with the event Slack would send."""
        slack_file = self.slack.add_file(
            name=str(request["name"]),
            content=str(request["content"]).encode("utf-8"),
            user=str(request["user"]),
        )
        message = self.slack.share_file(str(request["channel"]), str(request["user"]), slack_file)
        body = json.dumps(message_event(self.slack, message)).encode()
        self._send(200, body, "application/json")

    def _websocket(self) -> None:
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept_key(self.headers["Sec-WebSocket-Key"]))
        self.end_headers()
        self.wfile.flush()
        session = SocketSession(self.connection)
        with self.slack._changed:
            self.slack.sockets.append(session)
            self.slack._changed.notify_all()
        self.slack.record("socket.connect", {}, 101, {"ok": True})
        session.serve()
        self.close_connection = True

    def _download(self, path: str) -> None:
        file_id = path.removeprefix("/files-pri/").split("/")[0].split("-", 1)[-1]
        slack_file = self.slack.files.get(file_id)
        bearer = self.headers.get("Authorization", "")
        authorized = bearer.startswith("Bearer ") and (
            self.slack.workspace_of(bearer.removeprefix("Bearer ")) is not None
        )
        failure = self.slack.take_failure("files.download")
        params = {"file": file_id, "authorized": authorized}
        if failure is not None:
            self._fail("files.download", params, failure)
            return
        if slack_file is None:
            self.slack.record("files.download", params, 404, {"ok": False})
            self._send(404, b"not found", "text/plain")
        elif self.slack.redirect_downloads:
            moved = path.replace("/files-pri/", "/files-moved/", 1)
            location = f"http://{self.slack.redirect_downloads}:{self.slack.port}{moved}"
            self.slack.record("files.download", params, 302, {"ok": True, "location": location})
            self._send(302, b"", "text/plain", {"Location": location})
        elif not authorized or self.slack.serve_login_page:
            # What Slack does without the token or the files:read scope.
            self.slack.record("files.download", params, 200, {"ok": True, "login_page": True})
            self._send(200, LOGIN_PAGE, "text/html; charset=utf-8")
        else:
            self.slack.record("files.download", params, 200, {"ok": True})
            self._send(200, slack_file.content, slack_file.mimetype)

    def _moved(self, path: str) -> None:
        """Where a redirected download points: recorded as `files.moved` with `authorized`."""
        file_id = path.removeprefix("/files-moved/").split("/")[0].split("-", 1)[-1]
        slack_file = self.slack.files.get(file_id)
        authorization = self.headers.get("Authorization")
        params = {"file": file_id, "authorized": authorization is not None}
        if slack_file is None:
            self.slack.record("files.moved", params, 404, {"ok": False})
            self._send(404, b"not found", "text/plain")
        else:
            self.slack.record("files.moved", params, 200, {"ok": True})
            self._send(200, slack_file.content, slack_file.mimetype)

    def _upload(self, file_id: str, raw: bytes) -> None:
        slack_file = self.slack.files.get(file_id)
        if slack_file is None:
            self._send(404, b"unknown upload", "text/plain")
            return
        failure = self.slack.take_failure("upload")
        if failure is not None:
            self._fail("upload", {"file": file_id, "bytes": len(raw)}, failure)
            return
        slack_file.content = raw
        self.slack.record("upload", {"file": file_id, "bytes": len(raw)}, 200, {"ok": True})
        self._send(200, b"OK - " + str(len(raw)).encode(), "text/plain")

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up first (an injected delay longer than its timeout).
            self.close_connection = True


def _without_secrets(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if k != "client_secret"}
