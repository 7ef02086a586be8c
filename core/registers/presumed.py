"""Checking a file while its whole-file scan runs alongside.

Before a file without a byte-order mark can be read, one pass over all of it says whether it is
UTF-8 and where a control byte is (``sniff.utf8_and_control_line``): 60 ms for a 70 MB file,
on the path of every check. Nearly every file whose first 64 KB are plain UTF-8 is plain UTF-8
throughout, so the check starts at once with that presumption and the scan runs in a thread
beside it. The outcome stands only if the scan confirms every presumption; otherwise the check
runs again, sniffing as before, and gives exactly what it always gave.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from core.registers.model import FileInput
from core.registers.reading import Dialect, presume_dialect, sniff_dialect

T = TypeVar("T")
Sniffer = Callable[[FileInput], Dialect]


def presuming(run: Callable[[Sniffer], T]) -> T:
    """What ``run(sniff_dialect)`` gives, sooner when presumptions hold.

    ``run`` is first given a sniffer that presumes (``reading.presume_dialect``). Its outcome,
    a value or an exception, is kept if every scan confirms; if one does not, ``run`` runs
    again with ``sniff_dialect``. ``run`` must therefore be safe to run twice.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="scan") as pool:
        scans: list[Future[bool]] = []

        def presumed(file: FileInput) -> Dialect:
            sniffed = presume_dialect(file)
            if sniffed.confirm is not None:
                scans.append(pool.submit(sniffed.confirm))
            return sniffed.dialect

        try:
            outcome = run(presumed)
        except Exception:
            if all(scan.result() for scan in scans):
                raise
        else:
            if all(scan.result() for scan in scans):
                return outcome
    return run(sniff_dialect)


def never_backwards(progress: Callable[[int], None] | None) -> Callable[[int], None] | None:
    """``progress`` told only of counts above the highest so far: a check run again after a
    presumption failed starts counting from the beginning."""
    if progress is None:
        return None
    highest = 0

    def report(rows: int) -> None:
        nonlocal highest
        if rows > highest:
            highest = rows
            progress(rows)

    return report
