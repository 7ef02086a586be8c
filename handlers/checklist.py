"""The checklist message in Slack: keeping it current, its buttons, and the hooks other areas
call after they change something (a CSV result, a numbering check).

There is one checklist message per onboarding; its ``ts`` is stored with the onboarding and
the message is edited in place (``chat.update``) after every change, whoever made it. If it
was deleted, the next refresh posts a new one and remembers that. Refreshes of one channel
are serialised in this process and always render the latest state read under the lock, so
two changes at once can't leave the older picture on screen.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from core.errors import InvalidArgument, TransitionRefused
from core.language import language_of
from core.onboarding.machine import Action
from core.onboarding.service import OnboardingService
from core.onboarding.snapshot import ChangeResult, OnboardingSnapshot
from core.onboarding.steps import StepId, StepState
from core.tenancy import Actor, Channel
from handlers.blocks.checklist import (
    ACTION_DONE,
    ACTION_GUIDE,
    ACTION_SKIP,
    checklist_message,
    guide_message,
)
from handlers.blocks.onboarding import live_announcement
from handlers.deps import Deps
from handlers.registry import Registrar
from handlers.slack_failures import SLACK_FAILURES, describe

log = logging.getLogger(__name__)

ACTION_PATTERN = re.compile(r"^checklist:(done|skip|guide)$")
BUTTON_ACTIONS = {ACTION_DONE: Action.DONE, ACTION_SKIP: Action.SKIP}
# chat.update errors that mean "that message is no longer there to edit".
MESSAGE_GONE = frozenset({"message_not_found", "cant_update_message"})


def service_for(deps: Deps) -> OnboardingService:
    """The onboarding service over the process's database (cheap: build one where needed)."""
    return OnboardingService(
        deps.uow,
        numbering=deps.numbering_status,
        clock=deps.clock,
        read_open_orders=deps.account.read_orders if deps.account is not None else None,
    )


def actor_for(client: WebClient, user_id: str, team_id: str | None = None) -> Actor:
    """Who is acting, with workspace admin/owner status and locale from ``users.info``.

    A user of another team (Slack Connect) is never an admin here. If Slack can't answer,
    the user is treated as a regular one: members and the owner can still act.
    """
    try:
        response = client.users_info(user=user_id, include_locale=True)
    except SLACK_FAILURES as error:
        log.warning("users.info failed for %s: %s", user_id, describe(error))
        return Actor(user_id)
    user: dict[str, Any] = response.get("user") or {}
    same_team = team_id is None or user.get("team_id") in (None, team_id)
    admin = same_team and any(
        bool(user.get(flag)) for flag in ("is_admin", "is_owner", "is_primary_owner")
    )
    locale = user.get("locale")
    return Actor(
        user_id, is_workspace_admin=admin, locale=locale if isinstance(locale, str) else None
    )


# --- publishing ------------------------------------------------------------------------------

_locks: dict[Channel, threading.Lock] = {}
_locks_guard = threading.Lock()


def _channel_lock(where: Channel) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(where, threading.Lock())


@dataclass(frozen=True)
class Published:
    snapshot: OnboardingSnapshot | None
    ts: str | None
    reposted: bool = False


def publish_checklist(
    service: OnboardingService, client: WebClient, where: Channel, *, post_if_missing: bool = True
) -> Published:
    """Edit the channel's checklist to show the current state; post (and remember) a new one
    if there is none or it was deleted."""
    with _channel_lock(where):
        snapshot = service.find(where)
        if snapshot is None:
            return Published(None, None)
        message = checklist_message(snapshot)
        if snapshot.checklist_ts:
            try:
                client.chat_update(
                    channel=where.channel_id,
                    ts=snapshot.checklist_ts,
                    text=message.text,
                    blocks=message.blocks,
                )
                return Published(snapshot, snapshot.checklist_ts)
            except SlackApiError as error:
                if error.response.get("error") not in MESSAGE_GONE:
                    raise
                log.info("checklist %s in %s is gone", snapshot.checklist_ts, where)
        if not post_if_missing:
            return Published(snapshot, None)
        posted = client.chat_postMessage(
            channel=where.channel_id, text=message.text, blocks=message.blocks
        )
        ts = str(posted["ts"])
        service.remember_checklist(where, ts)
        return Published(snapshot, ts, reposted=snapshot.checklist_ts is not None)


def after_change(service: OnboardingService, client: WebClient, result: ChangeResult) -> None:
    """Bring the checklist up to date and, the first time the onboarding goes live, say so.

    The change is committed by now: if Slack fails to take the edit, that is logged and the
    person still gets their answer (not an apology saying nothing changed); the next change
    or `status` brings the checklist up to date.
    """
    where = result.snapshot.channel
    try:
        publish_checklist(service, client, where)
    except SLACK_FAILURES as error:
        log.warning(
            "checklist in %s not refreshed after a change (%s): the next change or `status` "
            "will bring it up to date",
            where.channel_id,
            describe(error),
        )
    if result.announce_live:
        announcement = live_announcement(result.snapshot)
        client.chat_postMessage(
            channel=where.channel_id, text=announcement.text, blocks=announcement.blocks
        )


# --- hooks for the other areas (see docs/integration.md, "Onboarding hooks") -----------------


def refresh_checklist(deps: Deps, client: WebClient, team_id: str, channel_id: str) -> None:
    """Re-render the channel's checklist after something outside the onboarding commands
    changed what it shows (a numbering check, a CSV result). No onboarding: nothing happens."""
    publish_checklist(service_for(deps), client, Channel(team_id, channel_id))


def mark_step_done(
    deps: Deps,
    client: WebClient,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    step: StepId | str,
    note: str | None = None,
) -> ChangeResult:
    """Mark ``step`` done for ``user_id`` (e.g. a "Mark products done" button on a CSV
    result): permissions and rules as for ``/rackbeat done``, audited, checklist refreshed.
    A refusal is raised as a ``DomainError`` for the error hook to answer."""
    service = service_for(deps)
    result = service.done(
        Channel(team_id, channel_id), actor_for(client, user_id, team_id), _step(step), note
    )
    after_change(service, client, result)
    return result


def begin_step(
    deps: Deps,
    client: WebClient,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    step: StepId | str,
    note: str | None = None,
) -> ChangeResult | None:
    """Move ``step`` from to do to in progress (e.g. its CSV arrived); does nothing when the
    step is already started or settled, there is no onboarding, or the user is not a member."""
    service = service_for(deps)
    where = Channel(team_id, channel_id)
    step_id = _step(step)
    snapshot = service.find(where)
    if snapshot is None or snapshot.step(step_id).state is not StepState.TODO:
        return None
    actor = actor_for(client, user_id, team_id)
    if not snapshot.may_change(actor):
        return None
    try:
        result = service.begin(where, actor, step_id, note)
    except TransitionRefused:
        # Another file of the same register (or another process) started it meanwhile.
        return None
    after_change(service, client, result)
    return result


def _step(step: StepId | str) -> StepId:
    if isinstance(step, StepId):
        return step
    try:
        return StepId(step)
    except ValueError:
        raise InvalidArgument("onb.invalid.step", value=step) from None


# --- the buttons -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Click:
    team_id: str
    channel_id: str
    user_id: str
    action_id: str
    step: StepId
    ephemeral: bool


def parse_click(body: dict[str, Any], action: dict[str, Any]) -> Click:
    """The parts of a ``block_actions`` payload a checklist button needs; tenancy comes from
    Slack's signed team and channel, never from the button's value."""
    user = body.get("user") or {}
    container = body.get("container") or {}
    team_id = (body.get("team") or {}).get("id") or user.get("team_id")
    channel_id = (body.get("channel") or {}).get("id") or container.get("channel_id")
    if not team_id or not channel_id or not user.get("id"):
        raise InvalidArgument("error.checklist_button_elsewhere")
    value = str(action.get("value") or "")
    try:
        step = StepId(value)
    except ValueError:
        raise InvalidArgument("onb.invalid.step", value=value) from None
    return Click(
        team_id=str(team_id),
        channel_id=str(channel_id),
        user_id=str(user["id"]),
        action_id=str(action.get("action_id")),
        step=step,
        ephemeral=bool(container.get("is_ephemeral")),
    )


def register(reg: Registrar, deps: Deps) -> None:
    service = service_for(deps)

    def on_checklist_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        # A refusal (DomainError) goes to the one error hook, which answers the clicker.
        handle_click(parse_click(body, action), client, respond)

    def handle_click(click: Click, client: WebClient, respond: Respond) -> None:
        where = Channel(click.team_id, click.channel_id)
        if click.action_id == ACTION_GUIDE:
            language = language_of(service.language(where))
            guide = guide_message(click.step, language.value)
            respond(
                text=guide.text,
                blocks=guide.blocks,
                response_type="ephemeral",
                replace_original=False,
            )
            return
        actor = actor_for(client, click.user_id, click.team_id)
        result = service.change_step(where, actor, click.step, BUTTON_ACTIONS[click.action_id])
        after_change(service, client, result)
        if click.ephemeral:
            # A copy shown to one person (`status`, `next`): show them the new state.
            message = checklist_message(result.snapshot)
            respond(text=message.text, blocks=message.blocks, replace_original=True)

    reg.action(ACTION_PATTERN, on_checklist_button)
