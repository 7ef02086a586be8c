"""Where a shared file comes from: Slack (``core.registers.intake.FileSource``).

``files.info`` first (Slack Connect shares carry stubs), then the download with the bot token
only from ``SLACK_FILE_HOSTS``, no redirects; Slack answers a missing ``files:read`` scope
with an HTML sign-in page (slack.md). A 429, a 5xx or no answer is tried again a few times.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import httpx
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from core.registers.intake import Refusal, SharedFile, fetch
from core.sources.http import tls_context
from handlers.blocks.registers import mrkdwn_text
from handlers.deps import Deps
from handlers.rejudge import FetchFailed
from handlers.slack_failures import SLACK_FAILURES, describe, transient

log = logging.getLogger(__name__)

# Downloads: attempts on a 429, a 5xx or no answer, and the longest Retry-After waited.
DOWNLOAD_ATTEMPTS = 3
DOWNLOAD_MAX_WAIT = 30.0


class DownloadUnavailable(ConnectionError):
    """Slack's file server answered 429 or 5xx, or not at all: worth another try later."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class SlackFileSource:
    """Files of one workspace, read with its client's token (in OAuth mode each workspace
    has its own)."""

    def __init__(self, client: WebClient, deps: Deps) -> None:
        self._client = client
        self._config = deps.config

    def describe(self, file_id: str) -> SharedFile:
        try:
            info: dict[str, Any] = self._client.files_info(file=file_id)["file"]
        except SlackApiError as error:
            if transient(error):
                raise
            # A deleted file, a file the bot may not see, or an id Slack never issued.
            log.warning("files.info %s: %s", file_id, error.response.get("error"))
            raise Refusal("registers.refused.download") from error
        return SharedFile(
            file_id=file_id,
            size=int(info.get("size") or 0),
            filetype=str(info.get("filetype") or ""),
            mimetype=str(info.get("mimetype") or ""),
            url=str(info.get("url_private_download") or info.get("url_private") or ""),
        )

    def download(self, file: SharedFile, limit_bytes: int) -> bytes:
        return download_with_retries(
            file.url,
            self._client.token or "",
            self._config.file_hosts,
            limit_bytes,
            timeout=self._config.slack_timeout_seconds,
        )


def fetch_shared_file(deps: Deps, client: WebClient, file_id: str) -> bytes:
    """A shared file's bytes as the file check reads them (``Refusal`` if it cannot be)."""
    return fetch(SlackFileSource(client, deps), file_id, deps.config.max_upload_mb)


def fetch_again(deps: Deps) -> Callable[[WebClient, str, str], bytes]:
    """Reads an earlier file again for a new verdict (``handlers.rejudge``); ``FetchFailed``
    when it cannot be."""

    def read(client: WebClient, file_id: str, name: str) -> bytes:
        try:
            return fetch_shared_file(deps, client, file_id)
        except (Refusal, DownloadUnavailable) as error:
            raise FetchFailed(type(error).__name__) from error
        except SLACK_FAILURES as error:
            raise FetchFailed(describe(error)) from error

    return read


def download(
    url: str, token: str, hosts: tuple[str, ...], limit_bytes: int, *, timeout: float = 30.0
) -> bytes:
    """The file's bytes; the token goes only to ``hosts`` and redirects are not followed.

    ``DownloadUnavailable`` for a 429, a 5xx or no answer within ``timeout`` (try again),
    ``Refusal`` for anything a retry would not change.
    """
    host = urlparse(url).hostname
    if host not in hosts:
        raise Refusal("registers.refused.host", host=mrkdwn_text(host or "?"))
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with httpx.stream(
            "GET",
            url,
            headers=headers,
            follow_redirects=False,
            timeout=timeout,
            verify=tls_context(),
        ) as reply:
            if reply.status_code == 429 or reply.status_code >= 500:
                raise DownloadUnavailable(
                    f"HTTP {reply.status_code}", _seconds(reply.headers.get("retry-after"))
                )
            if reply.is_redirect:
                raise Refusal("registers.refused.redirect")
            if reply.status_code != 200:
                raise Refusal("registers.refused.download")
            if "text/html" in reply.headers.get("content-type", ""):
                raise Refusal("registers.refused.html")
            buffer = io.BytesIO()
            for chunk in reply.iter_bytes():
                buffer.write(chunk)
                if buffer.tell() > limit_bytes:
                    raise Refusal("registers.refused.too_large")
            return buffer.getvalue()
    except (httpx.TimeoutException, httpx.TransportError) as error:
        raise DownloadUnavailable(type(error).__name__) from error
    except httpx.HTTPError as error:
        log.warning("download failed: %s", type(error).__name__)
        raise Refusal("registers.refused.download") from error


def download_with_retries(
    url: str,
    token: str,
    hosts: tuple[str, ...],
    limit_bytes: int,
    *,
    timeout: float,
    attempts: int = DOWNLOAD_ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> bytes:
    """``download``, waiting out a 429 (its Retry-After, up to ``DOWNLOAD_MAX_WAIT``) and
    backing off after a 5xx or no answer, ``attempts`` times in all."""
    for attempt in range(1, attempts + 1):
        try:
            return download(url, token, hosts, limit_bytes, timeout=timeout)
        except DownloadUnavailable as error:
            log.warning("download attempt %d failed: %s", attempt, error)
            if attempt == attempts or (error.retry_after or 0) > DOWNLOAD_MAX_WAIT:
                raise
            sleep(error.retry_after if error.retry_after is not None else 0.5 * 2 ** (attempt - 1))
    raise AssertionError("unreachable")  # pragma: no cover


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None
