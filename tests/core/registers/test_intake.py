"""The file intake service with the file's source and the answers in memory: a file is
claimed once, tried again after a passing failure, taken over after a dead attempt, stored
and answered once, and moves its onboarding step (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from core.onboarding.service import OnboardingService
from core.onboarding.snapshot import OnboardingSnapshot
from core.onboarding.steps import StepId
from core.registers import FileResult, Register, intake
from core.registers.intake import (
    MAX_ATTEMPTS,
    FileIntake,
    InFlight,
    Output,
    Refusal,
    Share,
    SharedFile,
    Verdict,
)
from core.registers.repository import RegistersRepository
from core.store.database import create_database_engine, migrate
from core.store.registers_models import ProcessedFile, ValidationResult
from core.store.uow import UnitOfWorkFactory, unit_of_work_factory
from core.tenancy import Actor, Channel

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
TEAM, CHANNEL, ANN = "T1", "C1", "U_ANN"
SHARE = Share(TEAM, CHANNEL, ANN, "1700000000.000100", "")
CLEAN = b"number;name;group;cost_price;sales_price\n1001;Vasara;1;12,50;19,90\n"
# One warning (a product number with letters): both the report and the normalized copy.
WITH_WARNING = (
    b"number;name;group;cost_price;sales_price\nAB-1001;Vasara;1;12,50;19,90\n1002;Saha;1;8;12\n"
)
WAIT = 10.0  # seconds a test waits for a signal before it fails


class Killed(BaseException):
    """Stands in for the process dying: nothing in the service catches a BaseException."""


class Later(Exception):
    """What the fake job runner is told: run this again later."""


def later_for_connection_errors(error: Exception) -> Exception | None:
    return Later(str(error)) if isinstance(error, ConnectionError) else None


@dataclass
class FakeSource:
    """Files by id; ``failures`` are raised by the next downloads, in order, and ``before``
    runs at the start of every download."""

    files: dict[str, bytes] = field(default_factory=dict)
    failures: list[BaseException] = field(default_factory=list)
    before: Callable[[], None] | None = None
    size: int | None = None
    filetype: str = "csv"
    downloads: int = 0

    def describe(self, file_id: str) -> SharedFile:
        if file_id not in self.files:
            raise Refusal("registers.refused.download")
        size = len(self.files[file_id]) if self.size is None else self.size
        return SharedFile(file_id, size, self.filetype, "text/csv", f"mem://{file_id}")

    def download(self, file: SharedFile, limit_bytes: int) -> bytes:
        self.downloads += 1
        if self.before is not None:
            self.before()
        if self.failures:
            raise self.failures.pop(0)
        return self.files[file.file_id]


@dataclass
class FakeAnswers:
    """Every answer as (what, details); ``dies_on`` kills the attempt at that call."""

    calls: list[tuple[str, Any]] = field(default_factory=list)
    dies_on: dict[str, int] = field(default_factory=dict)
    _ts: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _record(self, what: str, details: Any) -> None:
        with self._lock:
            self.calls.append((what, details))
            seen = sum(1 for name, _ in self.calls if name == what)
        if self.dies_on.get(what) == seen:
            raise Killed

    def of(self, what: str) -> list[Any]:
        with self._lock:
            return [details for name, details in self.calls if name == what]

    def names(self) -> list[str]:
        with self._lock:
            return [name for name, _ in self.calls]

    def checking(self, name: str, lang: str) -> str:
        with self._lock:
            self._ts += 1
            ts = f"reply-{self._ts}"
        self._record("checking", (name, ts))
        return ts

    def progress(self, reply_ts: str, name: str, rows: int, lang: str) -> None:
        self._record("progress", (reply_ts, rows))

    def refused(self, reply_ts: str, name: str, refusal: Refusal, lang: str) -> None:
        self._record("refused", (reply_ts, refusal.code, refusal.params))

    def verdict(self, reply_ts: str, verdict: Verdict, lang: str) -> None:
        self._record("verdict", (reply_ts, verdict))

    def upload(self, output: Output, verdict: Verdict, lang: str) -> None:
        self._record("upload", output)

    def apologise(self, reply_ts: str | None, lang: str) -> None:
        self._record("apology", reply_ts)

    def rejudge_inventory(
        self, onboarding: OnboardingSnapshot, products: FileResult, products_processed_id: int
    ) -> None:
        self._record("rejudge", (onboarding.id, products.register, products_processed_id))

    def begin_step(self, step: StepId, user_id: str) -> None:
        self._record("begin_step", (step, user_id))


@pytest.fixture
def uow(database_url: str) -> Iterator[UnitOfWorkFactory]:
    engine: Engine = create_database_engine(database_url)
    migrate(engine)
    yield unit_of_work_factory(engine)
    engine.dispose()


Make = Callable[..., FileIntake]


@pytest.fixture
def make(uow: UnitOfWorkFactory) -> Make:
    """A service on the test's database; each call is another process (its own in-flight
    set) unless given one."""

    def build(**kwargs: Any) -> FileIntake:
        return FileIntake(uow, clock=lambda: NOW, max_upload_mb=1, **kwargs)

    return build


def claim_row(uow: UnitOfWorkFactory, file_id: str = "F1") -> tuple[str, int]:
    with uow() as unit:
        row = unit.session.scalars(
            select(ProcessedFile).where(ProcessedFile.file_id == file_id)
        ).one()
        return row.status, row.attempts


def stored_results(uow: UnitOfWorkFactory) -> int:
    with uow() as unit:
        return len(unit.session.scalars(select(ValidationResult)).all())


def start_onboarding(uow: UnitOfWorkFactory) -> OnboardingSnapshot:
    service = OnboardingService(uow, clock=lambda: NOW)
    service.start(Channel(TEAM, CHANNEL), Actor(ANN), "Acme Oy")
    found = service.find(Channel(TEAM, CHANNEL))
    assert found is not None
    return found


def test_concurrent_duplicates_of_a_share_are_checked_once(make: Make, uow: Any) -> None:
    """A Slack retry of a late acknowledgement arrives while the first event is being
    checked: it leaves the live attempt alone, and a retry after the answer finds it done."""
    downloading, release = threading.Event(), threading.Event()

    def hold_the_first() -> None:
        downloading.set()
        assert release.wait(WAIT), "the test never released the download"

    source = FakeSource({"F1": CLEAN}, before=hold_the_first)
    answers = FakeAnswers()
    intake = make()
    first = threading.Thread(
        target=intake.handle, args=(SHARE, "F1", "products.csv", source, answers)
    )
    first.start()
    try:
        assert downloading.wait(WAIT), "the first attempt never started downloading"
        source.before = None
        intake.handle(SHARE, "F1", "products.csv", source, answers)
        assert answers.names() == ["checking"]
    finally:
        release.set()
        first.join(WAIT)
    assert not first.is_alive()
    intake.handle(SHARE, "F1", "products.csv", source, answers)
    assert answers.names() == ["checking", "verdict", "upload"]
    assert source.downloads == 1
    assert claim_row(uow) == ("checked", 1)
    assert stored_results(uow) == 1


def test_a_failed_download_is_tried_again_and_then_answered_in_the_same_reply(
    make: Make, uow: Any
) -> None:
    source = FakeSource({"F1": CLEAN}, failures=[ConnectionError("HTTP 503")])
    answers = FakeAnswers()
    intake = make(stop_for_later=later_for_connection_errors)
    with pytest.raises(Later, match="HTTP 503"):
        intake.handle(SHARE, "F1", "products.csv", source, answers)
    assert answers.names() == ["checking"]
    assert claim_row(uow) == ("received", 1)
    # The job runs again.
    assert intake.resume(TEAM, "F1", source, lambda share: answers) is True
    [(reply_ts, verdict)] = answers.of("verdict")
    assert reply_ts == answers.of("checking")[0][1] == "reply-1"
    assert verdict.result.valid and verdict.result.register is Register.PRODUCTS
    assert claim_row(uow) == ("checked", 2)
    assert intake.resume(TEAM, "F1", source, lambda share: answers) is False


def test_a_download_that_keeps_failing_is_answered_with_one_apology(make: Make, uow: Any) -> None:
    source = FakeSource({"F1": CLEAN}, failures=[ConnectionError("down")] * 10)
    answers = FakeAnswers()
    intake = make(stop_for_later=later_for_connection_errors)
    with pytest.raises(Later):
        intake.handle(SHARE, "F1", "products.csv", source, answers)
    for _ in range(MAX_ATTEMPTS - 1):
        with pytest.raises(Later):
            intake.resume(TEAM, "F1", source, lambda share: answers)
    assert intake.resume(TEAM, "F1", source, lambda share: answers) is True
    assert answers.names() == ["checking", "apology"]
    assert answers.of("apology") == ["reply-1"]
    assert source.downloads == MAX_ATTEMPTS
    assert claim_row(uow) == ("failed", MAX_ATTEMPTS + 1)
    assert intake.resume(TEAM, "F1", source, lambda share: answers) is False


def test_without_a_later_a_failed_download_gets_the_apology_at_once(make: Make, uow: Any) -> None:
    source = FakeSource({"F1": CLEAN}, failures=[ConnectionError("down")])
    answers = FakeAnswers()
    make().handle(SHARE, "F1", "products.csv", source, answers)
    assert answers.names() == ["checking", "apology"]
    assert claim_row(uow) == ("failed", 1)


def test_a_check_whose_process_died_is_resumed_without_answering_twice(
    make: Make, uow: Any
) -> None:
    """The first process dies between the two uploads; the next one takes the claim over,
    edits the same reply into the verdict and uploads only what is missing."""
    source = FakeSource({"F1": WITH_WARNING})
    dying = FakeAnswers(dies_on={"upload": 2})
    with pytest.raises(Killed):
        make().handle(SHARE, "F1", "products.csv", source, dying)
    assert claim_row(uow) == ("received", 1)
    assert dying.of("upload") == [Output.REPORT, Output.NORMALIZED]
    resumed = FakeAnswers()
    assert make().resume(TEAM, "F1", source, lambda share: resumed) is True
    assert resumed.names() == ["verdict", "upload"]
    assert resumed.of("upload") == [Output.NORMALIZED]
    assert resumed.of("verdict")[0][0] == "reply-1"  # the dead attempt's reply, edited
    assert claim_row(uow) == ("checked", 2)
    assert stored_results(uow) == 1


@pytest.mark.parametrize("paused_in", ["download", "validation"])
def test_an_attempt_taken_over_while_paused_stores_and_answers_nothing(
    make: Make, uow: Any, monkeypatch: pytest.MonkeyPatch, paused_in: str
) -> None:
    """A worker taken for dead (a paused VM) comes back after another took the file over.
    On PostgreSQL the live attempt's lock on the file keeps the other out instead."""
    with uow() as unit:
        locks = unit.session.get_bind().dialect.name == "postgresql"
    resumed = FakeAnswers()
    other = make()
    source = FakeSource({"F1": CLEAN})
    took_over: list[bool] = []

    def taken_over() -> None:
        if not took_over:
            took_over.append(False)  # the other attempt does not pause
            took_over[0] = other.resume(TEAM, "F1", source, lambda share: resumed)

    if paused_in == "download":
        source.before = taken_over
    else:
        validate = intake.validate_files

        def validating(*args: Any, **kwargs: Any) -> Any:
            taken_over()
            return validate(*args, **kwargs)

        monkeypatch.setattr(intake, "validate_files", validating)
    paused = FakeAnswers()
    make().handle(SHARE, "F1", "products.csv", source, paused)
    assert stored_results(uow) == 1
    if locks:
        assert took_over == [False] and resumed.names() == []
        assert paused.names() == ["checking", "verdict", "upload"]
        assert claim_row(uow) == ("checked", 1)
    else:
        assert took_over == [True] and resumed.names() == ["verdict", "upload"]
        assert paused.names() == ["checking"]
        assert claim_row(uow) == ("checked", 2)


def test_a_checked_file_moves_its_onboarding_step_and_is_remembered(make: Make, uow: Any) -> None:
    onboarding = start_onboarding(uow)
    answers = FakeAnswers()
    make().handle(SHARE, "F1", "products.csv", FakeSource({"F1": CLEAN}), answers)
    assert answers.names() == ["checking", "verdict", "upload", "rejudge", "begin_step"]
    assert answers.of("begin_step") == [(StepId.PRODUCTS, ANN)]
    [(_, verdict)] = answers.of("verdict")
    assert verdict.onboarding is not None and verdict.onboarding.id == onboarding.id
    with uow() as unit:
        processed_id = unit.session.scalars(select(ProcessedFile.id)).one()
        known = RegistersRepository(unit.session).known(onboarding.id)
    assert answers.of("rejudge") == [(onboarding.id, Register.PRODUCTS, processed_id)]
    assert known.get(Register.PRODUCTS) is not None


def test_a_file_without_an_onboarding_touches_no_step(make: Make, uow: Any) -> None:
    answers = FakeAnswers()
    make().handle(SHARE, "F1", "products.csv", FakeSource({"F1": WITH_WARNING}), answers)
    assert answers.names() == ["checking", "verdict", "upload", "upload"]
    assert answers.of("verdict")[0][1].onboarding is None


@pytest.mark.parametrize(
    ("source", "key", "params"),
    [
        (lambda: FakeSource({"F1": CLEAN}, size=3 * 2**20), "too_large", {"size": 3}),
        (lambda: FakeSource({"F1": CLEAN}, filetype="PNG"), "not_csv", {}),
        (
            lambda: FakeSource({"F1": CLEAN}, failures=[Refusal("registers.refused.too_large")]),
            "too_large",
            {"size": ">1", "limit": 1},
        ),
        (lambda: FakeSource({"F1": b""}), "empty", {}),
        (lambda: FakeSource({}), "download", {}),
    ],
    ids=["told too large", "not text", "found too large", "empty", "gone"],
)
def test_a_refused_file_is_answered_in_its_reply_and_closed(
    make: Make,
    uow: Any,
    source: Callable[[], FakeSource],
    key: str,
    params: dict[str, object],
) -> None:
    answers = FakeAnswers()
    make().handle(SHARE, "F1", "products.csv", source(), answers)
    [(reply_ts, refused_key, refused_params)] = answers.of("refused")
    assert (reply_ts, refused_key) == ("reply-1", f"registers.refused.{key}")
    assert params.items() <= refused_params.items()
    assert answers.names() == ["checking", "refused"]
    assert claim_row(uow) == ("refused", 1)
    assert stored_results(uow) == 0


def test_in_flight_lets_a_resumer_overlap_but_not_a_second_event() -> None:
    in_flight, key = InFlight(), (TEAM, "F1")
    with in_flight.entered(key, unless_running=True) as first:
        with in_flight.entered(key, unless_running=True) as duplicate:
            assert (first, duplicate) == (True, False)
        with in_flight.entered(key, unless_running=False) as resumer:
            assert resumer is True
        with in_flight.entered(key, unless_running=True) as still:
            assert still is False  # the resumer leaving did not end the first
    with in_flight.entered(key, unless_running=True) as again:
        assert again is True
