"""Rotating SECRET_KEY (docs/operations.md, "Rotating SECRET_KEY"): credentials stored under the
old key keep working, are re-encrypted under the new key when a process starts with the old key
in SECRET_KEY_PREVIOUS, and keep working once the old key is dropped. Forgetting the old key
loses nothing: the check says what is wrong and the stored credentials wait for the key.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.config import load_settings
from bot.localslack import LocalSlack
from bot.logs import secrets_of
from core.credentials import RackbeatCredentials, SecretBox
from core.numbering.credentials import reseal_stored
from core.numbering.repository import NumberingRepository
from core.onboarding.service import OnboardingService
from core.store.numbering_models import NumberingCredentials
from core.tenancy import Actor, Channel
from core.upstream import Source
from tests.fakes.rackbeat import FakeRackbeat
from tests.harness import BotUnderTest

OLD_KEY = "old-secret-key-0123456789abcdef"
NEW_KEY = "new-secret-key-fedcba9876543210"
OTHER_KEY = "someone-elses-key-000000000000"
TOKEN = "rackbeat-token-rotation-0001"
CHANNEL = "C0ROTATE"
ANN = "U0ANN"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def rackbeat() -> Iterator[FakeRackbeat]:
    fake = FakeRackbeat().start()
    fake.add_account(TOKEN, "Kierto Oy", invoice=10_100, order=4_000)
    yield fake
    fake.stop()


class Process:
    """`serve` started with given keys, on one database and one Slack (a restart each time)."""

    def __init__(self, slack: LocalSlack, url: str, rackbeat: FakeRackbeat) -> None:
        self.slack, self.url, self.rackbeat = slack, url, rackbeat
        slack.add_user(ANN, "ann")

    def start(self, key: str, previous: tuple[str, ...] = ()) -> BotUnderTest:
        return BotUnderTest(
            self.slack,
            self.url,
            secret_key=SecretStr(key),
            secret_key_previous=tuple(SecretStr(k) for k in previous),
            rackbeat_api_url=self.rackbeat.url,
        )


def run(bot: BotUnderTest, command: str) -> str:
    assert bot.driver.command(command, user=ANN, channel=CHANNEL).status == 200
    bot.settle()
    return bot.slack.ephemerals_for(ANN)[-1].text


def connect(bot: BotUnderTest) -> None:
    run(bot, "start Kierto Oy")
    run(bot, "connect rackbeat")
    modal = bot.slack.open_modal(ANN)
    assert modal is not None
    values = {"api_token": {"value": {"type": "plain_text_input", "value": TOKEN}}}
    bot.driver.submit_view(modal, values, user=ANN)
    bot.settle()


def stored(bot: BotUnderTest) -> str:
    with bot.deps.uow() as uow:
        return uow.session.scalars(select(NumberingCredentials.sealed)).one()


def opens_with(token: str, key: str) -> bool:
    try:
        SecretBox(key).open(token, RackbeatCredentials)
    except Exception:
        return False
    return True


def checked_with_token(bot: BotUnderTest, rackbeat: FakeRackbeat) -> bool:
    """A numbering check now reaches Rackbeat with the stored token."""
    before = len(rackbeat.requests)
    answer = run(bot, "numbering check")
    sent = [r.headers.get("Authorization") for r in rackbeat.requests[before:]]
    return f"Bearer {TOKEN}" in sent and "SECRET_KEY" not in answer


def test_credentials_stored_under_the_old_key_are_resealed_and_keep_working(
    slack: LocalSlack,
    database_url: str,
    rackbeat: FakeRackbeat,
    caplog: pytest.LogCaptureFixture,
) -> None:
    process = Process(slack, database_url, rackbeat)
    bot = process.start(OLD_KEY)
    connect(bot)
    under_old = stored(bot)
    assert opens_with(under_old, OLD_KEY) and not opens_with(under_old, NEW_KEY)
    bot.stop()

    caplog.set_level(logging.INFO)
    bot = process.start(NEW_KEY, previous=(OLD_KEY,))  # step 1: new key, old one as previous
    resealed = stored(bot)
    assert resealed != under_old
    assert opens_with(resealed, NEW_KEY) and not opens_with(resealed, OLD_KEY)
    assert checked_with_token(bot, rackbeat)
    assert "re-encrypted 1 stored credential" in caplog.text
    assert OLD_KEY not in caplog.text and NEW_KEY not in caplog.text
    bot.stop()

    bot = process.start(NEW_KEY)  # step 2: the old key dropped
    assert stored(bot) == resealed  # nothing left to do
    assert checked_with_token(bot, rackbeat)
    bot.stop()


def test_without_the_old_key_nothing_is_lost_and_the_check_names_the_cause(
    slack: LocalSlack,
    sqlite_url: str,
    rackbeat: FakeRackbeat,
    caplog: pytest.LogCaptureFixture,
) -> None:
    process = Process(slack, sqlite_url, rackbeat)
    bot = process.start(OLD_KEY)
    connect(bot)
    under_old = stored(bot)
    bot.stop()

    caplog.set_level(logging.WARNING)
    bot = process.start(NEW_KEY)  # the operator forgot SECRET_KEY_PREVIOUS
    assert "cannot be opened with SECRET_KEY" in caplog.text
    answer = run(bot, "numbering check")
    assert "SECRET_KEY" in answer
    assert stored(bot) == under_old
    bot.stop()

    bot = process.start(NEW_KEY, previous=(OTHER_KEY, OLD_KEY))  # a list of old keys
    assert opens_with(stored(bot), NEW_KEY)
    assert checked_with_token(bot, rackbeat)
    bot.stop()


def test_reseal_reports_what_it_did_and_leaves_current_and_unreadable_tokens_alone(
    slack: LocalSlack, database_url: str
) -> None:
    bot = BotUnderTest(slack, database_url)
    try:
        reseal_three_tokens(bot)
    finally:
        bot.stop()


def reseal_three_tokens(bot: BotUnderTest) -> None:
    credentials = RackbeatCredentials(api_token=SecretStr(TOKEN))
    now = bot.deps.clock()
    tokens = {
        "C0OLD": SecretBox(OLD_KEY).seal(credentials),
        "C0NEW": SecretBox(NEW_KEY).seal(credentials),
        "C0LOST": SecretBox(OTHER_KEY).seal(credentials),
    }
    service = OnboardingService(bot.deps.uow)
    for channel, token in tokens.items():
        snapshot = service.start(Channel("T0LOCAL", channel), Actor(ANN), channel).snapshot
        with bot.deps.uow() as uow:
            repo = NumberingRepository(uow.session)
            repo.save_credentials(snapshot.id, Source.RACKBEAT, token, "X", ANN, now)
            uow.commit()

    report = reseal_stored(bot.deps.uow, SecretBox(NEW_KEY, previous_keys=[OLD_KEY]))

    assert (report.resealed, report.current, report.unreadable) == (1, 1, 1)
    with bot.deps.uow() as uow:
        rows = {
            row.onboarding_id: row.sealed
            for row in uow.session.scalars(select(NumberingCredentials))
        }
    sealed = sorted(rows.values())
    assert tokens["C0NEW"] in sealed and tokens["C0LOST"] in sealed
    assert tokens["C0OLD"] not in sealed
    assert all(opens_with(t, NEW_KEY) for t in sealed if t != tokens["C0LOST"])
    again = reseal_stored(bot.deps.uow, SecretBox(NEW_KEY, previous_keys=[OLD_KEY]))
    assert (again.resealed, again.current, again.unreadable) == (0, 2, 1)


def test_secret_key_previous_is_a_comma_separated_list_that_never_shows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SECRET_KEY", NEW_KEY)
    monkeypatch.setenv("SECRET_KEY_PREVIOUS", f" {OLD_KEY} , {OTHER_KEY},")
    settings = load_settings(_env_file=None)
    assert [k.get_secret_value() for k in settings.secret_key_previous] == [OLD_KEY, OTHER_KEY]
    shown = f"{settings!r} {settings} {settings.model_dump_json()}"
    assert OLD_KEY not in shown and OTHER_KEY not in shown and NEW_KEY not in shown
    monkeypatch.delenv("SECRET_KEY_PREVIOUS")
    assert load_settings(_env_file=None).secret_key_previous == ()


def test_previous_keys_are_redacted_from_the_logs_of_python_m_bot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SECRET_KEY", NEW_KEY)
    monkeypatch.setenv("SECRET_KEY_PREVIOUS", OLD_KEY)
    assert {NEW_KEY, OLD_KEY} <= set(secrets_of(load_settings(_env_file=None)))


def test_rotation_is_documented_where_operators_look() -> None:
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    section = operations.split("## Rotating SECRET_KEY", 1)[1].split("\n## ", 1)[0]
    for needed in ("SECRET_KEY_PREVIOUS", "re-encrypt", "restart"):
        assert needed in section, needed
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"\| `SECRET_KEY_PREVIOUS` \|", readme)
    assert "docs/operations.md" in readme
