"""Register CSVs: reading, recognising, checking, reporting and normalizing.

Entry points: ``validate_files`` / ``validate_file`` (engine), ``write_error_report`` and
``write_normalized`` (report, normalize). ``KnownRegisters`` carries what an onboarding has
seen before; ``UnreadableFile`` (a ``core.errors.CsvUnreadable``) refuses non-CSV input.
"""

from core.registers.engine import validate_file, validate_files
from core.registers.errors import UnreadableFile
from core.registers.known import KnownRegisters, Snapshot
from core.registers.model import (
    ISSUE_CAP,
    FileInput,
    FileResult,
    Issue,
    Register,
    Severity,
    ValidationRun,
    Valuation,
)
from core.registers.normalize import write_normalized
from core.registers.report import write_error_report

__all__ = [
    "ISSUE_CAP",
    "FileInput",
    "FileResult",
    "Issue",
    "KnownRegisters",
    "Register",
    "Severity",
    "Snapshot",
    "UnreadableFile",
    "ValidationRun",
    "Valuation",
    "validate_file",
    "validate_files",
    "write_error_report",
    "write_normalized",
]
