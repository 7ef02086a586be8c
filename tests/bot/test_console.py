"""The terminal workspace answers like Slack would, interactively or scripted."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from bot.config import Settings
from bot.console import run_console
from handlers.messages import t

ROOT = Path(__file__).resolve().parents[2]


def run(script: str, tmp_path: Path) -> str:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'c.db'}")  # type: ignore[call-arg]
    out = io.StringIO()
    assert run_console(settings, [], stdin=io.StringIO(script), out=out) == 0
    return out.getvalue()


def test_piped_help_prints_the_help(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="/rackbeat help\n",
        cwd=tmp_path,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "> /rackbeat help" in result.stdout
    assert t("help.intro").replace("*", "") in result.stdout.replace("*", "")
    assert (tmp_path / "data" / "onboarding.db").exists()


def test_unknown_console_input_is_explained(tmp_path: Path) -> None:
    output = run("dance\nclick 3\nsubmit\nupload /no/such/file.csv\n", tmp_path)
    assert "unknown input 'dance'" in output
    assert "no button '3'" in output
    assert "no modal is open" in output
    assert "no file at /no/such/file.csv" in output


def test_switching_person_and_channel(tmp_path: Path) -> None:
    output = run("as anna admin\nchannel sales\n/rackbeat help steps\n", tmp_path)
    assert "you are now @anna (UANNA) — a workspace admin" in output
    assert "[#sales] rackbeat, only to you:" in output
