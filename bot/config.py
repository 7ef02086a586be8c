"""Settings from the environment (and `.env`), checked once at start.

A wrong value stops the process with one line per variable that names it and says what is
wrong; tokens are `SecretStr`, so they never show in `repr()`, logs or error messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    # OAuth installation into any workspace (instead of one SLACK_BOT_TOKEN): bot/oauth.py.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_file_hosts: Annotated[tuple[str, ...], NoDecode] = ("files.slack.com",)
    # Seconds a Slack call (Web API, response_url, file download or upload) may take.
    slack_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    database_url: str = "sqlite:///data/onboarding.db"
    host: str = "127.0.0.1"
    port: int = Field(default=3000, ge=1, le=65535)
    secret_key: SecretStr | None = None
    # Old SECRET_KEYs (comma-separated) that still open stored credentials during a rotation.
    secret_key_previous: Annotated[tuple[SecretStr, ...], NoDecode] = ()
    rackbeat_api_url: str = "https://app.rackbeat.com/api/"
    netvisor_api_url: str = "https://isvapi.netvisor.fi/"
    # Ceiling of requests to one Rackbeat account (no published limit: domain.md).
    rackbeat_max_requests_per_minute: int = Field(default=480, ge=1, le=100_000)
    numbering_check_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)
    # Sent in Rackbeat's User-Agent so Rackbeat can reach whoever runs the bot.
    rackbeat_contact: str | None = Field(default=None, max_length=200)
    # An account snapshot older than this is read again before file checks use it.
    account_max_age_minutes: int = Field(default=60, ge=1, le=30 * 24 * 60)
    max_upload_mb: int = Field(default=50, ge=1, le=1024)
    # Job worker processes serve/socket start on PostgreSQL (bot/local_workers.py); 0 = none
    # (run `python -m bot worker` elsewhere). SQLite always works in-process.
    worker_processes: int = Field(default=1, ge=0, le=32)
    # /healthz answers 503 when jobs wait and no worker took one for this many seconds.
    queue_stall_seconds: float = Field(default=120.0, gt=0, le=24 * 3600)
    # Acknowledgements wait for the job's WAL flush (bot/jobqueue.py says what off gives up).
    queue_synchronous_commit: bool = False
    log_level: LogLevel = "INFO"

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "slack_client_secret",
        "secret_key",
    )
    @classmethod
    def _empty_is_unset(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            return None
        return value

    @field_validator("slack_client_id")
    @classmethod
    def _client_id(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @property
    def oauth_configured(self) -> bool:
        """Both OAuth credentials are set: `serve` installs into any workspace (bot/oauth.py),
        unless a SLACK_BOT_TOKEN pins it to one."""
        return self.slack_client_id is not None and self.slack_client_secret is not None

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_kind(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("must be a bot token starting with 'xoxb-'")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_kind(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must be an app-level token starting with 'xapp-'")
        return value

    @field_validator("slack_api_url", "rackbeat_api_url", "netvisor_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("slack_file_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            hosts = tuple(host.strip().lower() for host in value.split(",") if host.strip())
            if not hosts:
                raise ValueError("must name at least one host")
            return hosts
        return value

    @field_validator("secret_key_previous", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(key.strip() for key in value.split(",") if key.strip())
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(
                "is not a SQLAlchemy URL (e.g. sqlite:///data/onboarding.db)"
            ) from None
        if url.get_backend_name() not in {"sqlite", "postgresql"}:
            raise ValueError("must be a sqlite:// or postgresql+psycopg:// URL")
        return value

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        """``repr()`` and ``str()`` show the database URL without its password."""
        for name, value in super().__repr_args__():
            yield name, database_url_for_display(value) if name == "database_url" else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


def database_url_for_display(url: str) -> str:
    """``url`` with its password as ``***`` (SQLAlchemy's own masking)."""
    return make_url(url).render_as_string(hide_password=True)


def database_password(url: str) -> str | None:
    return make_url(url).password


class ConfigError(Exception):
    """Raised with one line per invalid variable, ready to print."""


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning pydantic's report into lines that name the variables."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigError(describe_errors(exc)) from None


def describe_errors(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors(include_url=False, include_input=False):
        variable = str(error["loc"][0]).upper() if error["loc"] else "configuration"
        message = str(error["msg"]).removeprefix("Value error, ")
        lines.append(f"configuration error: {variable} {_as_clause(message)}")
    return "\n".join(lines)


def _as_clause(message: str) -> str:
    lowered = message[:1].lower() + message[1:]
    if lowered.startswith(("must", "is ")):
        return lowered
    return f"is invalid: {lowered}"
