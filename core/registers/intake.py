"""Intake of a shared register file: claim it once, check it, answer it once.

Flow for each shared file (``FileIntake.handle``):

1. Claim (team, file id) in the database: a retried event finds it taken and does nothing.
   The claim keeps where to answer, the reply's ``ts`` and the outputs already uploaded.
2. Say "checking name…" at once (``Answers.checking``), with progress on long files.
3. Ask the source what the file is (``FileSource.describe``): refuse too large or non-CSV
   files before any download; then download it (``FileSource.download``).
4. Check it against the onboarding's known registers, valuation and account; store the result
   and the register's keys; replace the reply with the verdict, upload the error report and,
   for an error-free file, the normalized copy; then the onboarding's side effects: the
   register's step shows progress, and error-free products re-judge earlier inventory.

The service knows neither Slack nor the words of its answers: the file comes from a
``FileSource`` and the answers go to ``Answers`` (both implemented in ``handlers/``), which
word them in the onboarding's language.

The caller acknowledged the event before any of this and it is never sent again, so work that
stops half-way must be picked up by us. A process that dies leaves its claim "received"; the
next attempt (``resume``: the job queue's re-run on PostgreSQL, ``bot.recovery`` at start on
SQLite) takes the claim over and runs the check again, reusing the "checking…" reply and
skipping outputs already uploaded. A passing failure (Slack or the database away after their
own retries) is turned into the caller's "try again later" when there is a later
(``stop_for_later``); otherwise the person gets the apology at once. A file is tried
``MAX_ATTEMPTS`` times before it is answered with one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from core.account.service import AccountService, CheckAccount
from core.errors import DomainError
from core.onboarding.service import OnboardingService
from core.onboarding.snapshot import OnboardingSnapshot
from core.onboarding.steps import StepId
from core.registers.engine import validate_files
from core.registers.header import register_in_text
from core.registers.known import KnownRegisters
from core.registers.model import FileInput, FileResult, Issue, Register, Valuation
from core.registers.repository import Claim, RegistersRepository
from core.store.uow import UnitOfWorkFactory
from core.tenancy import Channel

log = logging.getLogger(__name__)

PROGRESS_SECONDS = 3.0
# A file whose check was started this many times without finishing gets an apology.
MAX_ATTEMPTS = 3
NOT_TEXT_TYPES = frozenset(
    [
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "heic",
        "webp",
        "svg",
        "pdf",
        "zip",
        "gzip",
        "tar",
        "rar",
        "7z",
        "xls",
        "xlsx",
        "xlsm",
        "ods",
        "docx",
        "doc",
        "pptx",
        "mp4",
        "mov",
        "mp3",
        "wav",
        "binary",
    ]
)
# The onboarding step a checked file of each register starts.
STEP_OF: dict[Register, StepId] = {
    Register.PRODUCTS: StepId.PRODUCTS,
    Register.CUSTOMERS: StepId.CUSTOMERS,
    Register.SUPPLIERS: StepId.SUPPLIERS,
    Register.INVENTORY: StepId.INITIAL_BALANCES,
}


class Refusal(DomainError):
    """A file answered with one message instead of a check: ``code`` in the message
    catalogue, ``params`` for it, and ``issue`` when the words come from the file's issue."""

    def __init__(self, code: str, /, *, issue: Issue | None = None, **params: object) -> None:
        super().__init__(code, **params)
        self.issue = issue


class LostClaim(Exception):
    """Another attempt took this file over (this one was taken for dead): stop without
    answering."""


@dataclass(frozen=True)
class Share:
    """A file share: whose, where, the thread to answer in and the words it came with."""

    team_id: str
    channel_id: str
    user_id: str
    thread_ts: str
    text: str


@dataclass(frozen=True)
class SharedFile:
    """What the source tells about a file before it is downloaded."""

    file_id: str
    size: int
    filetype: str
    mimetype: str
    url: str


class FileSource(Protocol):
    """Where a shared file comes from."""

    def describe(self, file_id: str) -> SharedFile:
        """The file's metadata; ``Refusal`` if it is gone or not ours to see."""
        ...

    def download(self, file: SharedFile, limit_bytes: int) -> bytes:
        """The file's bytes; ``Refusal`` for what another try would not change (too large
        is ``registers.refused.too_large``)."""
        ...


class Output(StrEnum):
    """A file uploaded with the verdict; the value is what the claim records."""

    REPORT = "report"
    NORMALIZED = "normalized"


@dataclass(frozen=True)
class Verdict:
    """A checked file and what it was checked against."""

    file_id: str
    file: FileInput
    result: FileResult
    onboarding: OnboardingSnapshot | None
    account: CheckAccount | None


class Answers(Protocol):
    """Where the answers to one share go: its thread, and the onboarding it belongs to.
    ``lang`` is the onboarding's language ("en" without one)."""

    def checking(self, name: str, lang: str) -> str:
        """Say that the file is being checked; the reply's ``ts`` (edited from here on)."""
        ...

    def progress(self, reply_ts: str, name: str, rows: int, lang: str) -> None:
        """Show how far the check is; a courtesy that never stops the check."""
        ...

    def refused(self, reply_ts: str, name: str, refusal: Refusal, lang: str) -> None:
        """Replace the reply with why the file is not checked."""
        ...

    def verdict(self, reply_ts: str, verdict: Verdict, lang: str) -> None:
        """Replace the reply with the verdict."""
        ...

    def upload(self, output: Output, verdict: Verdict, lang: str) -> None:
        """Upload one output file into the thread."""
        ...

    def apologise(self, reply_ts: str | None, lang: str) -> None:
        """Say the check failed (editing the reply if there is one); never raises for the
        channel being unreachable."""
        ...

    def rejudge_inventory(
        self, onboarding: OnboardingSnapshot, products: FileResult, products_processed_id: int
    ) -> None:
        """Check again the inventory files judged on older products (error-free products
        arrived) and replace their verdicts."""
        ...

    def begin_step(self, step: StepId, user_id: str) -> None:
        """Show the onboarding's step in progress (its file arrived), as ``user_id``."""
        ...


StopForLater = Callable[[Exception], Exception | None]
"""Given a failure mid-check: the exception to raise so that the work runs again later (a
passing failure where there is a later), or ``None`` to answer with the apology now."""


def never_later(error: Exception) -> Exception | None:
    return None


class InFlight:
    """The files this process is checking right now: a second event for one of them (a Slack
    retry of a late acknowledgement) must not take over a live attempt in the same process.
    Counts, because a resumed attempt may overlap one taken for dead."""

    def __init__(self) -> None:
        self._running: Counter[tuple[str, str]] = Counter()
        self._guard = threading.Lock()

    @contextmanager
    def entered(self, key: tuple[str, str], *, unless_running: bool) -> Iterator[bool]:
        """Mark ``key`` as running for the block; False (and no mark) when ``unless_running``
        and it already runs."""
        with self._guard:
            entered = not (unless_running and self._running[key])
            if entered:
                self._running[key] += 1
        try:
            yield entered
        finally:
            if entered:
                with self._guard:
                    self._running[key] -= 1
                    if not self._running[key]:
                        del self._running[key]


class Throttle:
    """Calls ``update`` at most every ``seconds`` (progress edits must not spam Slack)."""

    def __init__(
        self,
        update: Callable[[int], None],
        seconds: float = PROGRESS_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._update, self._seconds, self._clock = update, seconds, clock
        self._last = clock()

    def __call__(self, rows: int) -> None:
        now = self._clock()
        if now - self._last >= self._seconds:
            self._last = now
            self._update(rows)


def fetch(source: FileSource, file_id: str, limit_mb: int) -> bytes:
    """A shared file's bytes, refused before any download when the source says it is too
    large or not text."""
    info = source.describe(file_id)
    if info.size > limit_mb * 1024 * 1024:
        raise Refusal("registers.refused.too_large", size=round(info.size / 2**20), limit=limit_mb)
    filetype, mimetype = info.filetype.lower(), info.mimetype.lower()
    if filetype in NOT_TEXT_TYPES or mimetype.startswith(("image/", "video/", "audio/")):
        raise Refusal("registers.refused.not_csv")
    try:
        return source.download(info, limit_mb * 1024 * 1024)
    except Refusal as refusal:
        if refusal.code == "registers.refused.too_large":
            # The size was not told in advance (or was wrong): only the limit is known.
            raise Refusal(refusal.code, size=f">{limit_mb}", limit=limit_mb) from refusal
        raise


def known_for(uow: UnitOfWorkFactory, onboarding: OnboardingSnapshot) -> KnownRegisters:
    """What a file of this onboarding is checked against.

    A checked inventory file is no inventory transaction: until balances are entered, no
    product's tracking is locked by it, so its keys are left out.
    """
    with uow() as unit:
        known = unit.registers.known(onboarding.id)
    if not onboarding.situation.stock_moved:
        known = known.without(Register.INVENTORY)
    return known


def refusal_for(result: FileResult) -> Refusal:
    """Why an unreadable file is not checked."""
    code = result.issues[0].code if result.issues else "not_text"
    line = result.issues[0].row if result.issues else None
    if code == "binary" and line is not None:
        return Refusal("registers.refused.control_characters", line=line)
    if code in ("binary", "spreadsheet", "not_text"):
        return Refusal("registers.refused.not_csv")
    if code in ("html", "empty", "header_only"):
        return Refusal(f"registers.refused.{code}")
    if code in ("unknown_register", "ambiguous_register"):
        return Refusal("registers.refused.unknown_register")
    return Refusal("registers.refused.other", issue=result.issues[0] if result.issues else None)


class FileIntake:
    """Claims, attempts, resumes and answers shared register files."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        clock: Callable[[], datetime],
        max_upload_mb: int,
        account: AccountService | None = None,
        stop_for_later: StopForLater = never_later,
        in_flight: InFlight | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._max_upload_mb = max_upload_mb
        self._account = account
        self._stop_for_later = stop_for_later
        self._in_flight = in_flight if in_flight is not None else InFlight()

    def handle(
        self, share: Share, file_id: str, name: str, source: FileSource, answers: Answers
    ) -> None:
        """Check a file shared just now, unless it is being checked or was answered."""
        key = (share.team_id, file_id)
        with self._in_flight.entered(key, unless_running=True) as entered:
            if not entered:
                log.info("file %s is being checked right now: retried event ignored", file_id)
                return
            with self._held(share.team_id, file_id) as held:
                if not held:
                    log.info("file %s is being checked by another worker: left to it", file_id)
                    return
                with self._registers() as repo:
                    claim = repo.claim_file(
                        share.team_id,
                        file_id,
                        share.channel_id,
                        name,
                        self._clock(),
                        thread_ts=share.thread_ts,
                        user_id=share.user_id,
                        text=share.text,
                    )
                if claim is None:
                    log.info("file %s was already processed: retried event ignored", file_id)
                    return
                self._attempt(claim, share, name, source, answers)

    def resume(
        self,
        team_id: str,
        file_id: str,
        source: FileSource,
        answers_for: Callable[[Share], Answers],
    ) -> bool:
        """Take over a check an earlier attempt left unfinished and finish it; False if it is
        done (or held by a live attempt elsewhere)."""
        with (
            self._in_flight.entered((team_id, file_id), unless_running=False),
            self._held(team_id, file_id) as held,
        ):
            if not held:
                return False
            with self._registers() as repo:
                claim = repo.reclaim(team_id, file_id)
            if claim is None or not claim.thread_ts:
                return False
            log.info("resuming the check of %s (attempt %d)", file_id, claim.attempt)
            share = Share(
                team_id=claim.team_id,
                channel_id=claim.channel_id,
                user_id=claim.user_id or "",
                thread_ts=claim.thread_ts,
                text=claim.share_text,
            )
            self._attempt(claim, share, claim.file_name or file_id, source, answers_for(share))
            return True

    # --- the database -----------------------------------------------------------------------

    @contextmanager
    def _registers(self) -> Iterator[RegistersRepository]:
        """One unit of work and its repository, committed when the block ends normally."""
        with self._uow() as uow:
            yield uow.registers
            uow.commit()

    @contextmanager
    def _held(self, team_id: str, file_id: str) -> Iterator[bool]:
        """The file's lock for this attempt (PostgreSQL; see ``RegistersRepository.hold``)."""
        with self._uow() as holder:
            repo = holder.registers
            held = repo.hold(team_id, file_id)
            try:
                yield held
            finally:
                if held:
                    try:
                        repo.release(team_id, file_id)
                    except Exception:
                        # A connection keeping the lock must not go back to the pool.
                        holder.session.connection().invalidate()
                        raise

    def _guard(self, write: Callable[[RegistersRepository], bool]) -> None:
        """Run a guarded write on the claim; ``LostClaim`` if another worker has it now."""
        with self._registers() as repo:
            if not write(repo):
                raise LostClaim

    def _still_mine(self, claim: Claim) -> None:
        self._guard(lambda repo: repo.still_mine(claim))

    def _set_reply(self, claim: Claim, reply_ts: str) -> None:
        self._guard(lambda repo: repo.set_reply(claim, reply_ts))

    def _mark_uploaded(self, claim: Claim, uploaded: frozenset[str]) -> None:
        """Remember which outputs are in the thread (a resumed attempt skips them)."""
        self._guard(lambda repo: repo.mark_uploaded(claim, uploaded))

    def _finish(self, claim: Claim, status: str) -> None:
        with self._registers() as repo:
            if not repo.finish(claim, status, self._clock()):
                log.info("the check of %s was taken over by another worker", claim.file_id)

    def _store(self, claim: Claim, share: Share, verdict: Verdict) -> None:
        """The result and the register's keys, in the transaction that checks the claim is
        still this attempt's: an attempt that lost its claim stores nothing."""
        onboarding, result = verdict.onboarding, verdict.result
        now = self._clock()
        with self._registers() as repo:
            if not repo.still_mine(claim):
                raise LostClaim
            repo.save_result(
                claim.id,
                onboarding.id if onboarding else None,
                share.team_id,
                share.channel_id,
                result,
                now,
            )
            if onboarding is not None and result.snapshot is not None:
                repo.remember(onboarding.id, result.snapshot, result.file, result.rows, now)

    # --- one attempt ------------------------------------------------------------------------

    def _attempt(
        self, claim: Claim, share: Share, name: str, source: FileSource, answers: Answers
    ) -> None:
        onboarding = OnboardingService(self._uow).find(Channel(share.team_id, share.channel_id))
        at = _Attempt(claim, share, name, onboarding, onboarding.language if onboarding else "en")
        reply_ts = claim.reply_ts
        if claim.attempt > MAX_ATTEMPTS:
            log.error("checking %s failed %d times: given up", claim.file_id, MAX_ATTEMPTS)
            answers.apologise(reply_ts, at.lang)
            self._finish(claim, "failed")
            return
        try:
            if not reply_ts:
                reply_ts = answers.checking(name, at.lang)
                self._set_reply(claim, reply_ts)
            try:
                status = self._check(at, reply_ts, source, answers)
            except Refusal as refusal:
                answers.refused(reply_ts, name, refusal, at.lang)
                status = "refused"
        except LostClaim:
            log.info("the check of %s was taken over by another worker", claim.file_id)
            return
        except Exception as error:
            later = self._stop_for_later(error)
            if later is not None:
                log.warning("checking %s stopped (%s): tried again later", claim.file_id, later)
                raise later from error
            log.exception("checking %s failed", claim.file_id)
            answers.apologise(reply_ts, at.lang)
            status = "failed"
        self._finish(claim, status)

    def _check(self, at: _Attempt, reply_ts: str, source: FileSource, answers: Answers) -> str:
        claim, onboarding = at.claim, at.onboarding
        data = fetch(source, claim.file_id, self._max_upload_mb)
        self._still_mine(claim)
        known = KnownRegisters() if onboarding is None else known_for(self._uow, onboarding)
        valuation = onboarding.valuation if onboarding else None
        account = None
        if onboarding is not None and self._account is not None:
            # Reads the account first when the stored snapshot is too old (or never read).
            account = self._account.for_checks(onboarding.id)
            self._still_mine(claim)

        def show_progress(rows: int) -> None:
            self._still_mine(claim)
            answers.progress(reply_ts, at.name, rows, at.lang)

        file = FileInput(at.name, data=data)
        result = validate_files(
            [file],
            known=known,
            valuation=Valuation(valuation.value) if valuation else None,
            register_hint=register_in_text(at.share.text),
            today=self._clock().date(),
            progress=Throttle(show_progress),
            account=account.facts if account is not None else None,
        ).files[0]
        if result.unreadable:
            raise refusal_for(result)
        verdict = Verdict(claim.file_id, file, result, onboarding, account)
        self._store(claim, at.share, verdict)
        answers.verdict(reply_ts, verdict, at.lang)
        self._upload_outputs(at, verdict, answers)
        if onboarding is not None and result.register is Register.PRODUCTS and result.snapshot:
            answers.rejudge_inventory(onboarding, result, claim.id)
        if onboarding is not None and result.register is not None:
            answers.begin_step(STEP_OF[result.register], at.share.user_id)
        return "checked"

    def _upload_outputs(self, at: _Attempt, verdict: Verdict, answers: Answers) -> None:
        """The error report and/or the normalized copy, each once: what an earlier attempt
        uploaded is skipped, and each upload is recorded on the claim right after."""
        result = verdict.result
        outputs: list[Output] = []
        if result.all_issues is not None and result.all_issues.height:
            outputs.append(Output.REPORT)
        if result.valid:
            outputs.append(Output.NORMALIZED)
        uploaded = set(at.claim.uploaded)
        for output in outputs:
            if output.value in uploaded:
                continue
            self._still_mine(at.claim)
            answers.upload(output, verdict, at.lang)
            uploaded.add(output.value)
            self._mark_uploaded(at.claim, frozenset(uploaded))


@dataclass(frozen=True)
class _Attempt:
    """The file one attempt checks, and the onboarding (language) it answers for."""

    claim: Claim
    share: Share
    name: str
    onboarding: OnboardingSnapshot | None
    lang: str
