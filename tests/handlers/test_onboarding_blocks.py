"""Answers to the onboarding commands and the App Home, rendered without Slack."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.language import Language
from core.onboarding.numbering_gate import NumberingGate
from core.onboarding.snapshot import (
    AuditAction,
    AuditEntry,
    Change,
    ChangeResult,
    HistoryPage,
    NextStep,
    Outcome,
)
from core.onboarding.steps import STEPS, StepId, StepState
from handlers.blocks.home import home_view
from handlers.blocks.onboarding import (
    change_text,
    history_line,
    history_message,
    live_announcement,
    members_message,
    next_message,
)
from handlers.messages import t
from tests.handlers.onboarding_snapshots import make_snapshot

D, S = StepState.DONE, StepState.SKIPPED
AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def entry(n: int, **overrides: object) -> AuditEntry:
    values: dict[str, object] = {
        "id": n,
        "at": AT + timedelta(minutes=n),
        "actor": "U_ANN",
        "action": "step.done",
        "subject": "login",
        "old_value": "todo",
        "new_value": "done",
        "note": None,
        "outcome": Outcome.APPLIED,
    }
    values.update(overrides)
    return AuditEntry(**values)  # type: ignore[arg-type]


def test_next_shows_the_step_its_guide_what_blocks_it_and_its_buttons() -> None:
    snapshot = make_snapshot(
        {s.id: (S if s.optional else D) for s in STEPS if s.id is not StepId.NUMBERING}
    )
    message = next_message(NextStep(snapshot, snapshot.next_step))
    assert "10. Order and invoice numbering" in message.text
    assert "`/rackbeat numbering check`" in message.text
    assert message.blocks[-1]["type"] == "actions"


def test_next_when_everything_is_settled() -> None:
    snapshot = make_snapshot({s.id: (S if s.optional else D) for s in STEPS})
    assert next_message(NextStep(snapshot, None)).text == t("onboarding.next.none", "en")


def test_change_confirmations() -> None:
    snapshot = make_snapshot({StepId.LOGIN: D})
    done = ChangeResult(snapshot, (Change(AuditAction.STEP_DONE, "login", "todo", "done"),))
    assert change_text(done) == t("onboarding.changed.done", "en", step="1. Log in to Rackbeat")
    reopened = ChangeResult(
        snapshot,
        (
            Change(AuditAction.STEP_REOPEN, "customers", "skipped", "in_progress"),
            Change(AuditAction.STATE, None, "live", "active"),
        ),
    )
    assert t("onboarding.changed.reactivated", "en") in change_text(reopened)
    added = ChangeResult(snapshot, (Change(AuditAction.MEMBER_ADD, "U_BOB", None, "member"),))
    assert change_text(added) == t("onboarding.members.added", "en", users="<@U_BOB>")


def test_history_shows_twenty_and_how_to_see_more() -> None:
    entries = tuple(entry(n) for n in range(20, 0, -1))
    message = history_message(
        HistoryPage(entries=entries, page=1, pages=2, total=27, page_size=20), "en"
    )
    assert t("onboarding.history.more", "en", first=1, last=20, total=27, next=2) in message.text
    assert message.text.count("*1. Log in to Rackbeat* to do → done") == 20
    last = history_message(
        HistoryPage(entries=entries[:7], page=2, pages=2, total=27, page_size=20), "en"
    )
    assert t("onboarding.history.end", "en", first=21, last=27, total=27) in last.text


def test_history_marks_refused_and_denied_attempts() -> None:
    refused = entry(1, outcome=Outcome.REFUSED, note="*Initial balances* can't…\n• more")
    denied = entry(2, outcome=Outcome.DENIED, actor="U_EVE", note="Only this onboarding's …")
    message = history_message(
        HistoryPage(entries=(denied, refused), page=1, pages=1, total=2, page_size=20), "fi"
    )
    assert ":no_entry:" in message.text and t("onboarding.history.refused", "fi") in message.text
    assert ":lock:" in message.text and t("onboarding.history.denied", "fi") in message.text
    # Every reason of a refusal, on the entry's one line (issue 17: not only the headline).
    assert "can't… • more" in message.text
    assert "Only this onboarding" not in message.text


def test_a_refusal_in_the_history_is_said_in_the_reader_s_language() -> None:
    # Kept as a code with data: the note the person wrote, then why it was refused.
    params = {"company": "Acme Oy", "state": "active", "done": 1, "total": 10}
    params |= {"owner": "U_ANN", "when": AT.isoformat()}
    refused = entry(
        1,
        action="onboarding.start",
        subject=None,
        outcome=Outcome.REFUSED,
        note="second try",
        refusal_code="onb.start.exists",
        refusal_params=params,
    )
    said = {"en": "2 Mar 2026 08:00 UTC", "fi": "2.3.2026 klo 8.00 UTC"}
    for language, when in said.items():
        state = t("onb.onboarding.active", language)
        words = params | {"owner": "<@U_ANN>", "state": state, "when": when}
        why = t("onb.start.exists", language, **words)
        line = history_line(refused, language)
        assert line.endswith(f"— second try — {' '.join(why.split())}"), line


def test_a_refusal_kept_as_words_before_codes_still_shows() -> None:
    # Rows refused before migration 0018 keep their words, per language where they had them.
    old = entry(
        1,
        outcome=Outcome.REFUSED,
        note="ok — *Log in* can't be marked done",
        note_translations={"en": "ok — *Log in* can't…", "fi": "ok — *Kirjautuminen* ei…"},
    )
    assert history_line(old, "fi").endswith("— ok — *Kirjautuminen* ei…")
    older = entry(2, outcome=Outcome.REFUSED, note="*Log in* can't be marked done")
    assert history_line(older, "fi").endswith("— *Log in* can't be marked done")


def test_history_renders_every_kind_of_entry() -> None:
    entries = (
        entry(1, action="onboarding.start", subject=None, old_value=None, new_value="Acme Oy"),
        entry(2, action="onboarding.state", subject=None, old_value="active", new_value="live"),
        entry(3, action="valuation.set", subject=None, old_value=None, new_value="fifo"),
        entry(4, action="language.set", subject=None, old_value="en", new_value="fi"),
        entry(5, action="member.add", subject="U_BOB", old_value=None, new_value="member"),
        entry(6, action="member.remove", subject="U_BOB", old_value="member", new_value=None),
    )
    text = history_message(
        HistoryPage(entries=entries, page=1, pages=1, total=6, page_size=20), "en"
    ).text
    assert "started the onboarding of *Acme Oy*" in text
    assert "onboarding active → live" in text
    assert "valuation method not recorded → FIFO" in text
    assert "added <@U_BOB> as a member" in text
    assert "removed <@U_BOB> from the members" in text


def test_members_and_live_announcement() -> None:
    snapshot = make_snapshot(members=("U_BOB",))
    text = members_message(snapshot, already=("U_BOB",)).text
    assert "<@U_ANN>, <@U_BOB>" in text
    assert t("onboarding.members.already", "en", users="<@U_BOB>") in text
    assert "Acme Oy" in live_announcement(snapshot).text


def test_home_lists_each_onboarding_with_progress_next_step_and_role() -> None:
    first = make_snapshot({StepId.LOGIN: D}, members=("U_BOB",))
    second = make_snapshot(
        company="Beta Oy",
        language=Language.FI,
        numbering=NumberingGate.from_levels({}),
    )
    view = home_view("U_BOB", (first, second), "en")
    assert view["type"] == "home"
    text = str(view["blocks"])
    assert "*Acme Oy* in <#C1> — 1/10 steps settled" in text
    assert "Next: 2. Company settings" in text
    assert t("onboarding.role.member", "en") in text
    assert "*Beta Oy* kanavalla <#C1> — 0/10 vaihetta hoidettu" in text


def test_home_without_onboardings_says_how_to_start() -> None:
    view = home_view("U_NEW", (), "fi")
    assert t("onboarding.home.empty", "fi") in str(view["blocks"])


def test_history_words_the_numbering_rows_of_the_trail() -> None:
    at = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    value = AuditEntry(
        id=1,
        at=at,
        actor="U1",
        action="numbering.value",
        subject="invoice.rackbeat_next",
        old_value=None,
        new_value="10500",
        note=None,
        outcome=Outcome.APPLIED,
    )
    connect = AuditEntry(
        id=2,
        at=at,
        actor="U1",
        action="numbering.connect.rackbeat",
        subject="rackbeat",
        old_value=None,
        new_value="Oy Esimerkki",
        note=None,
        outcome=Outcome.APPLIED,
    )
    unknown = AuditEntry(
        id=3,
        at=at,
        actor="U1",
        action="future.thing",
        subject="x",
        old_value="a",
        new_value="b",
        note=None,
        outcome=Outcome.APPLIED,
    )
    assert "Sales invoices, Rackbeat's next number: – → 10,500" in history_line(value, "en")
    assert "Myyntilaskut, Rackbeatin seuraava numero: – → 10\u00a0500" in history_line(value, "fi")
    assert "connected Rackbeat (Oy Esimerkki)" in history_line(connect, "en")
    assert "yhdisti palvelun Rackbeat (Oy Esimerkki)" in history_line(connect, "fi")
    assert "`future.thing` x a → b" in history_line(unknown, "en")


def test_history_lines_show_words_not_ids_in_finnish() -> None:
    at = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

    def line(action: str, subject: str | None, old: str | None, new: str | None) -> str:
        entry = AuditEntry(1, at, "U1", action, subject, old, new, None, Outcome.APPLIED)
        return history_line(entry, "fi")

    strategy = line("numbering.strategy", "invoice", "rackbeat-only", "mixed")
    assert "numerointitapa (Myyntilaskut) vain Rackbeat → molemmat" in strategy
    value = line("numbering.value", "order.netvisor-max", "1000", "1000024")
    assert "Myyntitilaukset, Netvisorin suurin numero: 1\u00a0000 → 1\u00a0000\u00a0024" in value
    snooze = line("numbering.snooze", "order", None, "2026-12-07T12:00:00+00:00")
    assert "hiljensi numerointihälytykset (Myyntitilaukset) 7.12.2026 klo 12.00 UTC asti" in snooze
    limits = line(
        "numbering.thresholds",
        None,
        "warning 30 d / 1000, critical 7 d / 100",
        "warning 60 d / 5000, critical 14 d / 500",
    )
    assert "varoitus 30 pv / 1\u00a0000, kriittinen 7 pv / 100 → varoitus 60 pv" in limits
    acknowledged = line("numbering.acknowledge", "invoice", None, "critical")
    assert "kuittasi numerointihälytyksen (Myyntilaskut: kriittinen)" in acknowledged
    assert "kieli englanti → suomi" in line("language.set", None, "en", "fi")
    for text in (strategy, value, snooze, limits, acknowledged):
        for raw in ("rackbeat-only", "netvisor-max", "order.", "invoice", "T12:00", "warning"):
            assert raw not in text, text
