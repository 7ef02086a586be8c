"""The request-rate ceiling and the User-Agent that names the operator."""

from __future__ import annotations

import httpx

from core.credentials import RackbeatCredentials
from core.numbering.fetch import Upstreams
from core.sources.identity import PROJECT_URL, bot_version, user_agent
from core.sources.pacing import AccountPacers, RequestPacer
from tests.core.sources.conftest import RACKBEAT_TOKEN
from tests.fakes.rackbeat import FakeRackbeat


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_no_more_requests_than_the_ceiling_in_any_minute() -> None:
    clock = Clock()
    pacer = RequestPacer(3, clock=clock, sleep=clock.sleep)
    sent = []
    for _ in range(7):
        pacer.wait()
        sent.append(clock.now)
        clock.now += 1.0  # each request takes a second
    assert sent == [0.0, 1.0, 2.0, 60.0, 61.0, 62.0, 120.0]
    for i, at in enumerate(sent):
        assert sum(1 for other in sent if at <= other < at + 60) <= 3, i


def test_a_short_read_is_not_slowed_down() -> None:
    clock = Clock()
    pacer = RequestPacer(480, clock=clock, sleep=clock.sleep)
    for _ in range(100):
        pacer.wait()
        clock.now += 0.05
    assert clock.slept == []


def test_each_account_has_its_own_ceiling() -> None:
    slept: list[float] = []
    pacers = AccountPacers(1, sleep=slept.append)
    one = httpx.Request("GET", "http://x/", headers={"Authorization": "Bearer a"})
    two = httpx.Request("GET", "http://x/", headers={"Authorization": "Bearer b"})
    pacers(one)
    pacers(two)
    assert slept == []
    pacers(one)
    assert len(slept) == 1


def test_user_agent_names_version_and_contact() -> None:
    assert user_agent("ops@tilitoimisto.fi") == (
        f"rackbeat-onboarding-bot/{bot_version()} (ops@tilitoimisto.fi)"
    )
    assert user_agent(None).endswith(f"({PROJECT_URL})")
    assert user_agent("evil\r\nX-Injected: 1") == (
        f"rackbeat-onboarding-bot/{bot_version()} (evilX-Injected: 1)"
    )


def test_rackbeat_requests_carry_the_contact_and_pass_the_pacer(
    rackbeat: FakeRackbeat, rackbeat_credentials: RackbeatCredentials
) -> None:
    rackbeat.add_account(RACKBEAT_TOKEN)
    slept: list[float] = []
    upstreams = Upstreams(
        rackbeat.url,
        "http://127.0.0.1:9/",
        rackbeat_user_agent=user_agent("ops@tilitoimisto.fi"),
        rackbeat_pacers=AccountPacers(1, sleep=slept.append),
    )
    try:
        client = upstreams.rackbeat(rackbeat_credentials)
        client.company_name()
        client.company_name()
    finally:
        upstreams.close()
    agents = {r.headers["User-Agent"] for r in rackbeat.requests}
    assert agents == {user_agent("ops@tilitoimisto.fi")}
    assert len(slept) == 1 and slept[0] > 50
