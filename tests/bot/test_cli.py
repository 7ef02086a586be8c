"""The command line behaves like one: `--help` everywhere, `--version`, refusals with the
usage and exit status 2, and the README's "Processes" table says what `--help` says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.cli import COMMANDS, choose_mode, command_parser, package_version
from bot.config import Settings, load_settings
from bot.logs import secrets_of
from bot.modes import serve_problem

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``main(argv)`` as the shell sees it: exit status, stdout, stderr."""
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_version_prints_the_installed_version_and_starts_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "--version")
    assert status == 0
    assert out.strip() == f"rackbeat-bot {package_version()}"
    assert package_version()[0].isdigit()  # the editable install is installed


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    for name, command in COMMANDS.items():
        assert re.search(rf"^\s+{re.escape(name)}\b", out, re.MULTILINE), name
        assert command.summary.split()[0] in out


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, name, "--help")
    assert status == 0
    assert out.startswith(f"usage: python -m bot {name} ")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_an_unknown_option_is_refused_with_the_usage(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    required = ["file.csv"] if name == "validate" else []
    status, out, err = run(capsys, name, *required, "--bogus")
    assert status == 2
    assert out == ""
    assert err.startswith(f"usage: python -m bot {name} ")
    assert "unrecognized arguments: --bogus" in err


@pytest.mark.parametrize("name", ["serve", "socket", "console", "migrate", "worker"])
def test_a_stray_argument_is_refused(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, name, "extra")
    assert status == 2
    assert "unrecognized arguments: extra" in err


def test_an_unknown_command_or_top_level_option_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = run(capsys, "serv")
    assert status == 2
    assert err.startswith("usage: python -m bot ")
    assert "unknown command 'serv'" in err
    status, _, err = run(capsys, "--verbose", "serve")
    assert status == 2
    assert "unrecognized arguments: --verbose" in err


def test_worker_concurrency_must_be_a_positive_number(capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("0", "two"):
        status, _, err = run(capsys, "worker", "--concurrency", bad)
        assert status == 2
        assert "argument --concurrency" in err
    assert command_parser(COMMANDS["worker"]).parse_args(["--concurrency", "4"]).concurrency == 4


def test_validate_arguments_reach_the_validator(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sample = ROOT / "tests" / "data" / "registers" / "products_cp1252.csv"
    status, out, _ = run(capsys, "validate", str(sample), "--json")
    assert status == 0
    assert out.startswith('{"valid": true')


def settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> Settings:
    monkeypatch.chdir(tmp_path)  # no developer's .env
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings()


@pytest.mark.parametrize(
    ("env", "mode", "reason"),
    [
        ({}, "console", "no Slack tokens"),
        ({"SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "xoxb-1"}, "socket", "SLACK_APP_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, "serve", "SLACK_BOT_TOKEN"),
        (
            {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"},
            "serve",
            "OAuth",
        ),
        ({"SLACK_CLIENT_ID": "1.2"}, "console", "no Slack tokens"),
    ],
)
def test_no_command_chooses_the_mode_from_the_environment_and_says_why(
    env: dict[str, str],
    mode: str,
    reason: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    chosen, why = choose_mode(settings(monkeypatch, tmp_path, **env))
    assert chosen == mode
    assert reason in why


def readme_processes() -> dict[str, str]:
    """The README's "Processes" table: command name → the row's command cell."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Processes", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"\| `python -m bot ?([a-z-]*)([^`]*)` \|", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def test_the_readme_processes_table_names_every_command_and_no_other() -> None:
    rows = readme_processes()
    assert "" in rows  # `python -m bot` without a command
    assert set(rows) - {""} == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_readme_row_shows_the_options_help_shows(name: str) -> None:
    parser = command_parser(COMMANDS[name])
    options = {
        flag
        for action in parser._actions  # argparse has no public list of its options
        for flag in action.option_strings
        if flag.startswith("--") and flag != "--help"
    }
    documented = set(re.findall(r"--[a-z-]+", readme_processes()[name]))
    assert documented == options


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "serve needs SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": "s"}, "serve needs SLACK_BOT_TOKEN (one workspace), or"),
        (
            {"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c"},
            "serve with SLACK_CLIENT_ID needs SECRET_KEY",
        ),
    ],
)
def test_serve_says_which_setting_it_lacks(
    env: dict[str, str], problem: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    found = serve_problem(settings(monkeypatch, tmp_path, **env))
    assert found is not None
    assert found.startswith(problem)


@pytest.mark.parametrize(
    "env",
    [
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"},
        {
            "SLACK_SIGNING_SECRET": "s",
            "SLACK_CLIENT_ID": "1.2",
            "SLACK_CLIENT_SECRET": "c",
            "SECRET_KEY": "k" * 32,
        },
    ],
)
def test_serve_starts_with_one_workspace_or_with_oauth(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert serve_problem(settings(monkeypatch, tmp_path, **env)) is None


def test_the_client_secret_is_redacted_from_logs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    configured = settings(monkeypatch, tmp_path, SLACK_CLIENT_SECRET="very-secret-client")
    assert "very-secret-client" in secrets_of(configured)
    assert "very-secret-client" not in repr(configured)
