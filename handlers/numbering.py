"""`/rackbeat numbering …`, `connect …`, `disconnect …`, the numbering buttons and modals, and
the Slack notifier the scheduler posts alerts through.

Listeners acknowledge first, then work. Refusals are answered here rather than raised (see
docs/integration.md: a listener that raises right after ``ack()`` can lose the ack), in the
onboarding's language.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from core.account.verify import verify_login
from core.credentials import NetvisorCredentials, RackbeatCredentials
from core.errors import ConfigurationError, DomainError, InvalidArgument
from core.language import Language, language_of
from core.numbering.chart import render_chart
from core.numbering.checker import CheckReport, Delivery
from core.numbering.commands import Verb, parse_numbering, parse_source
from core.numbering.model import TYPED_MAX, InputField, Strategy, parse_typed_number
from core.numbering.service import NumberingService, Setup
from core.numbering.thresholds import Thresholds
from core.numbering.view import NumberingView
from core.tenancy import Channel
from core.upstream import Series, Source
from handlers.blocks.numbering import (
    ACTION_ACK,
    ACTION_CHECK,
    ACTION_SETUP,
    ACTION_SNOOZE,
    CONNECT_CALLBACK,
    NETVISOR_FIELDS,
    SETUP_CALLBACK,
    THRESHOLD_FIELDS,
    alert_message,
    chart_labels,
    connect_modal,
    field_word,
    level_word,
    notice_modal,
    number,
    series_word,
    setup_modal,
    source_word,
    status_message,
)
from handlers.blocks.upstream import failure_text
from handlers.checklist import actor_for, after_change, publish_checklist, service_for
from handlers.commands import CommandContext, CommandRouter
from handlers.deps import Deps
from handlers.errors import render_error
from handlers.marked_messages import find_marked, mark
from handlers.messages import t
from handlers.messages.formatting import format_date, format_number, format_when, mention
from handlers.registry import Registrar

log = logging.getLogger(__name__)

BUTTONS = re.compile(f"^({ACTION_SETUP}|{ACTION_CHECK}|{ACTION_ACK}|{ACTION_SNOOZE})$")
CONNECT_VIEWS = re.compile(f"^{CONNECT_CALLBACK}:(rackbeat|netvisor)$")


# --- the notifier -------------------------------------------------------------------------


# The metadata event that marks a numbering alert (handlers/marked_messages.py).
ALERT_EVENT = "rackbeat_numbering_alert"


class SlackNotifier:
    """Posts alerts (the chart goes into the alert's thread) and refreshes the checklist."""

    def __init__(self, client: WebClient, deps: Deps) -> None:
        self.client = client
        self.deps = deps

    def deliver(self, delivery: Delivery) -> str:
        view = delivery.view
        channel = view.onboarding.channel_id
        # An alert whose process died after Slack took it (before its ts was recorded) is
        # delivered again by a later check: it finds the first post by its mark instead.
        marked = mark(ALERT_EVENT, f"{view.onboarding.id}/{delivery.alert_id}")
        earlier = find_marked(self.client, channel, marked)
        if earlier is not None:
            log.info("alert %s was posted before its check stopped: kept", delivery.alert_id)
            return str(earlier["ts"])
        language = language_of(view.onboarding.language).value
        message = alert_message(delivery, language)
        posted = self.client.chat_postMessage(
            channel=channel, text=message.text, blocks=message.blocks, metadata=marked
        )
        ts = str(posted["ts"])
        post_chart(self.client, view, language, ts)
        return ts

    def checked(self, view: NumberingView) -> None:
        """Edit the checklist in place (its numbering step shows the levels); a channel whose
        checklist was never posted does not get one from a background check."""
        if view.onboarding.checklist_ts is None:
            return
        where = Channel(view.onboarding.team_id, view.onboarding.channel_id)
        publish_checklist(service_for(self.deps), self.client, where, post_if_missing=False)


def post_chart(client: WebClient, view: NumberingView, language: str, thread_ts: str) -> None:
    """Upload the chart into the thread of ``thread_ts``; a failure costs only the picture."""
    try:
        png = render_chart(view, chart_labels(view, language))
        day = view.now.date().isoformat()
        client.files_upload_v2(
            channel=view.onboarding.channel_id,
            thread_ts=thread_ts,
            file=png,
            filename=f"numbering-{day}.png",
            title=t("numbering.chart.file_title", language, date=format_date(view.now, language)),
        )
    except (SlackApiError, OSError, ValueError):
        log.exception("numbering chart for %s not uploaded", view.onboarding.channel_id)


# --- commands -----------------------------------------------------------------------------


def _where(ctx: CommandContext) -> Channel:
    return Channel(ctx.team_id, ctx.channel_id)


class NumberingCommands:
    def __init__(self, deps: Deps, service: NumberingService) -> None:
        self.deps = deps
        self.service = service

    def numbering(self, ctx: CommandContext) -> None:
        command = parse_numbering(ctx.args)
        if command.verb is Verb.STATUS:
            self.status(ctx)
        elif command.verb is Verb.CHECK:
            report = self.service.check(_where(ctx), SlackNotifier(ctx.client, self.deps))
            ctx.reply(check_summary(report, ctx.language))
        elif command.verb is Verb.SET:
            assert command.series and command.field and command.value is not None
            actor = actor_for(ctx.client, ctx.user_id, ctx.team_id)
            self.service.set_value(_where(ctx), actor, command.series, command.field, command.value)
            ctx.reply(
                t(
                    "numbering.set.done",
                    ctx.language,
                    series=series_word(command.series, ctx.language),
                    field=field_word(command.field, ctx.language),
                    value=number(command.value, ctx.language),
                )
            )
        else:
            assert command.strategy is not None
            actor = actor_for(ctx.client, ctx.user_id, ctx.team_id)
            self.service.set_strategy(_where(ctx), actor, command.strategy, command.series)
            which = (
                series_word(command.series, ctx.language)
                if command.series
                else t("numbering.strategy.both", ctx.language)
            )
            strategy = t(f"numbering.strategy.{command.strategy.value}", ctx.language)
            ctx.reply(t("numbering.strategy.done", ctx.language, strategy=strategy, series=which))

    def status(self, ctx: CommandContext) -> None:
        view = self.service.view(_where(ctx))
        message = status_message(view, ctx.language)
        ts = ctx.post(message.text, message.blocks)
        post_chart(ctx.client, view, ctx.language, ts)

    def connect(self, ctx: CommandContext) -> None:
        source = parse_source(ctx.args)
        if self.service.box is None:
            raise ConfigurationError("numbering.connect.no_secret_key")
        actor = actor_for(ctx.client, ctx.user_id, ctx.team_id)
        self.service.require_change(_where(ctx), actor, f"numbering.connect.{source.value}")
        if not ctx.command.trigger_id:
            raise InvalidArgument("error.no_trigger")
        ctx.client.views_open(
            trigger_id=ctx.command.trigger_id,
            view=connect_modal(source, _where(ctx), ctx.language),
        )

    def disconnect(self, ctx: CommandContext) -> None:
        source = parse_source(ctx.args)
        actor = actor_for(ctx.client, ctx.user_id, ctx.team_id)
        name = source_word(source, ctx.language)
        if not self.service.disconnect(_where(ctx), actor, source):
            ctx.reply(t("numbering.disconnect.none", ctx.language, source=name))
            return
        ctx.post(t("numbering.disconnected", ctx.language, who=mention(ctx.user_id), source=name))


def check_summary(report: CheckReport, language: str) -> str:
    view = report.view
    lines = [
        t(
            "numbering.check.result",
            language,
            order=level_word(view.series[Series.ORDER].level, language),
            invoice=level_word(view.series[Series.INVOICE].level, language),
        )
    ]
    for source, failure in report.failures.items():
        lines.append(
            t(
                "numbering.check.source_failed",
                language,
                source=source_word(source, language),
                reason=failure_text(source, failure.code, language),
            )
        )
    return "\n".join(lines)


# --- buttons and modals -------------------------------------------------------------------


@dataclass(frozen=True)
class Click:
    where: Channel
    user_id: str
    value: str
    message_ts: str | None
    trigger_id: str | None


def parse_click(body: dict[str, Any], action: dict[str, Any]) -> Click:
    """Tenancy from Slack's signed team and channel; the value is only a series name."""
    user = body.get("user") or {}
    container = body.get("container") or {}
    team_id = (body.get("team") or {}).get("id") or user.get("team_id")
    channel_id = (body.get("channel") or {}).get("id") or container.get("channel_id")
    if not team_id or not channel_id or not user.get("id"):
        raise InvalidArgument("error.button_elsewhere")
    return Click(
        Channel(str(team_id), str(channel_id)),
        str(user["id"]),
        str(action.get("value") or ""),
        container.get("message_ts"),
        body.get("trigger_id"),
    )


def _series_of(value: str) -> Series:
    try:
        return Series(value)
    except ValueError:
        raise InvalidArgument(
            "numbering.bad_series", value=value, valid="`order`, `invoice`"
        ) from None


def parse_setup(values: dict[str, dict[str, Any]], language: str) -> Setup | dict[str, str]:
    """The setup modal's ``state.values`` → a ``Setup``, or errors by block id."""
    errors: dict[str, str] = {}
    strategies = {}
    for series in Series:
        block = f"strategy.{series.value}"
        chosen = _state(values, block)
        if chosen:
            try:
                strategies[series] = Strategy(chosen)
            except ValueError:
                errors[block] = ", ".join(f"`{s.value}`" for s in Strategy)
    numbers: dict[tuple[Series, InputField], int] = {}
    for series in Series:
        for field in InputField:
            block = f"value.{series.value}.{field.value}"
            text = _state(values, block)
            if not text:
                continue
            try:
                numbers[(series, field)] = parse_typed_number(text)
            except ValueError:
                errors[block] = t("numbering.modal.bad_number", language, max=f"{TYPED_MAX:,}")
    limits: dict[str, int] = {}
    for name in THRESHOLD_FIELDS:
        block = f"threshold.{name}"
        text = (_state(values, block) or "").strip()
        # ASCII digits only, and short: str.isdigit() also admits "፩" and "²", which int()
        # refuses, and a 5,000-digit limit means nothing.
        if not (text.isascii() and text.isdigit() and len(text) <= 9):
            errors[block] = t("numbering.modal.not_a_number", language)
        else:
            limits[name] = int(text)
    errors.update(threshold_errors(limits, language))
    if errors:
        return errors
    try:
        thresholds = Thresholds(**limits)
    except DomainError as refusal:
        # The domain's own guard, should the checks above drift. Caught here, not by the
        # error hook: a form's refusal is shown at its field (Slack's "errors" answer).
        return {"threshold.critical_days": render_error(refusal, language)}
    return Setup(strategies, numbers, thresholds)


def threshold_errors(limits: dict[str, int], language: str) -> dict[str, str]:
    """A critical limit above its warning limit, said at the critical field in ``language``."""
    errors: dict[str, str] = {}
    for unit in ("days", "numbers"):
        critical, warning = limits.get(f"critical_{unit}"), limits.get(f"warning_{unit}")
        if critical is not None and warning is not None and critical > warning:
            errors[f"threshold.critical_{unit}"] = t(
                f"numbering.modal.critical_above_warning.{unit}",
                language,
                critical=format_number(critical, language),
                warning=format_number(warning, language),
            )
    return errors


def _state(values: dict[str, dict[str, Any]], block_id: str) -> str | None:
    entry = (values.get(block_id) or {}).get("value") or {}
    if "selected_option" in entry:
        option = entry.get("selected_option")
        # Slack sends an object or null; anything else is nobody's choice.
        chosen = option.get("value") if isinstance(option, dict) else None
        return str(chosen) if chosen else None
    value = entry.get("value")
    return None if value is None else str(value).strip()


def parse_credentials(
    source: Source, values: dict[str, dict[str, Any]], language: str
) -> RackbeatCredentials | NetvisorCredentials | dict[str, str]:
    """The connect modal's fields → credentials, or errors by block id (input never echoed)."""
    fields = ("api_token",) if source is Source.RACKBEAT else NETVISOR_FIELDS
    data = {field: _state(values, field) or "" for field in fields}
    model = RackbeatCredentials if source is Source.RACKBEAT else NetvisorCredentials
    try:
        return model.model_validate(data)
    except ValidationError as error:
        invalid = {str(e["loc"][0]) for e in error.errors() if e.get("loc")}
        return {field: t("numbering.modal.invalid", language) for field in invalid & set(fields)}


class NumberingListeners:
    """Buttons and modal submissions; Bolt fills the bound methods' parameters by name."""

    def __init__(self, deps: Deps, service: NumberingService) -> None:
        self.deps = deps
        self.service = service
        self.onboarding = service_for(deps)

    def language(self, where: Channel) -> Language:
        return language_of(self.onboarding.language(where))

    def on_button(
        self,
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        click = parse_click(body, action)
        lang = self.language(click.where)
        # A refusal reaches the error hook, which answers it in the channel's language.
        self._button(click, str(action.get("action_id")), client, respond, lang)

    def _button(
        self, click: Click, action_id: str, client: WebClient, respond: Respond, lang: str
    ) -> None:
        service = self.service
        if action_id == ACTION_CHECK:
            report = service.check(click.where, SlackNotifier(client, self.deps))
            respond(
                text=check_summary(report, lang),
                response_type="ephemeral",
                replace_original=False,
            )
            return
        actor = actor_for(client, click.user_id, click.where.team_id)
        if action_id == ACTION_SETUP:
            service.require_change(click.where, actor, "numbering.setup")
            client.views_open(
                trigger_id=click.trigger_id,
                view=setup_modal(service.view(click.where), click.where, lang),
            )
            return
        series = _series_of(click.value)
        who, what = mention(click.user_id), series_word(series, lang)
        if action_id == ACTION_ACK:
            state = service.acknowledge(click.where, actor, series).series[series].alert
            level = level_word(state.acknowledged or state.level, lang)
            text = t("numbering.alert.acknowledged", lang, who=who, series=what, level=level)
        else:
            state = service.snooze(click.where, actor, series).series[series].alert
            until = format_when(state.snoozed_until, lang) if state.snoozed_until else "–"
            text = t("numbering.alert.snoozed", lang, who=who, series=what, when=until)
        client.chat_postMessage(
            channel=click.where.channel_id, thread_ts=click.message_ts, text=text
        )

    def on_setup(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        where = _modal_where(body, view)
        if where is None:
            ack()
            return
        lang = self.language(where)
        parsed = parse_setup((view.get("state") or {}).get("values") or {}, lang)
        if isinstance(parsed, dict):
            ack(response_action="errors", errors=parsed)
            return
        ack()
        user = str((body.get("user") or {}).get("id"))
        try:
            saved = self.service.save_setup(where, actor_for(client, user, where.team_id), parsed)
        except DomainError as refusal:
            # Caught here, not by the error hook: a form's submission names no channel (it is
            # in the form's metadata), so the hook would not know where to answer.
            text = t("error.refused", lang, reason=render_error(refusal, lang))
            client.chat_postEphemeral(channel=where.channel_id, user=user, text=text)
            return
        client.chat_postEphemeral(
            channel=where.channel_id,
            user=user,
            text=t("numbering.setup.saved", lang),
            blocks=status_message(saved, lang).blocks,
        )

    def on_connect(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        where = _modal_where(body, view)
        if where is None:
            ack()
            return
        lang = self.language(where)
        source = Source(str(view.get("callback_id", "")).split(":", 1)[1])
        parsed = parse_credentials(source, (view.get("state") or {}).get("values") or {}, lang)
        if isinstance(parsed, dict):
            ack(response_action="errors", errors=parsed)
            return
        name = source_word(source, lang)
        title = t("numbering.modal.connect.title", lang, source=name)
        testing = t("numbering.modal.testing", lang, source=name)
        # Testing can take longer than Slack's 3 s: answer at once, update the modal after.
        ack(response_action="update", view=notice_modal(title, testing, lang))
        user = str((body.get("user") or {}).get("id"))
        try:
            company = self.service.connect(where, actor_for(client, user, where.team_id), parsed)
        except DomainError as refusal:
            # Caught here, not by the error hook: the answer replaces the "testing…" form
            # in place (and goes to the channel only when the form is gone).
            text = t(
                "numbering.modal.failed",
                lang,
                reason=render_error(refusal, lang),
                source_id=source.value,
            )
            if not _show_in_form(client, view["id"], notice_modal(title, text, lang)):
                # The form was closed while the connection was tested: say it in the channel.
                client.chat_postEphemeral(channel=where.channel_id, user=user, text=text)
            return
        done = t("numbering.modal.connected", lang, company=company)
        _show_in_form(client, view["id"], notice_modal(title, done, lang))
        client.chat_postMessage(
            channel=where.channel_id,
            text=t("numbering.connected", lang, who=mention(user), source=name, company=company),
        )
        if source is Source.RACKBEAT:
            # A working connection is the proof of the `login` step (issue 11).
            onboarding = service_for(self.deps)
            verified = verify_login(onboarding, where, company)
            if verified is not None:
                after_change(onboarding, client, verified)


def _show_in_form(client: WebClient, view_id: str, view: dict[str, Any]) -> bool:
    """Replace what an open form shows; False if the person has closed it meanwhile (Slack
    answers ``not_found``), which is theirs to do and no error."""
    try:
        client.views_update(view_id=view_id, view=view)
    except SlackApiError as error:
        if error.response.get("error") != "not_found":
            raise
        log.info("the form %s was closed before its result could be shown", view_id)
        return False
    return True


def register(reg: Registrar, router: CommandRouter, deps: Deps) -> None:
    service = deps.numbering
    if service is None:
        return
    commands = NumberingCommands(deps, service)
    router.add("numbering", commands.numbering, "numerointi", "numerot")
    router.add("connect", commands.connect, "yhdistä", "yhdista")
    router.add("disconnect", commands.disconnect, "irrota")
    listeners = NumberingListeners(deps, service)
    reg.action(BUTTONS, listeners.on_button)
    reg.view(SETUP_CALLBACK, listeners.on_setup)
    reg.view(CONNECT_VIEWS, listeners.on_connect)


def _modal_where(body: dict[str, Any], view: dict[str, Any]) -> Channel | None:
    """The channel from the modal's metadata, the team from Slack's signed payload (``None``
    for a form that does not belong to this workspace)."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    if not isinstance(meta, dict):
        meta = {}
    team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    channel = meta.get("channel")
    if not team or not channel or meta.get("team") not in (None, team):
        log.warning("numbering form without a channel of this workspace")
        return None
    return Channel(str(team), str(channel))
