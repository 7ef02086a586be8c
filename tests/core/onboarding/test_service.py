"""The onboarding service on a real database: starting, steps, guards, permissions, audit,
live announcements, history, tenancy and restarts."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.errors import InvalidArgument, NotFound, PermissionDenied, TransitionRefused
from core.language import Language
from core.onboarding.machine import OnboardingState, StepRefused
from core.onboarding.service import AlreadyStarted, OnboardingService
from core.onboarding.snapshot import AuditAction, Outcome
from core.onboarding.steps import STEPS, StepId, StepState, Valuation
from core.store.models import AuditEvent
from core.tenancy import Actor, Channel, Role
from handlers.errors import render_error
from tests.core.onboarding.conftest import ADMIN, ANN, BOB, EVE, HERE, Clock, ServiceFactory


def started(service: OnboardingService, where: Channel = HERE) -> None:
    service.start(where, ANN, "Acme Oy")


def numbering_ok(session: Session, onboarding_id: int) -> Mapping[str, str]:
    return {"order": "ok", "invoice": "ok"}


def test_start_creates_the_checklist_owned_by_the_starter(service: OnboardingService) -> None:
    result = service.start(HERE, ANN, "  Acme   Oy ")
    snapshot = result.snapshot
    assert snapshot.company_name == "Acme Oy"
    assert snapshot.owner_id == ANN.user_id
    assert snapshot.state is OnboardingState.ACTIVE
    assert [s.state for s in snapshot.steps] == [StepState.TODO] * 10
    assert snapshot.progress == (0, 10)
    assert snapshot.next_step is not None and snapshot.next_step.id is StepId.LOGIN
    assert [m.user_id for m in snapshot.members] == [ANN.user_id]
    assert result.changes[0].action is AuditAction.START


def test_start_takes_the_language_from_the_starter_s_locale(service: OnboardingService) -> None:
    result = service.start(HERE, Actor("U_FI", locale="fi-FI"), "Oy Ab")
    assert result.snapshot.language is Language.FI


def test_a_second_start_is_refused_with_the_existing_status(service: OnboardingService) -> None:
    started(service)
    service.done(HERE, ANN, StepId.LOGIN)
    with pytest.raises(AlreadyStarted) as refused:
        service.start(HERE, BOB, "Other Oy")
    assert refused.value.code == "onb.start.exists"
    params = refused.value.params
    assert (params["company"], params["done"], params["total"]) == ("Acme Oy", 1, 10)
    assert (params["owner"], params["state"]) == ("U_ANN", OnboardingState.ACTIVE)
    assert service.snapshot(HERE).company_name == "Acme Oy"
    last = service.history(HERE).entries[0]
    assert (last.action, last.outcome, last.actor) == ("onboarding.start", Outcome.REFUSED, "U_BOB")


def test_done_skip_reopen_record_who_and_when(service: OnboardingService, clock: Clock) -> None:
    started(service)
    clock.advance(minutes=5)
    done = service.done(HERE, ANN, StepId.LOGIN, "opened from Netvisor Store")
    view = done.snapshot.step(StepId.LOGIN)
    assert (view.state, view.changed_by, view.changed_at) == (StepState.DONE, "U_ANN", clock.now)
    assert view.note == "opened from Netvisor Store"
    skipped = service.skip(HERE, ANN, StepId.CUSTOMERS, "created as needed")
    assert skipped.snapshot.step(StepId.CUSTOMERS).state is StepState.SKIPPED
    reopened = service.reopen(HERE, ANN, StepId.CUSTOMERS, "we import after all")
    assert reopened.snapshot.step(StepId.CUSTOMERS).state is StepState.IN_PROGRESS
    assert reopened.snapshot.progress == (1, 10)


def test_every_change_is_an_audit_row_with_old_and_new(service: OnboardingService) -> None:
    started(service)
    service.done(HERE, ANN, StepId.LOGIN, "ok")
    service.set_valuation(HERE, ANN, Valuation.AVERAGE)
    service.set_language(HERE, ANN, Language.FI)
    service.add_members(HERE, ANN, ["U_BOB"])
    rows = [(e.action, e.subject, e.old_value, e.new_value) for e in service.history(HERE).entries]
    assert rows == [
        ("member.add", "U_BOB", None, "member"),
        ("language.set", None, "en", "fi"),
        ("valuation.set", None, None, "average"),
        ("step.done", "login", "todo", "done"),
        ("onboarding.start", None, None, "Acme Oy"),
    ]


def test_a_guarded_step_is_refused_and_nothing_changes(service: OnboardingService) -> None:
    started(service)
    before = service.snapshot(HERE)
    with pytest.raises(StepRefused) as refused:
        service.done(HERE, ANN, StepId.INITIAL_BALANCES)
    assert "valuation_missing" in refused.value.codes
    after = service.snapshot(HERE)
    assert after.steps == before.steps
    assert after.version == before.version
    entry = service.history(HERE).entries[0]
    assert (entry.action, entry.subject, entry.outcome) == (
        "step.done",
        "initial_balances",
        "refused",
    )
    assert (entry.old_value, entry.new_value) == ("todo", "done")
    # The refusal is kept as data (the history words it in the reader's language).
    assert entry.refusal_code == "onb.refused.done" and entry.note is None
    assert entry.refusal_params is not None
    assert "valuation_missing" in [reason["rule"] for reason in entry.refusal_params["reasons"]]


def test_initial_balances_done_once_the_prerequisites_are(service: OnboardingService) -> None:
    started(service)
    service.done(HERE, ANN, StepId.SETTINGS)
    service.set_valuation(HERE, ANN, Valuation.FIFO)
    service.skip(HERE, ANN, StepId.PRODUCTS)
    service.done(HERE, ANN, StepId.BATCH_SERIAL)
    result = service.done(HERE, ANN, StepId.INITIAL_BALANCES)
    assert result.snapshot.step(StepId.INITIAL_BALANCES).state is StepState.DONE
    with pytest.raises(StepRefused) as refused:
        service.reopen(HERE, ANN, StepId.BATCH_SERIAL)
    assert refused.value.codes == ("batch_serial_locked",)


def _balances_done(service: OnboardingService) -> None:
    for step in (StepId.LOGIN, StepId.SETTINGS):
        service.done(HERE, ANN, step)
    service.skip(HERE, ANN, StepId.PRODUCTS)
    service.skip(HERE, ANN, StepId.BATCH_SERIAL)
    service.done(HERE, ANN, StepId.INITIAL_BALANCES)


def test_valuation_is_locked_once_initial_balances_are_done_even_after_a_reopen(
    service: OnboardingService,
) -> None:
    started(service)
    service.set_valuation(HERE, ANN, Valuation.FIFO)
    _balances_done(service)
    with pytest.raises(TransitionRefused) as refused:
        service.set_valuation(HERE, ANN, Valuation.AVERAGE)
    assert refused.value.code == "onb.valuation.locked"
    assert refused.value.params["current"] is Valuation.FIFO
    service.reopen(HERE, ANN, StepId.INITIAL_BALANCES, "oops")
    with pytest.raises(TransitionRefused) as refused:
        service.set_valuation(HERE, ANN, Valuation.AVERAGE)
    assert refused.value.code == "onb.valuation.locked"
    assert service.snapshot(HERE).valuation is Valuation.FIFO
    assert not service.set_valuation(HERE, ANN, Valuation.FIFO).changed


def test_an_inventory_file_beginning_balances_locks_neither_valuation_nor_tracking(
    service: OnboardingService,
) -> None:
    started(service)
    service.set_valuation(HERE, ANN, Valuation.FIFO)
    service.begin(HERE, ANN, StepId.INITIAL_BALANCES, "inventory.csv arrived")
    assert service.set_valuation(HERE, ANN, Valuation.AVERAGE).changed
    assert service.set_valuation(HERE, ANN, Valuation.FIFO).changed
    assert not service.snapshot(HERE).situation.stock_moved


def test_batch_serial_stays_final_after_initial_balances_are_reopened(
    service: OnboardingService,
) -> None:
    started(service)
    service.set_valuation(HERE, ANN, Valuation.FIFO)
    _balances_done(service)
    service.reopen(HERE, ANN, StepId.INITIAL_BALANCES, "oops")
    with pytest.raises(StepRefused) as refused:
        service.reopen(HERE, ANN, StepId.BATCH_SERIAL)
    assert refused.value.codes == ("batch_serial_locked",)
    assert service.snapshot(HERE).step(StepId.BATCH_SERIAL).state is StepState.SKIPPED


def test_numbering_needs_the_numbering_area_s_ok(make_service: ServiceFactory) -> None:
    without = make_service()
    started(without)
    with pytest.raises(StepRefused) as refused:
        without.done(HERE, ANN, StepId.NUMBERING)
    assert refused.value.codes == ("numbering_unknown",)
    with_provider = make_service(numbering=numbering_ok)
    assert with_provider.done(HERE, ANN, StepId.NUMBERING).changed


def test_live_once_every_step_is_settled_and_announced_once(make_service: ServiceFactory) -> None:
    service = make_service(numbering=numbering_ok)
    started(service)
    service.set_valuation(HERE, ANN, Valuation.FIFO)
    results = []
    for step in STEPS:
        action = service.skip if step.optional else service.done
        results.append(action(HERE, ANN, step.id))
    assert [r.announce_live for r in results] == [False] * 9 + [True]
    assert results[-1].became_live
    assert results[-1].snapshot.state is OnboardingState.LIVE
    reopened = service.reopen(HERE, ANN, StepId.CUSTOMERS)
    assert reopened.reactivated and reopened.snapshot.state is OnboardingState.ACTIVE
    again = service.skip(HERE, ANN, StepId.CUSTOMERS)
    assert again.became_live and not again.announce_live
    states = [
        (e.old_value, e.new_value)
        for e in service.history(HERE).entries
        if e.action == "onboarding.state"
    ]
    assert states == [("active", "live"), ("live", "active"), ("active", "live")]


def test_a_non_member_may_read_but_not_change(service: OnboardingService) -> None:
    started(service)
    assert service.snapshot(HERE, EVE).company_name == "Acme Oy"
    assert service.next(HERE, EVE).step is not None
    assert service.role(HERE, EVE) is Role.READER
    for attempt in (
        lambda: service.done(HERE, EVE, StepId.LOGIN),
        lambda: service.skip(HERE, EVE, StepId.CUSTOMERS),
        lambda: service.reopen(HERE, EVE, StepId.LOGIN),
        lambda: service.set_valuation(HERE, EVE, Valuation.FIFO),
        lambda: service.set_language(HERE, EVE, Language.FI),
        lambda: service.add_members(HERE, EVE, ["U_EVE"]),
    ):
        with pytest.raises(PermissionDenied) as refused:
            attempt()
        assert refused.value.params["owner"] == "U_ANN"
    assert service.snapshot(HERE).progress == (0, 10)
    denied = [e for e in service.history(HERE).entries if e.outcome is Outcome.DENIED]
    assert len(denied) == 6
    login = next(e for e in denied if e.subject == "login" and e.action == "step.done")
    assert (login.old_value, login.new_value) == ("todo", "done")


def test_members_change_steps_but_only_the_owner_manages_members(
    service: OnboardingService,
) -> None:
    started(service)
    service.add_members(HERE, ANN, ["U_BOB"])
    assert service.role(HERE, BOB) is Role.MEMBER
    assert service.done(HERE, BOB, StepId.LOGIN).changed
    with pytest.raises(PermissionDenied) as refused:
        service.add_members(HERE, BOB, ["U_EVE"])
    assert refused.value.code == "onb.permission.members"
    service.remove_members(HERE, ANN, ["U_BOB"])
    with pytest.raises(PermissionDenied):
        service.done(HERE, BOB, StepId.SETTINGS)


def test_workspace_admins_may_always_act(service: OnboardingService) -> None:
    started(service)
    assert service.done(HERE, ADMIN, StepId.LOGIN).changed
    assert service.add_members(HERE, ADMIN, ["U_EVE"]).changed


def test_the_owner_cannot_be_removed_and_strangers_are_not_members(
    service: OnboardingService,
) -> None:
    started(service)
    with pytest.raises(TransitionRefused) as refused:
        service.remove_members(HERE, ADMIN, ["U_ANN"])
    assert (refused.value.code, refused.value.params) == (
        "onb.members.owner_stays",
        {"user": "U_ANN"},
    )
    with pytest.raises(InvalidArgument) as refused:
        service.remove_members(HERE, ANN, ["U_NOBODY"])
    assert (refused.value.code, refused.value.params) == (
        "onb.members.not_member",
        {"user": "U_NOBODY", "members": ("U_ANN",)},
    )


def test_adding_someone_twice_changes_nothing(service: OnboardingService) -> None:
    started(service)
    assert service.add_members(HERE, ANN, ["U_BOB", "U_BOB"]).changed
    assert not service.add_members(HERE, ANN, ["U_BOB", "U_ANN"]).changed


def test_history_pages_twenty_at_a_time(service: OnboardingService, clock: Clock) -> None:
    started(service)
    for _ in range(12):
        clock.advance(minutes=1)
        service.done(HERE, ANN, StepId.LOGIN)
        clock.advance(minutes=1)
        service.reopen(HERE, ANN, StepId.LOGIN)
    first = service.history(HERE)
    assert (len(first.entries), first.total, first.pages, first.has_older) == (20, 25, 2, True)
    assert first.entries[0].at >= first.entries[-1].at
    second = service.history(HERE, page=2)
    assert len(second.entries) == 5 and not second.has_older
    assert second.entries[-1].action == AuditAction.START
    with pytest.raises(InvalidArgument) as refused:
        service.history(HERE, page=3)
    assert refused.value.params == {"page": 3, "pages": 2}


def test_refusals_leave_the_language_to_the_reader(service: OnboardingService) -> None:
    # No words and no language: the error hook says them in the onboarding's language.
    started(service)
    service.set_language(HERE, ANN, Language.FI)
    with pytest.raises(StepRefused) as skipped:
        service.skip(HERE, ANN, StepId.SETTINGS)
    with pytest.raises(PermissionDenied) as denied:
        service.done(HERE, EVE, StepId.LOGIN)
    for refusal in (skipped.value, denied.value):
        assert refusal.language is None
    assert "ei voi ohittaa" in render_error(skipped.value, "fi")
    assert "Vain käyttöönoton jäsenet" in render_error(denied.value, "fi")


def test_another_channel_or_team_sees_nothing(service: OnboardingService) -> None:
    started(service)
    for elsewhere in (Channel("T_ACME", "C_OTHER"), Channel("T_OTHER", HERE.channel_id)):
        assert service.find(elsewhere) is None
        with pytest.raises(NotFound) as missing:
            service.snapshot(elsewhere)
        assert missing.value.code == "onb.not_found"
        with pytest.raises(NotFound):
            service.done(elsewhere, ANN, StepId.LOGIN)
        with pytest.raises(NotFound):
            service.history(elsewhere)
    assert service.for_user("T_OTHER", ANN.user_id) == ()


def test_the_user_s_onboardings_across_channels(service: OnboardingService, clock: Clock) -> None:
    started(service)
    second = Channel("T_ACME", "C_SECOND")
    service.start(second, BOB, "Beta Oy")
    clock.advance(minutes=1)
    service.add_members(second, BOB, ["U_ANN"])
    mine = service.for_user("T_ACME", ANN.user_id)
    assert [s.company_name for s in mine] == ["Beta Oy", "Acme Oy"]
    assert [s.company_name for s in service.for_user("T_ACME", BOB.user_id)] == ["Beta Oy"]
    assert service.for_user("T_ACME", EVE.user_id) == ()


def test_state_survives_a_restart(make_service: ServiceFactory) -> None:
    first = make_service()
    started(first)
    first.done(HERE, ANN, StepId.LOGIN)
    first.remember_checklist(HERE, "1700000000.000100")
    restarted = make_service()
    snapshot = restarted.snapshot(HERE)
    assert snapshot.checklist_ts == "1700000000.000100"
    assert snapshot.step(StepId.LOGIN).state is StepState.DONE
    assert snapshot == first.snapshot(HERE)


def test_the_snapshot_says_what_blocks_each_step(service: OnboardingService) -> None:
    started(service)
    snapshot = service.snapshot(HERE)
    balances = snapshot.step(StepId.INITIAL_BALANCES)
    assert {b.code for b in balances.blockers} == {
        "settings_not_done",
        "valuation_missing",
        "products_open",
        "batch_serial_open",
    }
    assert snapshot.step(StepId.PRODUCTS).can_skip
    assert not snapshot.step(StepId.SETTINGS).can_skip
    assert snapshot.step(StepId.LOGIN).blockers == ()


def test_a_missing_onboarding_answers_in_the_asker_s_language(service: OnboardingService) -> None:
    with pytest.raises(NotFound) as missing:
        service.snapshot(HERE, Actor("U_X", locale="fi-FI"))
    assert missing.value.language is Language.FI
    assert "Tällä kanavalla ei ole" in render_error(missing.value, missing.value.language)
    with pytest.raises(NotFound) as missing:
        service.done(HERE, Actor("U_X", locale="fi-FI"), StepId.LOGIN)
    assert missing.value.language is Language.FI
    with pytest.raises(NotFound) as missing:
        service.done(HERE, Actor("U_X"), StepId.LOGIN)
    assert missing.value.language is Language.EN


def test_refused_attempts_without_an_onboarding_are_audited_too(
    service: OnboardingService, db: object
) -> None:
    with pytest.raises(NotFound):
        service.done(HERE, EVE, StepId.LOGIN)
    assert isinstance(db, Engine)
    with Session(db) as session:
        event = session.scalars(select(AuditEvent)).one()
    assert (event.onboarding_id, event.actor, event.outcome) == (None, "U_EVE", "refused")
