"""The request-rate ceiling every Rackbeat client passes, and the User-Agent that names the
operator."""

from __future__ import annotations

import time

from core.credentials import RackbeatCredentials
from core.sources.identity import PROJECT_URL, bot_version, user_agent
from core.sources.ratelimit import AccountLimits
from core.sources.upstreams import Upstreams
from tests.core.sources.conftest import RACKBEAT_TOKEN
from tests.fakes.rackbeat import FakeRackbeat


def test_user_agent_names_version_and_contact() -> None:
    assert user_agent("ops@tilitoimisto.fi") == (
        f"rackbeat-onboarding-bot/{bot_version()} (ops@tilitoimisto.fi)"
    )
    assert user_agent(None).endswith(f"({PROJECT_URL})")
    assert user_agent("evil\r\nX-Injected: 1") == (
        f"rackbeat-onboarding-bot/{bot_version()} (evilX-Injected: 1)"
    )


def test_rackbeat_requests_carry_the_contact_and_pass_the_ceiling(
    rackbeat: FakeRackbeat, rackbeat_credentials: RackbeatCredentials
) -> None:
    rackbeat.add_account(RACKBEAT_TOKEN)
    limits = AccountLimits(1, window=0.3)
    upstreams = Upstreams(
        rackbeat.url,
        "http://127.0.0.1:9/",
        rackbeat_user_agent=user_agent("ops@tilitoimisto.fi"),
        rackbeat_limits=limits,
    )
    try:
        # The watch's reads and an import's writes share the account's one ceiling.
        upstreams.rackbeat(rackbeat_credentials).company_name()
        answered = time.monotonic()
        with upstreams.rackbeat_records(rackbeat_credentials) as records:
            records.find_record("products", "1")
        waited = time.monotonic() - answered
    finally:
        upstreams.close()
    agents = {r.headers["User-Agent"] for r in rackbeat.requests}
    assert agents == {user_agent("ops@tilitoimisto.fi")}
    assert len(rackbeat.requests) == 2
    assert waited >= 0.29  # the second request waited out the first one's window


def test_each_account_has_its_own_ceiling() -> None:
    limits = AccountLimits(1, window=60)
    assert limits.for_account("token-a") is limits.for_account("token-a")
    assert limits.for_account("token-a") is not limits.for_account("token-b")
    limits.for_account("token-a").acquire()
    limits.for_account("token-a").release()
    assert limits.for_account("token-b").acquire() is True  # not slowed by token-a
