"""The terminal workspace: the real Bolt app and handlers against a local Slack.

Typed lines become what Slack would send: ``/rackbeat …`` a slash command, ``click N`` a
button press on the last message that has buttons, ``fill N VALUE`` / ``submit`` /
``cancel`` a modal, ``upload PATH`` a file share, ``home`` the App Home tab. What the bot
does in Slack (messages, thread replies, ephemeral answers, modals, uploads) is printed as
text. Works interactively and with stdin piped, so a session can be scripted.
"""

from __future__ import annotations

import mimetypes
import re
import secrets
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from pydantic import SecretStr
from slack_bolt import App, BoltRequest
from sqlalchemy.engine import make_url

from bot.app import build_app
from bot.config import Settings
from bot.localslack import Call, LocalSlack
from bot.localslack.driver import Reply, SlackDriver
from bot.localslack.render import initial_state, input_state, render_blocks
from bot.localslack.state import View
from bot.wiring import Runtime, build_runtime
from handlers.background import wait_all_idle

CONSOLE_TOKEN = "xoxb-local-console"  # noqa: S105 - only ever sent to the in-process emulator

HELP = """\
  /rackbeat SUBCOMMAND …   a slash command in the current channel (try /rackbeat help)
  click N                  press button N of the last message that has buttons
  fill N VALUE             type VALUE into input N of the open modal
  submit | cancel          submit or close the open modal
  upload PATH              drop a file into the current channel
  home                     open the App Home tab
  as NAME [admin]          act as another person (admin: a workspace admin)
  channel NAME             go to another channel
  help | quit"""


MENTION = re.compile(r"(?<![<\w])@([A-Za-z][\w.-]*)")


@dataclass
class ButtonRef:
    element: dict[str, Any]
    block_id: str
    channel: str
    message_ts: str | None
    ephemeral: bool = False
    view: View | None = None


def app_transport(app: App) -> Callable[[bytes, dict[str, str]], Reply]:
    """Hand a signed request straight to Bolt, as its HTTP adapters do."""

    def send(body: bytes, headers: dict[str, str]) -> Reply:
        request = BoltRequest(
            body=body.decode("utf-8"), headers={k.lower(): [v] for k, v in headers.items()}
        )
        response = app.dispatch(request)
        return Reply(response.status, (response.body or "").encode())

    return send


class Console:
    def __init__(self, slack: LocalSlack, driver: SlackDriver, runtime: Runtime, out: TextIO):
        self.slack, self.driver, self.runtime, self.out = slack, driver, runtime, out
        self.user = "U0YOU"
        self.channel = "C0ONBOARD"
        self.channel_names = {"C0ONBOARD": "onboarding"}
        self.buttons: list[ButtonRef] = []
        self.modal: View | None = None
        self.modal_values: dict[str, dict[str, Any]] = {}
        slack.add_user(self.user, "you")
        slack.listeners.append(self.on_call)

    # ------------------------------------------------------------------ output

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def name_of(self, user_id: str) -> str:
        return self.slack.user(user_id).name

    def where(self, channel: str, thread_ts: str | None = None) -> str:
        name = "#" + self.channel_names.get(channel, channel)
        return f"{name} › thread {thread_ts}" if thread_ts else name

    def show(
        self,
        header: str,
        text: str,
        blocks: list[dict[str, Any]],
        channel: str,
        ts: str | None,
        *,
        ephemeral: bool = False,
    ) -> None:
        rendered = render_blocks(blocks, text, self.name_of)
        self.say(header)
        for line in rendered.lines:
            self.say("  " + line)
        if rendered.buttons:
            self.buttons = [
                ButtonRef(element, block_id, channel, ts, ephemeral)
                for element, block_id in rendered.buttons
            ]

    def show_view(self, view: View, title_prefix: str) -> None:
        title = view.view.get("title", {}).get("text", "")
        rendered = render_blocks(view.view.get("blocks", []), "", self.name_of)
        self.say(f"┌ {title_prefix}: {title}")
        for line in rendered.lines:
            self.say("│ " + line)
        if view.kind == "modal":
            submit = view.view.get("submit", {}).get("text", "Submit")
            self.say(f"└ fill N VALUE, then `submit` ({submit}) or `cancel`")
            self.modal = view
            self.modal_values = {}
            for block in rendered.inputs:
                state = initial_state(block)
                if state is not None:
                    action_id = block["element"].get("action_id", "value")
                    self.modal_values[block["block_id"]] = {action_id: state}
        else:
            self.say("└")
        if rendered.buttons:
            self.buttons = [
                ButtonRef(element, block_id, "", None, view=view)
                for element, block_id in rendered.buttons
            ]

    def on_call(self, call: Call) -> None:
        """Print what the bot just did in the emulated Slack."""
        p, r = call.params, call.response
        if call.status != 200 or not r.get("ok", True):
            if call.method not in {"files.download"}:
                self.say(f"  ! slack {call.method} answered {call.status} {r.get('error', '')}")
            return
        if call.method == "chat.postMessage":
            where = self.where(p["channel"], p.get("thread_ts"))
            self.show(
                f"[{where}] rackbeat:",
                p.get("text", ""),
                p.get("blocks") or [],
                p["channel"],
                r.get("ts"),
            )
        elif call.method == "chat.update":
            edited = self.slack.message(p["channel"], p["ts"])
            where = self.where(p["channel"], edited.thread_ts if edited else None)
            self.show(
                f"[{where}] rackbeat (edited {p['ts']}):",
                p.get("text", ""),
                p.get("blocks") or [],
                p["channel"],
                p["ts"],
            )
        elif call.method == "chat.postEphemeral":
            where = self.where(p["channel"], p.get("thread_ts"))
            self.show(
                f"[{where}] rackbeat, only to @{self.name_of(p['user'])}:",
                p.get("text", ""),
                p.get("blocks") or [],
                p["channel"],
                r.get("message_ts"),
                ephemeral=True,
            )
        elif call.method == "response_url":
            self.on_response_url(p, r)
        elif call.method in {"views.open", "views.update", "views.push"}:
            view = self.slack.views.get(r.get("view", {}).get("id", ""))
            if view is not None:
                self.show_view(view, "modal")
        elif call.method == "views.publish":
            home = self.slack.homes.get(p.get("user_id", ""))
            if home is not None:
                self.show_view(home, f"App Home of @{self.name_of(home.user)}")
        elif call.method == "files.completeUploadExternal":
            for f in r.get("files", []):
                where = self.where(p.get("channel_id", ""), p.get("thread_ts"))
                self.say(f"[{where}] rackbeat uploaded {f['name']} ({f['size']} bytes)")

    def on_response_url(self, p: dict[str, Any], r: dict[str, Any]) -> None:
        text, blocks = p.get("text", ""), p.get("blocks") or []
        channel = self.channel
        if p.get("delete_original"):
            self.say(f"[{self.where(channel)}] (message removed)")
        elif p.get("replace_original"):
            self.show(f"[{self.where(channel)}] rackbeat (replaced):", text, blocks, channel, None)
        elif p.get("response_type") == "in_channel":
            self.show(f"[{self.where(channel)}] rackbeat:", text, blocks, channel, r.get("ts"))
        else:
            self.show(
                f"[{self.where(channel)}] rackbeat, only to you:",
                text,
                blocks,
                channel,
                r.get("ephemeral_ts"),
                ephemeral=True,
            )

    # ------------------------------------------------------------------ input

    def settle(self) -> None:
        """Wait until the bot has finished everything the last line set off."""
        deps = self.runtime.deps
        executors = [deps.listener_executor, deps.executor]
        for _ in range(100):
            wait_all_idle(executors, timeout=120)
            self.slack.wait_quiet(quiet=0.02, timeout=1)
            if all(e.pending == 0 for e in executors) and self.slack.pending_emits == 0:
                return

    def handle(self, line: str) -> bool:
        """Run one typed line; False when the person wants to leave."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        word, _, rest = line.partition(" ")
        word = word.lower()
        if word in {"quit", "exit"}:
            return False
        actions: dict[str, Callable[[], object]] = {
            "help": lambda: self.say(HELP),
            "click": lambda: self.click(rest),
            "fill": lambda: self.fill(rest),
            "submit": self.submit,
            "cancel": self.cancel,
            "upload": lambda: self.upload(rest),
            "home": lambda: self.check(self.driver.open_home(user=self.user)),
            "as": lambda: self.act_as(rest),
            "channel": lambda: self.switch_channel(rest),
        }
        if word.startswith("/"):
            self.command(line)
        elif word in actions:
            actions[word]()
        else:
            self.say(f"  ? unknown input {word!r}; type `help`")
            return True
        self.settle()
        return True

    def check(self, reply: Reply) -> Reply:
        if reply.status != 200:
            self.say(f"  ! the bot answered HTTP {reply.status}: {reply.text[:200]}")
        return reply

    def command(self, line: str) -> None:
        name, _, text = line.partition(" ")
        if name.lower() != "/rackbeat":
            self.say("  ? the bot only knows /rackbeat")
            return
        text = MENTION.sub(self.escape_mention, text)
        reply = self.check(self.driver.command(text, user=self.user, channel=self.channel))
        body = reply.text.strip()
        if reply.status == 200 and body and body not in {"{}", "null"}:
            self.say(f"[{self.where(self.channel)}] rackbeat, only to you:\n  {body}")

    def escape_mention(self, match: re.Match[str]) -> str:
        """What Slack does with ``should_escape: true``: ``@name`` → ``<@ID|name>``."""
        name = match.group(1).lower()
        user_id = self.user_id_for(name)
        self.slack.user(user_id).name = name
        return f"<@{user_id}|{name}>"

    def user_id_for(self, name: str) -> str:
        known = {user.name: user.id for user in self.slack.users.values()}
        return known.get(name) or "U" + "".join(ch for ch in name.upper() if ch.isalnum())[:10]

    def click(self, rest: str) -> None:
        try:
            ref = self.buttons[int(rest) - 1]
        except (ValueError, IndexError):
            self.say(f"  ? no button {rest!r}; the last message has {len(self.buttons)}")
            return
        self.check(
            self.driver.click(
                ref.element,
                user=self.user,
                channel=ref.channel or self.channel,
                message_ts=ref.message_ts,
                block_id=ref.block_id,
                ephemeral=ref.ephemeral,
                view=ref.view,
            )
        )

    def modal_inputs(self) -> list[dict[str, Any]]:
        if self.modal is None:
            return []
        return render_blocks(self.modal.view.get("blocks", [])).inputs

    def fill(self, rest: str) -> None:
        number, _, value = rest.partition(" ")
        inputs = self.modal_inputs()
        try:
            block = inputs[int(number) - 1]
            state = input_state(block, value)
        except (ValueError, IndexError) as error:
            self.say(
                f"  ? {error if isinstance(error, ValueError) and inputs else 'no such input'}"
            )
            return
        action_id = block["element"].get("action_id", "value")
        self.modal_values[block["block_id"]] = {action_id: state}
        self.say(f"  <{number}> = {value}")

    def submit(self) -> None:
        if self.modal is None:
            self.say("  ? no modal is open")
            return
        view = self.modal
        reply = self.check(self.driver.submit_view(view, self.modal_values, user=self.user))
        answer = reply.json if reply.body.strip().startswith(b"{") else None
        if isinstance(answer, dict) and answer.get("response_action") == "errors":
            for block_id, message in answer.get("errors", {}).items():
                self.say(f"  ! {block_id}: {message}")
            return
        if isinstance(answer, dict) and answer.get("response_action") == "update":
            view.view = answer["view"]
            self.show_view(view, "modal")
            return
        view.closed = True
        self.modal = None

    def cancel(self) -> None:
        if self.modal is not None:
            self.modal.closed = True
            if self.modal.view.get("notify_on_close"):
                self.driver.close_view(self.modal, user=self.user)
            self.modal = None
            self.say("  (modal closed)")

    def upload(self, rest: str) -> None:
        path = Path(rest.strip()).expanduser()
        if not path.is_file():
            self.say(f"  ? no file at {path}")
            return
        content = path.read_bytes()
        mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        filetype = path.suffix.lstrip(".").lower() or "binary"
        self.say(f"[{self.where(self.channel)}] @{self.name_of(self.user)} shared {path.name}")
        _, _, reply = self.driver.upload(
            path.name,
            content,
            user=self.user,
            channel=self.channel,
            mimetype=mimetype,
            filetype=filetype,
        )
        self.check(reply)

    def act_as(self, rest: str) -> None:
        words = rest.split()
        if not words:
            self.say(f"  you are @{self.name_of(self.user)} ({self.user})")
            return
        name = words[0].lstrip("@").lower()
        user_id = self.user_id_for(name)
        admin = len(words) > 1 and words[1].lower() == "admin"
        if user_id not in self.slack.users or admin:
            self.slack.add_user(user_id, name, is_admin=admin)
        self.user = user_id
        self.say(f"  you are now @{name} ({user_id}){' — a workspace admin' if admin else ''}")

    def switch_channel(self, rest: str) -> None:
        name = rest.strip().lstrip("#").lower()
        if not name:
            self.say(f"  you are in {self.where(self.channel)}")
            return
        channel = "C" + "".join(ch for ch in name.upper() if ch.isalnum())[:10]
        self.channel_names[channel] = name
        self.channel = channel
        self.say(f"  you are now in #{name} ({channel})")


def run_console(
    settings: Settings, args: list[str], stdin: TextIO | None = None, out: TextIO | None = None
) -> int:
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    slack = LocalSlack(bot_token=CONSOLE_TOKEN).start()
    slack.invent_users = False  # `members add UDAVE` must meet Slack's "user_not_found"
    signing_secret = secrets.token_hex(16)
    local = settings.model_copy(
        update={
            "slack_bot_token": _secret(CONSOLE_TOKEN),
            "slack_signing_secret": _secret(signing_secret),
            "slack_api_url": slack.api_url,
            "slack_file_hosts": ("127.0.0.1",),
        }
    )
    runtime = build_runtime(local)
    try:
        app = build_app(local, runtime.deps)
        driver = SlackDriver(slack, signing_secret, app_transport(app))
        slack.event_sink = driver.send_event_quietly
        console = Console(slack, driver, runtime, out)
        interactive = stdin.isatty()
        console.say(
            "Rackbeat onboarding assistant — terminal workspace "
            f"(database: {_describe_db(settings.database_url)})"
        )
        console.say(
            "You are @you in #onboarding. Type `/rackbeat help`, or `help` for the "
            "console's own commands."
        )
        for line in _lines(stdin, interactive):
            if not interactive and line.strip():
                console.say(f"> {line.rstrip()}")
            if not console.handle(line):
                break
    finally:
        runtime.close()
        slack.stop()
    return 0


def _lines(stdin: TextIO, interactive: bool) -> Iterable[str]:
    while True:
        if interactive:
            try:
                line = input("> ")
            except EOFError:
                return
        else:
            line = stdin.readline()
            if not line:
                return
        yield line


def _secret(value: str) -> SecretStr:
    return SecretStr(value)


def _describe_db(url: str) -> str:
    parsed = make_url(url)
    return parsed.render_as_string(hide_password=True)


__all__ = ["Console", "run_console"]
