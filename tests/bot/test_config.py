"""A wrong setting stops the process with one line that names the variable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]


def settings_from(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> Settings:
    monkeypatch.chdir(tmp_path)  # no developer's .env
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings()


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("PORT", "abc", "PORT is invalid"),
        ("PORT", "70000", "PORT is invalid"),
        ("DATABASE_URL", "not a url", "DATABASE_URL is not a SQLAlchemy URL"),
        ("DATABASE_URL", "mysql://x@y/z", "DATABASE_URL must be a sqlite"),
        ("SLACK_BOT_TOKEN", "xoxp-user-token", "SLACK_BOT_TOKEN must be a bot token"),
        ("SLACK_APP_TOKEN", "xoxb-not-an-app-token", "SLACK_APP_TOKEN must be an app-level token"),
        ("SLACK_API_URL", "ftp://x", "SLACK_API_URL must be an http(s) URL"),
        ("NUMBERING_CHECK_MINUTES", "0", "NUMBERING_CHECK_MINUTES is invalid"),
        ("MAX_UPLOAD_MB", "lots", "MAX_UPLOAD_MB is invalid"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL is invalid"),
        ("WORKER_PROCESSES", "-1", "WORKER_PROCESSES is invalid"),
        ("WORKER_PROCESSES", "many", "WORKER_PROCESSES is invalid"),
    ],
)
def test_invalid_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str, value: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        settings_from(monkeypatch, tmp_path, **{variable: value})
    assert str(raised.value).startswith(f"configuration error: {expected}")
    assert "\n" not in str(raised.value)


def test_defaults_match_the_contract(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = settings_from(monkeypatch, tmp_path)
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.slack_file_hosts == ("files.slack.com",)
    assert settings.database_url == "sqlite:///data/onboarding.db"
    assert (settings.host, settings.port) == ("127.0.0.1", 3000)
    assert settings.numbering_check_minutes == 60
    assert settings.max_upload_mb == 50
    assert settings.worker_processes == 1


def test_file_hosts_are_comma_separated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = settings_from(
        monkeypatch, tmp_path, SLACK_FILE_HOSTS="files.slack.com, Files.Example"
    )
    assert settings.slack_file_hosts == ("files.slack.com", "files.example")


def test_dotenv_in_the_working_directory_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("PORT=4123\nLOG_LEVEL=debug\n", encoding="utf-8")
    settings = settings_from(monkeypatch, tmp_path)
    assert settings.port == 4123
    assert settings.log_level == "DEBUG"


def test_secrets_never_show_in_repr_or_errors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = settings_from(
        monkeypatch, tmp_path, SLACK_BOT_TOKEN="xoxb-very-secret", SECRET_KEY="hunter2-key"
    )
    assert "xoxb-very-secret" not in repr(settings)
    assert "hunter2-key" not in repr(settings)
    with pytest.raises(ConfigError) as raised:
        settings_from(monkeypatch, tmp_path, SLACK_BOT_TOKEN="xoxp-very-secret")
    assert "very-secret" not in str(raised.value)


def test_process_stops_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PORT": "abc", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "configuration error: PORT is invalid: input should be a valid integer, "
        "unable to parse string as an integer"
    ]
    assert "Traceback" not in result.stderr
