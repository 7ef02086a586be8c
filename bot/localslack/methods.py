"""The Web API methods the emulator answers, each a function of (workspace, params).

They run under the workspace lock and mimic Slack's answers closely enough for the bot:
the same fields, the same error codes for the mistakes the bot could make.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.localslack.oauth import Workspace, auth_test_of
from bot.localslack.state import Ephemeral, Message, SlackFile, View

if TYPE_CHECKING:
    # The server dispatches to these methods: it imports this module, not the other way.
    from bot.localslack.server import LocalSlack

Result = dict[str, Any]
Method = Callable[["LocalSlack", dict[str, Any]], Result]


def _blocks(params: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = params.get("blocks") or []
    return blocks if isinstance(blocks, list) else []


def auth_test(slack: LocalSlack, params: dict[str, Any]) -> Result:
    return auth_test_of(Workspace(slack.team_id, slack.team_name, slack.bot_user_id, slack.bot_id))


def chat_post_message(slack: LocalSlack, params: dict[str, Any]) -> Result:
    channel = params.get("channel")
    if not channel:
        return {"ok": False, "error": "channel_not_found"}
    text, blocks = params.get("text") or "", _blocks(params)
    if not text and not blocks:
        return {"ok": False, "error": "no_text"}
    thread_ts = params.get("thread_ts") or None
    message = Message(
        channel, slack.next_ts(), text, blocks, slack.bot_user_id, slack.bot_id, thread_ts
    )
    metadata = params.get("metadata")
    message.metadata = json.loads(metadata) if isinstance(metadata, str) else metadata
    slack.messages[(channel, message.ts)] = message
    return {"ok": True, "channel": channel, "ts": message.ts, "message": message.as_api()}


def conversations_history(slack: LocalSlack, params: dict[str, Any]) -> Result:
    """A channel's messages (not thread replies), newest first, after ``oldest``."""
    channel = str(params.get("channel") or "")
    found = [
        m
        for (where, _), m in slack.messages.items()
        if where == channel and (m.thread_ts is None or m.thread_ts == m.ts)
    ]
    return _messages_page(found, params)


def conversations_replies(slack: LocalSlack, params: dict[str, Any]) -> Result:
    """A thread: its parent and replies, oldest first, after ``oldest``."""
    channel, parent = str(params.get("channel") or ""), str(params.get("ts") or "")
    if slack.messages.get((channel, parent)) is None:
        return {"ok": False, "error": "thread_not_found"}
    found = [
        m
        for (where, ts), m in slack.messages.items()
        if where == channel and parent in (ts, m.thread_ts)
    ]
    return _messages_page(found, params, newest_first=False)


def _messages_page(
    found: list[Message], params: dict[str, Any], newest_first: bool = True
) -> Result:
    oldest = float(params.get("oldest") or 0)
    with_metadata = str(params.get("include_all_metadata")).lower() in ("1", "true")
    shown = sorted(
        (m for m in found if not m.deleted and float(m.ts) > oldest),
        key=lambda m: float(m.ts),
        reverse=newest_first,
    )[: int(params.get("limit") or 100)]
    return {"ok": True, "messages": [m.as_api(with_metadata) for m in shown], "has_more": False}


def chat_post_ephemeral(slack: LocalSlack, params: dict[str, Any]) -> Result:
    channel, user = params.get("channel"), params.get("user")
    if not channel or not user:
        return {"ok": False, "error": "channel_not_found" if not channel else "user_not_found"}
    ephemeral = Ephemeral(
        channel,
        user,
        slack.next_ts(),
        params.get("text") or "",
        _blocks(params),
        params.get("thread_ts") or None,
    )
    slack.ephemerals.append(ephemeral)
    return {"ok": True, "message_ts": ephemeral.ts}


def chat_update(slack: LocalSlack, params: dict[str, Any]) -> Result:
    channel, ts = params.get("channel"), params.get("ts")
    message = slack.messages.get((str(channel), str(ts)))
    if message is None or message.deleted:
        return {"ok": False, "error": "message_not_found"}
    if message.user != slack.bot_user_id:
        return {"ok": False, "error": "cant_update_message"}
    if "text" in params:
        message.text = params.get("text") or ""
    if "blocks" in params:
        message.blocks = _blocks(params)
    message.edited += 1
    return {"ok": True, "channel": channel, "ts": ts, "text": message.text}


def chat_delete(slack: LocalSlack, params: dict[str, Any]) -> Result:
    message = slack.messages.get((str(params.get("channel")), str(params.get("ts"))))
    if message is None or message.deleted:
        return {"ok": False, "error": "message_not_found"}
    message.deleted = True
    return {"ok": True, "channel": message.channel, "ts": message.ts}


def chat_get_permalink(slack: LocalSlack, params: dict[str, Any]) -> Result:
    channel, ts = str(params.get("channel")), str(params.get("message_ts"))
    message = slack.messages.get((channel, ts))
    if message is None or message.deleted:
        return {"ok": False, "error": "message_not_found"}
    link = f"https://local.slack.test/archives/{channel}/p{ts.replace('.', '')}"
    return {"ok": True, "channel": channel, "permalink": link}


def users_info(slack: LocalSlack, params: dict[str, Any]) -> Result:
    user_id = str(params.get("user") or "")
    known = user_id in slack.users or slack.invent_users
    if not user_id.startswith(("U", "W")) or not known:
        return {"ok": False, "error": "user_not_found"}
    return {"ok": True, "user": slack.user(user_id).as_api(slack.team_id)}


def _view_result(view: View) -> Result:
    body = dict(view.view)
    body.update({"id": view.id, "team_id": "", "type": view.kind, "hash": f"h{view.id}"})
    return {"ok": True, "view": body}


def views_open(slack: LocalSlack, params: dict[str, Any]) -> Result:
    user = slack.user_for_trigger(str(params.get("trigger_id") or ""))
    if user is None:
        return {"ok": False, "error": "expired_trigger_id"}
    view_body = params.get("view")
    if not isinstance(view_body, dict) or view_body.get("type") != "modal":
        return {"ok": False, "error": "invalid_arguments"}
    view = View(slack.new_id("V"), user, view_body)
    slack.views[view.id] = view
    return _view_result(view)


def views_push(slack: LocalSlack, params: dict[str, Any]) -> Result:
    user = slack.user_for_trigger(str(params.get("trigger_id") or ""))
    current = slack.open_modal(user) if user else None
    view_body = params.get("view")
    if current is None or not isinstance(view_body, dict):
        return {"ok": False, "error": "expired_trigger_id"}
    current.stack.append(current.view)
    current.view = view_body
    return _view_result(current)


def views_update(slack: LocalSlack, params: dict[str, Any]) -> Result:
    view = slack.views.get(str(params.get("view_id") or ""))
    view_body = params.get("view")
    if view is None or view.closed:
        return {"ok": False, "error": "not_found"}
    if not isinstance(view_body, dict):
        return {"ok": False, "error": "invalid_arguments"}
    view.view = view_body
    return _view_result(view)


def views_publish(slack: LocalSlack, params: dict[str, Any]) -> Result:
    user, view_body = str(params.get("user_id") or ""), params.get("view")
    if not isinstance(view_body, dict) or view_body.get("type") != "home":
        return {"ok": False, "error": "invalid_arguments"}
    home = slack.homes.get(user) or View(slack.new_id("V"), user, view_body, kind="home")
    home.view = view_body
    slack.homes[user] = home
    return _view_result(home)


def files_info(slack: LocalSlack, params: dict[str, Any]) -> Result:
    slack_file = slack.files.get(str(params.get("file") or ""))
    if slack_file is None:
        return {"ok": False, "error": "file_not_found"}
    return {"ok": True, "file": slack.file_info(slack_file)}


def files_get_upload_url_external(slack: LocalSlack, params: dict[str, Any]) -> Result:
    name, length = params.get("filename"), params.get("length")
    if not name or length is None:
        return {"ok": False, "error": "invalid_arguments"}
    slack_file = SlackFile(slack.new_id("F"), str(name), b"", "text/csv", "csv", slack.bot_user_id)
    slack.files[slack_file.id] = slack_file
    return {
        "ok": True,
        "upload_url": f"{slack.base_url}upload/{slack_file.id}",
        "file_id": slack_file.id,
    }


def files_complete_upload_external(slack: LocalSlack, params: dict[str, Any]) -> Result:
    entries = params.get("files")
    if isinstance(entries, str):
        entries = json.loads(entries)
    if not isinstance(entries, list) or not entries:
        return {"ok": False, "error": "invalid_arguments"}
    channel = params.get("channel_id") or params.get("channel")
    thread_ts = params.get("thread_ts") or None
    completed = []
    for entry in entries:
        slack_file = slack.files.get(str(entry.get("id")))
        if slack_file is None:
            return {"ok": False, "error": "file_not_found"}
        slack_file.title = entry.get("title") or slack_file.name
        slack_file.channel, slack_file.thread_ts = channel, thread_ts
        slack.uploads.append(slack_file)
        completed.append(slack.file_info(slack_file))
    if channel:
        message = Message(
            str(channel),
            slack.next_ts(),
            params.get("initial_comment") or "",
            [],
            slack.bot_user_id,
            slack.bot_id,
            thread_ts,
            files=[slack.file_stub(f) for f in slack.uploads[-len(completed) :]],
            subtype="file_share",
        )
        slack.messages[(message.channel, message.ts)] = message
        # Slack tells the app about its own upload too; the bot must not re-check it.
        slack.emit(message_event(slack, message))
    return {"ok": True, "files": completed}


def message_event(slack: LocalSlack, message: Message) -> dict[str, Any]:
    """The `event_callback` body Slack sends for a message."""
    event = message.as_api()
    event["event_ts"] = message.ts
    event["channel_type"] = "channel"
    return {
        "token": "local",
        "team_id": slack.team_id,
        "api_app_id": "A0LOCAL",
        "type": "event_callback",
        "event_id": slack.new_id("Ev"),
        "event_time": int(float(message.ts)),
        "event": event,
        "authorizations": [
            {"team_id": slack.team_id, "user_id": slack.bot_user_id, "is_bot": True}
        ],
    }


def respond_via_url(slack: LocalSlack, target: dict[str, Any], payload: dict[str, Any]) -> Result:
    """What a POST to a `response_url` does: replace, delete, or post a new message."""
    channel, user = str(target["channel"]), str(target["user"])
    text, blocks = payload.get("text") or "", _blocks(payload)
    original_ts = target.get("message_ts")
    if payload.get("delete_original") and original_ts:
        original = slack.messages.get((channel, original_ts))
        if original is not None:
            original.deleted = True
        return {"ok": True}
    if payload.get("replace_original") and original_ts:
        if target.get("ephemeral"):
            for ephemeral in slack.ephemerals:
                if ephemeral.ts == original_ts:
                    ephemeral.text, ephemeral.blocks = text, blocks
                    ephemeral.replaced += 1
            return {"ok": True}
        original = slack.messages.get((channel, original_ts))
        if original is not None:
            original.text, original.blocks = text, blocks
            original.edited += 1
        return {"ok": True}
    if payload.get("response_type") == "in_channel":
        message = Message(channel, slack.next_ts(), text, blocks, slack.bot_user_id, slack.bot_id)
        slack.messages[(channel, message.ts)] = message
        return {"ok": True, "ts": message.ts}
    ephemeral = Ephemeral(channel, user, slack.next_ts(), text, blocks, payload.get("thread_ts"))
    slack.ephemerals.append(ephemeral)
    return {"ok": True, "ephemeral_ts": ephemeral.ts}


def apps_connections_open(slack: LocalSlack, params: dict[str, Any]) -> Result:
    return {"ok": True, "url": f"ws://127.0.0.1:{slack.port}/socket?ticket=local"}


METHODS: dict[str, Method] = {
    "apps.connections.open": apps_connections_open,
    "auth.test": auth_test,
    "chat.postMessage": chat_post_message,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.update": chat_update,
    "chat.delete": chat_delete,
    "chat.getPermalink": chat_get_permalink,
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
    "users.info": users_info,
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
    "files.info": files_info,
    "files.getUploadURLExternal": files_get_upload_url_external,
    "files.completeUploadExternal": files_complete_upload_external,
}
